"""The referral directory: search by need, place, language and target group; editing by
supervisors and administrators (audited); CSV import and export; the seed entries from the
source documents, marked historical and unverified."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from dataclasses import replace
from pathlib import Path

from hotline import audit, validation
from hotline.audit import AuditAction
from hotline.directory_search import fold
from hotline.errors import InvalidInput, KnownError
from hotline.i18n import _, ngettext
from hotline.model.organisation import Organisation
from hotline.paths import resources_dir
from hotline.phones import parse_phone
from hotline.reports.spreadsheet import neutral
from hotline.roles import Action
from hotline.services.contact_import import malformed_csv
from hotline.services.session import Session, utc_now
from hotline.store.repositories import organisations as repo
from hotline.store.repositories import settings
from hotline.taxonomy import taxonomy

SEEDED = "directory.seeded"
CSV_COLUMNS = (
    "id", "name", "other_names", "type", "services", "country", "region", "city", "address",
    "phones", "email", "hours", "languages", "target_groups", "cost", "notes", "source",
    "verified_on", "verified_by", "historical", "active",
)  # fmt: skip
_LIST_COLUMNS = ("other_names", "services", "phones", "languages", "target_groups")


def seed_file() -> Path:
    return resources_dir() / "directory" / "seed.json"


def ensure_seeded(session: Session) -> int:
    """Put the seed entries in once per installation; return how many were added."""
    if settings.get(session.db, SEEDED) is not None or not seed_file().exists():
        return 0
    body = json.loads(seed_file().read_text("utf-8"))
    stamp = utc_now()
    added = 0
    with session.db.transaction():
        for item in body["organisations"]:
            org = Organisation(
                id=str(uuid.uuid4()),
                version=1,
                seed_key=item["key"],
                name=item["name"],
                type=item.get("type") or "Other",
                other_names=tuple(item.get("other_names", ())),
                services=tuple(item.get("services", ())),
                country=item.get("country") or None,
                region=item.get("region", ""),
                city=item.get("city", ""),
                address=item.get("address", ""),
                phones=tuple(item.get("phones", ())),
                email=item.get("email", ""),
                hours=item.get("hours", ""),
                languages=tuple(item.get("languages", ())),
                target_groups=tuple(item.get("target_groups", ())),
                notes=item.get("notes", ""),
                source=item.get("source", ""),
                historical=True,
            )
            repo.save(session.db, org, stamp, "system")
            added += 1
        settings.put(session.db, SEEDED, stamp)
        audit.record(session.db, None, AuditAction.RECORD_CREATED, "directory", None, count=added)
    return added


def search(
    session: Session,
    text: str = "",
    *,
    service: str | None = None,
    country: str | None = None,
    target_group: str | None = None,
    language: str | None = None,
    include_inactive: bool = False,
) -> list[Organisation]:
    """Entries matching every given criterion; text ignores case, accents and script."""
    ensure_seeded(session)
    return repo.search(
        session.db,
        repo.DirectoryQuery(
            text=fold(text),
            service=service,
            country=country.upper() if country else None,
            target_group=target_group,
            language=language,
            include_inactive=include_inactive,
        ),
    )


def get(session: Session, organisation_id: str) -> Organisation:
    ensure_seeded(session)
    org = repo.get(session.db, organisation_id)
    if org is None:
        raise KnownError(_("There is no directory entry %(id)s.") % {"id": organisation_id})
    return org


# Free-text fields and their longest length; notes alone may span several lines.
_TEXT_LIMITS = {
    "name": 300, "region": 200, "city": 200, "address": 500, "email": 200, "hours": 300,
    "cost": 300, "notes": 5000, "source": 500, "verified_by": 100,
}  # fmt: skip


def _check_texts(org: Organisation) -> None:
    for column, limit in _TEXT_LIMITS.items():
        value = getattr(org, column)
        validation.checked_text(value, column, single_line=column != "notes")
        if len(value) > limit:
            raise InvalidInput(
                ngettext(
                    "Too long: %(field)s (at most %(n)d character).",
                    "Too long: %(field)s (at most %(n)d characters).",
                    limit,
                )
                % {"field": column, "n": limit}
            )
    for column in _LIST_COLUMNS:
        for item in getattr(org, column):
            validation.checked_text(item, column)
            if len(item) > 300:
                raise InvalidInput(
                    _("Too long: %(field)s (at most %(n)d characters).")
                    % {"field": column, "n": 300}
                )
    if org.verified_on:
        try:
            day = dt.date.fromisoformat(org.verified_on)
        except ValueError as error:
            raise InvalidInput(_("verified_on: not a date like 2026-11-29")) from error
        if not validation.year_in_range(day.year):
            raise InvalidInput(
                _("%(field)s: %(problem)s")
                % {"field": "verified_on", "problem": validation.date_range_problem()}
            )


def validate(org: Organisation, home_country: str) -> Organisation:
    tax = taxonomy()
    _check_texts(org)
    name = " ".join(org.name.split())
    if not name:
        raise InvalidInput(_("An organisation needs a name."))
    tax.check("organisation_types", org.type, "type")
    services = tax.check_all("service_types", org.services, "services")
    targets = tax.check_all("target_groups", org.target_groups, "target_groups")
    phones = []
    for typed in org.phones:
        phone = parse_phone(typed, org.country or home_country)  # raises a clear message
        phones.append(phone.display())
    return replace(org, name=name, services=services, target_groups=targets, phones=tuple(phones))


def save(session: Session, org: Organisation) -> Organisation:
    """Create (version 0 → 1) or change an entry; supervisors and administrators only."""
    session.require(Action.EDIT_DIRECTORY)
    checked = validate(org, session.installation.country)
    stamp = utc_now()
    with session.db.transaction():
        current = repo.get(session.db, checked.id)
        if current is not None and current.version != checked.version:
            raise KnownError(_("Someone else changed this entry while you were editing it."))
        saved = replace(checked, version=checked.version + 1)
        repo.save(session.db, saved, stamp, session.user.username)
        action = AuditAction.RECORD_CREATED if current is None else AuditAction.RECORD_EDITED
        audit.record(
            session.db, session.user.username, action, "organisation", saved.id,
            version=saved.version,
        )  # fmt: skip
    return saved


def export_csv(session: Session) -> str:
    found = search(session, include_inactive=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for org in found:
        row = []
        for column in CSV_COLUMNS:
            value = getattr(org, column)
            if column in _LIST_COLUMNS:
                value = "; ".join(value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            row.append(neutral(str(value if value is not None else "")))
        writer.writerow(row)
    return out.getvalue()


def import_csv(session: Session, text: str) -> int:
    """All rows or none; rows with a known id change that entry, others are added."""
    session.require(Action.EDIT_DIRECTORY)
    ensure_seeded(session)
    # strict: a quotation mark never closed is an error, not the rest of the file in one cell
    reader = csv.DictReader(io.StringIO(text), strict=True)
    try:
        entries = _read_rows(session, reader)
    except csv.Error as error:
        raise malformed_csv(reader.line_num) from error
    with session.db.transaction():
        for org in entries:
            save(session, org)
    return len(entries)


def _read_rows(session: Session, reader: csv.DictReader[str]) -> list[Organisation]:
    unknown = [c for c in reader.fieldnames or [] if c not in CSV_COLUMNS]
    if unknown or "name" not in (reader.fieldnames or []):
        raise KnownError(
            _("The first line must name the columns; unknown: %(unknown)s.")
            % {"unknown": ", ".join(unknown) or "-"}
        )
    entries: list[Organisation] = []
    problems: list[str] = []
    for row in reader:
        try:
            entries.append(_from_row(session, row))
        except InvalidInput as error:
            problems.append(
                _("line %(line)d: %(problem)s")
                % {"line": reader.line_num, "problem": error.message}
            )
    if problems:
        raise KnownError(
            ngettext(
                "%(n)d line has a problem; nothing was imported:",
                "%(n)d lines have problems; nothing was imported:",
                len(problems),
            )
            % {"n": len(problems)},
            hint="\n".join(problems[:20]),
        )
    return entries


def _from_row(session: Session, row: dict[str, str]) -> Organisation:
    def items(column: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in (row.get(column) or "").split(";") if p.strip())

    existing = repo.get(session.db, row["id"]) if row.get("id") else None
    org = Organisation(
        id=existing.id if existing else str(uuid.uuid4()),
        version=existing.version if existing else 0,
        seed_key=existing.seed_key if existing else None,
        name=(row.get("name") or "").strip(),
        type=(row.get("type") or "NGO").strip(),
        other_names=items("other_names"),
        services=items("services"),
        country=(row.get("country") or "").strip().upper() or None,
        region=(row.get("region") or "").strip(),
        city=(row.get("city") or "").strip(),
        address=(row.get("address") or "").strip(),
        phones=items("phones"),
        email=(row.get("email") or "").strip(),
        hours=(row.get("hours") or "").strip(),
        languages=items("languages"),
        target_groups=items("target_groups"),
        cost=(row.get("cost") or "").strip(),
        notes=(row.get("notes") or "").strip(),
        source=(row.get("source") or "").strip(),
        verified_on=(row.get("verified_on") or "").strip() or None,
        verified_by=(row.get("verified_by") or "").strip(),
        historical=(row.get("historical") or "no").strip().lower() in ("yes", "1", "true"),
        active=(row.get("active") or "yes").strip().lower() not in ("no", "0", "false"),
    )
    return validate(org, session.installation.country)
