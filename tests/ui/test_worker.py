from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from hotline.errors import InvalidInput
from ui.worker import Runner


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = Runner()
    seen: dict[str, object] = {}
    gui = QThread.currentThread()

    def work() -> int:
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["gui"] = QThread.currentThread() is gui

    runner.submit(work, done, lambda error: None)
    assert runner.busy
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen == {"worker": True, "result": 42, "gui": True}
    qtbot.waitUntil(lambda: not runner.busy)
    runner.wait()


def test_exception_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = Runner()
    errors: list[BaseException] = []
    results: list[object] = []
    gui = QThread.currentThread()
    on_gui: list[bool] = []

    def failed(error: BaseException) -> None:
        errors.append(error)
        on_gui.append(QThread.currentThread() is gui)

    def work() -> None:
        raise InvalidInput("Пожалуйста, заполните поле.")

    runner.submit(work, results.append, failed)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], InvalidInput) and not results and on_gui == [True]
    runner.wait()
