"""Supervision → Statistics: headline figures, calls over time, and every breakdown as a
chart with the table behind it, for a period (and the call-log filters it was opened
with), optionally beside the previous period or the same period a year before."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QCursor, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline import clock
from hotline.errors import KnownError
from hotline.formatting import format_number, format_percent
from hotline.i18n import N_, _
from hotline.model.call_log import CallLogFilter
from hotline.model.statistics import Breakdown, Dimension, Period, Summary
from hotline.reports.monthly import period_words, write_monthly_report
from hotline.reports.tables import SEVERAL_PER_CONTACT, crosstab_table, ordered_cells
from hotline.roles import Action, allowed
from hotline.services import reports, statistics
from hotline.services.session import Session
from hotline.statistics_labels import label, unit_heading
from ui.supervision.bar_chart import Bar, BarChart, ColumnChart
from ui.supervision.export_dialog import file_filter, not_written, with_suffix
from ui.supervision.period_picker import PeriodPicker
from ui.widgets import MessageLabel, error_text, heading, read_only_table

# (Summary field, label) for the figures at the top.
FIGURES: tuple[tuple[str, str], ...] = (
    ("contacts", N_("Contacts")),
    ("data_contacts", N_("With case data")),
    ("callers", N_("Callers")),
    ("repeat_callers", N_("Repeat callers")),
    ("high_risk", N_("High or urgent risk")),
    ("referrals", N_("Referrals")),
    ("reviewed", N_("Reviewed")),
    ("follow_ups_on_time", N_("Follow-ups on time")),
    ("follow_ups_late", N_("Follow-ups late")),
    ("follow_ups_overdue", N_("Follow-ups overdue")),
)
COMPARE_CHOICES = (
    ("none", N_("No comparison")),
    ("previous", N_("Compare with the period before")),
    ("year", N_("Compare with a year before")),
)


def compared_period(period: Period, how: str) -> Period | None:
    if how == "previous":
        days = (period.last - period.first).days + 1
        return Period(period.first - dt.timedelta(days=days), period.first - dt.timedelta(days=1))
    if how == "year":

        def year_before(day: dt.date) -> dt.date:
            if (day.month, day.day) == (2, 29):
                return day.replace(year=day.year - 1, day=28)
            return day.replace(year=day.year - 1)

        return Period(year_before(period.first), year_before(period.last))
    return None


def change_text(now: int, before: int) -> str:
    if before == 0:
        return "" if now == 0 else "+" + format_number(now)
    return ("+" if now >= before else "") + format_percent((now - before) / before)


class Figure(QWidget):
    """One headline figure: the number big, its name under it, the change beside."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = heading(self, 1.6)
        self.name = QLabel(self)
        self.name.setWordWrap(True)
        self.change = QLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(0)
        top = QHBoxLayout()
        top.addWidget(self.value)
        top.addWidget(self.change, 1, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        layout.addWidget(self.name)


class StatisticsWindow(QWidget):
    def __init__(
        self, session: Session, filter: CallLogFilter | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session = session
        # Filters other than the period come from the call log ("statistics of these calls").
        self.base = (filter or CallLogFilter()).with_period(None, None)
        self.current: statistics.Dashboard | None = None
        self.before: statistics.Dashboard | None = None

        self.title = heading(self, 1.3)
        self.period = PeriodPicker(self, default="this_month")
        if filter is not None and filter.since is not None:
            self.period.set_period(Period(filter.since, filter.until or filter.since))
        self.compare = QComboBox(self)
        for code, _text in COMPARE_CHOICES:
            self.compare.addItem("", code)
        self.base_note = QLabel(self)
        self.base_note.setWordWrap(True)
        self.clear_base_button = QPushButton(self)
        self.clear_base_button.clicked.connect(self._clear_base)
        self.message = MessageLabel(self)
        may_export = allowed(session.user.role, Action.EXPORT_REPORTS)
        self.export_button = QPushButton(self)
        self.export_button.setVisible(may_export)
        self.export_button.clicked.connect(self.export_tables)
        self.report_button = QPushButton(self)
        self.report_button.setVisible(may_export)
        self.report_button.clicked.connect(self.monthly_report)

        self.figures: dict[str, Figure] = {name: Figure(self) for name, _text in FIGURES}
        figures = QGridLayout()
        for i, name in enumerate(self.figures):
            figures.addWidget(self.figures[name], i // 5, i % 5)
        self.series_title = QLabel(self)
        self.series = ColumnChart(self)

        self.dimensions = QListWidget(self)
        for dimension in statistics.DASHBOARD_DIMENSIONS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, dimension.value)
            self.dimensions.addItem(item)
        self.dimensions.setMaximumWidth(230)
        self.split_label = QLabel(self)
        self.split = QComboBox(self)
        self.split.addItem("", "")
        for dimension in statistics.SPLIT_DIMENSIONS:
            self.split.addItem("", dimension.value)
        self.split_label.setBuddy(self.split)
        self.chart = BarChart(self)
        chart_area = QScrollArea(self)
        chart_area.setWidgetResizable(True)
        chart_area.setWidget(self.chart)
        chart_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.table = read_only_table(3, self)

        controls = QHBoxLayout()
        controls.addWidget(self.title)
        controls.addStretch(1)
        controls.addWidget(self.period)
        controls.addWidget(self.compare)
        controls.addWidget(self.export_button)
        controls.addWidget(self.report_button)
        base_row = QHBoxLayout()
        base_row.addWidget(self.base_note, 1)
        base_row.addWidget(self.clear_base_button)
        split_row = QHBoxLayout()
        split_row.addWidget(self.split_label)
        split_row.addWidget(self.split)
        split_row.addStretch(1)
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addLayout(split_row)
        detail_split = QSplitter(Qt.Orientation.Horizontal, detail)
        detail_split.addWidget(chart_area)
        detail_split.addWidget(self.table)
        detail_split.setChildrenCollapsible(False)
        detail_split.setSizes([500, 560])
        detail_layout.addWidget(detail_split, 1)
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(self.dimensions)
        lower.addWidget(detail)
        lower.setStretchFactor(1, 1)
        lower.setChildrenCollapsible(False)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(figures)
        upper_layout.addWidget(self.series_title)
        upper_layout.addWidget(self.series, 1)
        body = QSplitter(Qt.Orientation.Vertical, self)
        body.addWidget(upper)
        body.addWidget(lower)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(base_row)
        layout.addWidget(self.message)
        layout.addWidget(body, 1)

        self.period.changed.connect(self.refresh)
        self.period.changed.connect(self._label_report_button)
        self.compare.currentIndexChanged.connect(self.refresh)
        self.dimensions.currentRowChanged.connect(self._show_dimension)
        self.split.currentIndexChanged.connect(self._show_dimension)
        self.resize(1300, 740)
        self.retranslate()
        self.dimensions.setCurrentRow(0)
        self.refresh()

    # -- text ----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Statistics"))
        self.title.setText(_("Statistics"))
        self.period.retranslate()
        for i, (_code, text) in enumerate(COMPARE_CHOICES):
            self.compare.setItemText(i, _(text))
        for i in range(self.dimensions.count()):
            item = self.dimensions.item(i)
            item.setText(Dimension(item.data(Qt.ItemDataRole.UserRole)).heading)
        self.split_label.setText(_("&Split by:"))
        self.split.setItemText(0, _("Nothing"))
        for i in range(1, self.split.count()):
            self.split.setItemText(i, Dimension(self.split.itemData(i)).heading)
        self.clear_base_button.setText(_("All calls"))
        self.export_button.setText(_("&Export tables…"))
        self._label_report_button()
        self._show_base()
        self._show()

    def _show_base(self) -> None:
        narrowed = not self.base.empty
        self.base_note.setVisible(narrowed)
        self.clear_base_button.setVisible(narrowed)
        self.base_note.setText(
            _("Only the calls chosen by the filters of the call log are counted.")
        )

    def _clear_base(self) -> None:
        self.base = CallLogFilter()
        self._show_base()
        self.refresh()

    # -- computing -----------------------------------------------------------------
    def selected_filter(self) -> CallLogFilter:
        period = self.period.period()
        if period is None:
            return self.base
        return self.base.with_period(period.first, period.last)

    def refresh(self) -> None:
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            chosen = self.selected_filter()
            shown = (self.current_dimension(),)  # the others are counted when chosen
            self.current = statistics.dashboard(self.session, chosen, shown)
            self.before = None
            period = self.period.period()
            other = None if period is None else compared_period(period, self.compare.currentData())
            if other is not None:
                self.before = statistics.dashboard(
                    self.session, self.base.with_period(other.first, other.last), shown
                )
        except KnownError as error:
            self.message.show_error(error_text(error))
            self.current = self.before = None
        else:
            self.message.clear_message()
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.compare.setEnabled(self.period.period() is not None)
        self._show()

    # -- showing -------------------------------------------------------------------
    def _show(self) -> None:
        self._show_figures()
        self._show_series()
        self._show_dimension()

    def _show_figures(self) -> None:
        for name, text in FIGURES:
            figure = self.figures[name]
            figure.name.setText(_(text))
            now = self._figure(self.current, name)
            figure.value.setText("–" if now is None else format_number(now))
            before = self._figure(self.before, name)
            figure.change.setText("" if now is None or before is None else change_text(now, before))
            figure.change.setToolTip(
                "" if before is None else _("Before: %(count)s") % {"count": format_number(before)}
            )

    @staticmethod
    def _figure(board: statistics.Dashboard | None, name: str) -> int | None:
        if board is None:
            return None
        summary: Summary = board.summary
        return int(getattr(summary, name))

    def _show_series(self) -> None:
        if self.current is None:
            self.series.set_columns([])
            self.series_title.setText("")
            return
        series = self.current.series
        self.series_title.setText(
            _("Contacts over time (%(unit)s)") % {"unit": series.dimension.heading.lower()}
        )
        self.series.set_columns(
            [Bar(label(series.dimension, c.code), c.count) for c in series.cells]
        )

    def current_dimension(self) -> Dimension:
        item = self.dimensions.currentItem()
        if item is None:
            return statistics.DASHBOARD_DIMENSIONS[0]
        return Dimension(item.data(Qt.ItemDataRole.UserRole))

    def _breakdown(
        self, board: statistics.Dashboard | None, dimension: Dimension
    ) -> Breakdown | None:
        """The breakdown of ``board`` by ``dimension``, counted now if it was not yet."""
        if board is None:
            return None
        for found in board.breakdowns:
            if found.dimension == dimension:
                return found
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            found = statistics.breakdown(self.session, board.filter, dimension)
        except KnownError as error:
            self.message.show_error(error_text(error))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        grown = replace(board, breakdowns=(*board.breakdowns, found))
        if board is self.current:
            self.current = grown
        elif board is self.before:
            self.before = grown
        return found

    def _show_dimension(self) -> None:
        dimension = self.current_dimension()
        found = self._breakdown(self.current, dimension)
        before = self._breakdown(self.before, dimension)
        if found is None:
            self.chart.set_bars([])
            self.table.setRowCount(0)
            return
        codes = [c.code for c in ordered_cells(found)]
        if before is not None:
            codes += [c.code for c in before.cells if c.code not in codes]
        self.chart.set_bars(
            [
                Bar(
                    label(dimension, code),
                    found.count(code),
                    None if before is None else before.count(code),
                )
                for code in codes
            ]
        )
        split = self.split.currentData()
        if split:
            self._fill_crosstab(dimension, Dimension(split))
        else:
            self._fill_table(found, before, codes)

    def _fill_table(
        self, found: Breakdown, before: Breakdown | None, codes: list[str | None]
    ) -> None:
        headers = [found.dimension.heading, unit_heading(found.dimension.unit), _("Share")]
        if before is not None:
            headers += [_("Before"), _("Change")]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(codes) + 1)
        for row, code in enumerate(codes):
            count = found.count(code)
            share = count / found.total if found.total else 0.0
            values = [label(found.dimension, code), format_number(count), format_percent(share)]
            if before is not None:
                values += [
                    format_number(before.count(code)),
                    change_text(count, before.count(code)),
                ]
            self._set_row(row, values)
        total = [_("Total"), format_number(found.total), ""]
        if before is not None:
            total += [format_number(before.total), change_text(found.total, before.total)]
        self._set_row(len(codes), total, bold=True)

    def _fill_crosstab(self, rows: Dimension, columns: Dimension) -> None:
        """The same rows, order and totals as the exported cross table."""
        try:
            found = statistics.crosstab(self.session, self.selected_filter(), rows, columns)
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        table = crosstab_table(found)
        self.table.setColumnCount(len(table.headers))
        self.table.setHorizontalHeaderLabels(list(table.headers))
        self.table.setRowCount(len(table.rows))
        for r, values in enumerate(table.rows):
            self._set_row(
                r,
                [v if isinstance(v, str) else format_number(v or 0) for v in values],
                bold=r == len(table.rows) - 1 and rows not in SEVERAL_PER_CONTACT,
            )

    def _set_row(self, row: int, values: list[str], *, bold: bool = False) -> None:
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column > 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, column, item)

    # -- files ---------------------------------------------------------------------
    def _label_report_button(self) -> None:
        self.report_button.setText(
            _("Monthly &report for %(month)s…") % {"month": period_words(self.report_month())}
        )

    def report_month(self) -> Period:
        """The calendar month of the period's first day (this month for any time)."""
        period = self.period.period()
        day = clock.local_today() if period is None else period.first
        return Period.month(day.year, day.month)

    def export_tables(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self,
            _("Export tables"),
            "statistics.xlsx",
            ";;".join((file_filter("xlsx"), file_filter("csv"))),
        )
        if path:
            csv = chosen == file_filter("csv") or path.lower().endswith(".csv")
            fmt: reports.Format = "csv" if csv else "xlsx"
            self.export_tables_to(with_suffix(path, fmt), fmt)

    def export_tables_to(self, target: Path, fmt: reports.Format) -> bool:
        """XLSX: the summary and every breakdown, a sheet each; CSV: the table on show."""
        dimensions = (
            (self.current_dimension(),) if fmt == "csv" else statistics.DASHBOARD_DIMENSIONS
        )
        try:
            reports.export_statistics(self.session, self.selected_filter(), target, fmt, dimensions)
        except (KnownError, OSError) as error:
            self.message.show_error(not_written(target, error))
            return False
        self.message.show_info(_("Saved to %(path)s.") % {"path": str(target)})
        return True

    def monthly_report(self) -> None:
        month = self.report_month()
        path, _chosen = QFileDialog.getSaveFileName(
            self,
            _("Monthly report"),
            f"report-{month.first:%Y-%m}.pdf",
            _("PDF document (*.pdf)"),
        )
        if path:
            self.monthly_report_to(with_suffix(path, "pdf"))

    def monthly_report_to(self, target: Path) -> bool:
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            write_monthly_report(self.session, self.report_month(), target, filter=self.base)
        except (KnownError, OSError) as error:
            self.message.show_error(not_written(target, error))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.message.show_info(_("Saved to %(path)s.") % {"path": str(target)})
        return True

    # -- closing -------------------------------------------------------------------
    def discard(self) -> None:
        self.current = self.before = None
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.current = self.before = None
        self.table.setRowCount(0)
        super().closeEvent(event)
