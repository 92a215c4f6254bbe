"""Wrong input in the GUI forms (text set programmatically: keyClicks cannot send text
outside Latin-1): the call form, the user form and the directory entry form refuse control
characters with a message naming the field and store nothing; emoji, right-to-left marks
and combining accents are kept exactly."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from hotline.paths import DataDir
from hotline.services import contacts, directory, users
from hotline.services import session as session_service
from hotline.services.session import Session
from tests.conftest import ADMIN, PASSWORDS, sign_in
from tests.ui.calls_support import ctrl, signed_in
from ui.context import AppContext
from ui.desk import Desk
from ui.organisation_form import OrganisationForm
from ui.user_form import AddUserDialog
from ui.users_dialog import UsersDialog

KEPT = "Айгүл 👩\u200d👩\u200d👧 \u202eКасым\u200f e\u0301 𝒜"


def count(session: Session, table: str) -> int:
    return int(session.db.scalar(f"SELECT count(*) FROM {table}"))  # noqa: S608


def test_call_form_refuses_control_characters_and_keeps_emoji(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    ctrl(Qt.Key.Key_N)
    form = workspace.editor.form
    form.consent.buttons["keep_data"][0].click()  # yes: the name field opens
    for widget, bad, label in [
        (form.caller_name, "\x1b[31mАйгүл", "Caller's name"),
        (form.region, "Ош\x07", "Region"),
        (form.summary, "line\r\nbreak", "Summary"),
    ]:
        widget.setText(bad)
        ctrl(Qt.Key.Key_S)
        message = workspace.editor.message
        assert message.isVisible() and message.is_error
        assert label in message.text()
        assert count(window.session, "contacts") == 0
        assert widget.text() == bad  # what was typed stays in the form to be corrected
        widget.setText("")
    form.notes.setPlainText("Апасы чалды\x00")
    ctrl(Qt.Key.Key_S)
    assert "Notes" in workspace.editor.message.text()
    assert count(window.session, "contacts") == 0
    form.notes.setPlainText(KEPT + "\nвторая строка")
    form.caller_name.setText(KEPT)
    ctrl(Qt.Key.Key_S)
    saved = workspace.editor.contact
    assert saved is not None and saved.version == 1
    stored = contacts.get_contact(window.session, saved.id)
    assert stored.caller.name == KEPT
    assert stored.notes == KEPT + "\nвторая строка"


@pytest.fixture
def users_dialog(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> Iterator[UsersDialog]:
    context = make_context(data_dir)
    context.session = session_service.login(data_dir, ADMIN, PASSWORDS[ADMIN])
    widget = UsersDialog(context, context.session)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    yield widget
    context.runner.wait()


def test_user_form_refuses_odd_names_and_keeps_an_emoji_full_name(
    qtbot: QtBot, users_dialog: UsersDialog
) -> None:
    dialog = users_dialog
    session = dialog.session
    before = count(session, "users")
    for username, full_name, expected in [
        ("\u202eadmin2", "Тимур", "A user name has 2 to 32 characters"),
        ("olga\x00x", "Тимур", "A user name has 2 to 32 characters"),
        ("timur", "Тимур\x1b[31m", "Full name"),
    ]:
        dialog.add_button.click()
        form = dialog.form
        assert isinstance(form, AddUserDialog)
        form.username.setText(username)
        form.full_name.setText(full_name)
        form.password.setText("new user pass 1")
        form.repeat.setText("new user pass 1")
        QTest.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
        box = dialog.error_box
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert expected in box.text()
        box.done(0)
        form.reject()
        assert count(session, "users") == before
    dialog.add_button.click()
    form = dialog.form
    assert isinstance(form, AddUserDialog)
    form.username.setText("timur")
    form.full_name.setText(KEPT)
    form.password.setText("new user pass 1")
    form.repeat.setText("new user pass 1")
    QTest.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.form is None and not dialog.busy, timeout=15000)
    (timur,) = [u for u in users.list_users(session) if u.username == "timur"]
    assert timur.display_name == KEPT


def test_directory_entry_form_names_the_field_and_stores_nothing(
    qtbot: QtBot, data_dir: DataDir
) -> None:
    session = sign_in(data_dir, "bakyt")
    try:
        directory.ensure_seeded(session)
        before = count(session, "organisations")
        form = OrganisationForm(session, None)
        qtbot.addWidget(form)
        form.name.setText("Сезим")
        for widget, bad, field in [
            (form.address, "ул. Ленина\x00 5", "address"),
            (form.city, "Бишкек\r\nОш", "city"),
            (form.name, "S" * 301, "name"),
            (form.phones, "0312 66 33 44 📞", "phone"),
        ]:
            original = widget.text()
            widget.setText(bad)
            form.save()
            assert form.saved is None and form.result() == 0
            assert form.message.is_error and field in form.message.text(), form.message.text()
            assert count(session, "organisations") == before
            widget.setText(original)
        form.name.setText(KEPT)
        form.notes.setPlainText("Заметка\nвторая строка")
        form.save()
        assert form.saved is not None, form.message.text()
        assert directory.get(session, form.saved.id).name == KEPT
        assert count(session, "organisations") == before + 1
    finally:
        session.close()
