"""Batches: what was sent (and what the recipients say they received), what was imported
(and which batch numbers are missing), and the records kept aside for a person to look at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.exchange import exporting, importing, receipts
from hotline.exchange.receipts import RECEIPT_SUFFIX
from hotline.exchange.received_counts import CountsTable, received_counts
from hotline.formatting import format_date, format_number
from hotline.i18n import _, ngettext
from hotline.roles import Action, allowed
from hotline.services.session import Session
from hotline.store.repositories import exchange as repo
from hotline.store.repositories.exchange import Conflict, LedgerEntry, SentBatch
from ui.calls.common import stamp
from ui.exchange.labels import (
    REASON_LABELS,
    RECORD_LABELS,
    SHORT_PRIVACY,
    counts_text,
    label,
    missing_text,
    outcome_text,
)
from ui.widgets import MessageLabel, error_text, read_only_table


def receipt_text(batch: SentBatch) -> str:
    if batch.receipt_at is None or batch.receipt is None:
        return _("no receipt yet")
    received = stamp(str(batch.receipt.get("received_at", batch.receipt_at)))
    kept = int(batch.receipt.get("outcome", {}).get("conflicts", 0))
    if kept:
        return ngettext(
            "received on %(date)s, %(count)d kept aside",
            "received on %(date)s, %(count)d kept aside",
            kept,
        ) % {"date": received, "count": kept}
    return _("received on %(date)s") % {"date": received}


def fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setToolTip(text)  # long results are elided in the cell
            table.setItem(row, column, item)


class BatchesWindow(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session = session
        role = session.user.role
        self.may_send = allowed(role, Action.EXPORT_BATCHES)
        self.may_import = allowed(role, Action.IMPORT_BATCHES)
        self.may_settle = allowed(role, Action.RESOLVE_CONFLICTS)
        self.sent: list[SentBatch] = []
        self.ledger: list[LedgerEntry] = []
        self.conflicts: list[Conflict] = []
        self.tabs = QTabWidget(self)
        # Sent batches
        self.sent_page = QWidget(self)
        self.sent_table = read_only_table(6, self.sent_page)
        self.read_button = QPushButton(self.sent_page)
        self.read_button.clicked.connect(self.choose_receipt)
        sent_layout = QVBoxLayout(self.sent_page)
        sent_layout.addWidget(self.sent_table, 1)
        sent_layout.addLayout(self._row(self.read_button))
        # Imported batches
        self.ledger_page = QWidget(self)
        self.ledger_table = read_only_table(5, self.ledger_page)
        self.gaps = QLabel(self.ledger_page)
        self.gaps.setWordWrap(True)
        ledger_layout = QVBoxLayout(self.ledger_page)
        ledger_layout.addWidget(self.ledger_table, 1)
        ledger_layout.addWidget(self.gaps)
        # Conflicts
        self.conflict_page = QWidget(self)
        self.conflict_table = read_only_table(4, self.conflict_page, stretch=2)
        self.conflict_table.itemSelectionChanged.connect(self._update)
        self.settle_button = QPushButton(self.conflict_page)
        self.settle_button.clicked.connect(self.settle_selected)
        self.settle_button.setVisible(self.may_settle)
        conflict_layout = QVBoxLayout(self.conflict_page)
        conflict_layout.addWidget(self.conflict_table, 1)
        conflict_layout.addLayout(self._row(self.settle_button))
        # Counts received in aggregate batches
        self.may_count = self.may_import and allowed(role, Action.VIEW_STATISTICS)
        self.counts: list[CountsTable] = []
        self.counts_page = QWidget(self)
        self.counts_table = read_only_table(5, self.counts_page)
        counts_layout = QVBoxLayout(self.counts_page)
        counts_layout.addWidget(self.counts_table, 1)
        if self.may_send:
            self.tabs.addTab(self.sent_page, "")
        if self.may_import:
            self.tabs.addTab(self.ledger_page, "")
            self.tabs.addTab(self.conflict_page, "")
        if self.may_count:
            self.tabs.addTab(self.counts_page, "")
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(1000, 560)
        self.refresh()
        self.retranslate()

    @staticmethod
    def _row(button: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        return row

    def retranslate(self) -> None:
        self.setWindowTitle(_("Batches"))
        for page, text in (
            (self.sent_page, _("Sent")),
            (self.ledger_page, _("Imported")),
            (self.conflict_page, _("Kept aside")),
            (self.counts_page, _("Counts received")),
        ):
            index = self.tabs.indexOf(page)
            if index >= 0:
                self.tabs.setTabText(index, text)
        self.sent_table.setHorizontalHeaderLabels(
            [_("Recipient"), _("Number"), _("Written on"), _("Privacy"), _("Contents"),
             _("Receipt")]
        )  # fmt: skip
        self.ledger_table.setHorizontalHeaderLabels(
            [_("From"), _("Number"), _("Imported on"), _("Privacy"), _("Result")]
        )
        self.conflict_table.setHorizontalHeaderLabels(
            [_("Record"), _("Number"), _("Why it was kept aside"), _("Batch")]
        )
        self.counts_table.setHorizontalHeaderLabels(
            [_("From"), _("Period"), _("Counted by"), _("Value"), _("Count")]
        )
        self.read_button.setText(_("Read receipt…"))
        self.settle_button.setText(_("Mark as settled"))
        self._fill()

    def refresh(self) -> None:
        db = self.session.db
        self.sent = exporting.sent_batches(self.session) if self.may_send else []
        self.ledger = repo.ledger(db) if self.may_import else []
        self.conflicts = repo.conflicts(db) if self.may_import else []
        self.counts = received_counts(self.session) if self.may_count else []
        self._fill()

    def _names(self) -> dict[str, str]:
        return {p.installation_id: p.label for p in repo.partners(self.session.db)}

    def _count_rows(self) -> list[tuple[str, ...]]:
        withheld = _("fewer than k")
        rows: list[tuple[str, ...]] = []
        for t in self.counts:
            period = _("%(since)s to %(until)s") % {
                "since": format_date(dt.date.fromisoformat(t.since), "short"),
                "until": format_date(dt.date.fromisoformat(t.until), "short"),
            }
            cells = [*t.cells, (_("Total"), t.total)]
            for text, count in cells:
                shown = withheld if count is None else format_number(count)
                rows.append((t.sender, period, t.dimension.heading, text, shown))
        return rows

    def _fill(self) -> None:
        names = self._names()
        fill(self.counts_table, self._count_rows())
        fill(
            self.sent_table,
            [
                (
                    names.get(b.recipient_id, b.recipient_id[:8]),
                    str(b.sequence),
                    stamp(b.created_at),
                    label(SHORT_PRIVACY, b.privacy),
                    counts_text(b.counts),
                    receipt_text(b),
                )
                for b in self.sent
            ],
        )
        fill(
            self.ledger_table,
            [
                (
                    names.get(e.sender_id, e.sender_id[:8]),
                    str(e.sequence),
                    stamp(e.imported_at),
                    label(SHORT_PRIVACY, e.privacy),
                    outcome_text(e.outcome),
                )
                for e in self.ledger
            ],
        )
        sequences = {e.batch_id: (names.get(e.sender_id, ""), e.sequence) for e in self.ledger}
        fill(
            self.conflict_table,
            [
                (
                    label(RECORD_LABELS, c.record_type),
                    str(c.data.get("reference") or c.record_id[:8]),
                    label(REASON_LABELS, c.reason),
                    _("%(sender)s, batch %(number)d")
                    % {
                        "sender": sequences.get(c.batch_id, ("", 0))[0],
                        "number": sequences.get(c.batch_id, ("", 0))[1],
                    },
                )
                for c in self.conflicts
            ],
        )
        if self.may_import:
            gaps = importing.gaps(self.session)
            self.gaps.setText("\n".join(missing_text(p.org_code, m) for p, m in gaps))
            self.gaps.setVisible(bool(gaps))
        self._update()

    def _update(self) -> None:
        rows = self.conflict_table.selectionModel().selectedRows()
        self.settle_button.setEnabled(bool(rows))

    # -- receipts and conflicts ------------------------------------------------------
    def choose_receipt(self) -> None:
        path, _selected = QFileDialog.getOpenFileName(
            self,
            _("Read receipt"),
            "",
            _("Hotline Desk receipt (*%(suffix)s)") % {"suffix": RECEIPT_SUFFIX},
        )
        if path:
            self.read_receipt(Path(path))

    def read_receipt(self, path: Path) -> SentBatch | None:
        try:
            batch = receipts.read_receipt(self.session, path)
        except KnownError as error:
            self.message.show_error(error_text(error))
            return None
        self.refresh()
        self.message.show_info(
            _("Receipt read: batch %(number)d — %(receipt)s.")
            % {"number": batch.sequence, "receipt": receipt_text(batch)}
        )
        return batch

    def settle_selected(self) -> None:
        rows = self.conflict_table.selectionModel().selectedRows()
        if not rows:
            return
        conflict = self.conflicts[rows[0].row()]
        try:
            importing.resolve_conflict(self.session, conflict.id, "settled")
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        self.message.show_info(_("The record is marked as settled."))
        self.refresh()

    def discard(self) -> None:
        self.close()
