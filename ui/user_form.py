"""The form for adding a user: user name, full name, role, password twice."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from hotline import validation
from hotline.i18n import _
from hotline.roles import Role
from ui.form_dialog import FormDialog
from ui.widgets import hint, password_field, passwords_mismatch


class AddUserDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.username = QLineEdit(self)
        self.username.setMaxLength(32)
        self.full_name = QLineEdit(self)
        self.full_name.setMaxLength(100)
        self.role = QComboBox(self)
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.password = password_field(self)
        self.repeat = password_field(self)
        self.rules = hint(self)
        self.username_label = QLabel(self)
        self.full_name_label = QLabel(self)
        self.role_label = QLabel(self)
        self.password_label = QLabel(self)
        self.repeat_label = QLabel(self)
        self.add_row(self.username_label, self.username)
        self.add_row(self.full_name_label, self.full_name)
        self.add_row(self.role_label, self.role)
        self.add_row(self.password_label, self.password)
        self.add_row(self.repeat_label, self.repeat, self.rules)
        self.retranslate()

    def selected_role(self) -> Role:
        return Role(self.role.currentData())

    def set_role(self, role: Role) -> None:
        self.role.setCurrentIndex(self.role.findData(role.value))

    def check(self) -> str:
        if not self.username.text().strip():
            self.username.setFocus()
            return _("Please type a user name.")
        if self.password.text() != self.repeat.text():
            self.repeat.clear()
            self.repeat.setFocus()
            return passwords_mismatch()
        return ""

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add a user"))
        self.username_label.setText(_("&User name:"))
        self.full_name_label.setText(_("&Full name:"))
        self.role_label.setText(_("&Role:"))
        self.password_label.setText(_("&Password:"))
        self.repeat_label.setText(_("&Repeat password:"))
        self.rules.setText(
            _("At least %(n)d characters. Give the password to the person privately.")
            % {"n": validation.MIN_PASSWORD_LENGTH}
        )
        for index in range(self.role.count()):
            self.role.setItemText(index, Role(self.role.itemData(index)).label)
        self.ok_button.setText(_("&Add user"))
