"""The Exchange menu: only the entries the signed-in user's role allows; it owns the
exchange windows and the outbox/inbox scheduler of the main window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from hotline.i18n import _
from hotline.roles import Action, Role, allowed
from hotline.services import coordinator
from hotline.services.session import Session
from ui.context import AppContext
from ui.exchange.batches_window import BatchesWindow
from ui.exchange.coordinator_export_dialog import CoordinatorExportDialog
from ui.exchange.folders_dialog import FoldersDialog
from ui.exchange.import_dialog import ImportDialog
from ui.exchange.install_dialog import InstallDialog
from ui.exchange.partners_dialog import PartnersDialog
from ui.exchange.publish_dialog import PublishDialog
from ui.exchange.scheduler import ExchangeScheduler
from ui.exchange.send_dialog import SendDialog

# What an administrator may do here joins the Administration menu instead.
ADMIN_ENTRIES = frozenset({"partners", "install"})


class ExchangeMenu(QMenu):
    def __init__(self, context: AppContext, session: Session, window: QMainWindow) -> None:
        super().__init__(window)
        self.context = context
        self.session = session
        role = session.user.role
        self.dialogs: list[QDialog] = []
        self.batches_window: BatchesWindow | None = None
        self.entries: dict[str, QAction] = {}
        may_send = allowed(role, Action.EXPORT_BATCHES)
        may_import = allowed(role, Action.IMPORT_BATCHES)
        groups: tuple[tuple[tuple[str, bool, Callable[[], object]], ...], ...] = (
            (
                ("send", may_send, self.show_send),
                ("import", may_import, self.show_import),
                ("batches", may_send or may_import, self.show_batches),
                (
                    "coordinator_export",
                    allowed(role, Action.EXPORT_REPORTS),
                    self.show_coordinator_export,
                ),
            ),
            (
                ("publish", allowed(role, Action.PUBLISH_UPDATES), self.show_publish),
                ("install", allowed(role, Action.INSTALL_UPDATES), self.show_install),
            ),
            (
                ("partners", allowed(role, Action.MANAGE_PARTNERS), self.show_partners),
                ("folders", may_send or may_import, self.show_folders),
            ),
        )
        for group in groups:
            separated = not self.entries
            for name, shown, slot in group:
                if shown:
                    action = QAction(self)
                    action.triggered.connect(slot)
                    self.entries[name] = action
                    if not separated:
                        self.addSeparator()
                        separated = True
                    self.addAction(action)
        self.aboutToShow.connect(self.refresh_entries)
        self.refresh_entries()
        self.scheduler = ExchangeScheduler(context, session, self)
        self.scheduler.message.connect(self._show_message)
        self.retranslate()

    def _window(self) -> QMainWindow:
        window = self.parentWidget()
        assert isinstance(window, QMainWindow)
        return window

    def _show_message(self, text: str) -> None:
        self._window().statusBar().showMessage(text, 60_000)

    def gathers_records(self) -> bool:
        """The coordinator, or a station that gathers other installations' records
        (senders registered or records imported): the standard exports make sense there.
        A single hotline sends its batches instead."""
        role = self.session.user.role
        if role is Role.COORDINATOR:
            return True
        return allowed(role, Action.VIEW_CALL_LOG) and len(coordinator.sources(self.session)) > 1

    def refresh_entries(self) -> None:
        """Entries that depend on the data, checked each time the menu opens."""
        export = self.entries.get("coordinator_export")
        if export is not None and not self.session.db.closed:
            export.setVisible(self.gathers_records())

    @property
    def empty(self) -> bool:
        return not self.entries

    def retranslate(self) -> None:
        self.setTitle(_("E&xchange"))
        texts = {
            "send": _("&Send a batch…"),
            "import": _("&Import batches…"),
            "batches": _("&Batches…"),
            "coordinator_export": _("&Export for the coordinating NGO…"),
            "publish": _("P&ublish an update bundle…"),
            "install": _("I&nstall an update bundle…"),
            "partners": _("&Partners and cards…"),
            "folders": _("&Outbox and inbox…"),
        }
        for name, action in self.entries.items():
            action.setText(texts[name])
        for dialog in self.dialogs:
            retranslate = getattr(dialog, "retranslate", None)
            if retranslate is not None:
                retranslate()
        if self.batches_window is not None:
            self.batches_window.retranslate()

    def _open(self, dialog: QDialog) -> QDialog:
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: self._closed(d))
        dialog.open()
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()

    def show_send(self) -> SendDialog:
        dialog = SendDialog(self.context, self.session, self._window())
        self._open(dialog)
        return dialog

    def show_import(self) -> ImportDialog:
        dialog = ImportDialog(self.context, self.session, self._window())
        self._open(dialog)
        return dialog

    def show_coordinator_export(self) -> CoordinatorExportDialog:
        dialog = CoordinatorExportDialog(self.context, self.session, self._window())
        self._open(dialog)
        return dialog

    def show_publish(self) -> PublishDialog:
        dialog = PublishDialog(self.context, self.session, self._window())
        self._open(dialog)
        return dialog

    def show_install(self) -> InstallDialog:
        dialog = InstallDialog(self.context, self.session, self._window())
        self._open(dialog)
        return dialog

    def show_partners(self) -> PartnersDialog:
        dialog = PartnersDialog(self.session, self._window())
        self._open(dialog)
        return dialog

    def show_folders(self) -> FoldersDialog:
        dialog = FoldersDialog(self.session, self._window())
        dialog.accepted.connect(self.scheduler.watch)
        self._open(dialog)
        return dialog

    def show_batches(self) -> BatchesWindow:
        if self.batches_window is None:
            self.batches_window = BatchesWindow(self.session, self._window())
            self.batches_window.destroyed.connect(self._batches_closed)
        self.batches_window.refresh()
        if self.batches_window.isVisible():
            self.batches_window.raise_()
            self.batches_window.activateWindow()
        else:
            self.batches_window.show()
        return self.batches_window

    def _batches_closed(self) -> None:
        self.batches_window = None

    def save_work(self) -> None:
        """At the end of the session, while the database is open: the outbox "at close"."""
        self.scheduler.at_close()

    def discard(self) -> None:
        self.scheduler.stop()
        for dialog in list(self.dialogs):
            dialog.close()
            dialog.deleteLater()
        self.dialogs.clear()
        if self.batches_window is not None:
            self.batches_window.close()
