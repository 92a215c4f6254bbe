"""Bar charts for reports (reportlab graphics): columns over time, and horizontal bars
whose category labels wrap within their margin instead of running into the bars."""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from hotline.formatting import format_number
from hotline.reports.layout import ACCENT, INK, MUTED, RULE
from hotline.slips import FONT

LABEL_SIZE = 7.5
LABEL_LEADING = 9.0
MAX_LABEL_LINES = 3
ELLIPSIS = "…"


def wrap_label(text: str, width: float, size: float = LABEL_SIZE) -> list[str]:
    """``text`` in lines no wider than ``width`` (a word too long for one line is cut
    between letters); at most MAX_LABEL_LINES, the last ending in … if text is left over."""
    lines: list[str] = []
    for line in simpleSplit(text, FONT, size, width) or [""]:
        while stringWidth(line, FONT, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], FONT, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    if len(lines) <= MAX_LABEL_LINES:
        return lines
    last = lines[MAX_LABEL_LINES - 1]
    while last and stringWidth(last + ELLIPSIS, FONT, size) > width:
        last = last[:-1]
    return [*lines[: MAX_LABEL_LINES - 1], last.rstrip() + ELLIPSIS]


def _scale(largest: int) -> tuple[int, int]:
    """A round top and step for a value axis from 0 with at most five steps."""
    if largest <= 0:
        return 1, 1
    step = 1
    while math.ceil(largest / step) > 5:
        step = _next_step(step)
    return step * math.ceil(largest / step), step


def _next_step(step: int) -> int:
    """1, 2, 5, 10, 20, 50 …"""
    return step * 5 // 2 if str(step)[0] == "2" else step * 2


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT  # else the canvas is set to Helvetica (not embedded)
    return drawing


def column_chart(
    labels: Sequence[str], values: Sequence[int], width: float, height: float = 52 * mm
) -> Drawing:
    """Vertical bars, one per label (days of a month), with a counted value axis. Labels
    longer than a day's number are slanted so that neighbours do not overlap."""
    slanted = max((len(text) for text in labels), default=0) > 3
    drawing = _drawing(width, height + (12 * mm if slanted else 0))
    chart = VerticalBarChart()
    chart.x = 12 * mm
    chart.y = 19 * mm if slanted else 7 * mm
    chart.width = width - chart.x - 1 * mm
    chart.height = height - 10 * mm
    chart.data = [list(values)]
    chart.barWidth = 7
    chart.groupSpacing = 3
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    axis = chart.categoryAxis
    axis.categoryNames = list(labels)
    axis.strokeColor = INK
    axis.strokeWidth = 0.5
    axis.tickDown = 2
    axis.labels.fontName = FONT
    axis.labels.fontSize = 6.5
    axis.labels.fillColor = MUTED
    axis.labels.dy = -2
    if slanted:
        axis.labels.angle = 35
        axis.labels.boxAnchor = "ne"
    top, step = _scale(max(values, default=0))
    scale = chart.valueAxis
    scale.valueMin = 0
    scale.valueMax = top
    scale.valueStep = step
    scale.labelTextFormat = lambda v: format_number(int(v))
    scale.labels.fontName = FONT
    scale.labels.fontSize = 6.5
    scale.labels.fillColor = MUTED
    scale.visibleGrid = 1
    scale.gridStrokeColor = RULE
    scale.gridStrokeWidth = 0.4
    scale.visibleAxis = 0
    scale.visibleTicks = 0
    drawing.add(chart)
    return drawing


def bar_chart(labels: Sequence[str], values: Sequence[int], width: float) -> Drawing:
    """Horizontal bars, first label at the top, each bar with its count at its end."""
    label_width = 60 * mm
    wrapped = [wrap_label(text, label_width - 6) for text in labels]
    lines = max((len(w) for w in wrapped), default=1)
    row = max(15.0, lines * LABEL_LEADING + 5)
    drawing = _drawing(width, row * len(labels) + 4)
    chart = HorizontalBarChart()
    chart.x = label_width
    chart.y = 2
    chart.height = row * len(labels)
    chart.width = width - label_width - 14 * mm
    chart.data = [list(values)]
    chart.barWidth = 10
    chart.groupSpacing = row - 10
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda v: format_number(int(v))
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.fillColor = INK
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    axis = chart.categoryAxis
    axis.categoryNames = ["\n".join(w) for w in wrapped]
    axis.reverseDirection = 1
    axis.strokeColor = INK
    axis.strokeWidth = 0.5
    axis.visibleTicks = 0
    axis.labels.fontName = FONT
    axis.labels.fontSize = LABEL_SIZE
    axis.labels.leading = LABEL_LEADING
    axis.labels.fillColor = INK
    axis.labels.boxAnchor = "e"
    axis.labels.textAnchor = "end"
    axis.labels.dx = -4
    scale = chart.valueAxis
    scale.valueMin = 0
    scale.valueMax = max(max(values, default=0), 1)
    scale.visible = 0
    drawing.add(chart)
    return drawing
