"""Exporting the records gathered here in the layouts of the standards, for the coordinating
NGO's partners: the HTCDS columns (CSV or XLSX) or a CTDC-style k-anonymised CSV; a period
and the sources to include. The file is written in the background; the form stays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from hotline.exchange.aggregates import DEFAULT_K, MAX_K, MIN_K
from hotline.i18n import _, ngettext
from hotline.model.call_log import CallLogFilter
from hotline.services import coordinator
from hotline.services.coordinator import CtdcResult
from hotline.services.session import Session
from ui.context import AppContext
from ui.supervision.export_dialog import file_filter, not_written, with_suffix
from ui.supervision.period_picker import PeriodPicker
from ui.widgets import MessageLabel, hint

# The formats offered: (code, file suffix).
FORMATS: tuple[tuple[str, str], ...] = (
    ("htcds-csv", "csv"),
    ("htcds-xlsx", "xlsx"),
    ("ctdc-csv", "csv"),
)


def fit_rows(view: QListWidget, fewest: int = 2, most: int = 6) -> None:
    """Make ``view`` as tall as its rows (between ``fewest`` and ``most`` of them) and wide
    enough for them (up to a laptop screen's width; longer texts are shortened in the
    middle, whole in their tooltip): no horizontal scroll bar to hide a row."""
    view.ensurePolished()  # the application's font and style decide the row height
    row = view.sizeHintForRow(0) if view.count() else view.fontMetrics().height() + 4
    rows = min(max(view.count(), fewest), most)
    frame = 2 * view.frameWidth()
    height = rows * row + frame + 2
    view.setMinimumHeight(height)
    view.setMaximumHeight(height)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    if view.count():
        scroll_bar = view.verticalScrollBar().sizeHint().width() if view.count() > most else 0
        view.setMinimumWidth(min(view.sizeHintForColumn(0) + frame + scroll_bar + 4, 860))
    for i in range(view.count()):
        view.item(i).setToolTip(view.item(i).text())


class CheckList(QListWidget):
    """Choices as ticks, each with a value; ``values()`` gives the ticked ones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def add(self, text: str, value: str, checked: bool = False) -> QListWidgetItem:
        item = QListWidgetItem(text, self)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        return item

    def values(self) -> tuple[str, ...]:
        return tuple(
            str(self.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        )

    def set_checked(self, value: str, checked: bool = True) -> None:
        for i in range(self.count()):
            item = self.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == value:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def radio_indent(button: QRadioButton) -> int:
    """How far a radio button's text starts from its left edge (to align a note under it)."""
    style = button.style()
    return style.pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth) + style.pixelMetric(
        QStyle.PixelMetric.PM_RadioButtonLabelSpacing
    )


def rows_text(count: int, target: Path) -> str:
    return ngettext("Wrote %(n)d row to %(path)s.", "Wrote %(n)d rows to %(path)s.", count) % {
        "n": count,
        "path": str(target),
    }


def ctdc_text(result: CtdcResult, target: Path) -> str:
    lines = [rows_text(result.rows, target)]
    if result.blanked:
        lines.append(
            ngettext(
                "%(n)d value was left blank so that every row is shared by at least %(k)d records.",
                "%(n)d values were left blank so that every row is shared by at least %(k)d "
                "records.",
                result.blanked,
            )
            % {"n": result.blanked, "k": result.k}
        )
    if result.dropped:
        lines.append(
            ngettext(
                "%(n)d record was left out: it stayed too rare to publish (k = %(k)d).",
                "%(n)d records were left out: they stayed too rare to publish (k = %(k)d).",
                result.dropped,
            )
            % {"n": result.dropped, "k": result.k}
        )
    return "\n".join(lines)


def write(session: Session, filter: CallLogFilter, target: Path, fmt: str, k: int) -> str:
    """Write the export (in the pool); returns what to tell the user."""
    if fmt == "ctdc-csv":
        return ctdc_text(coordinator.export_ctdc(session, filter, target, k), target)
    htcds: coordinator.HtcdsFormat = "xlsx" if fmt == "htcds-xlsx" else "csv"
    return rows_text(coordinator.export_htcds(session, filter, target, htcds), target)


