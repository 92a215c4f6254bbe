"""A date field that may also say "Any date": for the ends of a period in a filter."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QStyle, QWidget

from hotline.i18n import _
from ui.calls.common import DateField, date_format


class OptionalDateField(DateField):
    """The lowest date stands for no date (shown as "Any date"); a clear button inside the
    field goes back to it, and the calendar then opens on the current month."""

    NO_DATE = QDate(2000, 1, 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumDate(self.NO_DATE)
        self.setKeyboardTracking(False)  # one change when typing ends, not one per digit
        self.setDate(self.NO_DATE)
        self.clear_action = QAction(self)
        self.clear_action.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_LineEditClearButton)
        )
        self.clear_action.triggered.connect(self.clear_value)
        self.lineEdit().addAction(self.clear_action, QLineEdit.ActionPosition.TrailingPosition)
        self.dateChanged.connect(self._update_clear)
        self.calendarWidget().installEventFilter(self)
        self.retranslate()
        self._update_clear()

    def retranslate(self) -> None:
        self.setSpecialValueText(_("Any date"))
        self.setDisplayFormat(date_format())
        self.clear_action.setToolTip(_("Any date"))
        self._fit_width()

    def _fit_width(self) -> None:
        """Room for the longest text, the clear button and the calendar arrow (the size
        hint of a date field knows neither the button nor a long special text)."""
        metrics = self.fontMetrics()
        sample = QDate(2000, 12, 28).toString(self.displayFormat())
        text = max(metrics.horizontalAdvance(t) for t in (sample, self.specialValueText()))
        self.setMinimumWidth(text + metrics.height() * 3 + 16)

    def value(self) -> dt.date | None:
        chosen = self.date()
        if chosen == self.NO_DATE:
            return None
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, value: dt.date | None) -> None:
        self.setDate(self.NO_DATE if value is None else QDate(value.year, value.month, value.day))
        self._update_clear()  # also when the caller blocks dateChanged

    def clear_value(self) -> None:
        self.set_value(None)

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt override)
        if self.value() is None:  # the arrows start from today, not from the year 2000
            self.set_value(dt.date.today())
            return
        super().stepBy(steps)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        shown = watched is self.calendarWidget() and event.type() == QEvent.Type.Show
        if shown and self.value() is None:
            today = dt.date.today()
            self.calendarWidget().setCurrentPage(today.year, today.month)
        return super().eventFilter(watched, event)

    def _update_clear(self) -> None:
        self.clear_action.setVisible(self.value() is not None)
