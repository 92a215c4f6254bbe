"""Referral slips: a small PDF the caller takes to the service (reportlab).

Minimal disclosure: the slip carries a reference code, never the caller's name unless the
caller agreed and the operator chose to print it. The QR code holds only the reference
(and, if asked, the service's phone as a tel: URI). Fonts are embedded (DejaVu Sans), so
every letter of our languages renders.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from hotline.formatting import country_name, format_date
from hotline.i18n import load_translations
from hotline.model.organisation import Organisation
from hotline.paths import resources_dir
from hotline.taxonomy import taxonomy

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
SIZES = {"a6": A6, "a4half": (A4[0], A4[1] / 2)}


@cache
def register_fonts() -> None:
    """Make DejaVu Sans (regular and bold) known to reportlab; every PDF of ours embeds it."""
    folder = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))


@dataclass(frozen=True)
class SlipRequest:
    organisation: Organisation
    service: str | None
    reference: str
    hotline_name: str
    hotline_phone: str
    language: str  # the caller's language for the slip
    date: dt.date
    caller_name: str = ""  # printed only when the caller agreed
    size: str = "a6"
    phone_in_qr: bool = False


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        words = paragraph.split()
        line = ""
        for word in words:
            candidate = f"{line} {word}".strip()
            if pdfmetrics.stringWidth(candidate, font, size) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def render_slip(request: SlipRequest) -> bytes:
    """The slip as PDF bytes (kept in memory: the caller decides where it goes)."""
    register_fonts()
    tr = load_translations(request.language)
    _ = tr.gettext  # the slip speaks the caller's language, not the operator's
    org = request.organisation
    width, height = SIZES[request.size]
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=(width, height), pageCompression=1, initialFontName=FONT)
    pdf.setTitle(_("Referral slip"))
    margin = 8 * mm
    qr_size = 26 * mm
    text_width = width - 2 * margin - qr_size - 4 * mm
    y = height - margin - 4 * mm

    def write(text: str, size: float = 8.5, bold: bool = False, limit: float = text_width) -> None:
        nonlocal y
        font = FONT_BOLD if bold else FONT
        for line in _wrap(text, font, size, limit):
            pdf.setFont(font, size)
            pdf.drawString(margin, y, line)
            y -= size * 1.35

    write(_("Referral slip"), 12, bold=True)
    write(request.hotline_name, 8.5)
    y -= 2
    write(org.name, 11, bold=True)
    if request.service:
        term = taxonomy().get("service_types", request.service)
        service = tr.pgettext("taxonomy:service_types", term.label) if term else request.service
        write(_("Service: %(service)s") % {"service": service})
    place = ", ".join(
        p
        for p in (
            org.address,
            org.city,
            org.region,
            country_name(org.country or "", request.language),
        )
        if p
    )
    if place:
        write(_("Address: %(place)s") % {"place": place}, limit=width - 2 * margin)
    if org.phones:
        write(_("Phone: %(phones)s") % {"phones": ", ".join(org.phones)}, 10, bold=True,
              limit=width - 2 * margin)  # fmt: skip
    if org.hours:
        write(_("Opening hours: %(hours)s") % {"hours": org.hours}, limit=width - 2 * margin)
    y -= 2
    write(_("Please bring an identity document if you have one, and this slip."),
          limit=width - 2 * margin)  # fmt: skip
    if request.caller_name:
        write(_("For: %(name)s") % {"name": request.caller_name}, limit=width - 2 * margin)
    y -= 2
    write(_("Reference: %(reference)s") % {"reference": request.reference}, 10, bold=True,
          limit=width - 2 * margin)  # fmt: skip
    write(_("Date: %(date)s") % {"date": format_date(request.date, "medium", request.language)})
    write(_("Hotline: %(phone)s") % {"phone": request.hotline_phone}, limit=width - 2 * margin)
    if org.historical:
        write(_("Contact details from an old list: call before you go."), 7.5,
              limit=width - 2 * margin)  # fmt: skip

    payload = request.reference
    if request.phone_in_qr and org.phones:
        payload = f"{request.reference}\ntel:{org.phones[0].replace(' ', '')}"
    widget = QrCodeWidget(payload)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, width - margin - qr_size, height - margin - qr_size)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
