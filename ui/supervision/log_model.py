"""The call log as a Qt model that fetches rows a page at a time as the view scrolls
(``canFetchMore``/``fetchMore``), so a million contacts cost what two hundred do."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from hotline.formatting import country_name, format_date
from hotline.i18n import N_, _
from hotline.model.call_log import CallLogRow, Sort
from hotline.services.call_log import PAGE_SIZE, LogQuery
from ui.calls.common import join, term_label, when

Index = QModelIndex | QPersistentModelIndex
ID = Qt.ItemDataRole.UserRole

# (column code, header, sort column in the SQL or None)
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("started_at", N_("When"), "started_at"),
    ("reference", N_("Reference"), "reference"),
    ("operator", N_("Operator"), "operator"),
    ("call_type", N_("Call type"), "call_type"),
    ("topics", N_("Topics"), None),
    ("risk_level", N_("Risk level"), "risk_level"),
    ("call_language", N_("Language"), "call_language"),
    ("caller_country", N_("Caller's country"), "caller_country"),
    ("follow_up_date", N_("Follow up on"), "follow_up_date"),
    ("reviewed", N_("Reviewed"), "reviewed"),
)
RISK_COLOURS = {"urgent": "#b00020", "high": "#c43c00"}


def _topics(row: CallLogRow) -> str:
    return join([term_label("topics", code) for code in row.topics])


def cell_text(row: CallLogRow, column: str) -> str:
    if column == "started_at":
        return when(row.started_at, today_as_time=False)
    if column == "reference":
        return row.reference
    if column == "operator":
        return row.operator
    if column == "call_type":
        return term_label("call_types", row.call_type)
    if column == "topics":
        return _topics(row)
    if column == "risk_level":
        return term_label("risk_levels", row.risk_level)
    if column == "call_language":
        return term_label("call_languages", row.call_language)
    if column == "caller_country":
        return "" if row.caller_country is None else country_name(row.caller_country)
    if column == "follow_up_date":
        if row.follow_up_date is None:
            return ""
        text = format_date(row.follow_up_date, "short")
        return _("%(date)s (done)") % {"date": text} if row.follow_up_done else text
    if column == "reviewed":
        return _("Reviewed") if row.reviewed else ""
    return ""


class CallLogModel(QAbstractTableModel):
    """Rows of one ``LogQuery``; ``set_query`` starts again from the first page."""

    def __init__(self, parent: QWidget | None = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self.query: LogQuery | None = None
        self.rows: list[CallLogRow] = []
        self.exhausted = True
        self.pages_fetched = 0

    def set_query(self, query: LogQuery | None) -> None:
        self.beginResetModel()
        self.query = query
        self.rows = []
        self.pages_fetched = 0
        self.exhausted = query is None
        self.endResetModel()
        if query is not None:
            self.fetchMore(QModelIndex())

    @property
    def current_sort(self) -> Sort:
        return Sort() if self.query is None else self.query.sort

    # -- lazy fetching -------------------------------------------------------------
    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802 (Qt override)
        return not parent.isValid() and not self.exhausted

    def fetchMore(self, parent: Index) -> None:  # noqa: N802 (Qt override)
        if parent.isValid() or self.exhausted or self.query is None:
            return
        after = self.rows[-1].sort_key if self.rows else None
        page = self.query.page(after=after, limit=self.page_size)
        self.pages_fetched += 1
        if len(page) < self.page_size:
            self.exhausted = True
        if not page:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self.rows.extend(page)
        self.endInsertRows()

    # -- the table -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column)
        if role == ID:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole and column == "risk_level":
            colour = RISK_COLOURS.get(row.risk_level or "")
            return None if colour is None else QColor(colour)
        if (
            role == Qt.ItemDataRole.FontRole
            and column == "risk_level"
            and row.risk_level
            in (
                "high",
                "urgent",
            )
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][1])
        return None

    def sort_column(self, section: int) -> str | None:
        return COLUMNS[section][2]

    def section_of(self, sort_column: str) -> int:
        for i, (_code, _header, sql) in enumerate(COLUMNS):
            if sql == sort_column:
                return i
        return 0

    def relabel(self) -> None:
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1)
            )
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def row_id(self, row: int) -> str | None:
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    def clear(self) -> None:
        """Forget every row (lock, sign-out): no record data stays in memory here."""
        self.set_query(None)
