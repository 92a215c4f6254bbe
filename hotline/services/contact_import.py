"""Importing a spreadsheet journal (CSV) of earlier calls: all rows or none.

Columns are documented in docs/contact-import.md. Every row is checked first; if any row
is wrong, the import stops with the list of problems by line number and nothing is written.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

from hotline.errors import InvalidInput, KnownError
from hotline.i18n import _, ngettext
from hotline.model.contact import Contact
from hotline.services import contacts
from hotline.services.session import Session

COLUMNS = (
    "date", "time", "phone", "channel", "call_type", "caller_relationship", "caller_sex",
    "caller_age_band", "caller_citizenship", "caller_country", "caller_region",
    "call_language", "topics", "summary", "notes", "actions", "consent_keep_data",
    "consent_refer", "consent_share", "follow_up_date", "follow_up_reason", "minor", "danger",
    "duration_minutes", "operator",
)  # fmt: skip
MAX_ERRORS_SHOWN = 20
_YES = {"yes", "y", "1", "true", "да", "ооба", "иә", "ha", "ҳа", "бале", "x", "✓"}
_NO = {"no", "n", "0", "false", "нет", "жок", "жоқ", "yoʻq", "йўқ", "не"}


def _bool(value: str, column: str) -> bool | None:
    text = value.strip().lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise InvalidInput(_("%(column)s: write yes or no") % {"column": column})


def _date(value: str, column: str) -> dt.date:
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidInput(
        _("%(column)s: not a date like 2026-11-22 or 22.11.2026") % {"column": column}
    )


def _time(value: str) -> dt.time:
    text = value.strip() or "00:00"
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise InvalidInput(_("time: not a time like 14:05"))


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def _row_to_json(row: dict[str, str], zone: dt.tzinfo) -> dict[str, Any]:
    day = _date(row.get("date", ""), "date")
    started = dt.datetime.combine(day, _time(row.get("time", ""))).replace(tzinfo=zone)
    data: dict[str, Any] = {
        "started_at": started.isoformat(),
        "phone": row.get("phone", "").strip() or None,
        "channel": row.get("channel", "").strip() or "phone",
        "call_type": row.get("call_type", "").strip() or None,
        "caller": {
            "relationship": row.get("caller_relationship", "").strip() or None,
            "sex": row.get("caller_sex", "").strip() or None,
            "age_band": row.get("caller_age_band", "").strip() or None,
            "citizenship": row.get("caller_citizenship", "").strip() or None,
            "country": row.get("caller_country", "").strip() or None,
            "region": row.get("caller_region", "").strip(),
        },
        "call_language": row.get("call_language", "").strip() or None,
        "topics": _codes(row.get("topics", "")),
        "summary": row.get("summary", ""),
        "notes": row.get("notes", ""),
        "actions": _codes(row.get("actions", "")),
        "consent": {
            "keep_data": _bool(row.get("consent_keep_data", ""), "consent_keep_data"),
            "refer": _bool(row.get("consent_refer", ""), "consent_refer"),
            "share": _bool(row.get("consent_share", ""), "consent_share"),
        },
        "follow_up": {
            "date": _date(row["follow_up_date"], "follow_up_date").isoformat()
            if row.get("follow_up_date", "").strip()
            else None,
            "reason": row.get("follow_up_reason", ""),
        },
        "minor": bool(_bool(row.get("minor", ""), "minor")),
        "danger": bool(_bool(row.get("danger", ""), "danger")),
    }
    minutes = row.get("duration_minutes", "").strip()
    if minutes:
        try:
            length = dt.timedelta(minutes=float(minutes.replace(",", ".")))
        except ValueError as error:
            raise InvalidInput(_("duration_minutes: not a number")) from error
        data["ended_at"] = (started + length).isoformat()
    return data


def _decode(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise KnownError(_("The file is neither UTF-8 nor Windows-1251 text.")) from error
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise KnownError(_("The file is neither UTF-8 nor Windows-1251 text."))


def parse_journal(session: Session, raw: bytes, zone: dt.tzinfo) -> list[Contact]:
    """Every row as an unsaved contact; raise KnownError listing every bad line."""
    text = _decode(raw)
    dialect: type[csv.Dialect] = csv.excel
    if text.strip():
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel  # then the header names tell what is wrong
    # strict: a quotation mark never closed is an error, not the rest of the file in one cell
    reader = csv.DictReader(io.StringIO(text), dialect=dialect, strict=True)
    try:
        return _parse_rows(session, reader, zone)
    except csv.Error as error:
        raise malformed_csv(reader.line_num) from error


def malformed_csv(line: int) -> KnownError:
    """A CSV file the reader cannot split into cells (a quote never closed, a cell longer
    than the reader takes); nothing was imported."""
    return KnownError(
        _(
            "Line %(line)d of the file cannot be read: a quotation mark is never closed or a "
            "cell is far too long. Nothing was imported."
        )
        % {"line": max(line, 1)}
    )


def _parse_rows(session: Session, reader: csv.DictReader[str], zone: dt.tzinfo) -> list[Contact]:
    header = [h.strip() for h in (reader.fieldnames or [])]
    unknown = [h for h in header if h not in COLUMNS]
    if "date" not in header or unknown:
        raise KnownError(
            _(
                "The first line must name the columns; unknown: %(unknown)s. "
                "Known columns: %(known)s."
            )
            % {"unknown": ", ".join(unknown) or "-", "known": ", ".join(COLUMNS)}
        )
    found: list[Contact] = []
    problems: list[str] = []
    for row in reader:
        line = reader.line_num
        clean = {(k or "").strip(): (v or "") for k, v in row.items()}
        try:
            contact = contacts.contact_from_json(session, _row_to_json(clean, zone))
            operator = clean.get("operator", "").strip().lower()
            if operator:
                contact = replace(contact, operator=operator)
            found.append(contact)
        except InvalidInput as error:
            problems.append(
                _("line %(line)d: %(problem)s") % {"line": line, "problem": error.message}
            )
    if problems:
        shown = "\n".join(problems[:MAX_ERRORS_SHOWN])
        raise KnownError(
            ngettext(
                "%(n)d line has a problem; nothing was imported:",
                "%(n)d lines have problems; nothing was imported:",
                len(problems),
            )
            % {"n": len(problems)},
            hint=shown,
        )
    return found


def import_journal(session: Session, path: Path, zone: dt.tzinfo | None = None) -> list[Contact]:
    """Import every row of ``path`` in one transaction; return the saved contacts."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise KnownError(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from error
    local = zone or dt.datetime.now().astimezone().tzinfo or dt.UTC
    parsed = parse_journal(session, raw, local)
    with session.db.transaction():
        return [contacts.save_contact(session, contact) for contact in parsed]
