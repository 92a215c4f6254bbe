"""The referrals of one call: where the caller was sent, and what came of it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.i18n import _
from hotline.model.organisation import Referral
from hotline.services import directory, referrals
from hotline.services.session import Session
from hotline.taxonomy import taxonomy
from ui.calls.common import DateField
from ui.widgets import MessageLabel, error_text, read_only_table

OUTCOME, REMINDER = 5, 6


class ReferralsDialog(QDialog):
    def __init__(
        self, session: Session, contact_id: str, editable: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.contact_id = contact_id
        self.editable = editable
        self.items: list[Referral] = []
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.table = read_only_table(7, self, stretch=1)
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(900, 360)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Referrals of this call"))
        self.intro.setText(
            _("Record what came of each referral; a reminder date brings it back to mind.")
        )
        self.table.setHorizontalHeaderLabels(
            [
                _("Reference"),
                _("Organisation"),
                _("Service"),
                _("Date"),
                _("Consent"),
                _("Outcome"),
                _("Remind on"),
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        try:
            self.items = referrals.of_contact(self.session, self.contact_id)
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        self.table.setRowCount(len(self.items))
        tax = taxonomy()
        for row, item in enumerate(self.items):
            try:
                org = directory.get(self.session, item.organisation_id).name
            except KnownError:
                org = item.organisation_id
            service = tax.label("service_types", item.service)
            consent = (
                _("Yes")
                if item.consent
                else _("No: %(reason)s") % {"reason": item.no_consent_reason}
            )
            cells = (item.reference, org, service, item.referred_on, consent)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            outcome = QComboBox(self.table)
            for term in tax.terms("referral_outcomes"):
                outcome.addItem(term.text, term.code)
            outcome.setCurrentIndex(max(outcome.findData(item.outcome), 0))
            outcome.setEnabled(self.editable)
            reminder = DateField(self.table)
            reminder.setSpecialValueText(" ")
            reminder.setMinimumDate(QDate(2000, 1, 1))
            reminder.setDate(
                QDate.fromString(item.reminder_on, "yyyy-MM-dd")
                if item.reminder_on
                else reminder.minimumDate()
            )
            reminder.setEnabled(self.editable)
            outcome.currentIndexChanged.connect(lambda _i, r=row: self.save_row(r))
            reminder.dateChanged.connect(lambda _d, r=row: self.save_row(r))
            self.table.setCellWidget(row, OUTCOME, outcome)
            self.table.setCellWidget(row, REMINDER, reminder)

    def save_row(self, row: int) -> None:
        outcome = self.table.cellWidget(row, OUTCOME)
        reminder = self.table.cellWidget(row, REMINDER)
        assert isinstance(outcome, QComboBox)
        assert isinstance(reminder, DateField)
        date = reminder.date()
        when = (
            None
            if date == reminder.minimumDate()
            else dt.date(date.year(), date.month(), date.day())
        )
        try:
            self.items[row] = referrals.set_outcome(
                self.session, self.items[row], str(outcome.currentData()), when
            )
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        self.message.show_info(_("Saved."))
