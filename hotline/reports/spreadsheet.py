"""Tables as CSV (UTF-8 with a byte order mark, so that Excel reads Cyrillic right) and as
a small XLSX workbook written with zipfile in memory: one worksheet per table, inline
strings, numbers as numbers, a bold header row. Text that a spreadsheet would run as a
formula is neutralised in both; an XLSX cell is never a formula. No temporary folders:
files are written next to their target and renamed into place (``hotline.fsutil``)."""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol
from xml.sax.saxutils import escape, quoteattr

from hotline.errors import KnownError
from hotline.fsutil import atomic_write, durable_replace, remove_if_exists
from hotline.i18n import _

CellValue = str | int | float | None

BOM = "\ufeff"
MAX_SHEET_NAME = 31
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed number or phone number (digits, spaces, . , ; ( ) / -): no letters, so a
# spreadsheet can neither call a function nor reach another cell with it.
_HARMLESS = re.compile(r"[+-][0-9 .,;()/-]*[0-9][0-9 .,;()/-]*")
# Characters XML 1.0 does not allow (tab, line feed and carriage return are allowed).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same tables give the same bytes


def neutral(cell: str) -> str:
    """Spreadsheets run text starting with = + - @ (and tab or carriage return, which
    they skip) as a formula: quote it, unless it is only a signed number or phone."""
    if cell.startswith(_FORMULA_STARTS) and not _HARMLESS.fullmatch(cell):
        return "'" + cell
    return cell


class Sheet(Protocol):
    """A titled grid: ``rows`` may be read only once (a stream of pages)."""

    @property
    def title(self) -> str: ...

    @property
    def headers(self) -> Sequence[str]: ...

    @property
    def rows(self) -> Iterable[Sequence[CellValue]]: ...


@dataclass(frozen=True)
class StreamedSheet:
    """A sheet whose rows come from a generator (read once, while it is written)."""

    title: str
    headers: tuple[str, ...]
    rows: Iterable[Sequence[CellValue]]


# --- CSV ---------------------------------------------------------------------------------


def _csv_cell(value: CellValue) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutral(value)
    return value


def _csv_lines(sheet: Sheet) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutral(h) for h in sheet.headers])
    yield out.getvalue()
    for row in sheet.rows:
        out.seek(0)
        out.truncate()
        writer.writerow([_csv_cell(v) for v in row])
        yield out.getvalue()


def csv_text(sheets: Iterable[Sheet]) -> str:
    """Tables one after another, each under a line with its title, a blank line between."""
    parts: list[str] = []
    for sheet in sheets:
        if parts:
            parts.append("\r\n")
        title = io.StringIO()
        csv.writer(title, lineterminator="\r\n").writerow([neutral(sheet.title)])
        parts.append(title.getvalue())
        parts.extend(_csv_lines(sheet))
    return "".join(parts)


def csv_bytes(sheets: Iterable[Sheet]) -> bytes:
    return (BOM + csv_text(sheets)).encode("utf-8")


