"""Administration → Audit log: who did what and when, filtered by user, action and days,
newest first, a page at a time; and a check that nobody altered the log.

Pages and the chain check run on the context's Runner (the log grows with every record
opened, and the check reads all of it), one job at a time; a filter changed meanwhile
starts a fresh load when the running one ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline.audit import ChainCheck
from hotline.audit_labels import ACTION_GROUPS, ACTION_LABELS, action_label
from hotline.collation import sort_key
from hotline.errors import KnownError
from hotline.formatting import format_number
from hotline.i18n import _, current_language, ngettext
from hotline.model.audit_log import DEFAULT_LIMIT, AuditEntry, AuditQuery
from hotline.services import audit_log
from hotline.services.session import Session
from ui.audit_model import AuditModel
from ui.context import AppContext
from ui.optional_date import OptionalDateField
from ui.widgets import MessageLabel, error_text, hint

INTACT_STYLE = "QLabel { color: #1b5e20; font-weight: bold; }"
BROKEN_STYLE = "QLabel { color: #8c1d18; font-weight: bold; }"


@dataclass(frozen=True)
class Page:
    """What one load brought: entries, and on a fresh load the total and the users."""

    entries: list[AuditEntry]
    total: int | None = None
    actors: list[str] | None = None


class AuditDialog(QDialog):
    """Non-modal; keep one per main window and show() it again (it reloads itself)."""

    def __init__(self, context: AppContext, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self.page_size = DEFAULT_LIMIT
        self.busy = False
        self._pending: Callable[[], None] | None = None
        self.total = 0
        self.check: ChainCheck | None = None
        self.actors: list[str] = []
        self._shown_before = False
        self.setModal(False)

        self.user_label = QLabel(self)
        self.user_filter = QComboBox(self)
        self.user_filter.setMinimumContentsLength(12)
        self.user_label.setBuddy(self.user_filter)
        self.action_label = QLabel(self)
        self.action_filter = QComboBox(self)
        self.action_filter.setMinimumContentsLength(24)
        self.action_filter.setMaxVisibleItems(24)
        self.action_label.setBuddy(self.action_filter)
        self.since_label = QLabel(self)
        self.since = OptionalDateField(self)
        self.since_label.setBuddy(self.since)
        self.until_label = QLabel(self)
        self.until = OptionalDateField(self)
        self.until_label.setBuddy(self.until)
        self.reset_button = QPushButton(self)
        self.reset_button.setAutoDefault(False)
        filters = QHBoxLayout()
        for label, field, stretch in (
            (self.user_label, self.user_filter, 1),
            (self.action_label, self.action_filter, 2),
            (self.since_label, self.since, 0),
            (self.until_label, self.until, 0),
        ):
            filters.addWidget(label)
            filters.addWidget(field, stretch)
            filters.addSpacing(6)
        filters.addWidget(self.reset_button)

        self.model = AuditModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(100)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in (AuditModel.NUMBER, AuditModel.TIME):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AuditModel.DETAILS, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(AuditModel.USER, 110)
        header.resizeSection(AuditModel.ACTION, 230)
        header.resizeSection(AuditModel.TARGET, 170)

        self.count_label = hint(self)
        self.more_button = QPushButton(self)
        self.more_button.setAutoDefault(False)
        more_row = QHBoxLayout()
        more_row.addWidget(self.count_label, 1)
        more_row.addWidget(self.more_button)

        self.message = MessageLabel(self)
        self.check_result = QLabel(self)
        self.check_result.setWordWrap(True)
        self.check_result.setTextFormat(Qt.TextFormat.PlainText)
        self.check_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_result.hide()
        self.verify_button = QPushButton(self)
        self.verify_button.setAutoDefault(False)
        self.broken_button = QPushButton(self)
        self.broken_button.setAutoDefault(False)
        self.broken_button.hide()
        self.refresh_button = QPushButton(self)
        self.refresh_button.setAutoDefault(False)
        self.close_button = QPushButton(self)
        self.close_button.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.check_result, 1)
        bottom.addWidget(self.broken_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.refresh_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(more_row)
        layout.addWidget(self.message)
        layout.addLayout(bottom)

        self.user_filter.currentIndexChanged.connect(self.reload)
        self.action_filter.currentIndexChanged.connect(self.reload)
        self.since.dateChanged.connect(self.reload)
        self.until.dateChanged.connect(self.reload)
        self.reset_button.clicked.connect(self.reset_filters)
        self.more_button.clicked.connect(self.show_more)
        self.verify_button.clicked.connect(self.verify)
        self.broken_button.clicked.connect(self.show_broken_entry)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self.close)

        self.setMinimumSize(900, 480)
        self.resize(1100, 650)
        self.retranslate()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Shown again after being closed: the log has grown meanwhile."""
        if self._shown_before and not event.spontaneous():
            self.refresh()
        self._shown_before = True
        super().showEvent(event)

    # -- words -----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Audit log"))
        self.user_label.setText(_("&User:"))
        self.action_label.setText(_("&Action:"))
        self.since_label.setText(_("&From:"))
        self.until_label.setText(_("&To:"))
        self.reset_button.setText(_("C&lear filters"))
        self.more_button.setText(_("Show &more"))
        self.verify_button.setText(_("&Verify chain"))
        self.verify_button.setToolTip(
            _("Check that no entry of the audit log was changed, removed or reordered.")
        )
        self.broken_button.setText(_("Show that &entry"))
        self.refresh_button.setText(_("Re&fresh"))
        self.close_button.setText(_("&Close"))
        self.since.retranslate()
        self.until.retranslate()
        self._fill_users()
        self._fill_actions()
        self.model.retranslate()
        self._show_count()
        self._show_check()

    def _fill_users(self) -> None:
        current = self.user_filter.currentData()
        self.user_filter.blockSignals(True)
        self.user_filter.clear()
        self.user_filter.addItem(_("All users"), None)
        for name in self.actors:
            self.user_filter.addItem(name, name)
        found = self.user_filter.findData(current)
        self.user_filter.setCurrentIndex(max(found, 0))
        self.user_filter.blockSignals(False)

    def _fill_actions(self) -> None:
        current = self.action_filter.currentData() or ""  # None would find the separator
        self.action_filter.blockSignals(True)
        self.action_filter.clear()
        # Item data: the action codes joined by commas ("" for all), plain text for Qt.
        self.action_filter.addItem(_("All actions"), "")
        for label, group in ACTION_GROUPS:
            self.action_filter.addItem(_(label), ",".join(a.value for a in group))
        self.action_filter.insertSeparator(self.action_filter.count())
        key = sort_key(current_language())
        for code in sorted((a.value for a in ACTION_LABELS), key=lambda c: key(action_label(c))):
            self.action_filter.addItem(action_label(code), code)
        found = self.action_filter.findData(current)
        self.action_filter.setCurrentIndex(max(found, 0))
        self.action_filter.blockSignals(False)

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        if not self.total:
            text = _("No entries match these filters.")
        else:
            text = ngettext(
                "%(shown)s of %(total)s entry shown",
                "%(shown)s of %(total)s entries shown",
                self.total,
            ) % {"shown": format_number(shown), "total": format_number(self.total)}
        self.count_label.setText(text)
        self.more_button.setEnabled(not self.busy and self._has_more())

    def _show_check(self) -> None:
        check = self.check
        self.broken_button.setVisible(check is not None and not check.ok)
        if check is None:
            self.check_result.hide()
            return
        if check.ok:
            self.check_result.setStyleSheet(INTACT_STYLE)
            self.check_result.setText(
                ngettext(
                    "The chain is intact: %(n)s entry checked.",
                    "The chain is intact: %(n)s entries checked.",
                    check.entries,
                )
                % {"n": format_number(check.entries)}
            )
        else:
            self.check_result.setStyleSheet(BROKEN_STYLE)
            self.check_result.setText(
                _("The audit log was altered: the chain breaks at entry %(seq)d.")
                % {"seq": check.first_bad_seq}
            )
        self.check_result.show()

    # -- what to show ----------------------------------------------------------------
    def query(self) -> AuditQuery:
        """The filters as a query for the first page; raises InvalidInput if the days
        are the wrong way round."""
        actions = str(self.action_filter.currentData() or "")
        return AuditQuery(
            actor=self.user_filter.currentData(),
            actions=tuple(code for code in actions.split(",") if code),
            since=self.since.value(),
            until=self.until.value(),
            limit=self.page_size,
        )

    def _has_more(self) -> bool:
        last = self.model.entry_at(self.model.rowCount() - 1)
        # Entry 1 is the oldest there is (after "Show that entry", the count covers newer
        # entries that are not on show).
        return last is not None and last.seq > 1 and self.model.rowCount() < self.total

    def reset_filters(self) -> None:
        self._clear_filters()
        self.reload()

    def refresh(self) -> None:
        """The newest entries again, and the users who appear in the log."""
        self._load(first=True, with_actors=True)

    def reload(self) -> None:
        self._load(first=True)

    def show_more(self) -> None:
        self._load(first=False)

    def show_broken_entry(self) -> None:
        """Every entry from the one where the chain breaks back to older ones."""
        if self.check is None or self.check.first_bad_seq is None:
            return
        seq = self.check.first_bad_seq
        self._clear_filters()
        self._load(first=True, before_seq=seq + 1, select=seq)

    def _clear_filters(self) -> None:
        """Every filter back to "all", without a load for each."""
        widgets = (self.user_filter, self.action_filter, self.since, self.until)
        for widget in widgets:
            widget.blockSignals(True)
        self.user_filter.setCurrentIndex(0)
        self.action_filter.setCurrentIndex(0)
        self.since.clear_value()
        self.until.clear_value()
        for widget in widgets:
            widget.blockSignals(False)

    def _load(
        self,
        *,
        first: bool,
        with_actors: bool = False,
        before_seq: int | None = None,
        select: int | None = None,  # an entry to bring into view
    ) -> None:
        if self.busy:  # the newest request wins once the running job ends
            self._pending = lambda: self._load(
                first=first, with_actors=with_actors, before_seq=before_seq, select=select
            )
            return
        try:
            query = self.query()
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        self.message.clear_message()
        if first:
            query = replace(query, before_seq=before_seq)
        else:
            last = self.model.entry_at(self.model.rowCount() - 1)
            if last is None:
                return
            query = query.after(last)
        session = self.session

        def work() -> Page:
            entries = audit_log.search(session, query)
            if not first:
                return Page(entries)
            actors = audit_log.actors(session) if with_actors else None
            return Page(entries, audit_log.count(session, query), actors)

        def done(page: Page) -> None:
            if page.actors is not None:
                self.actors = page.actors
                self._fill_users()
            if first:
                self.model.set_entries(page.entries)
                self.total = page.total or 0
                self.table.scrollToTop()
            else:
                self.model.add_entries(page.entries)
            row = -1 if select is None else self.model.row_of(select)
            if row >= 0:  # in view, not selected: its red marking stays visible
                self.table.scrollTo(self.model.index(row, 0))
            self._show_count()

        self._run(work, done)

    def verify(self) -> None:
        if self.busy:
            return
        self.check_result.hide()
        self.broken_button.hide()
        session = self.session

        def done(check: ChainCheck) -> None:
            self.check = check
            self.model.set_broken(check.first_bad_seq)
            self._show_check()

        self._run(lambda: audit_log.verify(session), done)

    # -- running ---------------------------------------------------------------------
    def _run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self._set_busy(True)

        def succeeded(result: Any) -> None:
            self._set_busy(False)
            done(result)
            self._next()

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            self.message.show_error(error_text(error))
            self._next()

        self.context.runner.submit(work, succeeded, failed)

    def _next(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.verify_button.setEnabled(not busy)
        self.refresh_button.setEnabled(not busy)
        self.broken_button.setEnabled(not busy)
        self.more_button.setEnabled(not busy and self._has_more())
