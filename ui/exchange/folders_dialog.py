"""The outbox (where batches are written by themselves, and when) and the inbox (a folder
watched for batches to import)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.exchange import folders
from hotline.exchange.folders import OutboxSettings, Schedule
from hotline.exchange.partners import RECIPIENT, partners
from hotline.exchange.records import Privacy
from hotline.i18n import _
from hotline.roles import Action, allowed
from hotline.services.session import Session
from ui.exchange.labels import PRIVACY_LABELS, SCHEDULE_LABELS, label, partner_name
from ui.widgets import MessageLabel, error_text, hint


class FolderField(QWidget):
    """A folder path with a Choose… button; empty means none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.choose = QPushButton(self)
        self.choose.clicked.connect(self._choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.choose)

    def retranslate(self) -> None:
        self.choose.setText(_("Choose…"))
        self.line.setPlaceholderText(_("No folder"))

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Choose a folder"), self.line.text())
        if chosen:
            self.line.setText(chosen)

    def path(self) -> Path | None:
        text = self.line.text().strip()
        return Path(text) if text else None

    def set_path(self, path: Path | None) -> None:
        self.line.setText("" if path is None else str(path))


class FoldersDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        role = session.user.role
        self.may_send = allowed(role, Action.EXPORT_BATCHES)
        self.may_import = allowed(role, Action.IMPORT_BATCHES)
        layout = QVBoxLayout(self)
        self.outbox_box = QGroupBox(self)
        self.outbox = FolderField(self)
        self.recipients: dict[str, QCheckBox] = {}
        self.privacy = QComboBox(self)
        self.schedule = QComboBox(self)
        self.hours = QSpinBox(self)
        self.hours.setRange(1, folders.MAX_HOURS)
        self.outbox_note = hint(self)
        self.outbox_labels = [QLabel(self) for _row in range(4)]
        form = QFormLayout(self.outbox_box)
        form.addRow(self.outbox_labels[0], self.outbox)
        recipient_column = QVBoxLayout()
        for partner in partners(session, RECIPIENT):
            if partner.active:
                box = QCheckBox(partner_name(partner), self)
                self.recipients[partner.installation_id] = box
                recipient_column.addWidget(box)
        self.no_recipient = QLabel(self)
        self.no_recipient.setWordWrap(True)
        self.no_recipient.setVisible(not self.recipients)
        recipient_column.addWidget(self.no_recipient)
        form.addRow(self.outbox_labels[1], recipient_column)
        form.addRow(self.outbox_labels[2], self.privacy)
        when = QHBoxLayout()
        when.addWidget(self.schedule, 1)
        when.addWidget(self.hours)
        form.addRow(self.outbox_labels[3], when)
        form.addRow(self.outbox_note)
        self.privacy_codes = [Privacy.PSEUDONYMOUS]
        if allowed(role, Action.EXPORT_IDENTIFYING):
            self.privacy_codes.append(Privacy.FULL)
        for code in self.privacy_codes:
            self.privacy.addItem("", code.value)
        for schedule in Schedule:
            self.schedule.addItem("", schedule.value)
        self.schedule.currentIndexChanged.connect(self._schedule_changed)
        self.inbox_box = QGroupBox(self)
        self.inbox = FolderField(self)
        self.inbox_label = QLabel(self)
        self.inbox_note = hint(self)
        inbox_form = QFormLayout(self.inbox_box)
        inbox_form.addRow(self.inbox_label, self.inbox)
        inbox_form.addRow(self.inbox_note)
        layout.addWidget(self.outbox_box)
        layout.addWidget(self.inbox_box)
        self.outbox_box.setVisible(self.may_send)
        self.inbox_box.setVisible(self.may_import)
        self.message = MessageLabel(self)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        self._load()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Outbox and inbox"))
        self.outbox_box.setTitle(_("Outbox: batches we send"))
        for row_label, text in zip(
            self.outbox_labels,
            (_("Folder"), _("Recipients"), _("Privacy"), _("Write it")),
            strict=True,
        ):
            row_label.setText(text)
        self.no_recipient.setText(
            _("No recipient is registered yet: register the coordinator's card first.")
        )
        for i, code in enumerate(self.privacy_codes):
            self.privacy.setItemText(i, label(PRIVACY_LABELS, code.value))
        for i, schedule in enumerate(Schedule):
            self.schedule.setItemText(i, _(SCHEDULE_LABELS[schedule]))
        self.hours.setSuffix(" " + _("hours"))
        self.outbox_note.setText(
            _(
                "A USB stick, a shared network folder or a synced folder. Each recipient gets "
                "what changed since its last batch; nothing is written when nothing changed. "
                "Receipts found in its \u201creceipts\u201d folder are read."
            )
        )
        self.inbox_box.setTitle(_("Inbox: batches we receive"))
        self.inbox_label.setText(_("Folder"))
        self.inbox_note.setText(
            _(
                "New batches in this folder are imported while Hotline Desk is open. Receipts "
                "go into its \u201creceipts\u201d folder; files that cannot be imported are "
                "moved into its \u201crejected\u201d folder."
            )
        )
        self.outbox.retranslate()
        self.inbox.retranslate()

    def _load(self) -> None:
        if self.may_send:
            chosen = folders.outbox_settings(self.session)
            self.outbox.set_path(chosen.folder)
            for installation_id, box in self.recipients.items():
                box.setChecked(installation_id in chosen.recipients)
            self.privacy.setCurrentIndex(max(self.privacy.findData(chosen.privacy.value), 0))
            self.schedule.setCurrentIndex(self.schedule.findData(chosen.schedule.value))
            self.hours.setValue(chosen.hours)
        if self.may_import:
            self.inbox.set_path(folders.inbox_folder(self.session))
        self._schedule_changed()

    def _schedule_changed(self) -> None:
        self.hours.setVisible(self.schedule.currentData() == Schedule.HOURS.value)

    def chosen_outbox(self) -> OutboxSettings:
        return OutboxSettings(
            folder=self.outbox.path(),
            recipients=tuple(i for i, box in self.recipients.items() if box.isChecked()),
            privacy=Privacy(self.privacy.currentData()),
            schedule=Schedule(self.schedule.currentData()),
            hours=self.hours.value(),
        )

    def save(self) -> bool:
        try:
            if self.may_send:
                folders.save_outbox_settings(self.session, self.chosen_outbox())
            if self.may_import:
                folders.save_inbox_folder(self.session, self.inbox.path())
        except KnownError as error:
            self.message.show_error(error_text(error))
            return False
        self.accept()
        return True
