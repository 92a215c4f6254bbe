"""The Exchange menu: only the entries the signed-in user's role allows; it owns the
exchange windows and the outbox/inbox scheduler of the main window."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from hotline.i18n import _
from hotline.roles import Action, allowed
from hotline.services.session import Session
from ui.context import AppContext
from ui.exchange.batches_window import BatchesWindow
from ui.exchange.folders_dialog import FoldersDialog
from ui.exchange.import_dialog import ImportDialog
from ui.exchange.partners_dialog import PartnersDialog
from ui.exchange.scheduler import ExchangeScheduler
from ui.exchange.send_dialog import SendDialog


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
        for name, shown, slot in (
            ("send", may_send, self.show_send),
            ("import", may_import, self.show_import),
            ("batches", may_send or may_import, self.show_batches),
            ("partners", allowed(role, Action.MANAGE_PARTNERS), self.show_partners),
            ("folders", may_send or may_import, self.show_folders),
        ):
            if shown:
                action = QAction(self)
                action.triggered.connect(slot)
                self.entries[name] = action
                if name == "partners":
                    self.addSeparator()
                self.addAction(action)
        self.scheduler = ExchangeScheduler(context, session, self)
        self.scheduler.message.connect(self._show_message)
        self.retranslate()

    def _window(self) -> QMainWindow:
        window = self.parentWidget()
        assert isinstance(window, QMainWindow)
        return window

    def _show_message(self, text: str) -> None:
        self._window().statusBar().showMessage(text, 60_000)

    @property
    def empty(self) -> bool:
        return not self.entries

    def retranslate(self) -> None:
        self.setTitle(_("E&xchange"))
        texts = {
            "send": _("&Send a batch…"),
            "import": _("&Import batches…"),
            "batches": _("&Batches…"),
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
