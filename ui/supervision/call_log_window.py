"""Supervision → Call log: every call of the installation, filtered, sorted and searched
in SQL and fetched as the table scrolls; saved filters; a row opens the review window."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.formatting import format_number
from hotline.i18n import _, ngettext
from hotline.model.call_log import CallLogFilter, SavedFilter, Sort
from hotline.roles import Action, allowed
from hotline.services import call_log, coordinator
from hotline.services.session import Session
from ui.clipboard import CLEAR_AFTER_SECONDS, copy_sensitive
from ui.supervision.export_dialog import ExportDialog
from ui.supervision.log_filters import LogFilters
from ui.supervision.log_model import COLUMNS, CallLogModel
from ui.supervision.review_dialog import ReviewDialog, open_review
from ui.widgets import MessageLabel, error_text, heading

TOPICS_SECTION = [code for code, _header, _sort in COLUMNS].index("topics")


class CallLogWindow(QWidget):
    """``statistics_requested`` carries the current filter (the dashboard opens on it)."""

    statistics_requested = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session = session
        self.reviews: list[ReviewDialog] = []
        self.total = 0  # calls the filters select
        self.saved: list[SavedFilter] = []
        self.title = heading(self, 1.3)
        self.filters = LogFilters(
            call_log.operators(session), self, sources=lambda: coordinator.sources(session)
        )
        self.saved_box = QComboBox(self)
        self.saved_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.save_filter_button = QPushButton(self)
        self.delete_filter_button = QPushButton(self)
        self.model = CallLogModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(False)  # sorting is SQL's: the header asks for it
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TOPICS_SECTION, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self._widths_set = False
        header.sectionClicked.connect(self._header_clicked)
        self.count = QLabel(self)
        self.message = MessageLabel(self)
        self.open_button = QPushButton(self)
        self.statistics_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.export_button.setVisible(allowed(session.user.role, Action.EXPORT_REPORTS))
        self.export_button.clicked.connect(self.export)

        saved_row = QHBoxLayout()
        self.saved_label = QLabel(self)
        self.saved_label.setBuddy(self.saved_box)
        saved_row.addWidget(self.title)
        saved_row.addStretch(1)
        saved_row.addWidget(self.saved_label)
        saved_row.addWidget(self.saved_box)
        saved_row.addWidget(self.save_filter_button)
        saved_row.addWidget(self.delete_filter_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.statistics_button)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(saved_row)
        layout.addWidget(self.filters)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.filters.changed.connect(self.refresh)
        self.table.activated.connect(self._activated)
        self.copy_reference_action = QAction(self.table)
        self.copy_reference_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_reference_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_reference_action.triggered.connect(self.copy_reference)
        self.table.addAction(self.copy_reference_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.open_button.clicked.connect(self.open_selected)
        self.statistics_button.clicked.connect(self._statistics)
        self.saved_box.activated.connect(self._saved_chosen)
        self.save_filter_button.clicked.connect(self.save_filter)
        self.delete_filter_button.clicked.connect(self.delete_filter)
        QShortcut(QKeySequence("Ctrl+F"), self, self.filters.search.setFocus)
        self.resize(1300, 720)
        self.retranslate()
        self._load_saved()
        self.refresh()

    # -- text ----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Call log"))
        self.title.setText(_("Call log"))
        self.filters.retranslate()
        self.saved_label.setText(_("Saved &filters:"))
        self.save_filter_button.setText(_("Save filter…"))
        self.delete_filter_button.setText(_("Delete"))
        self.open_button.setText(_("&Open and review"))
        self.statistics_button.setText(_("S&tatistics of these calls"))
        self.export_button.setText(_("&Export…"))
        self.copy_reference_action.setText(_("Copy reference"))
        self._fill_saved()
        self.model.relabel()
        self._show_count()
        for dialog in self.reviews:
            dialog.retranslate()

    # -- the query -----------------------------------------------------------------
    def refresh(self) -> None:
        """Query again with the filters and sort shown (the first page; more on scroll)."""
        try:
            query = call_log.query(self.session, self.filters.current(), self.model.current_sort)
            # From the top: a view left scrolled down would show the new rows from the
            # bottom of their first page, and ask for a second page at once.
            self.table.scrollToTop()
            self.model.set_query(query)
            self.total = query.count()
            self._size_columns()
        except KnownError as error:
            self.model.set_query(None)
            self.total = 0
            self.message.show_error(error_text(error))
        else:
            self.message.clear_message()
        self._show_sort()
        self._show_count()

    def _size_columns(self) -> None:
        """Once, when there are rows: every column as wide as its first page needs."""
        if self._widths_set or not self.model.rowCount():
            return
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for section in range(self.model.columnCount()):
            if section != TOPICS_SECTION:
                header.resizeSection(section, min(header.sectionSize(section) + 8, 260))
        self._widths_set = True

    def _show_count(self) -> None:
        if self.model.query is None:
            self.count.setText("")
            return
        self.count.setText(
            ngettext("%(count)s call", "%(count)s calls", self.total)
            % {"count": format_number(self.total)}
        )

    def _show_sort(self) -> None:
        sort = self.model.current_sort
        order = Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(self.model.section_of(sort.column), order)
        header.blockSignals(False)

    def _header_clicked(self, section: int) -> None:
        column = self.model.sort_column(section)
        if column is None:  # topics: a list, not sortable
            self._show_sort()
            return
        current = self.model.current_sort
        descending = (
            not current.descending
            if current.column == column
            else column
            in (
                "started_at",
                "risk_level",
                "reviewed",
            )
        )
        try:
            query = call_log.query(self.session, self.filters.current(), Sort(column, descending))
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        self.table.scrollToTop()
        self.model.set_query(query)
        self._show_sort()

    # -- opening -------------------------------------------------------------------
    def _activated(self, index: QModelIndex) -> None:
        self.open_row(index.row())

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_row(rows[0].row())

    def copy_reference(self) -> str | None:
        """Copy the selected call's reference; the clipboard forgets it after 30 s."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.model.rows):
            return None
        reference = self.model.rows[rows[0].row()].reference
        copy_sensitive(reference)
        seconds = int(CLEAR_AFTER_SECONDS)
        self.message.show_info(
            ngettext(
                "Copied %(reference)s. The clipboard is cleared in %(n)d second.",
                "Copied %(reference)s. The clipboard is cleared in %(n)d seconds.",
                seconds,
            )
            % {"reference": reference, "n": seconds}
        )
        return reference

    def open_row(self, row: int) -> ReviewDialog | None:
        contact_id = self.model.row_id(row)
        if contact_id is None:
            return None
        opened = open_review(self.session, contact_id, self)
        if isinstance(opened, str):
            self.message.show_error(opened)
            return None
        self.reviews.append(opened)
        opened.review_saved.connect(self._reviewed)
        opened.finished.connect(lambda _result, d=opened: self._forget(d))
        opened.show()
        return opened

    def _forget(self, dialog: ReviewDialog) -> None:
        if dialog in self.reviews:
            self.reviews.remove(dialog)
        dialog.deleteLater()

    def _reviewed(self, _contact_id: str) -> None:
        """Keep the place in the list, show the new review state."""
        selected = self.table.currentIndex()
        self.refresh()
        if selected.isValid() and selected.row() < self.model.rowCount():
            self.table.selectRow(selected.row())

    def _statistics(self) -> None:
        try:
            self.statistics_requested.emit(self.filters.current())
        except KnownError as error:
            self.message.show_error(error_text(error))

    def export(self) -> ExportDialog | None:
        try:
            current = self.filters.current()
        except KnownError as error:
            self.message.show_error(error_text(error))
            return None
        dialog = ExportDialog(self.session, current, self.total, self)
        dialog.accepted.connect(
            lambda: self.message.show_info(
                ngettext("%(count)d call exported.", "%(count)d calls exported.", dialog.written)
                % {"count": dialog.written}
            )
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # -- saved filters -------------------------------------------------------------
    def _load_saved(self) -> None:
        self.saved = call_log.saved_filters(self.session)
        self._fill_saved()

    def _fill_saved(self) -> None:
        self.saved_box.blockSignals(True)
        self.saved_box.clear()
        self.saved_box.addItem(_("Choose…") if self.saved else _("None saved yet"), "")
        for item in self.saved:
            self.saved_box.addItem(item.name, item.name)
        self.saved_box.blockSignals(False)
        self.delete_filter_button.setEnabled(bool(self.saved))

    def _saved_chosen(self, index: int) -> None:
        name = self.saved_box.itemData(index)
        for item in self.saved:
            if item.name == name:
                self.filters.show_filter(item.filter)
                return

    def save_filter(self) -> None:
        try:
            current = self.filters.current()
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        name, ok = QInputDialog.getText(
            self, _("Save filter"), _("Name of this filter (for example: high risk this month):")
        )
        if ok:
            self.save_filter_as(name, current)

    def save_filter_as(self, name: str, current: CallLogFilter) -> None:
        try:
            saved = call_log.save_filter(self.session, name, current)
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        self._load_saved()
        self.saved_box.setCurrentIndex(max(self.saved_box.findData(saved.name), 0))
        self.message.show_info(_("Filter “%(name)s” saved.") % {"name": saved.name})

    def delete_filter(self) -> None:
        name = self.saved_box.currentData()
        if not name:
            self.message.show_info(_("Choose a saved filter to delete."))
            return
        answer = QMessageBox.question(
            self, _("Delete filter"), _("Delete the filter “%(name)s”?") % {"name": name}
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_filter_named(str(name))

    def delete_filter_named(self, name: str) -> None:
        try:
            call_log.delete_filter(self.session, name)
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        self._load_saved()

    # -- closing -------------------------------------------------------------------
    def discard(self) -> None:
        """Lock or sign-out: close the reviews, forget every row."""
        for dialog in list(self.reviews):
            dialog.discard()
        self.reviews.clear()
        self.model.clear()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        for dialog in list(self.reviews):
            dialog.close()
        self.model.clear()
        super().closeEvent(event)
