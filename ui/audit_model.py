"""Table model of audit log entries: the pages fetched so far, in words of the language."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from hotline.audit_labels import action_label, details_text, target_text
from hotline.formatting import format_datetime, format_number
from hotline.i18n import _, pgettext
from hotline.model.audit_log import AuditEntry

Index = QModelIndex | QPersistentModelIndex
BROKEN_BACKGROUND = QColor("#fdecea")
BROKEN_TEXT = QColor("#8c1d18")


def time_text(entry: AuditEntry) -> str:
    """Local time with seconds; the stored text when it cannot be read (an altered entry)."""
    return entry.at_text if entry.at is None else format_datetime(entry.at.astimezone())


def actor_text(entry: AuditEntry) -> str:
    return entry.actor if entry.actor is not None else pgettext("audit actor", "The program")


class AuditModel(QAbstractTableModel):
    NUMBER, TIME, USER, ACTION, TARGET, DETAILS = range(6)

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[AuditEntry] = []
        self.broken_seq: int | None = None  # where the chain check found it altered

    @property
    def entries(self) -> list[AuditEntry]:
        return list(self._entries)

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def add_entries(self, entries: list[AuditEntry]) -> None:
        if not entries:
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
        self._entries.extend(entries)
        self.endInsertRows()

    def entry_at(self, row: int) -> AuditEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def row_of(self, seq: int) -> int:
        for row, entry in enumerate(self._entries):
            if entry.seq == seq:
                return row
        return -1

    def set_broken(self, seq: int | None) -> None:
        self.broken_seq = seq
        self._changed()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 6

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = {
            self.NUMBER: pgettext("audit entry number", "No."),
            self.TIME: pgettext("audit", "Time"),
            self.USER: pgettext("audit", "User"),
            self.ACTION: pgettext("audit", "Action"),
            self.TARGET: pgettext("audit", "Record"),
            self.DETAILS: pgettext("audit", "Details"),
        }
        return titles.get(section)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry = self.entry_at(index.row())
        if entry is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.TARGET and entry.target_id is not None:
                return target_text(entry.target_type, entry.target_id, full=True)
            if column == self.DETAILS and entry.details:
                return details_text(entry.details, entry.action)
            if column == self.NUMBER and entry.seq == self.broken_seq:
                return _("The chain of the audit log breaks at this entry.")
            return None
        if entry.seq == self.broken_seq:
            if role == Qt.ItemDataRole.BackgroundRole:
                return BROKEN_BACKGROUND
            if role == Qt.ItemDataRole.ForegroundRole:
                return BROKEN_TEXT
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, entry: AuditEntry, column: int) -> str:
        if column == self.NUMBER:
            return format_number(entry.seq)
        if column == self.TIME:
            return time_text(entry)
        if column == self.USER:
            return actor_text(entry)
        if column == self.ACTION:
            return action_label(entry.action)
        if column == self.TARGET:
            return target_text(entry.target_type, entry.target_id)
        return details_text(entry.details, entry.action)

    def _changed(self) -> None:
        if self._entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._entries) - 1, 5))

    def retranslate(self) -> None:
        self._changed()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 5)
