"""Contacts table: one row per contact holding its current version."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from hotline.errors import BugError
from hotline.model.contact import Caller, Consent, Contact, ContactSummary, FollowUp
from hotline.phones import Phone, PhoneKind
from hotline.store.connection import Database, Row
from hotline.store.repositories import screenings

_COLUMNS = (
    "id", "version", "reference", "site", "operator", "started_at", "ended_at",
    "duration_seconds", "channel", "call_type", "is_data", "caller_relationship", "caller_sex",
    "caller_age_band", "caller_citizenship", "caller_country", "caller_region", "caller_name",
    "call_language", "phone_typed", "phone_e164", "phone_kind", "phone_country", "phone_key",
    "topics", "summary", "notes", "actions", "consent_keep_data", "consent_refer",
    "consent_share", "follow_up_date", "follow_up_reason", "follow_up_done", "flag_minor",
    "flag_danger", "risk_level", "case_id", "created_at", "created_by", "updated_at",
    "updated_by", "follow_up_done_on",
)  # fmt: skip
# The statements are assembled once, at import, from the constant column list above;
# every value is a parameter.
_INSERT = (
    "INSERT INTO contacts (" + ", ".join(_COLUMNS) + ") VALUES ("  # noqa: S608
    + ", ".join("?" for _ in _COLUMNS) + ")"
)  # fmt: skip
_UPDATE = (
    "UPDATE contacts SET " + ", ".join(f"{c} = ?" for c in _COLUMNS[1:])  # noqa: S608
    + " WHERE id = ? AND version = ?"
)  # fmt: skip
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM contacts"  # noqa: S608


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _values(contact: Contact, is_data: bool) -> tuple[object, ...]:
    phone = contact.phone
    return (
        contact.id,
        contact.version,
        contact.reference,
        contact.site,
        contact.operator,
        contact.started_at.isoformat(),
        None if contact.ended_at is None else contact.ended_at.isoformat(),
        contact.duration_seconds,
        contact.channel,
        contact.call_type,
        int(is_data),
        contact.caller.relationship,
        contact.caller.sex,
        contact.caller.age_band,
        contact.caller.citizenship,
        contact.caller.country,
        contact.caller.region,
        contact.caller.name,
        contact.call_language,
        "" if phone is None else phone.typed,
        None if phone is None else phone.e164,
        None if phone is None else phone.kind.value,
        None if phone is None else phone.country,
        None if phone is None else phone.match_key,
        json.dumps(list(contact.topics)),
        contact.summary,
        contact.notes,
        json.dumps(list(contact.actions)),
        _flag(contact.consent.keep_data),
        _flag(contact.consent.refer),
        _flag(contact.consent.share),
        None if contact.follow_up.date is None else contact.follow_up.date.isoformat(),
        contact.follow_up.reason,
        int(contact.follow_up.done),
        int(contact.minor),
        int(contact.danger),
        contact.risk_level,
        contact.case_id,
        contact.created_at,
        contact.created_by,
        contact.updated_at,
        contact.updated_by,
        None if contact.follow_up.done_on is None else contact.follow_up.done_on.isoformat(),
    )


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _contact(row: Row) -> Contact:
    phone = None
    if row["phone_kind"]:
        phone = Phone(
            typed=row["phone_typed"],
            e164=row["phone_e164"],
            kind=PhoneKind(row["phone_kind"]),
            country=row["phone_country"],
        )
    return Contact(
        id=row["id"],
        version=row["version"],
        reference=row["reference"],
        site=row["site"],
        operator=row["operator"],
        started_at=dt.datetime.fromisoformat(row["started_at"]),
        ended_at=None if row["ended_at"] is None else dt.datetime.fromisoformat(row["ended_at"]),
        channel=row["channel"],
        call_type=row["call_type"],
        caller=Caller(
            relationship=row["caller_relationship"],
            sex=row["caller_sex"],
            age_band=row["caller_age_band"],
            citizenship=row["caller_citizenship"],
            country=row["caller_country"],
            region=row["caller_region"],
            name=row["caller_name"],
        ),
        call_language=row["call_language"],
        phone=phone,
        topics=tuple(json.loads(row["topics"])),
        summary=row["summary"],
        notes=row["notes"],
        actions=tuple(json.loads(row["actions"])),
        consent=Consent(
            keep_data=_bool(row["consent_keep_data"]),
            refer=_bool(row["consent_refer"]),
            share=_bool(row["consent_share"]),
        ),
        follow_up=FollowUp(
            date=None
            if row["follow_up_date"] is None
            else dt.date.fromisoformat(row["follow_up_date"]),
            reason=row["follow_up_reason"],
            done=bool(row["follow_up_done"]),
            done_on=None
            if row["follow_up_done_on"] is None
            else dt.date.fromisoformat(row["follow_up_done_on"]),
        ),
        minor=bool(row["flag_minor"]),
        danger=bool(row["flag_danger"]),
        risk_level=row["risk_level"],
        case_id=row["case_id"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
    )


TEXT_TRIGGER = "contact_text_insert"


@contextmanager
def text_indexed_afterwards(db: Database) -> Iterator[None]:
    """Inside a transaction: calls inserted in the block are put into the full-text index
    with two set-wise statements at its end, instead of one trigger run per call (a batch
    import spent 9 of its 16 s there). The trigger is dropped and put back as it was within
    the same transaction, so a failure rolls both back. Only inserts are deferred: the update
    and delete triggers keep working."""
    if not db.in_transaction:
        raise BugError("text_indexed_afterwards needs an open transaction")
    trigger = db.scalar(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (TEXT_TRIGGER,)
    )
    db.execute(f"DROP TRIGGER {TEXT_TRIGGER}")
    # A new row's rowid is above every rowid there was (no AUTOINCREMENT reuse upwards).
    last = int(db.scalar("SELECT coalesce(max(rowid), 0) FROM contacts"))
    yield
    db.execute(
        "INSERT INTO contact_numbers (contact_id) SELECT id FROM contacts WHERE rowid > ?"
        " ORDER BY rowid",
        (last,),
    )
    db.execute(
        "INSERT INTO contact_text (rowid, summary, notes) SELECT n.n, c.summary, c.notes"
        " FROM contacts c JOIN contact_numbers n ON n.contact_id = c.id WHERE c.rowid > ?",
        (last,),
    )
    db.execute(trigger)


def insert(db: Database, contact: Contact, is_data: bool) -> None:
    db.execute(_INSERT, _values(contact, is_data))
    _set_topics(db, contact)
    screenings.replace_for_contact(db, contact.id, contact.screenings)


def update(db: Database, contact: Contact, is_data: bool) -> bool:
    """Save ``contact`` over version ``contact.version - 1``; False if someone was quicker."""
    values = _values(contact, is_data)
    cursor = db.execute(_UPDATE, (*values[1:], contact.id, contact.version - 1))
    if cursor.rowcount != 1:
        return False
    _set_topics(db, contact)
    screenings.replace_for_contact(db, contact.id, contact.screenings)
    return True


def _set_topics(db: Database, contact: Contact) -> None:
    db.execute("DELETE FROM contact_topics WHERE contact_id = ?", (contact.id,))
    db.executemany(
        "INSERT INTO contact_topics (contact_id, topic) VALUES (?, ?)",
        [(contact.id, topic) for topic in contact.topics],
    )


def get(db: Database, contact_id: str) -> Contact | None:
    row = db.one(_SELECT + " WHERE id = ?", (contact_id,))
    return None if row is None else _with_screenings(db, _contact(row))


def by_reference(db: Database, reference: str) -> Contact | None:
    row = db.one(_SELECT + " WHERE reference = ?", (reference,))
    return None if row is None else _with_screenings(db, _contact(row))


def imported(db: Database, contact_id: str) -> bool:
    """True for a call brought by a batch from another installation."""
    return db.scalar("SELECT origin_id FROM contacts WHERE id = ?", (contact_id,)) is not None


def _with_screenings(db: Database, contact: Contact) -> Contact:
    return replace(contact, screenings=screenings.for_contact(db, contact.id))


@dataclass(frozen=True)
class ContactFilter:
    phone_key: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    operator: str | None = None
    case_id: str | None = None
    follow_up_open: bool = False
    exclude_id: str | None = None
    limit: int = 500


_SUMMARY = (
    "SELECT c.id, c.reference, c.started_at, c.operator, c.channel, c.call_type, c.risk_level,"
    " c.case_id, k.reference AS case_reference, k.status AS case_status, c.follow_up_date,"
    " c.follow_up_done, c.phone_typed, c.phone_e164, c.phone_kind, c.phone_country"
    " FROM contacts c LEFT JOIN cases k ON k.id = c.case_id"
    " WHERE (:phone IS NULL OR c.phone_key = :phone)"
    " AND (:since IS NULL OR c.started_at >= :since)"
    " AND (:until IS NULL OR c.started_at < :until)"
    " AND (:operator IS NULL OR c.operator = :operator)"
    " AND (:case_id IS NULL OR c.case_id = :case_id)"
    " AND (:follow_up = 0 OR (c.follow_up_date IS NOT NULL AND c.follow_up_done = 0))"
    " AND (:exclude IS NULL OR c.id != :exclude)"
)
_BY_START = _SUMMARY + " ORDER BY c.started_at DESC LIMIT :limit"
_BY_FOLLOW_UP = _SUMMARY + " ORDER BY c.follow_up_date ASC, c.started_at ASC LIMIT :limit"


def summaries(db: Database, where: ContactFilter) -> list[ContactSummary]:
    params = {
        "phone": where.phone_key,
        "since": None if where.since is None else where.since.isoformat(),
        "until": None if where.until is None else where.until.isoformat(),
        "operator": where.operator,
        "case_id": where.case_id,
        "follow_up": int(where.follow_up_open),
        "exclude": where.exclude_id,
        "limit": where.limit,
    }
    sql = _BY_FOLLOW_UP if where.follow_up_open else _BY_START
    result = []
    for row in db.query(sql, params):
        phone = None
        if row["phone_kind"]:
            phone = Phone(
                row["phone_typed"],
                row["phone_e164"],
                PhoneKind(row["phone_kind"]),
                row["phone_country"],
            )
        result.append(
            ContactSummary(
                id=row["id"],
                reference=row["reference"],
                started_at=dt.datetime.fromisoformat(row["started_at"]),
                operator=row["operator"],
                channel=row["channel"],
                call_type=row["call_type"],
                risk_level=row["risk_level"],
                case_id=row["case_id"],
                case_reference=row["case_reference"],
                case_status=row["case_status"],
                follow_up_date=None
                if row["follow_up_date"] is None
                else dt.date.fromisoformat(row["follow_up_date"]),
                follow_up_done=bool(row["follow_up_done"]),
                phone_display="" if phone is None else phone.display(),
            )
        )
    return result
