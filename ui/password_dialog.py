"""A new password, typed twice: for resetting a password or enabling an account."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from hotline import validation
from hotline.i18n import _
from ui.form_dialog import FormDialog
from ui.widgets import hint, password_field, passwords_mismatch


class PasswordDialog(FormDialog):
    """``title``, ``intro`` and ``ok_text`` are already translated by the caller."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.intro.setText(intro)
        self.intro.show()
        self.ok_button.setText(ok_text)
        self.password = password_field(self)
        self.repeat = password_field(self)
        self.rules = hint(self)
        self.password_label = QLabel(self)
        self.repeat_label = QLabel(self)
        self.add_row(self.password_label, self.password)
        self.add_row(self.repeat_label, self.repeat, self.rules)
        self.retranslate()

    def check(self) -> str:
        if self.password.text() != self.repeat.text():
            self.repeat.clear()
            self.repeat.setFocus()
            return passwords_mismatch()
        return ""

    def retranslate(self) -> None:
        self.password_label.setText(_("New &password:"))
        self.repeat_label.setText(_("&Repeat password:"))
        self.rules.setText(_("At least %(n)d characters.") % {"n": validation.MIN_PASSWORD_LENGTH})
