"""Many calls at once for the export and statistics tests: one transaction straight into
the contacts table, values cycling through the taxonomies."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from hotline.model.contact import Caller, Consent, Contact, FollowUp
from hotline.phones import parse_phone
from hotline.services.session import Session
from hotline.store.repositories import contacts
from hotline.taxonomy import taxonomy

START = dt.datetime(2026, 10, 1, 6, 0, tzinfo=dt.UTC)
CALL_TYPES = ("consultation", "trafficking_concern", "missing_person", "silent", "prank")
SEXES = ("female", "male", None)
AGES = ("18-20", "30-38", "48+")
LANGUAGES = ("ky", "ru", "uz")
COUNTRIES = ("KG", "RU", "KZ", None)
TOPICS = (("DOC.LOST",), ("WORK.OFFER", "DOC.TAKEN"), ())
RISKS = ("low", "high", "urgent", None)
OPERATORS = ("olga", "bakyt")


def make_call(number: int, when: dt.datetime, **changes: object) -> Contact:
    contact = Contact(
        id=str(uuid.uuid4()),
        version=1,
        reference=f"KG-TEST-26-{number:05d}",
        site="Бишкек",
        operator=OPERATORS[number % len(OPERATORS)],
        started_at=when,
        ended_at=when + dt.timedelta(minutes=5),
        channel="phone" if number % 3 else "messenger",
        call_type=CALL_TYPES[number % len(CALL_TYPES)],
        caller=Caller(
            sex=SEXES[number % len(SEXES)],
            age_band=AGES[number % len(AGES)],
            country=COUNTRIES[number % len(COUNTRIES)],
            region="Ош",
        ),
        call_language=LANGUAGES[number % len(LANGUAGES)],
        phone=parse_phone(f"0555 {100000 + number % 7:06d}", "KG"),
        topics=TOPICS[number % len(TOPICS)],
        consent=Consent(share=(None, True, False)[number % 3]),
        follow_up=FollowUp(date=when.date() + dt.timedelta(days=7), done=number % 2 == 0)
        if number % 4 == 0
        else FollowUp(),
        risk_level=RISKS[number % len(RISKS)],
        created_at=when.isoformat(),
        created_by="olga",
        updated_at=when.isoformat(),
        updated_by="olga",
    )
    return replace(contact, **changes)  # type: ignore[arg-type]


def seed_calls(
    session: Session,
    count: int,
    *,
    start: dt.datetime = START,
    step: dt.timedelta = dt.timedelta(hours=1),
    **changes: object,
) -> list[Contact]:
    """``count`` calls from ``start`` on, ``step`` apart (oldest first)."""
    made = [make_call(i, start + i * step, **changes) for i in range(count)]
    with session.db.transaction():
        for contact in made:
            term = taxonomy().get("call_types", contact.call_type or "")
            contacts.insert(session.db, contact, term.data if term else True)
    return made
