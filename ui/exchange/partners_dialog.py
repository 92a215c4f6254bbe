"""Partners and cards: this installation's fingerprint, exporting its card, registering
other offices' cards, and turning a partner off or on again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.exchange import partners
from hotline.exchange.identity import Card
from hotline.exchange.partners import CARD_SUFFIX
from hotline.i18n import _
from hotline.services.session import Session
from hotline.store.repositories.exchange import Partner
from ui.calls.common import stamp
from ui.exchange.labels import KIND_LABELS, fingerprint_groups, label
from ui.exchange.register_dialog import RegisterDialog
from ui.supervision.export_dialog import not_written
from ui.widgets import CheckBoxLabel, MessageLabel, checkbox_row, error_text, hint, read_only_table


def card_filter() -> str:
    return _("Hotline Desk card (*%(suffix)s)") % {"suffix": CARD_SUFFIX}


class PartnersDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.partners: list[Partner] = []
        self.register_dialog: RegisterDialog | None = None
        self.own_title = QLabel(self)
        self.own_fingerprint = QLabel(fingerprint_groups(partners.my_fingerprint(session)), self)
        font = QFont("monospace")
        font.setPointSizeF(self.font().pointSizeF() * 1.8)
        font.setBold(True)
        self.own_fingerprint.setFont(font)
        self.own_note = hint(self)
        self.recipient_box = QCheckBox(self)
        self.recipient_label = CheckBoxLabel(self.recipient_box, self)
        self.export_button = QPushButton(self)
        self.export_button.clicked.connect(self.choose_card_file)
        self.register_button = QPushButton(self)
        self.register_button.clicked.connect(self.choose_card_to_register)
        self.partners_title = QLabel(self)
        self.table = read_only_table(6, self, stretch=1)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.toggle_button = QPushButton(self)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.own_title)
        layout.addWidget(self.own_fingerprint)
        layout.addWidget(self.own_note)
        layout.addLayout(checkbox_row(self.recipient_box, self.recipient_label))
        cards = QHBoxLayout()
        cards.addWidget(self.export_button)
        cards.addWidget(self.register_button)
        cards.addStretch(1)
        layout.addLayout(cards)
        layout.addWidget(self.partners_title)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.toggle_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(880, 560)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Partners and cards"))
        self.own_title.setText(_("This installation's fingerprint"))
        self.own_note.setText(
            _(
                "Read it out by phone when another office registers your card, so they know "
                "the card really comes from you."
            )
        )
        self.recipient_label.setText(
            _("Other offices send their batches here (coordinator or gathering station)")
        )
        self.export_button.setText(_("Export my card…"))
        self.register_button.setText(_("Register a card…"))
        self.partners_title.setText(_("Registered partners"))
        self.table.setHorizontalHeaderLabels(
            [
                _("Direction"),
                _("Organisation"),
                _("Site"),
                _("Fingerprint"),
                _("Registered on"),
                _("Active"),
            ]
        )
        self._update_buttons()
        self._fill()

    def refresh(self) -> None:
        self.partners = partners.partners(self.session)
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.partners))
        for row, p in enumerate(self.partners):
            values = (
                label(KIND_LABELS, p.kind),
                f"{p.org_name} ({p.org_code})",
                p.site_name,
                p.fingerprint,
                stamp(p.registered_at),
                _("yes") if p.active else _("no, disabled"),
            )
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._update_buttons()

    def selected(self) -> Partner | None:
        rows = self.table.selectionModel().selectedRows()
        return self.partners[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        partner = self.selected()
        self.toggle_button.setEnabled(partner is not None)
        self.toggle_button.setText(
            _("Enable") if partner is not None and not partner.active else _("Disable")
        )

    # -- cards ------------------------------------------------------------------------
    def choose_card_file(self) -> None:
        name = f"{self.session.installation.org_code}{CARD_SUFFIX}"
        path, _selected = QFileDialog.getSaveFileName(
            self, _("Export my card"), name, card_filter()
        )
        if path:
            self.export_card(Path(path))

    def export_card(self, path: Path) -> bool:
        if path.suffix != CARD_SUFFIX:
            path = path.with_name(path.name + CARD_SUFFIX)
        try:
            partners.export_card(self.session, path, recipient=self.recipient_box.isChecked())
        except (KnownError, OSError) as error:
            self.message.show_error(not_written(path, error))
            return False
        self.message.show_info(
            _("Your card was written to %(path)s. Give it to the other office.")
            % {"path": str(path)}
        )
        return True

    def choose_card_to_register(self) -> None:
        path, _selected = QFileDialog.getOpenFileName(self, _("Register a card"), "", card_filter())
        if path:
            self.open_card(Path(path))

    def open_card(self, path: Path) -> RegisterDialog | None:
        try:
            card: Card = partners.read_card(path)
        except KnownError as error:
            self.message.show_error(error_text(error))
            return None
        self.message.clear_message()
        dialog = RegisterDialog(self.session, card, self)
        dialog.accepted.connect(self._registered)
        self.register_dialog = dialog
        dialog.open()
        return dialog

    def _registered(self) -> None:
        dialog = self.register_dialog
        if dialog is not None and dialog.registered is not None:
            self.message.show_info(_("%(name)s is registered.") % {"name": dialog.registered.label})
        self.refresh()

    def toggle_selected(self) -> None:
        partner = self.selected()
        if partner is None:
            return
        try:
            partners.set_active(
                self.session, partner.installation_id, partner.kind, not partner.active
            )
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        row = self.partners.index(partner)
        self.refresh()
        # Select the same row again whatever the keyboard modifiers say (selectRow would
        # toggle it with Ctrl held), then update the button even if no signal came.
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().select(
            self.table.model().index(row, 0), flags.ClearAndSelect | flags.Rows
        )
        self._update_buttons()
