from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from hotline import keys
from hotline.errors import AuthenticationFailed
from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services import session as session_service
from hotline.services import users
from hotline.services.session import Session
from tests.conftest import ADMIN, PASSWORDS
from ui.context import AppContext
from ui.form_dialog import FormDialog
from ui.password_dialog import PasswordDialog
from ui.role_dialog import RoleDialog
from ui.user_form import AddUserDialog
from ui.users_dialog import UsersDialog
from ui.users_model import UsersModel

NEW_PASSWORD = "new user pass 1"


@pytest.fixture
def dialog(
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


def session_of(dialog: UsersDialog) -> Session:
    return dialog.session


def open_form(dialog: UsersDialog, button_name: str) -> FormDialog:
    getattr(dialog, button_name).click()
    assert dialog.form is not None and dialog.form.isVisible()
    return dialog.form


def submit(qtbot: QtBot, dialog: UsersDialog, form: FormDialog) -> None:
    QTest.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)


def status_of(dialog: UsersDialog, username: str) -> str:
    row = dialog.model.row_of(username)
    return str(dialog.model.index(row, UsersModel.STATUS).data())


def test_lists_every_user(dialog: UsersDialog) -> None:
    assert sorted(dialog.model.usernames()) == ["admin", "bakyt", "dana", "olga"]
    row = dialog.model.row_of("olga")
    assert dialog.model.index(row, UsersModel.ROLE).data() == "Operator"
    assert status_of(dialog, "olga") == "Active"
    assert not dialog.reset_button.isEnabled()  # nothing selected yet


def test_add_user(qtbot: QtBot, dialog: UsersDialog, data_dir: DataDir) -> None:
    form = open_form(dialog, "add_button")
    assert isinstance(form, AddUserDialog)
    form.username.setText("timur")
    form.full_name.setText("Тимур Ашимов")
    form.set_role(Role.SUPERVISOR)
    form.password.setText(NEW_PASSWORD)
    form.repeat.setText(NEW_PASSWORD)
    submit(qtbot, dialog, form)
    qtbot.waitUntil(lambda: dialog.form is None)
    assert "timur" in dialog.model.usernames()
    assert dialog.selected_username() == "timur"
    row = dialog.model.row_of("timur")
    assert dialog.model.index(row, UsersModel.FULL_NAME).data() == "Тимур Ашимов"
    assert dialog.model.index(row, UsersModel.ROLE).data() == "Supervisor"
    session_service.login(data_dir, "timur", NEW_PASSWORD).close()


def test_add_user_error_keeps_the_form(qtbot: QtBot, dialog: UsersDialog) -> None:
    form = open_form(dialog, "add_button")
    assert isinstance(form, AddUserDialog)
    form.username.setText("olga")
    form.full_name.setText("Ольга")
    form.password.setText(NEW_PASSWORD)
    form.repeat.setText(NEW_PASSWORD)
    submit(qtbot, dialog, form)
    box = dialog.error_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "already taken" in box.text()
    assert form.isVisible() and form.full_name.text() == "Ольга"
    box.done(0)
    form.repeat.setText("different")
    QTest.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert form.message.is_error and not dialog.busy  # checked before calling the core
    form.reject()


def test_disable_and_enable(qtbot: QtBot, dialog: UsersDialog, data_dir: DataDir) -> None:
    dialog.select("olga")
    assert dialog.disable_button.isEnabled() and not dialog.enable_button.isEnabled()
    dialog.disable_button.click()
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox)
    confirm = next(
        b for b in box.buttons() if box.buttonRole(b) is QMessageBox.ButtonRole.DestructiveRole
    )
    QTest.mouseClick(confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status_of(dialog, "olga") == "Disabled", timeout=15000)
    with pytest.raises(AuthenticationFailed):
        session_service.login(data_dir, "olga", PASSWORDS["olga"])
    assert dialog.enable_button.isEnabled() and not dialog.reset_button.isEnabled()

    form = open_form(dialog, "enable_button")
    assert isinstance(form, PasswordDialog)
    form.password.setText(NEW_PASSWORD)
    form.repeat.setText(NEW_PASSWORD)
    submit(qtbot, dialog, form)
    assert status_of(dialog, "olga") == "Active"
    session_service.login(data_dir, "olga", NEW_PASSWORD).close()


def test_change_role(qtbot: QtBot, dialog: UsersDialog) -> None:
    dialog.select("dana")
    form = open_form(dialog, "role_button")
    assert isinstance(form, RoleDialog)
    form.role.setCurrentIndex(form.role.findData(Role.SUPERVISOR.value))
    submit(qtbot, dialog, form)
    row = dialog.model.row_of("dana")
    assert dialog.model.index(row, UsersModel.ROLE).data() == "Supervisor"
    assert {u.username: u.role for u in users.list_users(session_of(dialog))}["dana"] is (
        Role.SUPERVISOR
    )


def test_admin_cannot_disable_or_demote_themselves(dialog: UsersDialog) -> None:
    dialog.select(ADMIN)
    assert not dialog.disable_button.isEnabled()
    assert not dialog.role_button.isEnabled()
    assert dialog.reset_button.isEnabled()


def test_reset_password(qtbot: QtBot, dialog: UsersDialog, data_dir: DataDir) -> None:
    dialog.select("bakyt")
    form = open_form(dialog, "reset_button")
    form_password = NEW_PASSWORD
    assert isinstance(form, PasswordDialog)
    form.password.setText("short")
    form.repeat.setText("short")
    submit(qtbot, dialog, form)
    assert dialog.error_box is not None and "10" in dialog.error_box.text()
    dialog.error_box.done(0)
    form.password.setText(form_password)
    form.repeat.setText(form_password)
    submit(qtbot, dialog, form)
    session_service.login(data_dir, "bakyt", form_password).close()


def test_unlock(qtbot: QtBot, dialog: UsersDialog, data_dir: DataDir) -> None:
    slot_file = keys.load_slot_file(data_dir.keyslots)
    failed = [keys.record_failure(slot) for slot in slot_file.user_slots("olga")]
    keys.save_slot_file(data_dir.keyslots, slot_file.replace_slots(failed))
    dialog.refresh()
    assert status_of(dialog, "olga") == "Active, 1 failed sign-in"
    dialog.select("olga")
    assert dialog.unlock_button.isEnabled()
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
    assert status_of(dialog, "olga") == "Active"
    assert not dialog.unlock_button.isEnabled()
