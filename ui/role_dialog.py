"""Choosing another role for an account."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from hotline.i18n import _
from hotline.roles import Role
from ui.form_dialog import FormDialog


class RoleDialog(FormDialog):
    def __init__(self, username: str, current: Role, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.username = username
        self.role = QComboBox(self)
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.role.setCurrentIndex(self.role.findData(current.value))
        self.role_label = QLabel(self)
        self.add_row(self.role_label, self.role)
        self.intro.show()
        self.retranslate()

    def selected_role(self) -> Role:
        return Role(self.role.currentData())

    def retranslate(self) -> None:
        self.setWindowTitle(_("Change role"))
        self.intro.setText(
            _("Choose what %(name)s may do in Hotline Desk.") % {"name": self.username}
        )
        self.role_label.setText(_("&Role:"))
        for index in range(self.role.count()):
            self.role.setItemText(index, Role(self.role.itemData(index)).label)
        self.ok_button.setText(_("&Change role"))
