"""The caller's number: formatted as it is typed, explained below (country, region,
operator) or, if it is not a number, a clear message, never losing what was typed."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from hotline.errors import InvalidInput
from hotline.i18n import _
from hotline.phones import (
    WITHHELD,
    Phone,
    PhoneKind,
    digits_of,
    format_as_you_type,
    parse_phone,
    unrecognised,
)
from ui.widgets import MessageLabel, hint

# Only text made of digits, spaces and a leading + is regrouped; anything else (brackets,
# letters typed by mistake) is left exactly as typed.
_REGROUPABLE = re.compile(r"^\+?[0-9 ]*$")
# A number still being typed is not an error yet: say so only after a pause.
ERROR_DELAY_MS = 900


def _digits_before(text: str, position: int) -> int:
    return sum(1 for ch in text[:position] if ch.isdigit() or ch == "+")


def _position_after(text: str, count: int) -> int:
    if count == 0:
        return 0
    seen = 0
    for index, ch in enumerate(text):
        if ch.isdigit() or ch == "+":
            seen += 1
            if seen == count:
                return index + 1
    return len(text)


class PhoneField(QWidget):
    """``phone_changed`` carries the parsed Phone, or None when there is none (yet)."""

    phone_changed = Signal(object)
    edited = Signal()

    def __init__(self, home_country: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home_country = home_country
        self.phone: Phone | None = None
        self.error = ""
        self._last_text = ""
        self.line = QLineEdit(self)
        self.line.setMaxLength(40)
        self.line.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.withheld = QCheckBox(self)
        self.note = hint(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.message = MessageLabel(self)
        self._error_timer = QTimer(self)
        self._error_timer.setSingleShot(True)
        self._error_timer.setInterval(ERROR_DELAY_MS)
        self._error_timer.timeout.connect(self.show_problem)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.withheld)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(row)
        column.addWidget(self.note)
        column.addWidget(self.message)
        self.setFocusProxy(self.line)

        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self._finished)
        self.withheld.toggled.connect(self._withheld_toggled)
        self.retranslate()

    def retranslate(self) -> None:
        self.line.setPlaceholderText(_("e.g. 0555 123 456 or +7 701 123 45 67"))
        self.line.setAccessibleName(_("Phone number"))
        self.withheld.setText(_("Number withheld"))
        self._parse(show_error=bool(self.error))

    # -- typing --------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.line.text()

    def _typed(self, text: str) -> None:
        if len(digits_of(text)) > len(digits_of(self._last_text)):
            self._regroup()
        self._last_text = self.line.text()
        self._parse(show_error=False)
        if self.phone is None and self.line.text().strip():
            self._error_timer.start()
        self.edited.emit()

    def _regroup(self) -> None:
        """Group digits as they are typed; deleting a space is left alone (else it would
        come straight back)."""
        text = self.line.text()
        if not _REGROUPABLE.match(text):
            return
        grouped = format_as_you_type(text, self.home_country)
        if grouped == text or digits_of(grouped) != digits_of(text):
            return
        count = _digits_before(text, self.line.cursorPosition())
        self.line.setText(grouped)
        self.line.setCursorPosition(_position_after(grouped, count))

    def _finished(self) -> None:
        self._error_timer.stop()
        self._parse(show_error=True)

    def show_problem(self) -> None:
        self._parse(show_error=True)

    def _withheld_toggled(self, checked: bool) -> None:
        self.line.setEnabled(not checked and not self.line.isReadOnly())
        self._parse(show_error=False)
        self.edited.emit()

    # -- reading -------------------------------------------------------------------
    def _parse(self, *, show_error: bool) -> None:
        before = self.phone
        self.error = ""
        if self.withheld.isChecked():
            self.phone = WITHHELD
        elif not self.line.text().strip():
            self.phone = None
        else:
            try:
                self.phone = parse_phone(self.line.text(), self.home_country)
            except InvalidInput as problem:
                self.phone = None
                self.error = problem.message
        if self.phone is not None:
            self._error_timer.stop()
            self.message.clear_message()
            self.note.setText(self.phone.description())
            self.note.show()
        else:
            self.note.clear()
            self.note.hide()
            if self.error and show_error:
                self.message.show_error(self.error)
            elif not self.error:
                self.message.clear_message()
        if before != self.phone:
            self.phone_changed.emit(self.phone)

    @property
    def recorded(self) -> Phone | None:
        """The number to store: parsed, withheld, or — if it does not parse — as typed."""
        if self.phone is None and self.error and self.line.text().strip():
            return unrecognised(self.line.text())
        return self.phone

    # -- filling -------------------------------------------------------------------
    def set_value(self, phone: Phone | None, typed: str | None = None) -> None:
        """Show a stored number (or, from a draft, exactly what was typed)."""
        self.withheld.blockSignals(True)
        withheld = phone is not None and phone.kind is PhoneKind.WITHHELD
        self.withheld.setChecked(withheld)
        self.withheld.blockSignals(False)
        if typed is None:
            typed = "" if phone is None or withheld else phone.typed
        self.line.setText(typed)
        self._last_text = typed
        self.line.setEnabled(not self.withheld.isChecked() and not self.line.isReadOnly())
        self._parse(show_error=bool(typed.strip()))

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        self.withheld.setEnabled(not read_only)
