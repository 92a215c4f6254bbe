"""Restoring a backup: pick one (the newest in the backup folder are listed, or any file),
sign with an administrator of the backup, confirm. Used from the Backups dialog (the session
is closed first) and from the sign-in screen when the database cannot be opened.

The restore itself is :func:`hotline.services.maintenance.restore`: the backup is checked
completely before anything changes, and the replaced files are kept in ``replaced-<time>``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _
from hotline.paths import DataDir
from hotline.services import backup_schedule, maintenance
from hotline.services.maintenance import BackupInfo
from ui.widgets import MessageLabel, error_text, heading, password_field
from ui.worker import Runner

PATH_ROLE = Qt.ItemDataRole.UserRole


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(n).1f MB") % {"n": size / (1024 * 1024)}
    return _("%(n)d KB") % {"n": max(1, size // 1024)}


class RestoreDialog(QDialog):
    """``before`` runs in the GUI thread just before the files are replaced (the Backups
    dialog closes the session there). ``info`` is set once a backup was restored."""

    def __init__(
        self,
        data_dir: DataDir,
        folder: Path | None,
        parent: QWidget | None = None,
        *,
        username: str = "",
        before: Callable[[], None] | None = None,
        ask: Callable[[QWidget, str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.folder = folder
        self.before = before
        self.ask = ask or _ask
        self.info: BackupInfo | None = None
        self.runner = Runner(self)
        self.busy = False
        self.setWindowTitle(_("Restore from a backup"))
        self.title = heading(self, 1.3)
        self.title.setText(_("Restore from a backup"))
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.explain.setText(
            _(
                "Everything recorded after the backup was made will be gone. The present files "
                "are kept aside in a “replaced-…” folder. Only an administrator of the backup "
                "can restore it."
            )
        )
        self.backups = QListWidget(self)
        self.choose_button = QPushButton(_("Choose another file…"), self)
        self.choose_button.clicked.connect(self.choose_file)
        self.username = QLineEdit(self)
        self.username.setMaxLength(32)
        self.username.setText(username)
        self.password = password_field(self)
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton(
            _("&Restore"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.restore)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Administrator:"), self.username)
        form.addRow(_("Password:"), self.password)
        pick = QHBoxLayout()
        pick.addStretch(1)
        pick.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explain)
        layout.addWidget(self.backups, 1)
        layout.addLayout(pick)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(620, 460)
        self.fill()
        (self.password if username else self.username).setFocus()

    def fill(self) -> None:
        self.backups.clear()
        found = backup_schedule.list_backups(self.folder) if self.folder else []
        for b in found:
            self.add_file(
                b.path, f"{b.made_at:%Y-%m-%d %H:%M}   {size_text(b.size)}   {b.path.name}"
            )
        if found:
            self.backups.setCurrentRow(0)
        elif self.folder is not None and not self.folder.is_dir():
            self.message.show_info(
                _("The backup folder %(path)s cannot be found; connect the USB stick or drive.")
                % {"path": self.folder}
            )

    def add_file(self, path: Path, text: str | None = None) -> None:
        item = QListWidgetItem(text or str(path))
        item.setData(PATH_ROLE, str(path))
        self.backups.addItem(item)
        self.backups.setCurrentItem(item)

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose a backup"),
            str(self.folder or Path.home()),
            _("Hotline Desk backups (*.hlbackup)"),
        )
        if name:
            self.add_file(Path(name))

    def selected(self) -> Path | None:
        item = self.backups.currentItem()
        return Path(item.data(PATH_ROLE)) if item is not None else None

    def restore(self) -> None:
        if self.busy:
            return
        source = self.selected()
        username, password = self.username.text().strip(), self.password.text()
        if source is None:
            self.message.show_error(_("Choose a backup first."))
            return
        if not username or not password:
            self.message.show_error(_("Type the user name and password of an administrator."))
            return
        question = _(
            "Replace the installation with the backup %(name)s? Everything recorded after it "
            "was made will be gone."
        ) % {"name": source.name}
        if not self.ask(self, question):
            return
        if self.before is not None:
            self.before()
            self.before = None
        self.busy = True
        self.message.show_info(_("Restoring… This can take a minute."))
        for widget in (self.restore_button, self.choose_button, self.backups, self.password):
            widget.setEnabled(False)
        data_dir = self.data_dir
        self.runner.submit(
            lambda: maintenance.restore(data_dir, source, username, password),
            self._done,
            self._failed,
        )

    def _done(self, info: BackupInfo) -> None:
        self.busy = False
        self.info = info
        self.password.clear()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.password.clear()
        for widget in (self.restore_button, self.choose_button, self.backups, self.password):
            widget.setEnabled(True)
        self.message.show_error(error_text(error))

    def reject(self) -> None:
        if not self.busy:
            super().reject()


def _ask(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(
        parent,
        _("Restore from a backup"),
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def restored_text(info: BackupInfo) -> str:
    return _("The backup made on %(date)s was restored. Sign in again to continue.") % {
        "date": info.created_at.replace("T", " ")[:16]
    }


def offer_restore(parent: QWidget | None, data_dir: DataDir) -> bool:
    """For the sign-in screen when the database cannot be opened: restore a backup from
    the noted backup folder (or any file). True if one was restored."""
    dialog = RestoreDialog(data_dir, backup_schedule.noted_folder(data_dir), parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted and dialog.info is not None
    finally:
        dialog.deleteLater()
