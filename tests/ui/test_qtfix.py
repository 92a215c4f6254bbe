from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from ui import qtfix


class Emitter(QObject):
    ping = Signal()
    carry = Signal(object)


def test_many_signals_do_not_exhaust_true() -> None:
    # Without the guard, PySide6 6.12.0 aborts the whole test process here.
    emitter = Emitter()
    received: list[object] = []
    emitter.carry.connect(received.append)
    # True starts with a few hundred references in a bare interpreter; 5000 is well past.
    for number in range(5000):
        emitter.ping.emit()
        emitter.carry.emit(number)
    assert len(received) == 5000
    assert sys.getrefcount(True) > 0


def test_guard_is_idempotent_and_matches_the_bug() -> None:
    applied = qtfix.protect_booleans()
    assert qtfix.protect_booleans() is applied
    if sys.version_info < (3, 12) and qtfix.emit_loses_references():
        assert applied
