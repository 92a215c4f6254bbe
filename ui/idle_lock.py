"""The idle lock: an unattended screen locks by itself; and its setting for administrators.

One event filter on the application sees every key press, click, mouse movement and wheel
turn in every window of the program (dialogs and modal boxes included). When none came for
the installation's idle lock time (``hotline.services.security_settings``), ``idle`` is
emitted and the Desk locks exactly as Ctrl+L does. The same filter catches the quick-hide
key (F12) wherever the keyboard focus is, even under a modal box.

The time is measured on a clock that keeps running while the computer sleeps (Linux's
boot-time clock; Windows' monotonic clock already does), so a laptop opened after a night
locks at once instead of counting from zero.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QSpinBox, QWidget

from hotline.errors import KnownError
from hotline.i18n import _, ngettext
from hotline.services import security_settings
from hotline.services.security_settings import MAX_IDLE_LOCK_MINUTES, MIN_IDLE_LOCK_MINUTES
from hotline.services.session import Session
from ui.form_dialog import FormDialog
from ui.widgets import error_text, hint

# Tests shorten the idle time by shortening the minute.
MINUTE_MS = 60_000
# How often at most the clock is looked at: the lock comes at most this late.
CHECK_MS = 1000
QUICK_HIDE_KEY = Qt.Key.Key_F12
QUICK_HIDE_SHORTCUT = QKeySequence(QUICK_HIDE_KEY)

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.InputMethod,
    }
)

_CLOCK = getattr(time, "CLOCK_BOOTTIME", None)


def _now() -> float:
    """Seconds on a clock that counts the time the computer slept, where there is one."""
    if _CLOCK is not None:
        return time.clock_gettime(_CLOCK)
    return time.monotonic()


def minutes_to_ms(minutes: int) -> int:
    return minutes * MINUTE_MS


class IdleWatcher(QObject):
    """``idle`` after ``timeout_ms`` without input; ``hide_requested`` on the quick-hide
    key. Watches only between ``start`` and ``stop`` (while a session is open)."""

    idle = Signal()
    hide_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_ms = 0
        self._last_activity = 0.0
        self._installed: QApplication | None = None
        self._check = QTimer(self)
        self._check.setSingleShot(True)
        self._check.timeout.connect(self._check_idle)

    @property
    def watching(self) -> bool:
        return self.timeout_ms > 0

    def start(self, timeout_ms: int) -> None:
        if timeout_ms <= 0:
            raise ValueError("the idle timeout must be positive")
        app = QApplication.instance()
        if self._installed is None and isinstance(app, QApplication):
            app.installEventFilter(self)
            self._installed = app
        self.timeout_ms = timeout_ms
        self._last_activity = _now()
        self._arm(timeout_ms)

    def stop(self) -> None:
        self.timeout_ms = 0
        self._check.stop()
        if self._installed is not None:
            self._installed.removeEventFilter(self)
            self._installed = None

    def idle_ms(self) -> float:
        """How long nobody has touched the keyboard or the mouse."""
        return (_now() - self._last_activity) * 1000

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind not in ACTIVITY or not self.watching:
            return False
        self._last_activity = _now()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if event.key() == QUICK_HIDE_KEY and plain == Qt.KeyboardModifier.NoModifier:
                if not event.isAutoRepeat():
                    self.hide_requested.emit()
                return True  # the key goes nowhere else
        return False

    def _check_idle(self) -> None:
        if not self.watching:
            return
        remaining = self.timeout_ms - self.idle_ms()
        if remaining <= 0:
            self.idle.emit()
        else:
            self._arm(remaining)

    def _arm(self, remaining_ms: float) -> None:
        self._check.start(max(1, min(CHECK_MS, int(remaining_ms) + 1)))


class SecuritySettingsDialog(FormDialog):
    """Administration → Security settings…: how soon an unattended screen locks."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.minutes = QSpinBox(self)
        self.minutes.setRange(MIN_IDLE_LOCK_MINUTES, MAX_IDLE_LOCK_MINUTES)
        self.minutes.setValue(security_settings.idle_lock_minutes(session))
        self.minutes.setMaximumWidth(120)
        self.minutes_label = QLabel(self)
        self.minutes_note = hint(self)
        self.add_row(self.minutes_label, self.minutes, self.minutes_note)
        self.intro.show()
        self.saved_minutes: int | None = None
        self.minutes.valueChanged.connect(self._explain)
        self.submitted.connect(self._save)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Security settings"))
        self.intro.setText(
            _(
                "A computer left unattended locks by itself. The call being typed is kept as "
                "a draft, and the password is needed to continue. F12 hides the screen and "
                "locks at once."
            )
        )
        self.minutes_label.setText(_("&Lock after (minutes):"))
        self.ok_button.setText(_("&Save"))
        self._explain()

    def _explain(self) -> None:
        n = self.minutes.value()
        self.minutes_note.setText(
            ngettext(
                "The screen locks after %(n)d minute without a key press or mouse movement "
                "(from %(min)d to %(max)d; the usual is 10).",
                "The screen locks after %(n)d minutes without a key press or mouse movement "
                "(from %(min)d to %(max)d; the usual is 10).",
                n,
            )
            % {"n": n, "min": MIN_IDLE_LOCK_MINUTES, "max": MAX_IDLE_LOCK_MINUTES}
        )

    def _save(self) -> None:
        try:
            self.saved_minutes = security_settings.set_idle_lock_minutes(
                self.session, self.minutes.value()
            )
        except KnownError as error:
            self.show_error(error_text(error))
            return
        self.done_ok()
