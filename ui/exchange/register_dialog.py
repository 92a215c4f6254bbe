"""Registering a partner's card: its names and fingerprint, to be compared by phone."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.exchange import partners
from hotline.exchange.identity import Card
from hotline.formatting import country_name
from hotline.i18n import _
from hotline.services.session import Session
from hotline.store.repositories.exchange import Partner
from ui.exchange.labels import fingerprint_groups
from ui.widgets import MessageLabel, error_text, heading, hint


class RegisterDialog(QDialog):
    def __init__(self, session: Session, card: Card, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.card = card
        self.registered: Partner | None = None
        self.title = heading(self, 1.2)
        self.organisation = QLabel(card.org_name, self)
        self.site = QLabel(card.site_name, self)
        self.country = QLabel(country_name(card.country), self)
        self.fingerprint = QLabel(fingerprint_groups(card.fingerprint), self)
        font = QFont("monospace")
        font.setPointSizeF(self.font().pointSizeF() * 1.5)
        font.setBold(True)
        self.fingerprint.setFont(font)
        for label in (self.organisation, self.site, self.fingerprint):
            label.setWordWrap(True)
        self.instruction = hint(self)
        self.typed = QLineEdit(self)
        self.as_sender = QRadioButton(self)
        self.as_recipient = QRadioButton(self)
        self.as_sender.setChecked(not card.recipient)
        self.as_recipient.setChecked(card.recipient)
        self.as_recipient.setEnabled(card.recipient)
        self.form = QFormLayout()
        self.row_labels = [QLabel(self) for _row in range(5)]
        fields = (self.organisation, self.site, self.country, self.fingerprint, self.typed)
        for row_label, field in zip(self.row_labels, fields, strict=True):
            self.form.addRow(row_label, field)
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.register)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addWidget(self.instruction)
        layout.addWidget(self.as_sender)
        layout.addWidget(self.as_recipient)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Register a card"))
        self.title.setText(_("Is this the office you expect?"))
        texts = (
            _("Organisation"),
            _("Site"),
            _("Country"),
            _("Fingerprint"),
            _("Fingerprint they read"),
        )
        for row_label, text in zip(self.row_labels, texts, strict=True):
            row_label.setText(text)
        self.instruction.setText(
            _(
                "Call the office on a number you already know (not one written in the card) "
                "and ask them to read their fingerprint to you. Type it here: it must match "
                "the one above, group by group. If it does not, do not register the card."
            )
        )
        self.typed.setPlaceholderText(_("Type the fingerprint they read to you"))
        self.as_sender.setText(_("This office sends its batches to us (we import them)"))
        self.as_recipient.setText(_("We send our batches to this office (a coordinator)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Register"))

    def register(self) -> bool:
        kind = partners.RECIPIENT if self.as_recipient.isChecked() else partners.SENDER
        try:
            self.registered = partners.register(self.session, self.card, kind, self.typed.text())
        except KnownError as error:
            self.message.show_error(error_text(error))
            return False
        self.accept()
        return True
