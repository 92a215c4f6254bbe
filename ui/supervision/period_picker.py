"""Choosing a period: any time, today, the last 7 days, this or last month, this year, or
two dates of one's own."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from hotline import clock
from hotline.i18n import N_, _
from hotline.model.statistics import Period
from ui.calls.common import DateField, date_format

CHOICES: tuple[tuple[str, str], ...] = (
    ("any", N_("Any time")),
    ("today", N_("Today")),
    ("week", N_("Last 7 days")),
    ("this_month", N_("This month")),
    ("last_month", N_("Last month")),
    ("this_year", N_("This year")),
    ("custom", N_("From … to …")),
)


def period_for(choice: str, today: dt.date) -> Period | None:
    if choice == "today":
        return Period(today, today)
    if choice == "week":
        return Period(today - dt.timedelta(days=6), today)
    if choice == "this_month":
        return Period(today.replace(day=1), today)
    if choice == "last_month":
        return Period.month(today.year, today.month).previous_month()
    if choice == "this_year":
        return Period(dt.date(today.year, 1, 1), today)
    return None


class PeriodPicker(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, default: str = "any") -> None:
        super().__init__(parent)
        self.choice = QComboBox(self)
        for code, _text in CHOICES:
            self.choice.addItem("", code)
        self.first = DateField(self)
        self.last = DateField(self)
        self.dash = QLabel("–", self)
        today = QDate.currentDate()
        self.first.setDate(today.addDays(-30))
        self.last.setDate(today)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.choice)
        layout.addWidget(self.first)
        layout.addWidget(self.dash)
        layout.addWidget(self.last)
        self.choice.setCurrentIndex(max(self.choice.findData(default), 0))
        self.choice.currentIndexChanged.connect(self._chosen)
        self.first.dateChanged.connect(self._dates_changed)
        self.last.dateChanged.connect(self._dates_changed)
        self._show_dates()
        self.retranslate()

    def retranslate(self) -> None:
        for i, (_code, text) in enumerate(CHOICES):
            self.choice.setItemText(i, _(text))
        self.choice.setToolTip(_("Period"))
        self.first.setDisplayFormat(date_format())
        self.last.setDisplayFormat(date_format())
        self.first.setToolTip(_("First day"))
        self.last.setToolTip(_("Last day"))

    def _show_dates(self) -> None:
        custom = self.choice.currentData() == "custom"
        for widget in (self.first, self.dash, self.last):
            widget.setVisible(custom)

    def _chosen(self) -> None:
        self._show_dates()
        self.changed.emit()

    def _dates_changed(self) -> None:
        if self.choice.currentData() == "custom":
            self.changed.emit()

    def period(self) -> Period | None:
        """The chosen period (None: any time). Custom dates in the wrong order are swapped
        rather than refused: the meaning is clear."""
        code = str(self.choice.currentData())
        if code != "custom":
            return period_for(code, clock.local_today())
        first, last = self.first.date().toPython(), self.last.date().toPython()
        assert isinstance(first, dt.date) and isinstance(last, dt.date)
        return Period(min(first, last), max(first, last))

    def set_period(self, period: Period | None) -> None:
        """Show ``period`` (a saved filter's) as custom dates, or any time."""
        self.blockSignals(True)
        if period is None:
            self.choice.setCurrentIndex(self.choice.findData("any"))
        else:
            self.first.setDate(QDate(period.first.year, period.first.month, period.first.day))
            self.last.setDate(QDate(period.last.year, period.last.month, period.last.day))
            self.choice.setCurrentIndex(self.choice.findData("custom"))
        self._show_dates()
        self.blockSignals(False)
