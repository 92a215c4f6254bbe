"""Page layout shared by our A4 reports: DejaVu styles, tables whose text wraps, and a
footer with "Page N of M" (the document is laid out twice: first to count the pages)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from hotline.i18n import _
from hotline.slips import FONT, FONT_BOLD, register_fonts

MARGIN = 18 * mm
FRAME_PADDING = 6  # platypus frames keep 6 pt inside the margins
PAGE_WIDTH, PAGE_HEIGHT = A4
TEXT_WIDTH = PAGE_WIDTH - 2 * (MARGIN + FRAME_PADDING)
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#cbd2d9")
SHADE = colors.HexColor("#eef2f6")
ACCENT = colors.HexColor("#2f6f9f")


def fonts() -> None:
    """DejaVu for every style; ``<b>`` in a paragraph picks the bold face."""
    register_fonts()
    registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _style(name: str, size: float, *, bold: bool = False, **extra: Any) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        leading=size * 1.3,
        textColor=extra.pop("textColor", INK),
        **extra,
    )


class Styles:
    title: ParagraphStyle = _style("title", 20, bold=True, spaceAfter=4)
    subtitle: ParagraphStyle = _style("subtitle", 13, bold=True, spaceAfter=2)
    heading: ParagraphStyle = _style(
        "heading", 12.5, bold=True, spaceBefore=10, spaceAfter=5, keepWithNext=1
    )
    body: ParagraphStyle = _style("body", 9.5, spaceAfter=3)
    small: ParagraphStyle = _style("small", 8, textColor=MUTED, spaceBefore=2, spaceAfter=2)
    cell: ParagraphStyle = _style("cell", 8.5)
    cell_bold: ParagraphStyle = _style("cell_bold", 8.5, bold=True)
    number: ParagraphStyle = _style("number", 8.5, alignment=TA_RIGHT)
    number_bold: ParagraphStyle = _style("number_bold", 8.5, bold=True, alignment=TA_RIGHT)


STYLES = Styles()


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: a label may hold & or <)."""
    return Paragraph(escape(text), style)


def grid(
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    total_row: bool = False,
) -> Table:
    """A table of text: the first column wraps as text, the others are right-aligned
    figures; header cells wrap too. Split across pages, the header repeats and neither
    page is left with a lone row or two."""
    cells: list[list[Paragraph]] = []
    for index, row in enumerate(rows):
        strong = index < header_rows or (total_row and index == len(rows) - 1)
        text_style = STYLES.cell_bold if strong else STYLES.cell
        number_style = STYLES.number_bold if strong else STYLES.number
        cells.append(
            [para(value, text_style if i == 0 else number_style) for i, value in enumerate(row)]
        )
    table = Table(cells, colWidths=list(widths), repeatRows=header_rows)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # else Helvetica (not embedded) is listed
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
    ]
    head = min(header_rows + 2, len(rows)) - 1
    commands += [("NOSPLIT", (0, 0), (-1, head)), ("NOSPLIT", (0, max(0, len(rows) - 3)), (-1, -1))]
    if total_row:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.9, INK))
    table.setStyle(TableStyle(commands))
    return table


def render(title: str, footer: str, story: Callable[[], list[Any]]) -> bytes:
    """The PDF of ``story`` (a fresh list of flowables each call), A4 portrait."""
    fonts()
    pages = 0
    data = b""
    for _pass in range(2):  # the first pass counts the pages for the footer
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm,
            title=title,
            pageCompression=1,
            initialFontName=FONT,
        )

        def page_footer(canvas: Any, doc: Any, total: int = pages) -> None:
            canvas.saveState()
            canvas.setFont(FONT, 7.5)
            canvas.setFillColor(MUTED)
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.4)
            left, right = MARGIN + FRAME_PADDING, PAGE_WIDTH - MARGIN - FRAME_PADDING
            y = MARGIN - 2 * mm
            canvas.line(left, y + 3.5 * mm, right, y + 3.5 * mm)
            canvas.drawString(left, y, footer)
            number = _("Page %(page)d of %(pages)d") % {
                "page": doc.page,
                "pages": max(total, doc.page),
            }
            canvas.drawRightString(right, y, number)
            canvas.restoreState()

        doc.build(story(), onFirstPage=page_footer, onLaterPages=page_footer)
        pages = doc.page
        data = buffer.getvalue()
    return data
