"""Run slow core calls (Argon2id, opening the database) off the GUI thread.

A ``Task`` lives in the GUI thread; its job runs on a ``QThreadPool`` and reports back
through a queued connection, so ``succeeded``/``failed`` are always emitted in the GUI
thread and their slots may touch widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    """Carries the outcome out of the worker thread (emitted there, received queued)."""

    done = Signal(object)
    error = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as error:  # delivered to the GUI thread, never swallowed
            self._relay.error.emit(error)
        else:
            self._relay.done.emit(result)


class Task(QObject):
    """One piece of background work; connect to its signals before the event loop runs."""

    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.relay = _Relay(self)
        self.relay.done.connect(self._on_done)
        self.relay.error.connect(self._on_error)
        self.running = True

    @Slot(object)
    def _on_done(self, result: object) -> None:
        self.running = False
        self.succeeded.emit(result)
        self.finished.emit()

    @Slot(object)
    def _on_error(self, error: object) -> None:
        self.running = False
        self.failed.emit(error)
        self.finished.emit()


class Runner(QObject):
    """A small thread pool that keeps each ``Task`` alive until it has reported."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._tasks: set[Task] = set()

    def submit(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> Task:
        """Run ``fn()`` in the pool; the callbacks run in the GUI thread afterwards."""
        task = Task(self)
        task.succeeded.connect(on_success)
        task.failed.connect(on_error)
        task.finished.connect(lambda: self._forget(task))
        self._tasks.add(task)
        self._pool.start(_Job(fn, task.relay))
        return task

    def _forget(self, task: Task) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool's threads are idle (used at shutdown and in tests)."""
        return self._pool.waitForDone(msecs)
