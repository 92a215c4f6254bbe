"""Who gets the call workspace, read-only calls, and cases opened from a call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit
from pytestqt.qtbot import QtBot

from hotline.paths import DataDir
from hotline.services import cases, contacts
from tests.conftest import ADMIN
from tests.conftest import sign_in as sign_in_core
from tests.ui.calls_support import ctrl, sign_in, signed_in
from ui.calls.case_dialog import CaseDialog, CasePicker
from ui.calls.common import choose
from ui.calls.workspace import CALL, HOME
from ui.desk import Desk


def call_by(data_dir: DataDir, username: str, **values: object) -> str:
    session = sign_in_core(data_dir, username)
    try:
        contact = replace(contacts.new_contact(session), **values)  # type: ignore[arg-type]
        return contacts.save_contact(session, contact).id
    finally:
        session.close()


def test_the_administrator_keeps_the_welcome_panel(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    window = sign_in(qtbot, make_desk(data_dir), ADMIN)
    assert window.calls is None
    assert window.centralWidget() is window.welcome
    assert "&New call" not in [a.text() for a in window.file_menu.actions()]


def test_a_coordinator_reads_calls_but_records_none(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    call_id = call_by(data_dir, "olga", notes="Запись оператора", call_type="consultation")
    _desk, _window, workspace = signed_in(qtbot, make_desk, data_dir, "dana")
    assert not workspace.may_record
    assert not workspace.new_call_action.isVisible()
    assert not workspace.new_call_button.isVisible()
    ctrl(Qt.Key.Key_N)
    assert workspace.stack.currentIndex() == HOME
    workspace.open_contact(call_id)
    assert workspace.stack.currentIndex() == CALL
    assert workspace.editor.read_only
    assert workspace.editor.form.notes.isReadOnly()
    assert not workspace.editor.bar.save_button.isEnabled()
    assert workspace.editor.bar.state_label.text() == "Read-only"


def test_another_operators_call_opens_read_only_and_a_supervisor_may_edit_it(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    call_id = call_by(data_dir, "olga", summary="Olga's call")
    desk, window, workspace = signed_in(qtbot, make_desk, data_dir, "bakyt")
    workspace.open_contact(call_id)
    assert not workspace.editor.read_only  # supervisors may correct any call
    workspace.editor.form.summary.setText("Corrected by the supervisor")
    workspace.editor._edited()
    ctrl(Qt.Key.Key_S)
    assert contacts.get_contact(window.session, call_id).version == 2
    window.sign_out_action.trigger()

    call_id = call_by(data_dir, "bakyt", summary="Bakyt's call")
    window = sign_in(qtbot, desk, "olga")
    assert window.calls is not None
    window.calls.open_contact(call_id)
    editor = window.calls.editor
    assert editor.read_only
    editor.form.summary.setText("not allowed")
    ctrl(Qt.Key.Key_S)
    assert contacts.get_contact(window.session, call_id).version == 1


def test_a_case_is_opened_from_a_call_edited_and_another_call_joins_it(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    editor = workspace.editor
    ctrl(Qt.Key.Key_N)
    editor.form.relationship.setCurrentIndex(editor.form.relationship.findData("self"))
    editor.form.notes.setPlainText("Работодатель отобрал паспорт")
    editor.new_case()  # saves the call first, then opens the case
    assert editor.contact is not None and editor.contact.case_id
    [dialog] = [d for d in editor.dialogs if isinstance(d, CaseDialog)]
    case_id = editor.contact.case_id
    assert editor.bar.case_button.text() == f"Case: {dialog.case.reference}"
    choose(dialog.status, "FollowUp")
    choose(dialog.trafficking, "Possible")
    choose(dialog.decided_by, "ngo")
    dialog.legal.setText("УК КР ст. 171")
    for name, code in (("exploitation_types", "ForcedLabour"), ("control_methods",
                       "WithholdsDocuments"), ("perpetrator_roles", "Employer")):  # fmt: skip
        box = dialog.lists[name]
        for row in range(box.count()):
            item = box.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == code:
                item.setCheckState(Qt.CheckState.Checked)
    dialog.add_route.click()
    kind = dialog.route.cellWidget(0, 0)
    country = dialog.route.cellWidget(0, 1)
    place = dialog.route.cellWidget(0, 2)
    day = dialog.route.cellWidget(0, 3)
    assert isinstance(kind, QComboBox) and isinstance(country, QComboBox)
    assert isinstance(place, QLineEdit) and isinstance(day, QDateEdit)
    choose(kind, "Exploitation")
    choose(country, "RU")
    place.setText("Москва")
    day.setDate(QDate(2026, 3, 1))
    assert dialog.save()
    stored = cases.get_case(window.session, case_id)
    assert stored.version == 2
    assert (stored.status, stored.trafficking_status) == ("FollowUp", "Possible")
    assert stored.trafficking_decided_by == "ngo"
    assert stored.legal_qualification == "УК КР ст. 171"
    assert stored.exploitation_types == ("ForcedLabour",)
    assert stored.control_methods == ("WithholdsDocuments",)
    assert stored.perpetrator_roles == ("Employer",)
    [event] = stored.route
    assert (event.kind, event.country, event.place, event.date) == (
        "Exploitation", "RU", "Москва", dt.date(2026, 3, 1),
    )  # fmt: skip
    assert [c.id for c in dialog.calls] == [editor.contact.id]
    dialog.close()

    # A second call about the same person joins the open case.
    ctrl(Qt.Key.Key_N)
    editor.form.phone.line.setText("0555123456")
    editor.form.notes.setPlainText("Повторный звонок")
    editor._edited()
    editor.link_case()
    [picker] = [d for d in editor.dialogs if isinstance(d, CasePicker)]
    assert [c.id for c in picker.cases] == [case_id]
    picker.ok_button.click()
    assert editor.contact is not None and editor.contact.case_id == case_id
    assert editor.contact.version == 2  # saved, then linked
    linked = contacts.list_contacts(window.session, contacts.ListQuery(case_id=case_id))
    assert len(linked) == 2
    workspace.lists.select_tab("cases")
    assert workspace.lists.models["cases"].rowCount() == 1
