"""Base of the small forms opened from the users dialog.

The form stays open while its action runs and when the action fails, so nothing typed
is lost; the owner calls ``done_ok()`` once the service has succeeded.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import MessageLabel, with_hint


class FormDialog(QDialog):
    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = False
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(10)
        self.message = MessageLabel(self)
        # The action button says what it does (set by each form); Cancel is Qt's own,
        # translated by Qt's catalogue, in the order the platform expects.
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.ok_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self.reject)

    def add_row(self, label: QLabel, field: QWidget, note: QLabel | None = None) -> None:
        label.setBuddy(field)
        self.form.addRow(label, field if note is None else with_hint(field, note))

    def check(self) -> str:
        """A problem the form can see by itself (empty field, passwords differ), or ''."""
        return ""

    def _submit(self) -> None:
        if self.busy:
            return
        problem = self.check()
        if problem:
            self.message.show_error(problem)
            return
        self.message.clear_message()
        self.submitted.emit()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.ok_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.message.show_error(text)

    def done_ok(self) -> None:
        self.set_busy(False)
        self.accept()

    def reject(self) -> None:
        if not self.busy:
            super().reject()
