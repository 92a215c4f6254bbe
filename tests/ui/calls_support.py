"""Helpers for the call workflow tests: a signed-in operator and key presses sent to
whatever has the focus (as a person at the keyboard would)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from hotline.paths import DataDir
from tests.conftest import PASSWORDS
from ui.calls.workspace import CallWorkspace
from ui.desk import Desk
from ui.main_window import MainWindow


def sign_in(qtbot: QtBot, desk: Desk, username: str) -> MainWindow:
    desk.start()
    login = desk.login
    assert login is not None
    login.username.setText(username)
    login.password.setText(PASSWORDS[username])
    login.sign_in()
    qtbot.waitUntil(lambda: desk.window is not None, timeout=15000)
    window = desk.window
    assert window is not None
    window.activateWindow()
    if window.calls is None:  # the administrator's welcome panel takes no focus
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    else:
        wait_active(qtbot, window)
    return window


def signed_in(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir, username: str = "olga"
) -> tuple[Desk, MainWindow, CallWorkspace]:
    desk = make_desk(data_dir)
    window = sign_in(qtbot, desk, username)
    assert window.calls is not None
    return desk, window, window.calls


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def type_text(text: str) -> None:
    """Type any text, Cyrillic included, into the focused widget (QTest.keyClicks aborts
    on text outside Latin-1, so each character goes as a key event with its text)."""
    for char in text:
        target = focused()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                target, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


def ctrl(key: Qt.Key) -> None:
    press(key, Qt.KeyboardModifier.ControlModifier)


def double_click(widget: QWidget, pos: QPoint) -> None:
    """As a mouse does it: a click, then the second press that makes it a double-click
    (QTest.mouseDClick alone sends only the second half)."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    QTest.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def wait_active(qtbot: QtBot, window: QWidget) -> None:
    """After a modal box closes, the window gets the keyboard back a moment later (the
    offscreen platform has no window manager to hand it back: ask for it)."""
    window.activateWindow()
    qtbot.waitUntil(
        lambda: QApplication.activeWindow() is window and QApplication.focusWidget() is not None,
        timeout=5000,
    )
