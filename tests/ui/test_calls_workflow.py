"""The operator's call workflow end to end, on a real encrypted installation: a whole
call from Ctrl+N to version 2, repeat callers, a number that is not a number, and the
one-click calls without a conversation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from hotline.model.contact import Consent
from hotline.paths import DataDir
from hotline.phones import PhoneKind
from hotline.services import contacts
from hotline.services.contacts import ListQuery
from tests.ui.calls_support import ctrl, double_click, focused, signed_in
from ui.calls.contact_dialog import ContactDialog
from ui.calls.history_dialog import HistoryDialog
from ui.calls.workspace import CALL, HOME, CallWorkspace
from ui.desk import Desk

NOTES = "Сестра звонит из Оша: Айжан в Москве, паспорт забрал работодатель.\nҮч ай айлык жок."
TOPICS = ("DOC.TAKEN", "WORK.WAGES")


def tick_topics(workspace: CallWorkspace, codes: tuple[str, ...]) -> None:
    for code in codes:
        workspace.editor.form.topics.items[code].setCheckState(0, Qt.CheckState.Checked)


def record_first_call(qtbot: QtBot, workspace: CallWorkspace) -> str:
    """Ctrl+N, the number typed as people say it, topics, Cyrillic notes, consent, Ctrl+S."""
    ctrl(Qt.Key.Key_N)
    assert workspace.stack.currentIndex() == CALL
    form = workspace.editor.form
    assert focused() is form.phone.line  # the call starts at the number
    QTest.keyClicks(form.phone.line, "0555123456")
    assert form.phone.line.text() == "0555 123 456"  # grouped as typed
    assert "Kyrgyzstan" in form.phone.note.text()
    tick_topics(workspace, TOPICS)
    form.notes.setPlainText(NOTES)
    form.summary.setText("Паспорт у работодателя")
    form.consent.buttons["keep_data"][0].click()  # yes
    form.consent.buttons["refer"][1].click()  # no
    form.relationship.setCurrentIndex(form.relationship.findData("relative"))
    form.citizenship.setCurrentIndex(form.citizenship.findData("KG"))
    form.country.setCurrentIndex(form.country.findData("RU"))
    form.call_type.setCurrentIndex(form.call_type.findData("trafficking_concern"))
    form.action_boxes["information"].click()
    form.follow_needed.click()
    form.follow_reason.setText("Перезвонить сестре")
    form.danger.click()
    assert workspace.editor.unsaved
    ctrl(Qt.Key.Key_S)
    contact = workspace.editor.contact
    assert contact is not None and contact.version == 1
    assert not workspace.editor.unsaved
    assert "Version 1" in workspace.editor.bar.record_label.text()
    return contact.id


def test_a_whole_call_saved_reopened_and_edited_into_version_2(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    assert workspace.new_call_action in window.file_menu.actions()
    contact_id = record_first_call(qtbot, workspace)

    stored = contacts.get_contact(window.session, contact_id)
    assert stored.phone is not None and stored.phone.e164 == "+996555123456"
    assert stored.phone.typed == "0555 123 456"
    assert stored.topics == TOPICS
    assert stored.notes == NOTES
    assert stored.summary == "Паспорт у работодателя"
    assert stored.consent == Consent(keep_data=True, refer=False, share=None)
    assert stored.caller.relationship == "relative"
    assert (stored.caller.citizenship, stored.caller.country) == ("KG", "RU")
    assert stored.call_type == "trafficking_concern"
    assert stored.actions == ("information",)
    assert stored.follow_up.date == dt.date.today() + dt.timedelta(days=1)
    assert stored.follow_up.reason == "Перезвонить сестре"
    assert stored.danger and not stored.minor
    assert stored.operator == "olga" and stored.ended_at is None

    # The list shows it; a double-click opens it again with every value.
    workspace.show_home()
    assert workspace.stack.currentIndex() == HOME
    view = workspace.lists.views["today"]
    assert view.model().rowCount() == 1
    rect = view.visualRect(view.model().index(0, 1))
    double_click(view.viewport(), rect.center())
    assert workspace.stack.currentIndex() == CALL
    form = workspace.editor.form
    reopened = form.values(workspace.editor.current())
    assert form.phone.line.text() == "0555 123 456"
    assert reopened.topics == TOPICS and reopened.notes == NOTES
    assert reopened.consent == stored.consent
    assert reopened.caller == stored.caller
    assert reopened.follow_up == stored.follow_up
    assert reopened.danger
    assert not workspace.editor.read_only and not workspace.editor.unsaved

    # An edit is version 2; the history names the changed fields.
    form.summary.setFocus()
    form.summary.selectAll()
    QTest.keyClicks(form.summary, "Passport returned")
    workspace.editor.end_call()
    ctrl(Qt.Key.Key_S)
    assert workspace.editor.contact is not None
    assert workspace.editor.contact.version == 2
    assert "Version 2" in workspace.editor.bar.record_label.text()
    assert contacts.get_contact(window.session, contact_id).summary == "Passport returned"
    workspace.editor.bar.history_button.click()
    history = next(d for d in workspace.editor.dialogs if isinstance(d, HistoryDialog))
    assert history.table.rowCount() == 2
    by, what = history.table.item(1, 2), history.table.item(1, 3)
    assert by is not None and by.text() == "olga"
    assert what is not None
    changed = what.text()
    assert "Summary" in changed and "End of the call" in changed
    assert "Notes" not in changed


def test_repeat_caller_sees_the_earlier_call_without_leaving_the_form(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, _window, workspace = signed_in(qtbot, make_desk, data_dir)
    first_id = record_first_call(qtbot, workspace)
    ctrl(Qt.Key.Key_N)
    form = workspace.editor.form
    assert not form.repeat.isVisible()
    QTest.keyClicks(form.phone.line, "+996555123456")
    assert form.repeat.isVisible()
    assert [c.id for c in form.repeat.contacts] == [first_id]
    row = form.repeat.list.item(0).text()
    assert "Trafficking concern" in row
    form.notes.setPlainText("Второй звонок")
    item = form.repeat.list.item(0)
    rect = form.repeat.list.visualItemRect(item)
    QTest.mouseClick(form.repeat.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialogs = [d for d in workspace.editor.dialogs if isinstance(d, ContactDialog)]
    assert len(dialogs) == 1
    shown = dialogs[0]
    assert shown.contact_id == first_id
    assert shown.form.notes.toPlainText() == NOTES
    assert shown.form.notes.isReadOnly() and not shown.form.call_type.isEnabled()
    # The call being typed is untouched.
    assert workspace.editor.contact is not None and not workspace.editor.contact.saved
    assert form.notes.toPlainText() == "Второй звонок"
    shown.close()


def test_an_invalid_number_is_explained_kept_and_the_call_still_saves(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    ctrl(Qt.Key.Key_N)
    form = workspace.editor.form
    QTest.keyClicks(form.phone.line, "0555 12")
    assert not form.phone.message.isVisible()  # still typing: no scolding yet
    QTest.keyClick(form.phone.line, Qt.Key.Key_Tab)  # leaving the field
    message = form.phone.message
    assert message.isVisible() and message.is_error
    assert "0555 12" in message.text() and "not a valid phone number" in message.text()
    assert form.phone.line.text() == "0555 12"
    assert form.phone.phone is None
    form.notes.setPlainText("Связь прервалась")
    ctrl(Qt.Key.Key_S)
    saved = workspace.editor.contact
    assert saved is not None and saved.version == 1
    stored = contacts.get_contact(window.session, saved.id)
    assert stored.notes == "Связь прервалась"
    assert stored.phone is not None and stored.phone.kind is PhoneKind.UNRECOGNISED
    assert stored.phone.typed == "0555 12"  # nothing typed is lost
    assert form.phone.line.text() == "0555 12"  # what was typed stays in the form
    assert workspace.editor.message.isVisible() and not workspace.editor.message.is_error
    # Withheld numbers are a choice, not an error.
    ctrl(Qt.Key.Key_N)
    form.phone.withheld.click()
    assert form.phone.phone is not None and form.phone.phone.kind is PhoneKind.WITHHELD
    assert not form.phone.line.isEnabled() and not form.phone.message.isVisible()


def test_a_call_without_conversation_is_recorded_in_one_click(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    ctrl(Qt.Key.Key_N)
    QTest.keyClicks(workspace.editor.form.phone.line, "0700123456")
    QTest.mouseClick(workspace.editor.bar.non_data_buttons["silent"], Qt.MouseButton.LeftButton)
    assert workspace.stack.currentIndex() == HOME
    assert "Silent call" in workspace.home_message.text()
    [row] = contacts.list_contacts(window.session, ListQuery(mine=True))
    stored = contacts.get_contact(window.session, row.id)
    assert stored.call_type == "silent" and stored.ended_at is not None
    assert stored.phone is not None and stored.phone.e164 == "+996700123456"
    assert workspace.lists.models["today"].rowCount() == 1
    # Nothing was left to ask about: the next call starts at once.
    ctrl(Qt.Key.Key_N)
    assert workspace.stack.currentIndex() == CALL
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert not [box for box in boxes if box.isVisible()]


def test_another_call_does_not_silently_replace_unsaved_typing(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    ctrl(Qt.Key.Key_N)
    workspace.editor.form.notes.setPlainText("Первый звонок, не сохранён")

    def answer(role: str) -> Callable[[], None]:
        def click() -> None:
            box = workspace.leave_question
            assert box is not None and box.isVisible()
            wanted = {"cancel": box.button(QMessageBox.StandardButton.Cancel)}.get(role)
            if wanted is None:
                wanted = next(b for b in box.buttons() if b.text() == role)
            wanted.click()

        return click

    new_call = workspace.new_call_action.trigger
    QTimer.singleShot(0, answer("cancel"))
    new_call()  # Cancel: the call stays in the form
    assert workspace.editor.form.notes.toPlainText() == "Первый звонок, не сохранён"
    QTimer.singleShot(0, answer("Save"))
    new_call()  # Save: it is saved, and a new call starts
    [saved] = contacts.list_contacts(window.session, ListQuery(mine=True))
    assert contacts.get_contact(window.session, saved.id).notes == "Первый звонок, не сохранён"
    assert workspace.editor.form.notes.toPlainText() == ""
    workspace.editor.form.notes.setPlainText("Второй, лишний")
    workspace.editor.save_draft()
    QTimer.singleShot(0, answer("Discard the changes"))
    new_call()
    assert len(contacts.list_contacts(window.session, ListQuery(mine=True))) == 1
    assert contacts.drafts(window.session) == []
