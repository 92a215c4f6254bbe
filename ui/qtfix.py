"""Guard against a reference-counting bug in PySide6 6.12.0 that aborts the process.

In 6.12.0, ``SignalInstance.emit()`` and ``SignalInstance.disconnect()`` return ``True``
without taking a reference to it, so every call from Python removes one reference from
``True`` (see tests/ui/test_qtfix.py). After a few hundred signals CPython 3.11 aborts with
"Fatal Python error: bool_dealloc: deallocating True or False". PySide6 6.11.3 is not
affected, and from Python 3.12 on ``True``/``False`` are immortal, so the lost references
are harmless there.

The fix of record is a PySide6 release without the bug; until then, ``protect_booleans``
detects the bug by behaviour (never by version number) and gives ``True`` and ``False``
so many references that they can never reach zero, which is what Python 3.12 does for
them by design.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

PROBE_EMITS = 16
_protected = False


class _Probe(QObject):
    ping = Signal()


def _refcount_cell(value: object) -> ctypes.c_ssize_t | None:
    """The ``ob_refcnt`` field of ``value``, if this interpreter lays objects out as expected."""
    if sys.implementation.name != "cpython" or hasattr(sys, "gettotalrefcount"):
        return None  # other interpreters and debug builds have other object headers
    cell = ctypes.c_ssize_t.from_address(id(value))
    # sys.getrefcount counts its own argument too.
    if abs(cell.value - (sys.getrefcount(value) - 1)) > 2:
        return None
    return cell


def emit_loses_references() -> bool:
    """Whether emitting a signal from Python takes a reference from ``True`` (and repair it)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(PROBE_EMITS):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    cell = _refcount_cell(True)
    if lost > 0 and cell is not None:
        cell.value += lost  # give back what the probe itself took
    return lost >= PROBE_EMITS


def protect_booleans() -> bool:
    """Apply the guard once if this PySide6 has the bug; True if it was (or is) applied."""
    global _protected
    if _protected:
        return True
    if sys.version_info >= (3, 12) or not emit_loses_references():
        return False
    headroom = sys.maxsize // 4
    for value in (True, False):
        cell = _refcount_cell(value)
        if cell is None:
            return False
        cell.value += headroom
    _protected = True
    return True
