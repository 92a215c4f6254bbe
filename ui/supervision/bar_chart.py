"""Bar charts drawn with QPainter: horizontal bars for a breakdown (a second, thinner bar
per row when two periods are compared) and columns for a series over time.

Drawn here rather than with QtCharts: QtCharts is not in PySide6-Essentials, and the
Add-ons would add some 200 MB to an installer meant for modest office PCs."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from hotline.formatting import format_number

FIRST_COLOUR = QColor("#2b6cb0")
SECOND_COLOUR = QColor("#d69e2e")
AXIS_COLOUR = QColor("#666666")
ROW_HEIGHT = 22
MAX_ROWS = 15


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    compared: int | None = None  # the same row in the period compared with


class BarChart(QWidget):
    """Horizontal bars, the longest first as given; at most ``MAX_ROWS`` rows drawn (the
    table beside the chart has them all)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = bars[:MAX_ROWS]
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(420, max(len(self.bars), 1) * ROW_HEIGHT + 12)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(240, max(len(self.bars), 1) * ROW_HEIGHT + 12)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        width = self.width()
        label_width = min(
            max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0) + 8,
            int(width * 0.45),
        )
        top = max((max(b.value, b.compared or 0) for b in self.bars), default=0) or 1
        number_width = (
            max((metrics.horizontalAdvance(self._value_text(b)) for b in self.bars), default=0) + 10
        )
        room = max(width - label_width - number_width - 8, 10)
        for i, bar in enumerate(self.bars):
            y = 6 + i * ROW_HEIGHT
            painter.setPen(self.palette().text().color())
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.drawText(
                QRectF(0, y, label_width - 8, ROW_HEIGHT),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            compared = bar.compared is not None
            height = (ROW_HEIGHT - 8) / (2 if compared else 1)
            length = room * bar.value / top
            painter.fillRect(QRectF(label_width, y + 4, length, height), FIRST_COLOUR)
            if compared:
                other = room * (bar.compared or 0) / top
                painter.fillRect(QRectF(label_width, y + 4 + height, other, height), SECOND_COLOUR)
            painter.setPen(AXIS_COLOUR)
            end = max(length, room * (bar.compared or 0) / top)
            painter.drawText(
                QRectF(label_width + end + 4, y, number_width, ROW_HEIGHT),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                self._value_text(bar),
            )
        painter.end()

    @staticmethod
    def _value_text(bar: Bar) -> str:
        value = format_number(bar.value)
        if bar.compared is not None:
            value += " / " + format_number(bar.compared)
        return value


class ColumnChart(QWidget):
    """Counts over time as columns; labels under the first column and then as often as
    they fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: list[Bar] = []
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_columns(self, columns: list[Bar]) -> None:
        self.columns = columns
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(600, 180)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        top_value = max((c.value for c in self.columns), default=0) or 1
        left = metrics.horizontalAdvance(format_number(top_value)) + 8
        bottom = self.height() - line - 6
        chart_height = max(bottom - line, 10)
        count = max(len(self.columns), 1)
        step = (self.width() - left - 4) / count
        painter.setPen(AXIS_COLOUR)
        painter.drawLine(left, bottom, self.width() - 4, bottom)
        painter.drawText(
            QRectF(0, bottom - chart_height - line / 2, left - 4, line),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            format_number(top_value),
        )
        label_room = max((metrics.horizontalAdvance(c.label) for c in self.columns), default=0) + 12
        every = max(1, int(label_room // max(step, 1)) + 1)
        for i, column in enumerate(self.columns):
            x = left + i * step
            height = chart_height * column.value / top_value
            painter.fillRect(
                QRectF(x + step * 0.15, bottom - height, max(step * 0.7, 1), height), FIRST_COLOUR
            )
            if i % every == 0:
                painter.setPen(AXIS_COLOUR)
                painter.drawText(
                    QRectF(x, bottom + 3, label_room, line),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                    column.label,
                )
        painter.end()
