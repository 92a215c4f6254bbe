"""One screening question as a widget: its text in the operator's language (and, when the
call is in another language, in the caller's language too, to read aloud) and the input
that fits its type. Widgets only report answers; the panel evaluates them."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _, pgettext
from hotline.screening.script import YESNO, Question, Text
from ui.widgets import hint

NO_NUMBER = -1  # the spin box minimum stands for "not answered"
# A chosen answer must be obvious at a glance, in every Qt style.
CHOSEN_STYLE = (
    "QPushButton:checked { background: #1d3f66; color: #ffffff; border: 1px solid #0f2540;"
    " border-radius: 3px; padding: 4px 12px; }"
)
KEYS = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_U: "unknown"}


def caller_text(text: Text, ui_language: str, call_language: str | None) -> str:
    """The text in the caller's language, or "" when that is the operator's language."""
    if not call_language or call_language == ui_language or call_language not in text:
        return ""
    return text[call_language]


class ButtonLabel(QLabel):
    """A wrapping text for a radio button or a check box (whose own text never wraps)."""

    def __init__(self, button: QAbstractButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = button
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setBuddy(button)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton and self.button.isEnabled():
            self.button.click()
            self.button.setFocus()
        super().mouseReleaseEvent(event)


class QuestionView(QFrame):
    """``answered`` whenever the operator gives or changes the answer."""

    answered = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._loading = False
        self.text_label = QLabel(self)
        self.text_label.setWordWrap(True)
        bold = QFont(self.text_label.font())
        bold.setBold(True)
        self.text_label.setFont(bold)
        self.caller_label = QLabel(self)
        self.caller_label.setWordWrap(True)
        small = QFont(self.caller_label.font())
        small.setItalic(True)
        small.setPointSizeF(small.pointSizeF() * 0.92)
        self.caller_label.setFont(small)
        self.help_label = hint(self)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 8)
        column.setSpacing(4)
        column.addWidget(self.text_label)
        column.addWidget(self.caller_label)
        column.addWidget(self.help_label)

        self.group = QButtonGroup(self)
        self.buttons: dict[str, QAbstractButton] = {}
        self.option_labels: dict[str, ButtonLabel] = {}
        self.spin: QSpinBox | None = None
        self.line: QLineEdit | None = None
        kind = question.type
        if kind == "yesno":
            row = QHBoxLayout()
            for key in YESNO:
                button = QPushButton(self)
                button.setCheckable(True)
                button.setAutoDefault(False)
                button.setStyleSheet(CHOSEN_STYLE)
                self.group.addButton(button)
                self.buttons[key] = button
                row.addWidget(button)
            row.addStretch(1)
            column.addLayout(row)
        elif kind in ("single", "multi"):
            self.group.setExclusive(kind == "single")
            for option in question.options:
                box: QAbstractButton = QRadioButton(self) if kind == "single" else QCheckBox(self)
                self.group.addButton(box)
                self.buttons[option.id] = box
                label = ButtonLabel(box, self)
                self.option_labels[option.id] = label
                row = QHBoxLayout()
                row.setSpacing(8)
                row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
                row.addWidget(label, 1)
                column.addLayout(row)
        elif kind == "number":
            self.spin = QSpinBox(self)
            self.spin.setRange(NO_NUMBER, 999)
            self.spin.setSpecialValueText("–")
            self.spin.setKeyboardTracking(False)  # "17" is one answer, not "1" then "17"
            self.spin.setMinimumWidth(90)
            self.spin.valueChanged.connect(self._changed)
            row = QHBoxLayout()
            row.addWidget(self.spin)
            row.addStretch(1)
            column.addLayout(row)
        else:
            self.line = QLineEdit(self)
            self.line.textEdited.connect(self._changed)
            column.addWidget(self.line)
        self.group.buttonToggled.connect(self._toggled)

    # -- answers -------------------------------------------------------------------
    def value(self) -> Any:
        """The answer in the engine's form, or None while there is none."""
        kind = self.question.type
        if kind in ("yesno", "single"):
            return next((key for key, b in self.buttons.items() if b.isChecked()), None)
        if kind == "multi":
            chosen = [key for key, b in self.buttons.items() if b.isChecked()]
            return chosen or None
        if self.spin is not None:
            number = self.spin.value()
            return None if number == NO_NUMBER else number
        assert self.line is not None
        return self.line.text().strip() or None

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            if self.buttons:
                chosen = set(value) if isinstance(value, list | tuple) else {value}
                exclusive = self.group.exclusive()
                self.group.setExclusive(False)  # an exclusive group cannot uncheck all
                for key, button in self.buttons.items():
                    button.setChecked(key in chosen)
                self.group.setExclusive(exclusive)
            elif self.spin is not None:
                number = value if isinstance(value, int | float) else NO_NUMBER
                self.spin.setValue(int(number))
            elif self.line is not None:
                self.line.setText(value if isinstance(value, str) else "")
        finally:
            self._loading = False

    def answer(self, key: str) -> None:
        """Choose a yes/no/unknown answer or an option, as a click would."""
        button = self.buttons[key]
        if button.isEnabled() and not (button.isChecked() and self.question.type != "multi"):
            button.click()

    def set_read_only(self, read_only: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(not read_only)
        if self.spin is not None:
            self.spin.setReadOnly(read_only)
        if self.line is not None:
            self.line.setReadOnly(read_only)

    def _toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked or self.question.type == "multi":
            self._changed()

    def _changed(self) -> None:
        if not self._loading:
            self.answered.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = KEYS.get(Qt.Key(event.key()))
        if self.question.type == "yesno" and key is not None and not event.modifiers():
            self.answer(key)
            event.accept()
            return
        super().keyPressEvent(event)

    # -- texts -----------------------------------------------------------------------
    def retranslate(self, ui_language: str, call_language: str | None) -> None:
        question = self.question
        self.text_label.setText(question.text.get_text(ui_language))
        spoken = caller_text(question.text, ui_language, call_language)
        self.caller_label.setText(spoken)
        self.caller_label.setVisible(bool(spoken))
        self.help_label.setText(question.help.get_text(ui_language) if question.help else "")
        self.help_label.setVisible(question.help is not None)
        if question.type == "yesno":
            self.buttons["yes"].setText(pgettext("answer", "Yes"))
            self.buttons["no"].setText(pgettext("answer", "No"))
            self.buttons["unknown"].setText(pgettext("answer", "Not known"))
            self.setToolTip(_("Keys: Y yes, N no, U not known."))
        for option in question.options:
            own = html.escape(option.text.get_text(ui_language))
            other = caller_text(option.text, ui_language, call_language)
            self.option_labels[option.id].setText(
                f"{own}<br><i>{html.escape(other)}</i>" if other else own
            )
