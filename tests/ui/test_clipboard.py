"""Copied references and phone numbers leave the clipboard after a delay (30 s in the app,
shortened here), only if the clipboard still holds them; on Windows they carry the formats
that keep them out of the clipboard history and the cloud clipboard."""

from __future__ import annotations

import struct
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from hotline.paths import DataDir
from tests.conftest import sign_in
from tests.ui.supervision_support import seed_calls
from ui import clipboard
from ui.supervision.call_log_window import CallLogWindow

SHORT = 0.15  # seconds


@pytest.fixture(autouse=True)
def _empty_clipboard(qapp: QGuiApplication) -> Iterator[None]:
    QGuiApplication.clipboard().clear()
    yield
    clipboard.clear_sensitive()
    QGuiApplication.clipboard().clear()


def test_cleared_after_the_delay(qtbot: QtBot) -> None:
    board = QGuiApplication.clipboard()
    clipboard.copy_sensitive("KG-TEST-26-00042", seconds=SHORT)
    assert board.text() == "KG-TEST-26-00042"
    qtbot.wait(int(SHORT * 1000 / 3))
    assert board.text() == "KG-TEST-26-00042"  # not before the delay
    qtbot.waitUntil(lambda: board.text() == "", timeout=2000)


def test_not_cleared_if_the_user_copied_something_else(qtbot: QtBot) -> None:
    board = QGuiApplication.clipboard()
    clipboard.copy_sensitive("+996 555 123 456", seconds=SHORT)
    board.setText("the operator's own text")
    qtbot.wait(int(SHORT * 1000 * 3))
    assert board.text() == "the operator's own text"


def test_a_second_copy_restarts_the_delay_and_clears_only_itself(qtbot: QtBot) -> None:
    board = QGuiApplication.clipboard()
    clipboard.copy_sensitive("first", seconds=SHORT)
    clipboard.copy_sensitive("second", seconds=SHORT * 4)
    qtbot.wait(int(SHORT * 1000 * 2))
    assert board.text() == "second"
    qtbot.waitUntil(lambda: board.text() == "", timeout=3000)


def test_clear_now_at_lock(qtbot: QtBot) -> None:
    board = QGuiApplication.clipboard()
    clipboard.copy_sensitive("KG-TEST-26-00001")
    clipboard.clear_sensitive()
    assert board.text() == ""


def test_windows_formats_in_the_mime_data() -> None:
    mime = clipboard.sensitive_mime("KG-TEST-26-00042", windows=True)
    assert mime.text() == "KG-TEST-26-00042"
    formats = mime.formats()
    assert (
        'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"'
        in formats
    )
    zero = struct.pack("<I", 0)
    history = 'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"'
    cloud = 'application/x-qt-windows-mime;value="CanUploadToCloudClipboard"'
    assert bytes(mime.data(history).data()) == zero
    assert bytes(mime.data(cloud).data()) == zero
    plain = clipboard.sensitive_mime("x", windows=False)
    assert plain.formats() == ["text/plain"]


def test_the_call_log_copies_a_reference_and_forgets_it(
    qtbot: QtBot, data_dir: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_calls(data_dir, 2)
    session = sign_in(data_dir, "bakyt")
    monkeypatch.setattr("ui.clipboard.CLEAR_AFTER_SECONDS", SHORT)
    monkeypatch.setattr(clipboard.copy_sensitive, "__defaults__", (SHORT,))
    window = CallLogWindow(session)  # WA_DeleteOnClose: closed below, not addWidget'ed
    try:
        window.show()
        assert window.copy_reference() is None  # nothing selected: nothing copied
        window.table.selectRow(1)
        action = window.copy_reference_action
        assert action.text() == "Copy reference"
        assert action in window.table.actions()
        action.trigger()
        expected = window.model.rows[1].reference
        board = QGuiApplication.clipboard()
        assert board.text() == expected
        assert expected in window.message.text()
        qtbot.waitUntil(lambda: board.text() == "", timeout=2000)
    finally:
        if isValid(window):
            window.close()
        if not session.db.closed:
            session.close()


def test_an_ordinary_copy_from_a_field_is_forgotten_too(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit

    stop = clipboard.watch_own_copies(seconds=SHORT)
    try:
        field = QLineEdit()
        qtbot.addWidget(field)
        field.show()
        field.activateWindow()
        qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is not None, timeout=2000)
        field.setText("+996 555 123 457")
        field.selectAll()
        field.copy()  # Ctrl+C in the phone field
        board = QGuiApplication.clipboard()
        assert board.text() == "+996 555 123 457"
        qtbot.waitUntil(lambda: board.text() == "", timeout=2000)
    finally:
        stop()
