"""The Backups dialog: where and how often, "Back up now" (in the background), the backups in
the folder with dates and sizes, and "Restore…" (administrators), which ends the session.

``add_to_menu`` puts "Backups…" into a menu of the main window for the roles that may make
backups; the dialog asks the main window to sign out (its ``sign_out_requested`` signal)
after a restore, because the open session belongs to the files that were replaced.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _, add_listener, remove_listener
from hotline.roles import Action, allowed
from hotline.services import backup_schedule
from hotline.services.backup_schedule import BackupResult, Frequency
from hotline.services.session import Session
from ui.backup_scheduler import result_message
from ui.context import AppContext
from ui.restore_dialog import RestoreDialog, restored_text, size_text
from ui.widgets import MessageLabel, error_text, heading, read_only_table


class BackupsDialog(QDialog):
    """``session_ended`` (a sentence to show) after a restore closed the session."""

    session_ended = Signal(str)

    def __init__(self, context: AppContext, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self.busy = False
        self.restore_dialog: RestoreDialog | None = None
        self.setWindowTitle(_("Backups"))
        self.title = heading(self, 1.3)
        self.title.setText(_("Backups"))
        self.folder = QLineEdit(self)
        self.browse_button = QPushButton(_("Choose…"), self)
        self.browse_button.clicked.connect(self.browse)
        self.every = QComboBox(self)
        for frequency in (Frequency.DAILY, Frequency.WEEKLY, Frequency.OFF):
            self.every.addItem(frequency.label, frequency.value)
        self.keep = QSpinBox(self)
        self.keep.setRange(1, backup_schedule.MAX_KEEP)
        self.save_button = QPushButton(_("&Save settings"), self)
        self.save_button.clicked.connect(self.save)
        self.now_button = QPushButton(_("&Back up now"), self)
        self.now_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(_("&Restore…"), self)
        self.restore_button.clicked.connect(self.restore)
        self.restore_button.setVisible(allowed(session.user.role, Action.RESTORE))
        self.table = read_only_table(3, self, stretch=2)
        self.table.setHorizontalHeaderLabels([_("Made on"), _("Size"), _("File")])
        self.message = MessageLabel(self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(_("Backup folder:"), folder_row)
        form.addRow(_("How often:"), self.every)
        form.addRow(_("Backups kept:"), self.keep)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addStretch(1)
        actions.addWidget(self.now_button)
        actions.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(720, 480)
        self.load()

    # -- settings ------------------------------------------------------------------
    def load(self) -> None:
        schedule = backup_schedule.get_schedule(self.session)
        self.folder.setText(str(schedule.folder) if schedule.folder else "")
        self.every.setCurrentIndex(max(0, self.every.findData(schedule.every.value)))
        self.keep.setValue(schedule.keep)
        self.refresh()

    def browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Backup folder"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def save(self) -> bool:
        from pathlib import Path

        text = self.folder.text().strip()
        try:
            backup_schedule.set_schedule(
                self.session,
                Path(text) if text else None,
                Frequency(self.every.currentData()),
                self.keep.value(),
            )
        except Exception as error:
            self.message.show_error(error_text(error))
            return False
        self.message.show_info(_("The backup settings were saved."))
        self.refresh()
        return True

    def refresh(self) -> None:
        folder = backup_schedule.get_schedule(self.session).folder
        found = backup_schedule.list_backups(folder) if folder else []
        self.table.setRowCount(len(found))
        for row, b in enumerate(found):
            cells = (f"{b.made_at:%Y-%m-%d %H:%M}", size_text(b.size), b.path.name)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    # -- back up now ---------------------------------------------------------------
    def back_up_now(self) -> None:
        if self.busy or not self.save():
            return
        self.busy = True
        self.now_button.setEnabled(False)
        self.message.show_info(_("Writing the backup…"))
        session = self.session
        self.context.runner.submit(
            lambda: backup_schedule.back_up_now(session, dt.datetime.now(dt.UTC)),
            self._backed_up,
            self._backup_failed,
        )

    def _backed_up(self, result: BackupResult) -> None:
        self.busy = False
        self.now_button.setEnabled(True)
        self.message.show_info(result_message(result))
        self.refresh()

    def _backup_failed(self, error: BaseException) -> None:
        self.busy = False
        self.now_button.setEnabled(True)
        self.message.show_error(error_text(error))

    # -- restore -------------------------------------------------------------------
    def restore(self) -> None:
        if self.busy:
            return
        try:
            self.session.require(Action.RESTORE)
        except Exception as error:
            self.message.show_error(error_text(error))
            return
        dialog = RestoreDialog(
            self.session.data_dir,
            backup_schedule.get_schedule(self.session).folder,
            self,
            username=self.session.user.username,
            before=self.context.close_session,
        )
        self.restore_dialog = dialog
        dialog.finished.connect(lambda _result: self._restore_finished(dialog))
        dialog.open()

    def _restore_finished(self, dialog: RestoreDialog) -> None:
        self.restore_dialog = None
        dialog.deleteLater()
        if not self.session.db.closed:
            return  # cancelled before anything happened
        if dialog.info is not None:
            text = restored_text(dialog.info)
        else:
            text = _("The backup was not restored. Sign in again to continue.")
        self.accept()
        self.session_ended.emit(text)


def _tell(text: str) -> None:
    """A note that outlives the main window (it is closed by the sign-out that follows)."""
    box = QMessageBox(QMessageBox.Icon.Information, _("Backups"), text)
    box.setObjectName("backup-session-ended")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _notices.append(box)  # no parent: Python keeps it alive until it is closed
    box.finished.connect(lambda _result: _notices.remove(box) if box in _notices else None)
    box.open()


_notices: list[QMessageBox] = []


def add_to_menu(menu: QMenu, context: AppContext, session: Session, parent: QWidget) -> None:
    """Add "Backups…" to ``menu`` if the role may make backups."""
    if not allowed(session.user.role, Action.BACKUP):
        return
    action = QAction(_("&Backups…"), menu)
    action.setObjectName("backups-action")

    def relabel(_language: str) -> None:
        action.setText(_("&Backups…"))

    def show() -> None:
        dialog = BackupsDialog(context, session, parent)
        dialog.finished.connect(dialog.deleteLater)
        sign_out = getattr(parent, "sign_out_requested", None)

        def ended(text: str) -> None:
            _tell(text)
            if sign_out is not None:
                sign_out.emit()

        dialog.session_ended.connect(ended)
        dialog.open()

    add_listener(relabel)
    action.destroyed.connect(lambda: remove_listener(relabel))
    action.triggered.connect(show)
    menu.addAction(action)
