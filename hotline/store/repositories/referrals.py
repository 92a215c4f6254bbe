"""Referrals table."""

from __future__ import annotations

from hotline.model.organisation import Referral
from hotline.store.connection import Database

_SELECT = (
    "SELECT id, version, contact_id, organisation_id, service, reason, consent,"
    " no_consent_reason, referred_on, reference, outcome, reminder_on FROM referrals"
)


def insert(db: Database, r: Referral, stamp: str, user: str) -> None:
    db.execute(
        "INSERT INTO referrals (id, version, contact_id, organisation_id, service, reason,"
        " consent, no_consent_reason, referred_on, reference, outcome, reminder_on,"
        " created_at, created_by, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (r.id, r.version, r.contact_id, r.organisation_id, r.service, r.reason, int(r.consent),
         r.no_consent_reason, r.referred_on, r.reference, r.outcome, r.reminder_on,
         stamp, user, stamp, user),
    )  # fmt: skip


def update_outcome(db: Database, r: Referral, stamp: str, user: str) -> bool:
    cursor = db.execute(
        "UPDATE referrals SET version = ?, outcome = ?, reminder_on = ?, updated_at = ?,"
        " updated_by = ? WHERE id = ? AND version = ?",
        (r.version, r.outcome, r.reminder_on, stamp, user, r.id, r.version - 1),
    )
    return bool(cursor.rowcount == 1)


def for_contact(db: Database, contact_id: str) -> list[Referral]:
    rows = db.query(_SELECT + " WHERE contact_id = ? ORDER BY referred_on", (contact_id,))
    return [Referral(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), *r[7:]) for r in rows]


def count_for_contact(db: Database, contact_id: str) -> int:
    return int(db.scalar("SELECT count(*) FROM referrals WHERE contact_id = ?", (contact_id,)))
