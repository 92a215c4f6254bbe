"""Regression guard: PySide6 6.12.0 lost a reference to ``True`` on every ``emit()`` and
aborted the process after a few hundred signals (bool_dealloc). pyproject.toml excludes
that release; this test fails (or aborts) on any PySide6 that brings the bug back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    ping = Signal()
    carry = Signal(object)


def test_signals_do_not_leak_references_to_true() -> None:
    emitter = Emitter()
    received: list[object] = []
    emitter.carry.connect(received.append)
    before = sys.getrefcount(True)
    for number in range(200):
        emitter.ping.emit()
        emitter.carry.emit(number)
    assert len(received) == 200
    assert before - sys.getrefcount(True) < 50
