"""The lists beside the form: today's calls, my calls, open follow-ups, open cases.
Filtering and sorting happen in SQL (``contacts.list_contacts``, ``cases.list_cases``);
double-click or Enter opens a row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTabWidget, QWidget

from hotline.errors import KnownError
from hotline.formatting import format_date
from hotline.i18n import N_, _
from hotline.model.contact import Case, ContactSummary
from hotline.services import cases, contacts
from hotline.services.contacts import ListQuery
from hotline.services.session import Session
from ui.calls.common import stamp, start_of_today, term_label, when

Index = QModelIndex | QPersistentModelIndex
ID = Qt.ItemDataRole.UserRole


def _summary_cell(row: ContactSummary, column: str) -> str:
    if column == "time":
        return when(row.started_at)
    if column == "reference":
        return row.reference
    if column == "type":
        return term_label("call_types", row.call_type)
    if column == "phone":
        return row.phone_display
    if column == "case":
        return row.case_reference or ""
    if column == "operator":
        return row.operator
    if column == "follow_up":
        return "" if row.follow_up_date is None else format_date(row.follow_up_date, "short")
    return ""


def _case_cell(row: Case, column: str) -> str:
    if column == "reference":
        return row.reference
    if column == "status":
        return term_label("case_statuses", row.status)
    if column == "trafficking":
        return term_label("trafficking_statuses", row.trafficking_status)
    if column == "opened":
        return stamp(row.opened_at)
    return ""


HEADERS = {
    "time": N_("When"),
    "reference": N_("Reference"),
    "type": N_("Call type"),
    "phone": N_("Phone"),
    "case": N_("Case"),
    "operator": N_("Operator"),
    "follow_up": N_("Follow up on"),
    "status": N_("Status"),
    "trafficking": N_("Trafficking"),
    "opened": N_("Opened"),
}


class RowsModel(QAbstractTableModel):
    """A page of rows fetched by one SQL query (at most ``ListQuery.limit``)."""

    def __init__(self, columns: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = self.columns[index.column()]
            if isinstance(row, Case):
                return _case_cell(row, column)
            return _summary_cell(row, column)
        if role == ID:
            return row.id
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[self.columns[section]])
        return None

    def relabel(self) -> None:
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1)
            )
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)


@dataclass(frozen=True)
class Tab:
    key: str
    title: str
    columns: tuple[str, ...]


TABS = (
    Tab("today", N_("Today's calls"), ("time", "reference", "type", "phone", "operator")),
    Tab("mine", N_("My calls"), ("time", "reference", "type", "phone", "case")),
    Tab(
        "follow_up", N_("Open follow-ups"), ("follow_up", "reference", "type", "phone", "operator")
    ),
    Tab("cases", N_("Cases"), ("reference", "status", "trafficking", "opened")),
)


class CallLists(QTabWidget):
    contact_opened = Signal(str)
    case_opened = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.views: dict[str, QTableView] = {}
        self.models: dict[str, RowsModel] = {}
        for tab in TABS:
            view = QTableView(self)
            model = RowsModel(tab.columns, view)
            view.setModel(model)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setAlternatingRowColors(True)
            view.setWordWrap(False)
            view.setTabKeyNavigation(False)
            view.verticalHeader().hide()
            header = view.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
            view.activated.connect(lambda index, key=tab.key: self._activated(key, index))
            self.views[tab.key] = view
            self.models[tab.key] = model
            self.addTab(view, "")
        # Four tabs in a narrow side panel: in the longer languages their titles are shortened
        # (the whole title in the tooltip) rather than hidden behind scroll arrows.
        self.setUsesScrollButtons(False)
        self.tabBar().setElideMode(Qt.TextElideMode.ElideRight)
        self.currentChanged.connect(lambda _i: self.refresh())
        self.retranslate()

    def retranslate(self) -> None:
        for index, tab in enumerate(TABS):
            self.setTabText(index, _(tab.title))
            self.setTabToolTip(index, _(tab.title))
        for model in self.models.values():
            model.relabel()

    def refresh(self) -> None:
        """Fetch the shown tab again (after a save, on switching tabs)."""
        key = TABS[self.currentIndex()].key
        try:
            rows: list[Any]
            if key == "cases":
                rows = cases.list_cases(self.session, open_only=True)
            else:
                query = {
                    "today": ListQuery(since=start_of_today()),
                    "mine": ListQuery(mine=True),
                    "follow_up": ListQuery(follow_up_open=True),
                }[key]
                rows = contacts.list_contacts(self.session, query)
        except KnownError:
            rows = []
        self.models[key].set_rows(rows)

    def _activated(self, key: str, index: QModelIndex) -> None:
        row_id = index.data(ID)
        if not isinstance(row_id, str):
            return
        if key == "cases":
            self.case_opened.emit(row_id)
        else:
            self.contact_opened.emit(row_id)

    def select_tab(self, key: str) -> None:
        for index, tab in enumerate(TABS):
            if tab.key == key:
                self.setCurrentIndex(index)
