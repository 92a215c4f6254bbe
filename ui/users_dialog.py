"""Administration → Users: list the accounts and change them through hotline.services.users.

Every action runs its service call off the GUI thread (passwords cost Argon2id time), then
reloads the list from the service, so the table always shows what the database holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _, current_language
from hotline.model.user import User
from hotline.services import users
from hotline.services.session import Session
from ui.context import AppContext
from ui.form_dialog import FormDialog
from ui.password_dialog import PasswordDialog
from ui.role_dialog import RoleDialog
from ui.user_form import AddUserDialog
from ui.users_model import UserRow, UsersModel
from ui.widgets import error_text


def load_rows(session: Session) -> list[UserRow]:
    return [
        UserRow(
            user=user,
            failed_attempts=users.failed_attempts(session, user.username),
            locked=users.is_locked(session, user.username),
        )
        for user in users.list_users(session)
    ]


class UsersDialog(QDialog):
    def __init__(self, context: AppContext, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self.busy = False
        self.form: FormDialog | None = None
        self.error_box: QMessageBox | None = None
        self.confirm_box: QMessageBox | None = None
        self.model = UsersModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(UsersModel.FULL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton(self)
        self.reset_button = QPushButton(self)
        self.role_button = QPushButton(self)
        self.disable_button = QPushButton(self)
        self.enable_button = QPushButton(self)
        self.unlock_button = QPushButton(self)
        self.close_button = QPushButton(self)
        side = QVBoxLayout()
        for button in (
            self.add_button,
            self.reset_button,
            self.role_button,
            self.disable_button,
            self.enable_button,
            self.unlock_button,
        ):
            button.setAutoDefault(False)
            side.addWidget(button)
        side.addStretch(1)
        side.addWidget(self.close_button)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(side)

        self.add_button.clicked.connect(self.add_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.role_button.clicked.connect(self.change_role)
        self.disable_button.clicked.connect(self.disable_user)
        self.enable_button.clicked.connect(self.enable_user)
        self.unlock_button.clicked.connect(self.unlock_user)
        self.close_button.clicked.connect(self.reject)
        self.setMinimumSize(760, 400)
        self.resize(860, 460)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Users"))
        self.add_button.setText(_("&Add user…"))
        self.reset_button.setText(_("&Reset password…"))
        self.role_button.setText(_("Change r&ole…"))
        self.disable_button.setText(_("&Disable…"))
        self.enable_button.setText(_("&Enable…"))
        self.unlock_button.setText(_("U&nlock"))
        self.close_button.setText(_("&Close"))
        self.model.retranslate()

    # -- list ----------------------------------------------------------------------
    def refresh(self, select: str = "") -> None:
        select = select or self.selected_username()
        self.model.set_rows(load_rows(self.session))
        row = self.model.row_of(select)
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def selected_username(self) -> str:
        entry = self.selected()
        return entry.user.username if entry is not None else ""

    def select(self, username: str) -> None:
        row = self.model.row_of(username)
        if row >= 0:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        entry = self.selected()
        active = entry is not None and entry.user.active
        is_self = entry is not None and entry.user.username == self.session.user.username
        self.add_button.setEnabled(not self.busy)
        self.reset_button.setEnabled(not self.busy and active)
        self.role_button.setEnabled(not self.busy and entry is not None and not is_self)
        self.disable_button.setEnabled(not self.busy and active and not is_self)
        self.enable_button.setEnabled(not self.busy and entry is not None and not active)
        self.unlock_button.setEnabled(
            not self.busy and entry is not None and (entry.locked or entry.failed_attempts > 0)
        )
        self.table.setEnabled(not self.busy)

    # -- actions -------------------------------------------------------------------
    def add_user(self) -> None:
        form = AddUserDialog(self)

        def submit() -> None:
            session = self.session
            username, role = form.username.text(), form.selected_role()
            password, full_name = form.password.text(), form.full_name.text()
            # A new account starts in the language the administrator is using.
            language = current_language()
            self._run(
                lambda: users.add_user(session, username, role, password, full_name, language),
                form,
            )

        self._open_form(form, submit)

    def reset_password(self) -> None:
        name = self.selected_username()
        if not name:
            return
        form = PasswordDialog(
            _("Reset password"),
            _("Type a new password for %(name)s. Their old password stops working.")
            % {"name": name},
            _("&Set password"),
            self,
        )

        def submit() -> None:
            session, password = self.session, form.password.text()
            self._run(lambda: users.change_password(session, name, password), form, name)

        self._open_form(form, submit)

    def enable_user(self) -> None:
        name = self.selected_username()
        if not name:
            return
        form = PasswordDialog(
            _("Enable account"),
            _("%(name)s needs a new password to sign in again.") % {"name": name},
            _("&Enable account"),
            self,
        )

        def submit() -> None:
            session, password = self.session, form.password.text()
            self._run(lambda: users.enable_user(session, name, password), form)

        self._open_form(form, submit)

    def change_role(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        name = entry.user.username
        form = RoleDialog(name, entry.user.role, self)

        def submit() -> None:
            session, role = self.session, form.selected_role()
            self._run(lambda: users.set_role(session, name, role), form)

        self._open_form(form, submit)

    def disable_user(self) -> None:
        name = self.selected_username()
        if not name:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Disable account"))
        box.setText(_("Disable the account of %(name)s?") % {"name": name})
        box.setInformativeText(
            _(
                "They will no longer be able to sign in. Their records stay. To enable the "
                "account again, you will need to give it a new password."
            )
        )
        confirm = box.addButton(_("&Disable"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(confirm)
        self.confirm_box = box

        def decided() -> None:
            if box.clickedButton() is confirm:
                session = self.session
                self._run(lambda: users.disable_user(session, name))
            box.deleteLater()

        box.finished.connect(decided)
        box.open()

    def unlock_user(self) -> None:
        name = self.selected_username()
        if name:
            session = self.session
            self._run(lambda: users.unlock_user(session, name), select=name)

    # -- running -------------------------------------------------------------------
    def _open_form(self, form: FormDialog, submit: Callable[[], None]) -> None:
        self.form = form
        form.submitted.connect(submit)
        form.finished.connect(form.deleteLater)
        form.destroyed.connect(self._form_gone)
        form.open()

    def _form_gone(self) -> None:
        self.form = None

    def _run(
        self, call: Callable[[], Any], form: FormDialog | None = None, select: str = ""
    ) -> None:
        """Run ``call`` in the background, then reload the list from the service."""
        self._set_busy(True)
        if form is not None:
            form.set_busy(True)

        def done(result: Any) -> None:
            self._set_busy(False)
            name = result.username if isinstance(result, User) else select
            self.refresh(name)
            if form is not None:
                form.done_ok()

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            if form is not None:
                form.set_busy(False)
            self.show_error(error_text(error), form)

        self.context.runner.submit(call, done, failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_buttons()

    def show_error(self, text: str, over: QWidget | None = None) -> None:
        box = QMessageBox(over or self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Users"))
        box.setText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.finished.connect(box.deleteLater)
        self.error_box = box
        box.open()

    def reject(self) -> None:
        if not self.busy:
            super().reject()
