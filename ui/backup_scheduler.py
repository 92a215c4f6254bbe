"""The scheduled backup while the main window is open: checked at sign-in and every half
hour, written in the background when due. What happened is told in one status-bar line;
a failure (the USB stick is not plugged in) is told once per session, not every check."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QObject, QTimer, Signal

from hotline.errors import KnownError
from hotline.i18n import _, ngettext
from hotline.roles import Action, allowed
from hotline.services import backup_schedule
from hotline.services.backup_schedule import BackupResult
from hotline.services.session import Session
from ui.context import AppContext

log = logging.getLogger(__name__)

CHECK_MS = 30 * 60 * 1000


def result_message(result: BackupResult) -> str:
    text = _("Backup written: %(name)s.") % {"name": result.path.name}
    if result.removed:
        text += " " + ngettext(
            "%(n)d old backup was deleted.", "%(n)d old backups were deleted.", len(result.removed)
        ) % {"n": len(result.removed)}
    return text


class BackupScheduler(QObject):
    """Owned by the main window: ``start()`` after it shows, ``stop()`` before the session
    closes. ``message`` carries a sentence for the status bar."""

    message = Signal(str)

    def __init__(self, context: AppContext, session: Session, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self.enabled = allowed(session.user.role, Action.BACKUP)
        self.busy = False
        self.stopped = True
        self._told: set[str] = set()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        if not self.enabled:
            return
        self.stopped = False
        self.timer.start()
        QTimer.singleShot(0, self, self.tick)

    def stop(self) -> None:
        self.stopped = True
        self.timer.stop()

    def tick(self, now: dt.datetime | None = None) -> None:
        if self.stopped or self.busy or self.session.db.closed:
            return
        when = now or dt.datetime.now(dt.UTC)
        try:
            due = backup_schedule.backup_due(self.session, when)
        except Exception:  # a check only: never in the operator's way
            log.exception("could not read the backup schedule")
            return
        if not due:
            return
        self.busy = True
        session = self.session
        self.context.runner.submit(
            lambda: backup_schedule.run_scheduled_backup(session, when), self._done, self._failed
        )

    def _done(self, result: BackupResult | None) -> None:
        self.busy = False
        if result is not None and not self.stopped:
            self.message.emit(result_message(result))

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, KnownError):
            text = _("The scheduled backup was not made: %(reason)s") % {"reason": error.message}
        else:
            log.error("scheduled backup failed", exc_info=error)
            text = _("The scheduled backup was not made; see the log.")
        if text not in self._told and not self.stopped:
            self._told.add(text)
            self.message.emit(text)
