"""The outbox on its schedule and the watched inbox, while the main window is open.

The outbox is checked every few minutes (written when "every N hours" is due) and at the end
of the session ("at close"). The inbox is watched (QFileSystemWatcher) and scanned again
every few minutes as well, because network shares and some sticks do not report changes.
Work runs on the context's thread pool; what happened is told in one status-bar line.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from hotline.errors import KnownError
from hotline.exchange import folders
from hotline.exchange.exporting import ExportResult
from hotline.exchange.folders import InboxOutcome, ReceiptOutcome
from hotline.i18n import _, ngettext
from hotline.roles import Action, allowed
from hotline.services.session import Session
from ui.context import AppContext

log = logging.getLogger(__name__)

CHECK_MS = 5 * 60 * 1000  # outbox due? inbox rescan
SETTLE_MS = int((folders.SETTLE_SECONDS + 1) * 1000)  # after the watcher saw a change


def outbox_message(written: list[ExportResult], read: list[ReceiptOutcome]) -> str:
    parts = []
    if written:
        parts.append(
            ngettext(
                "%(count)d batch was written to the outbox.",
                "%(count)d batches were written to the outbox.",
                len(written),
            )
            % {"count": len(written)}
        )
    received = sum(1 for r in read if r.batch is not None)
    if received:
        parts.append(
            ngettext("%(count)d receipt was read.", "%(count)d receipts were read.", received)
            % {"count": received}
        )
    return " ".join(parts)


def inbox_message(outcomes: list[InboxOutcome]) -> str:
    if not outcomes:
        return ""
    imported = sum(1 for o in outcomes if o.result is not None)
    rejected = len(outcomes) - imported
    text = ngettext(
        "%(count)d batch was imported from the inbox.",
        "%(count)d batches were imported from the inbox.",
        imported,
    ) % {"count": imported}
    if rejected:
        text += " " + ngettext(
            "%(count)d file was rejected and moved to the \u201crejected\u201d folder.",
            "%(count)d files were rejected and moved to the \u201crejected\u201d folder.",
            rejected,
        ) % {"count": rejected}
    return text


class ExchangeScheduler(QObject):
    message = Signal(str)

    def __init__(self, context: AppContext, session: Session, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        role = session.user.role
        self.may_send = allowed(role, Action.EXPORT_BATCHES)
        self.may_import = allowed(role, Action.IMPORT_BATCHES)
        self.busy = False
        self.stopped = False
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(self.import_inbox)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self.settle.start())
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.tick)
        if self.may_send or self.may_import:
            self.timer.start()
            self.watch()
            QTimer.singleShot(0, self, self.tick)

    def watch(self) -> None:
        """Watch the inbox folder now set (after the settings changed, too)."""
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        if not self.may_import or self.session.db.closed:
            return
        inbox = folders.inbox_folder(self.session)
        if inbox is not None and inbox.is_dir():
            self.watcher.addPath(str(inbox))

    def tick(self) -> None:
        if self.stopped or self.session.db.closed:
            return
        self.import_inbox()
        self.write_outbox()

    def write_outbox(self, now: dt.datetime | None = None) -> None:
        if self.busy or not self.may_send:
            return
        if not folders.outbox_due(self.session, now or dt.datetime.now(dt.UTC)):
            return
        session = self.session

        def work() -> str:
            written = folders.export_to_outbox(session)
            return outbox_message(written, folders.read_outbox_receipts(session))

        self._run(work)

    def import_inbox(self) -> None:
        if self.busy or not self.may_import or self.stopped or self.session.db.closed:
            return
        if not folders.scan_inbox(self.session):
            return
        session = self.session
        self._run(lambda: inbox_message(folders.import_inbox(session)))

    def _run(self, work: Callable[[], str]) -> None:
        self.busy = True
        self.context.runner.submit(work, self._done, self._failed)

    def _done(self, text: str) -> None:
        self.busy = False
        if text and not self.stopped:
            self.message.emit(text)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, KnownError):
            text = str(error)
        else:
            log.error("exchange folders failed", exc_info=error)
            text = _("The outbox or the inbox could not be handled; see the log.")
        if not self.stopped:
            self.message.emit(text)

    def at_close(self) -> None:
        """While the database is still open at the end of the session: write the outbox if
        it is to be written "at close". Never stops the session from closing."""
        self.stop()
        if self.session.db.closed or not self.may_send:
            return
        self.context.runner.wait()  # nothing else uses the connection meanwhile
        try:
            if folders.outbox_due(self.session, dt.datetime.now(dt.UTC), closing=True):
                folders.export_to_outbox(self.session)
        except Exception:
            log.exception("writing the outbox at close failed")

    def stop(self) -> None:
        self.stopped = True
        self.timer.stop()
        self.settle.stop()
