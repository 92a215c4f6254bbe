"""Sending a batch: to whom, at which privacy level, what changed since the last batch or
a period, into which folder. The batch is written in the background."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import InvalidInput
from hotline.exchange import aggregates, exporting, folders
from hotline.exchange.exporting import ExportRequest, ExportResult
from hotline.exchange.partners import RECIPIENT, partners
from hotline.exchange.records import Privacy
from hotline.i18n import _
from hotline.roles import Action, allowed
from hotline.services.session import Session
from ui.context import AppContext
from ui.exchange.folders_dialog import FolderField
from ui.exchange.labels import PRIVACY_LABELS, counts_text, label, partner_name
from ui.supervision.period_picker import PeriodPicker
from ui.widgets import MessageLabel, error_text, hint


class SendDialog(QDialog):
    def __init__(self, context: AppContext, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self.busy = False
        self.result_: ExportResult | None = None
        self.recipient = QComboBox(self)
        for partner in partners(session, RECIPIENT):
            if partner.active:
                self.recipient.addItem(partner_name(partner), partner.installation_id)
        self.privacy = QComboBox(self)
        self.privacy_codes = [Privacy.PSEUDONYMOUS, Privacy.AGGREGATE]
        if allowed(session.user.role, Action.EXPORT_IDENTIFYING):
            self.privacy_codes.insert(0, Privacy.FULL)
        for code in self.privacy_codes:
            self.privacy.addItem("", code.value)
        self.privacy.setCurrentIndex(self.privacy.findData(Privacy.PSEUDONYMOUS.value))
        self.incremental = QRadioButton(self)
        self.by_period = QRadioButton(self)
        self.incremental.setChecked(True)
        self.period = PeriodPicker(self, default="last_month")
        self.k = QSpinBox(self)
        self.k.setRange(aggregates.MIN_K, aggregates.MAX_K)
        self.k.setValue(aggregates.DEFAULT_K)
        self.k_note = hint(self)
        self.folder = FolderField(self)
        self.folder.set_path(folders.outbox_settings(session).folder)
        self.row_labels = [QLabel(self) for _row in range(5)]
        form = QFormLayout()
        form.addRow(self.row_labels[0], self.recipient)
        form.addRow(self.row_labels[1], self.privacy)
        what = QVBoxLayout()
        what.addWidget(self.incremental)
        what.addWidget(self.by_period)
        what.addWidget(self.period)
        form.addRow(self.row_labels[2], what)
        k_column = QVBoxLayout()
        k_column.addWidget(self.k)
        k_column.addWidget(self.k_note)
        form.addRow(self.row_labels[3], k_column)
        form.addRow(self.row_labels[4], self.folder)
        self.result_label = MessageLabel(self)
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close, self
        )
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for signal in (self.privacy.currentIndexChanged, self.incremental.toggled):
            signal.connect(self._update)
        self.setMinimumWidth(620)
        self.retranslate()
        self._update()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Send a batch"))
        for row_label, text in zip(
            self.row_labels,
            (_("Recipient"), _("Privacy"), _("Calls"), _("Smallest count shown"), _("Folder")),
            strict=True,
        ):
            row_label.setText(text)
        for i, code in enumerate(self.privacy_codes):
            self.privacy.setItemText(i, label(PRIVACY_LABELS, code.value))
        self.incremental.setText(_("Everything new or changed since the last batch"))
        self.by_period.setText(_("The calls of a period"))
        self.k_note.setText(
            _("Counts below this number are withheld, so that no person can be picked out.")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Send"))
        self.period.retranslate()
        self.folder.retranslate()

    def _update(self) -> None:
        aggregate = self.privacy.currentData() == Privacy.AGGREGATE.value
        if aggregate:
            self.by_period.setChecked(True)
        self.incremental.setEnabled(not aggregate)
        self.period.setEnabled(self.by_period.isChecked())
        self.k.setEnabled(aggregate)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            not self.busy and self.recipient.count() > 0
        )

    def request(self) -> ExportRequest:
        if self.recipient.count() == 0:
            raise InvalidInput(_("No recipient is registered. Register its card first."))
        since = until = None
        if self.by_period.isChecked():
            period = self.period.period()
            if period is None:
                raise InvalidInput(_("Choose the period of the calls to send."))
            since, until = period.first, period.last
        return ExportRequest(
            recipient_id=str(self.recipient.currentData()),
            privacy=Privacy(self.privacy.currentData()),
            since=since,
            until=until,
            k=self.k.value(),
        )

    def send(self) -> None:
        if self.busy:
            return
        self.message.clear_message()
        try:
            request = self.request()
            folder = self.folder.path()
            if folder is None:
                raise InvalidInput(_("Choose the folder to write the batch into."))
        except InvalidInput as error:
            self.message.show_error(error_text(error))
            return
        session = self.session
        self._set_busy(True)
        self.context.runner.submit(
            lambda: exporting.export_batch(session, request, folder), self._sent, self._failed
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update()
        if busy:
            self.result_label.show_info(_("Writing the batch…"))

    def _sent(self, result: ExportResult) -> None:
        self._set_busy(False)
        self.result_ = result
        self.result_label.show_info(
            _("Batch %(number)d for %(recipient)s was written to %(path)s: %(counts)s.")
            % {
                "number": result.batch.sequence,
                "recipient": self.recipient.currentText(),
                "path": str(result.path),
                "counts": counts_text(result.batch.counts),
            }
        )
        # The result takes lines of its own: grow rather than squeeze the form.
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.result_label.clear_message()
        self.message.show_error(error_text(error))
