"""Copying phone numbers and references: the clipboard forgets them after 30 seconds.

Both the program's own "Copy reference" (``copy_sensitive``) and any ordinary copy from one
of its fields (``watch_own_copies``, started once with the application) are covered.

``copy_sensitive`` puts the text on the clipboard and, after the delay, clears the clipboard
only if it still holds that text (whatever the person copied since is left alone). On
Windows the data also carries the registered clipboard formats that keep it out of the
clipboard history (Win+V), the cloud clipboard and clipboard monitors. Qt exposes a
registered Windows clipboard format as the MIME type
``application/x-qt-windows-mime;value="<format name>"``.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Callable

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication
from shiboken6 import isValid

CLEAR_AFTER_SECONDS = 30.0


def _windows_format(name: str) -> str:
    return f'application/x-qt-windows-mime;value="{name}"'


# Present at all: monitors and the history skip the data.
EXCLUDE_FROM_MONITORING = _windows_format("ExcludeClipboardContentFromMonitorProcessing")
# A DWORD 0: not in the clipboard history, not uploaded to the cloud clipboard.
NO_HISTORY = _windows_format("CanIncludeInClipboardHistory")
NO_CLOUD = _windows_format("CanUploadToCloudClipboard")
_DWORD_ZERO = struct.pack("<I", 0)


def sensitive_mime(text: str, *, windows: bool | None = None) -> QMimeData:
    """Plain text, plus on Windows the formats that keep it out of history and cloud."""
    mime = QMimeData()
    mime.setText(text)
    if sys.platform == "win32" if windows is None else windows:
        mime.setData(EXCLUDE_FROM_MONITORING, b"")
        mime.setData(NO_HISTORY, _DWORD_ZERO)
        mime.setData(NO_CLOUD, _DWORD_ZERO)
    return mime


class _Eraser(QObject):
    """The one pending clearing; a new copy replaces it."""

    def __init__(self, clipboard: QClipboard) -> None:
        super().__init__(clipboard)
        self.clipboard = clipboard
        self.text: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.clear_now)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.aboutToQuit.connect(self.clear_now)

    def arm(self, text: str, seconds: float) -> None:
        self.text = text
        self.timer.start(max(0, round(seconds * 1000)))

    def clear_now(self) -> None:
        """Clear the clipboard if it still holds what was copied; forget it either way."""
        self.timer.stop()
        if self.text is not None and self.clipboard.text() == self.text:
            self.clipboard.clear()
        self.text = None


_eraser: _Eraser | None = None


def _the_eraser() -> _Eraser:
    global _eraser
    clipboard = QGuiApplication.clipboard()
    if _eraser is None or not isValid(_eraser) or _eraser.clipboard is not clipboard:
        _eraser = _Eraser(clipboard)
    return _eraser


def copy_sensitive(text: str, seconds: float = CLEAR_AFTER_SECONDS) -> None:
    """Copy ``text``; clear the clipboard after ``seconds`` if it still holds ``text``."""
    eraser = _the_eraser()
    QGuiApplication.clipboard().setMimeData(sensitive_mime(text))
    eraser.arm(text, seconds)


def _copied_here(clipboard: QClipboard) -> bool:
    """The change came from this program: it owns the clipboard (X11, Windows, macOS) or,
    where the platform cannot tell, one of its windows has the keyboard focus."""
    return clipboard.ownsClipboard() or QGuiApplication.focusWindow() is not None


def copy_plain(text: str) -> None:
    """Copy ``text`` that holds nothing personal (About's details for a support e-mail): it
    stays on the clipboard, and the watcher of the program's own copies leaves it alone."""
    global _plain
    _plain = text
    QGuiApplication.clipboard().setText(text)


_plain: str | None = None
_stop_watching: Callable[[], None] | None = None


def watch_own_copies(seconds: float = CLEAR_AFTER_SECONDS) -> Callable[[], None]:
    """Whatever is copied from this program by the usual means (Ctrl+C in a field holding
    a phone number, a name, notes) is forgotten like ``copy_sensitive``'s text: cleared
    after ``seconds`` if still there, and on Windows kept out of history and cloud. One
    watcher at a time: a second call replaces the first. Returns the function that stops
    watching."""
    global _stop_watching
    if _stop_watching is not None:
        _stop_watching()
    clipboard = QGuiApplication.clipboard()

    def changed() -> None:
        text = clipboard.text()
        eraser = _the_eraser()
        if not text or text in (eraser.text, _plain) or not _copied_here(clipboard):
            return
        eraser.arm(text, seconds)
        mime = clipboard.mimeData()
        if sys.platform == "win32" and (mime is None or not mime.hasFormat(NO_HISTORY)):
            clipboard.setMimeData(sensitive_mime(text))

    clipboard.dataChanged.connect(changed)

    def stop() -> None:
        global _stop_watching
        if _stop_watching is stop:
            clipboard.dataChanged.disconnect(changed)
            _stop_watching = None

    _stop_watching = stop
    return stop


def clear_sensitive() -> None:
    """Clear now what ``copy_sensitive`` copied, if still there (at lock or sign-out)."""
    if _eraser is not None and isValid(_eraser):
        _eraser.clear_now()
