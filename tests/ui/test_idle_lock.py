"""The session lock (SECURITY.md promise 7): the idle lock after the installation's time,
F12's quick-hide, and unlocking back into the call that was being typed.

The minute is shortened (``ui.idle_lock.MINUTE_MS``) so that the installation's setting
still decides the time: 2 "minutes" of 2 s lock after 4 s without input.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from hotline import audit, keys
from hotline.paths import DataDir
from hotline.services import contacts, security_settings
from tests.conftest import ADMIN, PASSWORDS
from tests.conftest import sign_in as sign_in_core
from tests.ui.calls_support import ctrl, focused, sign_in, signed_in
from tests.ui.supervision_support import KYRGYZ_NOTE, LATIN_NOTE, seed_calls
from ui import idle_lock
from ui.calls.workspace import CALL
from ui.desk import Desk, locked_notice
from ui.idle_lock import SecuritySettingsDialog
from ui.main_window import MainWindow
from ui.quick_hide import NEUTRAL

TYPED = "ZQX canary typed before the lock"  # keyClicks: Latin-1 only
CYRILLIC = "Сестра уехала в Москву, паспорт забрали"  # set directly


def shorten_minutes(monkeypatch: pytest.MonkeyPatch, ms: int) -> None:
    monkeypatch.setattr(idle_lock, "MINUTE_MS", ms)


def set_idle_minutes(data_dir: DataDir, minutes: int) -> None:
    admin = sign_in_core(data_dir, ADMIN)
    try:
        security_settings.set_idle_lock_minutes(admin, minutes)
    finally:
        admin.close()


def type_a_call(window: MainWindow) -> None:
    """Ctrl+N, then typing in the notes (input: it keeps the session open)."""
    assert window.calls is not None
    ctrl(Qt.Key.Key_N)
    form = window.calls.editor.form
    form.notes.setFocus()
    QTest.keyClicks(form.notes, TYPED)
    form.summary.setText(CYRILLIC)  # Cyrillic cannot be sent as key clicks


def move_mouse(widget: QWidget, x: int, y: int) -> None:
    """A real mouse movement (QTest.mouseMove on a widget only moves the cursor, which
    the offscreen platform does not report)."""
    handle = widget.window().windowHandle()
    assert handle is not None
    QTest.mouseMove(handle, QPoint(x, y))


def flush_deletions() -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def _model_texts(view: QAbstractItemView) -> Iterable[str]:
    model = view.model()
    if model is None:
        return
    pending = [QModelIndex()]
    while pending:
        parent = pending.pop()
        for row in range(min(model.rowCount(parent), 500)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                yield str(model.data(index) or "")
                if column == 0 and model.rowCount(index) > 0:
                    pending.append(index)


def texts_of(widget: QWidget) -> Iterable[str]:
    yield widget.windowTitle()
    if isinstance(widget, QLineEdit | QLabel):
        yield widget.text()
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        yield widget.toPlainText()
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    elif isinstance(widget, QAbstractItemView):
        yield from _model_texts(widget)


def widgets_showing(canaries: Iterable[str]) -> list[str]:
    """Every widget, visible or not, whose text holds one of ``canaries``."""
    wanted = list(canaries)
    return [
        f"{type(widget).__name__}: {text[:60]!r}"
        for widget in QApplication.allWidgets()
        for text in texts_of(widget)
        if any(canary in text for canary in wanted)
    ]


def visible_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def unlock(qtbot: QtBot, desk: Desk, username: str) -> MainWindow:
    login = desk.login
    assert login is not None and login.isVisible()
    login.username.setText(username)
    login.password.setText(PASSWORDS[username])
    login.sign_in()
    qtbot.waitUntil(lambda: desk.window is not None, timeout=15000)
    window = desk.window
    assert window is not None
    return window


def test_idle_lock_clears_every_window_and_unlocking_reopens_the_call(
    qtbot: QtBot,
    make_desk: Callable[[DataDir], Desk],
    data_dir: DataDir,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed_calls(data_dir, 2)
    set_idle_minutes(data_dir, 2)
    shorten_minutes(monkeypatch, 2000)
    desk, window, workspace = signed_in(qtbot, make_desk, data_dir, "bakyt")
    session = window.session
    assert desk.idle.timeout_ms == 4000  # the installation's 2 minutes, shortened
    type_a_call(window)
    assert workspace.editor.is_open
    # Record data in every kind of window a supervisor opens: the call log, a review,
    # its export dialog, the exchange's batches window and send dialog.
    log_window = window.show_call_log()
    assert log_window is not None
    qtbot.waitUntil(lambda: log_window.model.rowCount() == 2, timeout=5000)
    review = log_window.open_row(0)
    assert review is not None and review.isVisible()
    export = log_window.export()
    assert export is not None and export.isVisible()
    batches = window.exchange_menu.show_batches()
    send = window.exchange_menu.show_send()
    assert batches.isVisible() and send.isVisible()
    move_mouse(send, 20, 20)
    move_mouse(send, 40, 30)  # the last input
    last_input = time.monotonic()
    assert desk.window is window
    # The scan finds record data while it is shown.
    assert widgets_showing([KYRGYZ_NOTE, LATIN_NOTE]) and widgets_showing([TYPED, CYRILLIC])

    qtbot.waitUntil(lambda: desk.window is None, timeout=10000)
    locked_after = time.monotonic() - last_input
    assert locked_after >= 4.0  # not before the installation's time
    flush_deletions()
    assert session.db.closed and desk.context.session is None
    for gone in (window, log_window, review, export, batches, send):
        assert not shiboken6.isValid(gone), type(gone).__name__
    login = desk.login
    assert login is not None
    assert visible_windows() == [login]
    assert widgets_showing([TYPED, CYRILLIC, KYRGYZ_NOTE, LATIN_NOTE, "Звонок 1"]) == []
    assert login.notice.text() == locked_notice()
    assert login.username.text() == "bakyt" and login.password.text() == ""
    assert not desk.idle.watching  # no session, nothing to lock

    # A wrong password at the lock screen goes the sign-in's way: counted, explained.
    login.password.setText("not the password")
    login.sign_in()
    qtbot.waitUntil(lambda: login.message.is_error, timeout=15000)
    [slot] = keys.load_slot_file(data_dir.keyslots).user_slots("bakyt")
    assert slot.failures == 1

    window = unlock(qtbot, desk, "bakyt")
    assert window.calls is not None
    workspace = window.calls
    assert workspace.stack.currentIndex() == CALL  # back in the call, no question asked
    form = workspace.editor.form
    assert form.notes.toPlainText() == TYPED
    assert form.summary.text() == CYRILLIC
    assert workspace.editor.unsaved
    qtbot.wait(100)
    assert workspace.draft_offer is None
    assert desk.idle.timeout_ms == 4000  # watching again
    check = sign_in_core(data_dir, ADMIN)
    actions = [r.action for r in audit.recent(check.db, 5)]
    check.close()
    assert "lock" in actions


def test_input_keeps_the_session_open(
    qtbot: QtBot,
    make_desk: Callable[[DataDir], Desk],
    data_dir: DataDir,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_idle_minutes(data_dir, 1)
    shorten_minutes(monkeypatch, 800)
    desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    ctrl(Qt.Key.Key_N)
    line = workspace.editor.form.phone.line
    # Twice the idle time moving the mouse, then twice the idle time typing: never idle
    # for long, never locked.
    for phase in ("mouse", "keys"):
        start = time.monotonic()
        step = 0
        while time.monotonic() - start < 1.6:
            if phase == "mouse":
                move_mouse(window, 200 + 10 * (step % 2), 300)
            else:
                QTest.keyClick(line, Qt.Key.Key_5)
            step += 1
            qtbot.wait(150)
            assert desk.window is window, f"locked while the {phase} was in use"
    qtbot.waitUntil(lambda: desk.window is None, timeout=5000)
    assert window.session.db.closed


def test_quick_hide_covers_the_screen_and_locks(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    session = window.session
    assert window.hide_action.shortcut().toString() == "F12"
    assert window.hide_action in window.file_menu.actions()
    type_a_call(window)
    assert focused() is workspace.editor.form.notes
    QTest.keyClick(focused(), Qt.Key.Key_F12)
    cover = desk.cover
    assert cover is not None and cover.isVisible() and cover.isFullScreen()
    assert session.db.closed and desk.window is None
    flush_deletions()
    assert not shiboken6.isValid(window)
    login = desk.login
    assert login is not None and not login.isVisible()  # the sign-in waits under the page
    assert visible_windows() == [cover]
    # A plain page: no title, no text, no child widget, one colour from edge to edge.
    assert cover.windowTitle().strip() == ""
    assert cover.findChildren(QWidget) == []
    image = cover.grab().toImage()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 37)
        for y in range(0, image.height(), 23)
    }
    assert colours == {QColor(NEUTRAL).name()}
    assert widgets_showing([TYPED, CYRILLIC]) == []
    QTest.keyClick(cover, Qt.Key.Key_A)  # any other key: still covered
    assert desk.cover is cover and cover.isVisible()

    QTest.keyClick(cover, Qt.Key.Key_F12)
    assert desk.cover is None
    assert login.isVisible() and login.notice.text() == locked_notice()
    window = unlock(qtbot, desk, "olga")
    assert window.calls is not None
    assert window.calls.editor.form.notes.toPlainText() == TYPED


def test_f12_hides_from_any_window_of_the_program(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk, window, _workspace = signed_in(qtbot, make_desk, data_dir, "bakyt")
    log_window = window.show_call_log()
    assert log_window is not None
    log_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is log_window, timeout=5000)
    QTest.keyClick(log_window.table, Qt.Key.Key_F12)
    assert desk.cover is not None and desk.cover.isVisible()
    assert desk.window is None and desk.context.session is None


def test_ctrl_l_locks_from_any_window_of_the_program(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk, window, _workspace = signed_in(qtbot, make_desk, data_dir, "bakyt")
    log_window = window.show_call_log()
    assert log_window is not None
    log_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is log_window, timeout=5000)
    QTest.keyClick(log_window.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert desk.window is None and desk.context.session is None
    assert desk.login is not None and desk.login.isVisible()


def test_another_user_at_the_lock_screen_does_not_get_the_draft(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk, window, _workspace = signed_in(qtbot, make_desk, data_dir)
    type_a_call(window)
    ctrl(Qt.Key.Key_L)
    assert desk.window is None
    window = unlock(qtbot, desk, "bakyt")
    assert window.calls is not None
    qtbot.wait(200)  # the draft offer would come now
    assert window.calls.draft_offer is None
    assert not window.calls.editor.is_open
    assert contacts.drafts(window.session) == []
    assert widgets_showing([TYPED, CYRILLIC]) == []
    # Olga's draft is still hers: offered at her next sign-in.
    window.lock_action.trigger()
    window = unlock(qtbot, desk, "olga")
    assert window.calls is not None
    qtbot.waitUntil(lambda: window.calls is not None and window.calls.draft_offer is not None)
    [draft] = contacts.drafts(window.session)
    assert draft.data["contact"]["notes"] == TYPED


def test_the_administrator_sets_the_idle_lock_time(
    qtbot: QtBot,
    make_desk: Callable[[DataDir], Desk],
    data_dir: DataDir,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shorten_minutes(monkeypatch, 60_000)
    desk = make_desk(data_dir)
    window = sign_in(qtbot, desk, ADMIN)
    assert desk.idle.timeout_ms == 10 * 60_000  # the default
    assert window.admin_menu is not None
    assert window.security_action in window.admin_menu.actions()
    window.security_action.trigger()
    dialog = window.security_dialog
    assert isinstance(dialog, SecuritySettingsDialog) and dialog.isVisible()
    assert (dialog.minutes.minimum(), dialog.minutes.maximum()) == (1, 30)
    assert dialog.minutes.value() == 10
    dialog.minutes.setValue(25)
    assert "25 minutes" in dialog.minutes_note.text()
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert desk.idle.timeout_ms == 25 * 60_000  # in force at once
    assert security_settings.idle_lock_minutes(window.session) == 25


def test_an_operator_has_no_security_settings(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, window, _workspace = signed_in(qtbot, make_desk, data_dir)
    assert window.show_security_settings() is None
    menus = [window.file_menu, window.directory_menu, window.settings_menu, window.help_menu]
    assert all(window.security_action not in menu.actions() for menu in menus)
