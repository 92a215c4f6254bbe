"""Administration → Audit log: filters narrow the table, pages follow on, the chain check
says intact or names the entry where it breaks, and every text is translated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hotline import audit
from hotline.audit import AuditAction
from hotline.audit_labels import action_label
from hotline.paths import DataDir
from hotline.services import session as session_service
from tests.conftest import ADMIN, PASSWORDS, sign_in
from tests.ui.pseudo import PseudoLocale, is_marked, unmarked, visible_texts
from ui.audit_dialog import INTACT_STYLE, AuditDialog
from ui.audit_model import AuditModel, actor_text, time_text
from ui.context import AppContext
from ui.optional_date import OptionalDateField

CALL_ID = "3f2a9c1e-8b7d-4c6e-9f10-123456789abc"


@pytest.fixture
def open_dialog(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> Iterator[Callable[[], AuditDialog]]:
    """The administrator's audit log, after olga and bakyt signed in and out and olga
    opened a call."""
    sign_in(data_dir, "olga").close()
    sign_in(data_dir, "bakyt").close()
    context = make_context(data_dir)
    session = session_service.login(data_dir, ADMIN, PASSWORDS[ADMIN])
    context.session = session
    audit.record(session.db, "olga", AuditAction.RECORD_VIEWED, "contact", CALL_ID, version=2)

    def make() -> AuditDialog:
        dialog = AuditDialog(context, session)
        qtbot.addWidget(dialog)
        dialog.resize(1100, 650)
        dialog.show()
        settle(qtbot, dialog)
        return dialog

    yield make
    context.runner.wait()


def settle(qtbot: QtBot, dialog: AuditDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)


def column(dialog: AuditDialog, number: int) -> list[str]:
    model = dialog.model
    return [str(model.index(row, number).data()) for row in range(model.rowCount())]


def choose(qtbot: QtBot, dialog: AuditDialog, box_name: str, text: str) -> None:
    box = getattr(dialog, box_name)
    index = box.findText(text)
    assert index >= 0, f"{text!r} is not offered"
    box.setCurrentIndex(index)
    settle(qtbot, dialog)


def test_filters_narrow_the_table(qtbot: QtBot, open_dialog: Callable[[], AuditDialog]) -> None:
    dialog = open_dialog()
    everything = dialog.model.rowCount()
    assert everything == dialog.total > 8
    assert {"olga", "bakyt", "admin", "The program"} <= set(column(dialog, AuditModel.USER))
    assert column(dialog, AuditModel.TARGET)[0] == "Call 3f2a9c1e…"
    assert column(dialog, AuditModel.DETAILS)[0] == "Version: 2"

    choose(qtbot, dialog, "user_filter", "olga")
    assert column(dialog, AuditModel.USER) == ["olga"] * 3
    assert column(dialog, AuditModel.ACTION) == ["Record opened", "Signed out", "Signed in"]
    choose(qtbot, dialog, "action_filter", action_label("login"))
    assert column(dialog, AuditModel.ACTION) == ["Signed in"]
    choose(qtbot, dialog, "action_filter", "Signing in and out")
    assert column(dialog, AuditModel.ACTION) == ["Signed out", "Signed in"]
    assert dialog.count_label.text() == "2 of 2 entries shown"

    today = dt.date.today()
    dialog.since.set_value(today + dt.timedelta(days=1))
    settle(qtbot, dialog)
    assert dialog.model.rowCount() == 0
    assert dialog.count_label.text() == "No entries match these filters."
    dialog.since.set_value(today)
    settle(qtbot, dialog)
    assert dialog.model.rowCount() == 2
    dialog.until.set_value(today - dt.timedelta(days=1))
    settle(qtbot, dialog)
    assert dialog.message.is_error  # the period runs backwards
    assert dialog.model.rowCount() == 2  # the last good selection stays on show

    dialog.reset_button.click()
    settle(qtbot, dialog)
    assert not dialog.message.isVisible()
    assert dialog.since.value() is None and dialog.until.value() is None
    assert dialog.user_filter.currentText() == "All users"
    assert dialog.model.rowCount() == everything


def test_show_more_fetches_the_next_page(
    qtbot: QtBot, open_dialog: Callable[[], AuditDialog]
) -> None:
    dialog = open_dialog()
    everything = [entry.seq for entry in dialog.model.entries]
    dialog.page_size = 4
    dialog.reload()
    settle(qtbot, dialog)
    assert [entry.seq for entry in dialog.model.entries] == everything[:4]
    assert dialog.more_button.isEnabled()
    assert dialog.count_label.text() == f"4 of {len(everything)} entries shown"
    while dialog.more_button.isEnabled():
        dialog.more_button.click()
        settle(qtbot, dialog)
    assert [entry.seq for entry in dialog.model.entries] == everything


def test_verify_says_intact_with_the_number_of_entries(
    qtbot: QtBot, open_dialog: Callable[[], AuditDialog]
) -> None:
    dialog = open_dialog()
    assert not dialog.check_result.isVisible()
    entries = audit.verify(dialog.session.db).entries
    dialog.verify_button.click()
    settle(qtbot, dialog)
    assert dialog.check_result.isVisible()
    assert dialog.check_result.text() == f"The chain is intact: {entries} entries checked."
    assert dialog.check_result.styleSheet() == INTACT_STYLE
    assert not dialog.broken_button.isVisible()


def test_verify_names_the_entry_where_the_chain_breaks(
    qtbot: QtBot, open_dialog: Callable[[], AuditDialog]
) -> None:
    dialog = open_dialog()
    db = dialog.session.db
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    dialog.verify_button.click()
    settle(qtbot, dialog)
    assert dialog.check_result.text() == ("The audit log was altered: the chain breaks at entry 3.")
    assert "#8c1d18" in dialog.check_result.styleSheet()
    assert dialog.broken_button.isVisible()
    dialog.broken_button.click()
    settle(qtbot, dialog)
    assert [entry.seq for entry in dialog.model.entries] == [3, 2, 1]
    assert dialog.model.broken_seq == 3
    assert column(dialog, AuditModel.USER)[0] == "mallory"


def data_texts(dialog: AuditDialog) -> set[str]:
    """User names and CLDR-formatted times of the entries on show: data, not text."""
    found = {dialog.user_filter.itemText(i) for i in range(1, dialog.user_filter.count())}
    for entry in dialog.model.entries:
        found.add(time_text(entry))
        if entry.actor is not None:
            found.add(actor_text(entry))
    return found


def assert_translated(dialog: AuditDialog) -> None:
    QApplication.processEvents()
    texts = visible_texts(dialog)
    assert len(texts) > 20
    wrong = [t for t in unmarked(texts, data_texts(dialog)) if not t.text.strip().isdigit()]
    assert not wrong, "texts that bypass gettext:\n" + "\n".join(
        f"  {t.where}: {t.text!r}" for t in wrong
    )
    for field in (dialog.since, dialog.until):  # "Any date": a field's text is not collected
        assert field.value() is not None or is_marked(field.text())


def test_every_text_is_translated(
    qtbot: QtBot, open_dialog: Callable[[], AuditDialog], qapp: QApplication
) -> None:
    locale = PseudoLocale()
    locale.install()
    try:
        dialog = open_dialog()
        assert_translated(dialog)
        assert is_marked(dialog.since.text())
        db = dialog.session.db
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
        dialog.verify_button.click()
        settle(qtbot, dialog)
        dialog.broken_button.click()
        settle(qtbot, dialog)
        assert_translated(dialog)
        dialog.until.set_value(dt.date(2001, 1, 1))
        dialog.since.set_value(dt.date(2002, 1, 1))
        settle(qtbot, dialog)
        assert dialog.message.is_error
        assert_translated(dialog)
    finally:
        locale.remove()


def test_an_open_dialog_relabels_itself(
    qtbot: QtBot, open_dialog: Callable[[], AuditDialog]
) -> None:
    dialog = open_dialog()
    dialog.verify_button.click()
    settle(qtbot, dialog)
    choose(qtbot, dialog, "action_filter", action_label("login"))
    locale = PseudoLocale()
    locale.install()
    try:
        dialog.retranslate()
        assert_translated(dialog)
        assert dialog.action_filter.currentText() == "⟦Signed in⟧"  # the choice stays
    finally:
        locale.remove()
    dialog.retranslate()
    assert dialog.windowTitle() == "Audit log"
    assert dialog.check_result.text().startswith("The chain is intact")


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen popups
def test_a_date_field_says_any_date_until_one_is_chosen(qtbot: QtBot) -> None:
    field = OptionalDateField()
    qtbot.addWidget(field)
    field.resize(200, 30)
    field.show()
    assert field.value() is None and field.text() == "Any date"
    assert not field.clear_action.isVisible()
    arrow = QPoint(field.width() - 8, field.height() // 2)
    QTest.mouseClick(field, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, arrow)
    calendar = field.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    today = dt.date.today()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    calendar.window().hide()
    field.stepBy(1)  # the arrow keys start from today
    assert field.value() == today
    assert field.clear_action.isVisible()
    field.clear_action.trigger()
    assert field.value() is None and field.text() == "Any date"
