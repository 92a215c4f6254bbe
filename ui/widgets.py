"""Small building blocks shared by the windows: message lines, headings, password pairs."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.i18n import _

log = logging.getLogger(__name__)

ERROR_STYLE = (
    "QLabel { color: #8c1d18; background: #fdecea; border: 1px solid #f3b5b0;"
    " border-radius: 4px; padding: 8px; }"
)
INFO_STYLE = (
    "QLabel { color: #1d3f66; background: #e8f1fb; border: 1px solid #b9d3f0;"
    " border-radius: 4px; padding: 8px; }"
)


class MessageLabel(QLabel):
    """A line for a problem (red) or a note (blue); hidden while it has nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.is_error = False
        self.hide()

    def show_error(self, text: str) -> None:
        self.is_error = True
        self.setStyleSheet(ERROR_STYLE)
        self.setText(text)
        self.show()

    def show_info(self, text: str) -> None:
        self.is_error = False
        self.setStyleSheet(INFO_STYLE)
        self.setText(text)
        self.show()

    def clear_message(self) -> None:
        self.is_error = False
        self.clear()
        self.hide()


def heading(parent: QWidget | None = None, scale: float = 1.6, bold: bool = True) -> QLabel:
    label = QLabel(parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def hint(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    palette = label.palette()
    # Two thirds of the way from the background to the text colour: quieter than the
    # fields, still readable on a dim night-shift screen (and in a dark theme).
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    mixed = QColor(
        (text.red() * 2 + back.red()) // 3,
        (text.green() * 2 + back.green()) // 3,
        (text.blue() * 2 + back.blue()) // 3,
    )
    palette.setColor(QPalette.ColorRole.WindowText, mixed)
    label.setPalette(palette)
    return label


def with_hint(field: QWidget, note: QLabel) -> QWidget:
    """``field`` with its explanation right below it, as one form cell."""
    box = QWidget(field.parentWidget())
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(3)
    column.addWidget(field)
    column.addWidget(note)
    return box


class CheckBoxLabel(QLabel):
    """A wrapping text for a QCheckBox (whose own text never wraps); a click toggles it."""

    def __init__(self, box: QCheckBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = box
        self.setWordWrap(True)
        self.setBuddy(box)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton and self.box.isEnabled():
            self.box.toggle()
            self.box.setFocus()
        super().mouseReleaseEvent(event)


def checkbox_row(box: QCheckBox, label: QLabel) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(label, 1)
    return row


def password_field(parent: QWidget | None = None) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setInputMethodHints(
        Qt.InputMethodHint.ImhHiddenText
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhSensitiveData
    )
    return field


def passwords_mismatch() -> str:
    return _("The two passwords are not the same. Please type them again.")


def error_text(error: BaseException) -> str:
    """What to show for ``error``: a KnownError's own sentence, else a logged apology."""
    if isinstance(error, KnownError):
        return str(error)
    log.error("unexpected error", exc_info=error)
    return _(
        "Something went wrong inside Hotline Desk. Please try again; "
        "if it happens again, tell your administrator."
    )


def read_only_table(columns: int, parent: QWidget, stretch: int | None = None) -> QTableWidget:
    """A table to read and pick rows from: no editing, no row numbers, columns as wide as
    their contents and column ``stretch`` (default: the last) taking the rest."""
    table = QTableWidget(0, columns, parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
