"""Child process for the crash test: opens the GUI offscreen, signs in, starts a call
and types into it without end, printing ``saved {json}`` after every autosave with what
had been typed by then. The test kills it with SIGKILL.

    HOTLINE_PASSWORD=… python -m tests.helpers.call_typing DATA_DIR USER
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from hotline.paths import DataDir
from ui.app import create_application
from ui.calls.call_editor import CallEditor
from ui.context import AppContext
from ui.desk import Desk

PHONE = "0555123456"
WORDS = [
    "Айжан",
    "Москвада",
    "иштейт",
    "паспортун",
    "алып",
    "коюшкан",
    "үч",
    "айдан",
    "бери",
    "айлык",
    "жок",
]
TYPING_MS = 150


def type_into(widget: QWidget, text: str) -> None:
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


class Typist:
    """One keystroke-sized step at a time, like a person; ``typed`` is what the form
    holds so far, in the terms the test checks."""

    def __init__(self, editor: CallEditor) -> None:
        self.editor = editor
        form = editor.form
        self.typed: dict[str, object] = {"phone_text": "", "notes": "", "topics": []}
        self.steps: list[Callable[[], None]] = []
        for digit in PHONE:
            self.steps.append(functools.partial(self._phone, digit))
        self.steps.append(lambda: self._topic("DOC.TAKEN"))
        self.steps.append(lambda: self._consent())
        self.steps.append(lambda: self._topic("WORK.WAGES"))
        self.timer = QTimer()
        self.timer.setInterval(TYPING_MS)
        self.timer.timeout.connect(self.step)
        self.word = 0
        form.notes.setFocus()

    def _phone(self, digit: str) -> None:
        QTest.keyClicks(self.editor.form.phone.line, digit)
        self.typed["phone_text"] = self.editor.form.phone.line.text()

    def _topic(self, code: str) -> None:
        self.editor.form.topics.items[code].setCheckState(0, Qt.CheckState.Checked)
        topics = self.typed["topics"]
        assert isinstance(topics, list)
        topics.append(code)

    def _consent(self) -> None:
        self.editor.form.consent.buttons["keep_data"][0].click()
        self.typed["keep_data"] = True

    def step(self) -> None:
        if self.steps:
            self.steps.pop(0)()
            return
        # Then notes, a word per step, for ever.
        word = WORDS[self.word % len(WORDS)]
        self.word += 1
        text = word if not self.typed["notes"] else f" {word}"
        type_into(self.editor.form.notes, text)
        self.typed["notes"] = self.editor.form.notes.toPlainText()

    def saved(self) -> None:
        print("saved " + json.dumps(self.typed, ensure_ascii=False), flush=True)


def main() -> int:
    data_dir, username = DataDir(Path(sys.argv[1])), sys.argv[2]
    app = create_application([sys.argv[0]])
    desk = Desk(AppContext.create(data_dir))
    desk.start()
    login = desk.login
    assert login is not None
    login.username.setText(username)
    login.password.setText(os.environ["HOTLINE_PASSWORD"])
    login.sign_in()
    deadline = time.monotonic() + 30
    while desk.window is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    window = desk.window
    assert window is not None and window.calls is not None
    window.calls.new_call()
    typist = Typist(window.calls.editor)
    window.calls.editor.draft_saved.connect(typist.saved)
    typist.timer.start()
    print("typing", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
