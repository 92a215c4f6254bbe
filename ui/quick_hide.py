"""Quick-hide: F12 covers the screen at once with a plain page, and the session locks.

For the moment someone walks up behind the operator: the page has no name, no title, no
icon and no text, nothing that says what program was open. It stays until the operator
presses F12 again (or closes it); then the sign-in appears, as after any lock.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QIcon, QKeyEvent, QPalette, QPixmap
from PySide6.QtWidgets import QWidget

from ui.idle_lock import QUICK_HIDE_KEY

NEUTRAL = QColor("#ededed")
# An empty window title would let Qt show the program's name instead: a blank one.
BLANK_TITLE = " "


class QuickHideCover(QWidget):
    """``revealed`` when the operator asks for the sign-in again."""

    revealed = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle(BLANK_TITLE)
        blank = QPixmap(32, 32)
        blank.fill(NEUTRAL)
        self.setWindowIcon(QIcon(blank))
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, NEUTRAL)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)

    def cover(self, over: QWidget | None) -> None:
        """Fill the screen the program was on, above everything, with the keyboard."""
        if over is not None and over.screen() is not None:
            self.setGeometry(over.screen().geometry())
        self.showFullScreen()  # a window newly shown is above the others
        self.activateWindow()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == QUICK_HIDE_KEY and not event.isAutoRepeat():
            self.revealed.emit()
            return
        event.accept()  # any other key: nothing happens, nothing shows

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        event.accept()
        self.revealed.emit()