class CoordinatorExportDialog(QDialog):
    def __init__(self, context: AppContext, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self.busy = False
        self.written: Path | None = None
        self.intro = hint(self)
        self.format_group = QButtonGroup(self)
        self.format_buttons: dict[str, QRadioButton] = {}
        self.format_notes: dict[str, QLabel] = {}
        formats = QVBoxLayout()
        formats.setSpacing(2)
        for code, _suffix in FORMATS:
            button = QRadioButton(self)
            note = hint(self)
            self.format_group.addButton(button)
            self.format_buttons[code] = button
            self.format_notes[code] = note
            formats.addWidget(button)
            indented = QHBoxLayout()
            indented.setContentsMargins(0, 0, 0, 6)
            indented.addSpacing(radio_indent(button))
            indented.addWidget(note, 1)
            formats.addLayout(indented)
        self.format_buttons["htcds-csv"].setChecked(True)
        self.k = QSpinBox(self)
        self.k.setRange(MIN_K, MAX_K)
        self.k.setValue(DEFAULT_K)
        self.k.setMaximumWidth(90)
        self.k_note = hint(self)
        k_row = QHBoxLayout()
        k_row.addWidget(self.k)
        k_row.addWidget(self.k_note, 1)
        self.period = PeriodPicker(self, default="any")
        self.sources = CheckList(self)
        for source, text in coordinator.sources(session):
            self.sources.add(text, source)
        self.sources_note = hint(self)
        self.row_labels = [QLabel(self) for _row in range(4)]
        form = QFormLayout()
        form.addRow(self.row_labels[0], formats)
        form.addRow(self.row_labels[1], k_row)
        form.addRow(self.row_labels[2], self.period)
        form.addRow(self.row_labels[3], self.sources)
        form.addRow("", self.sources_note)
        self.result_label = MessageLabel(self)
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        self.buttons.accepted.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.format_group.buttonToggled.connect(self._update)
        self.setMinimumWidth(680)
        self.retranslate()
        self._update()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Export for the coordinating NGO"))
        self.intro.setText(
            _(
                "The records gathered here, in the layouts of the anti-trafficking data "
                "standards. The files hold codes only: no names, phone numbers or free text."
            )
        )
        for row_label, text in zip(
            self.row_labels,
            (_("Format"), _("Smallest group (k)"), _("Period"), _("Sources")),
            strict=True,
        ):
            row_label.setText(text)
        texts = {
            "htcds-csv": (
                _("HTCDS layout, CSV file"),
                _(
                    "One row per case, or per call outside a case, with the HTCDS columns; "
                    "people and phones as pseudonyms."
                ),
            ),
            "htcds-xlsx": (
                _("HTCDS layout, Excel workbook"),
                _("The same rows and columns in an .xlsx workbook."),
            ),
            "ctdc-csv": (
                _("CTDC-style k-anonymised CSV file"),
                _(
                    "A few facts per record and no ids; values shared by fewer than k records "
                    "are left blank, or the record is left out. Safe to publish."
                ),
            ),
        }
        for code, (title, note) in texts.items():
            self.format_buttons[code].setText(title)
            self.format_notes[code].setText(note)
        self.k_note.setText(_("Each row of the CTDC file is shared by at least this many records."))
        self.sources_note.setText(_("Tick the sources to include; none ticked means all."))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save as…"))
        self.period.retranslate()
        texts_now = dict(coordinator.sources(self.session))
        for i in range(self.sources.count()):
            item = self.sources.item(i)
            now = texts_now.get(str(item.data(Qt.ItemDataRole.UserRole)))
            if now:
                item.setText(now)
        fit_rows(self.sources, 2, 5)

    @property
    def fmt(self) -> str:
        return next(code for code, button in self.format_buttons.items() if button.isChecked())

    @property
    def suffix(self) -> str:
        return dict(FORMATS)[self.fmt]

    def _update(self) -> None:
        ctdc = self.fmt == "ctdc-csv"
        self.k.setEnabled(ctdc)
        self.k_note.setEnabled(ctdc)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not self.busy)

    def call_filter(self) -> CallLogFilter:
        period = self.period.period()
        return CallLogFilter(
            since=period.first if period else None,
            until=period.last if period else None,
            sources=self.sources.values(),
        )

    def suggested_name(self) -> str:
        today = dt.date.today().isoformat()
        if self.fmt == "ctdc-csv":
            return f"ctdc-k{self.k.value()}-{today}.csv"
        return f"htcds-{today}.{self.suffix}"

    def choose_file(self) -> None:
        if self.busy:
            return
        path, _selected = QFileDialog.getSaveFileName(
            self, _("Export for the coordinating NGO"), self.suggested_name(),
            file_filter(self.suffix),
        )  # fmt: skip
        if path:
            self.export_to(with_suffix(path, self.suffix))

    def export_to(self, target: Path) -> None:
        """Write the file in the background; the result or the reason is shown below."""
        if self.busy:
            return
        self.message.clear_message()
        session, filter, fmt, k = self.session, self.call_filter(), self.fmt, self.k.value()
        self._set_busy(True)
        self.context.runner.submit(
            lambda: write(session, filter, target, fmt, k),
            lambda text: self._written(target, text),
            lambda error: self._failed(target, error),
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update()
        if busy:
            self.result_label.show_info(_("Writing the file…"))

    def _written(self, target: Path, text: str) -> None:
        self._set_busy(False)
        self.written = target
        self.result_label.show_info(text)

    def _failed(self, target: Path, error: BaseException) -> None:
        self._set_busy(False)
        self.result_label.clear_message()
        self.message.show_error(not_written(target, error))