def cannot_write(path: Path, error: OSError) -> KnownError:
    return KnownError(
        _("Cannot write %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
    )


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write(path, data)
    except OSError as error:
        remove_if_exists(path.with_name(path.name + ".tmp"))
        raise cannot_write(path, error) from error


def write_csv(sheet: Sheet, path: Path) -> None:
    """One table: a header line, then its rows (no title line, so any program reads it)."""
    _write(path, (BOM + "".join(_csv_lines(sheet))).encode("utf-8"))


def stream_csv(sheet: Sheet, path: Path) -> int:
    """Like ``write_csv``, but rows go to disk as they come (never all in memory): into a
    file beside ``path``, renamed over it once complete. Returns the number of rows."""
    partial = path.with_name(path.name + ".tmp")
    count = -1  # the header line is not a row
    try:
        with open(partial, "wb") as handle:
            handle.write(BOM.encode("utf-8"))
            for line in _csv_lines(sheet):
                handle.write(line.encode("utf-8"))
                count += 1
            handle.flush()
        durable_replace(partial, path)
    except BaseException as error:
        remove_if_exists(partial)
        if isinstance(error, OSError):
            raise cannot_write(path, error) from error
        raise
    return count


# --- XLSX --------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_STYLES = (
    _XML + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_BOLD = 1  # index into cellXfs


def xml_text(text: str) -> str:
    """``text`` escaped for an XML element, without the characters XML cannot hold (a
    carriage return as a reference, since a parser reads a bare one as a line feed)."""
    return escape(_NOT_XML.sub("", text), {"\r": "&#13;"})


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _name_length(name: str) -> int:
    return len(name.encode("utf-16-le")) // 2  # Excel counts UTF-16 code units


def _shortened(name: str, limit: int) -> str:
    while _name_length(name) > limit:
        name = name[:-1]
    return name.rstrip()


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Names Excel accepts: none of [ ] : * ? / \\, no apostrophe at either end, at most 31
    characters, not "History", and unique (ignoring case)."""
    names: list[str] = []
    taken: set[str] = set()
    for number, title in enumerate(titles, start=1):
        base = " ".join(_NOT_IN_SHEET_NAME.sub(" ", _NOT_XML.sub("", title)).split()).strip("'")
        base = _shortened(base, MAX_SHEET_NAME) or f"Sheet{number}"
        if base.casefold() == "history":
            base += " 1"
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = _shortened(base, MAX_SHEET_NAME - len(suffix)) + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _cell(ref: str, value: CellValue, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, int | float) and math.isfinite(value):
        return f'<c r="{ref}"{styled}><v>{value!r}</v></c>'
    text = str(value)
    # Inline text, never <f>: what looks like a formula stays text (and is neutralised too).
    return (
        f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">'
        f"{xml_text(neutral(text))}</t></is></c>"
    )


def _row_xml(number: int, values: Sequence[CellValue], style: int = 0) -> str:
    cells = "".join(_cell(f"{column_letters(i)}{number}", v, style) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def _write_sheet(handle: IO[bytes], sheet: Sheet) -> None:
    write = handle.write
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{min(60, max(10, len(h) + 4))}" customWidth="1"/>'
        for i, h in enumerate(sheet.headers, start=1)
    )
    write(
        (
            _XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            "</sheetView></sheetViews>"
            + (f"<cols>{widths}</cols>" if widths else "")
            + "<sheetData>"
            + _row_xml(1, list(sheet.headers), _BOLD)
        ).encode("utf-8")
    )
    for number, row in enumerate(sheet.rows, start=2):
        write(_row_xml(number, row).encode("utf-8"))
    write(b"</sheetData></worksheet>")


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    names = sheet_names(s.title for s in sheets)
    numbers = range(1, len(sheets) + 1)
    content_types = (
        _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in numbers
        )
        + "</Types>"
    )
    package_rels = (
        _XML + f'<Relationships xmlns="{_PKG_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        _XML
        + f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets>'
        + "".join(
            f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
            for n, name in zip(numbers, names, strict=True)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        _XML
        + f'<Relationships xmlns="{_PKG_RELS}">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{_DOC_RELS}/worksheet" '
            f'Target="worksheets/sheet{n}.xml"/>'
            for n in numbers
        )
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_DOC_RELS}/styles" '
        'Target="styles.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(_entry("[Content_Types].xml"), content_types)
        package.writestr(_entry("_rels/.rels"), package_rels)
        package.writestr(_entry("xl/workbook.xml"), workbook)
        package.writestr(_entry("xl/_rels/workbook.xml.rels"), workbook_rels)
        package.writestr(_entry("xl/styles.xml"), _STYLES)
        for n, sheet in zip(numbers, sheets, strict=True):
            with package.open(_entry(f"xl/worksheets/sheet{n}.xml"), "w") as handle:
                _write_sheet(handle, sheet)
    return buffer.getvalue()


def write_xlsx(sheets: Sequence[Sheet], path: Path) -> None:
    _write(path, xlsx_bytes(sheets))
