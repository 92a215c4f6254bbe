"""Writing a batch for a registered recipient: incremental (everything changed since the
last incremental batch to it) or a period; at the full, pseudonymous or aggregate level.

A batch carries this installation's own records only (never records it imported).
Only calls whose caller agreed to share (``consent.share``) leave in a full or
pseudonymous batch; an aggregate batch counts every call of this installation and
withholds every count under k.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline import audit, training
from hotline.audit import AuditAction
from hotline.clock import utc_offset_minutes
from hotline.errors import InvalidInput
from hotline.exchange import aggregates, envelope
from hotline.exchange import identity as ident
from hotline.exchange.envelope import Kind
from hotline.exchange.partners import RECIPIENT, my_identity
from hotline.exchange.records import (
    CONTENT_FORMAT,
    SCHEMA_VERSION,
    Privacy,
    case_record,
    contact_record,
    person_record,
    referral_record,
)
from hotline.fsutil import fsync_dir
from hotline.i18n import _
from hotline.model.call_log import CallLogFilter
from hotline.roles import Action
from hotline.services.session import Session, utc_now
from hotline.store.connection import Database
from hotline.store.repositories import call_log as log_repo
from hotline.store.repositories import cases as cases_repo
from hotline.store.repositories import contacts as contacts_repo
from hotline.store.repositories import exchange as repo
from hotline.store.repositories import organisations as org_repo
from hotline.store.repositories import referrals as referrals_repo
from hotline.store.repositories.exchange import Partner, SentBatch

BATCH_SUFFIX = ".hlbatch"


@dataclass(frozen=True)
class ExportRequest:
    recipient_id: str
    privacy: Privacy
    since: dt.date | None = None  # a period; both None: incremental
    until: dt.date | None = None
    k: int = aggregates.DEFAULT_K

    @property
    def incremental(self) -> bool:
        return self.since is None and self.until is None


@dataclass(frozen=True)
class ExportResult:
    batch: SentBatch
    path: Path

    @property
    def empty(self) -> bool:
        return sum(self.batch.counts.values()) == 0


# Newest saved change among everything a batch may carry (text ISO stamps compare in order).
_HIGH_WATER = (
    "SELECT max(m) FROM (SELECT max(updated_at) AS m FROM contacts"
    " UNION ALL SELECT max(updated_at) FROM cases UNION ALL SELECT max(updated_at) FROM persons"
    " UNION ALL SELECT max(updated_at) FROM referrals)"
)
# Calls that may have changed since the last incremental batch: the call, its case, the
# case's person or one of its referrals was saved at or after the last high-water mark (the
# same second included: stamps have one-second steps). Of these, a call whose records are
# exactly what the recipient already has (same digest) is not sent again.
_CHANGED = (
    "SELECT c.id FROM contacts c LEFT JOIN cases k ON k.id = c.case_id"
    " LEFT JOIN persons p ON p.id = k.person_id"
    " WHERE c.consent_share = 1 AND c.origin_id IS NULL AND ("
    " (c.updated_at >= :after AND c.updated_at <= :upto)"
    " OR (k.updated_at >= :after AND k.updated_at <= :upto)"
    " OR (p.updated_at >= :after AND p.updated_at <= :upto)"
    " OR EXISTS (SELECT 1 FROM referrals f WHERE f.contact_id = c.id"
    "  AND f.updated_at >= :after AND f.updated_at <= :upto))"
    " ORDER BY c.started_at, c.id"
)


def _period_ids(db: Database, since: dt.date, until: dt.date) -> list[str]:
    w = log_repo.where(
        CallLogFilter(since=since, until=until),
        utc_offset_minutes=utc_offset_minutes(),
        today=dt.date.today(),
    )
    w.add("c.consent_share = 1")
    w.add("c.origin_id IS NULL")
    rows = db.query(
        f"SELECT c.id {log_repo.FROM} WHERE {w.sql} ORDER BY c.started_at, c.id",
        w.params,
    )
    return [str(r[0]) for r in rows]


def build_records(
    db: Database,
    contact_ids: list[str],
    privacy: Privacy,
    key: bytes,
    own: str,
    sent: dict[str, str] | None = None,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """The records of these calls (with their referrals, cases and persons), and a digest
    per call. A call whose digest equals the one in ``sent`` (what the recipient already
    has) is left out."""
    contacts: list[dict[str, Any]] = []
    persons: dict[str, dict[str, Any]] = {}
    cases: dict[str, dict[str, Any]] = {}
    digests: dict[str, str] = {}
    for contact_id in contact_ids:
        contact = contacts_repo.get(db, contact_id)
        if contact is None:
            continue
        referrals = [
            referral_record(r, org_repo.get(db, r.organisation_id), privacy)
            for r in referrals_repo.for_contact(db, contact_id)
        ]
        record = contact_record(contact, own, referrals, privacy, key)
        case = person = None
        if contact.case_id:
            found_case = cases_repo.get_case(db, contact.case_id)
            if found_case is not None:
                case = case_record(found_case, own, privacy)
                found_person = cases_repo.get_person(db, found_case.person_id)
                if found_person is not None:
                    person = person_record(found_person, own, privacy, key)
        digest = hashlib.sha256(envelope.canonical([record, case, person])).hexdigest()
        if sent is not None and sent.get(contact_id) == digest:
            continue
        digests[contact_id] = digest
        contacts.append(record)
        if case is not None:
            cases[case["id"]] = case
        if person is not None:
            persons[person["id"]] = person
    records = {
        "contacts": contacts,
        "persons": list(persons.values()),
        "cases": list(cases.values()),
    }
    return records, digests


def _recipient(session: Session, recipient_id: str) -> Partner:
    partner = repo.partner(session.db, recipient_id, RECIPIENT)
    if partner is None:
        raise InvalidInput(
            _("No recipient %(name)s is registered. Register its card first.")
            % {"name": recipient_id}
        )
    if not partner.active:
        raise InvalidInput(
            _("The recipient %(name)s is disabled; enable its card to send it batches.")
            % {"name": partner.label}
        )
    return partner


def default_name(session: Session, partner: Partner, sequence: int) -> str:
    return f"{session.installation.org_code}-to-{partner.org_code}-{sequence:06d}{BATCH_SUFFIX}"


class NothingToSend(InvalidInput):
    """An incremental batch asked for with ``skip_empty``, and nothing changed."""


def export_batch(
    session: Session, request: ExportRequest, folder: Path, *, skip_empty: bool = False
) -> ExportResult:
    """Write the batch into ``folder`` and record it as sent. The file appears under its
    final name only once it is complete and the batch is recorded. With ``skip_empty``, an
    incremental batch with nothing new raises NothingToSend and writes nothing."""
    session.require(Action.EXPORT_BATCHES)
    training.refuse(session, _("a batch"))
    if request.privacy is Privacy.FULL:
        session.require(Action.EXPORT_IDENTIFYING)
    if request.privacy is Privacy.AGGREGATE and request.incremental:
        raise InvalidInput(_("An aggregate batch needs a period: give its first and last day."))
    if (request.since is None) != (request.until is None):
        raise InvalidInput(_("Give both the first and the last day of the period."))
    if request.since and request.until and request.since > request.until:
        raise InvalidInput(_("The first day of the period is after its last day."))
    if not aggregates.MIN_K <= request.k <= aggregates.MAX_K:
        raise InvalidInput(
            _("k must be between %(low)d and %(high)d.")
            % {"low": aggregates.MIN_K, "high": aggregates.MAX_K}
        )
    if not folder.is_dir():
        raise InvalidInput(_("The folder %(folder)s does not exist.") % {"folder": str(folder)})
    db = session.db
    partner = _recipient(session, request.recipient_id)
    if request.privacy is Privacy.PSEUDONYMOUS and partner.pseudonym_key is None:
        raise InvalidInput(_("The recipient's card carries no pseudonym key; ask for a new card."))
    identity = my_identity(session)
    own = session.installation.id
    stamp = utc_now()
    content: dict[str, Any] = {
        "format": CONTENT_FORMAT,
        "schema": SCHEMA_VERSION,
        "privacy": request.privacy.value,
    }
    after = high_water = None
    with db.transaction():
        if request.privacy is Privacy.AGGREGATE:
            assert request.since is not None and request.until is not None
            content["aggregates"] = aggregates.compute(
                db, request.since, request.until, request.k, utc_offset_minutes()
            )
            total = content["aggregates"]["dimensions"]["month"]["total"]
            counts = {"aggregate_total": total or 0}
        else:
            if request.incremental:
                after = repo.last_high_water(db, partner.installation_id, request.privacy) or ""
                high_water = db.scalar(_HIGH_WATER) or ""
                ids = [
                    str(r[0])
                    for r in db.query(
                        _CHANGED,
                        {"after": after, "upto": high_water},
                    )
                ]
            else:
                assert request.since is not None and request.until is not None
                ids = _period_ids(db, request.since, request.until)
            key = partner.pseudonym_key or b""
            sent = repo.sent_digests(db, partner.installation_id, request.privacy)
            records, digests = build_records(
                db, ids, request.privacy, key, own, sent if request.incremental else None
            )
            repo.save_sent_digests(db, partner.installation_id, request.privacy, digests)
            content.update(records)
            counts = {name: len(items) for name, items in records.items()}
            counts["referrals"] = sum(len(c["referrals"]) for c in records["contacts"])
            if skip_empty and request.incremental and not records["contacts"]:
                raise NothingToSend(
                    _("Nothing changed since the last batch to %(name)s.") % {"name": partner.label}
                )
        sequence = repo.next_sequence(db, partner.installation_id)
        batch = SentBatch(
            batch_id=str(uuid.uuid4()),
            recipient_id=partner.installation_id,
            sequence=sequence,
            created_at=stamp,
            created_by=session.user.username,
            privacy=request.privacy.value,
            mode="incremental" if request.incremental else "period",
            since=None if request.since is None else request.since.isoformat(),
            until=None if request.until is None else request.until.isoformat(),
            changed_after=after,
            high_water=high_water,
            counts=counts,
            receipt_at=None,
            receipt=None,
        )
        data = seal_batch(session, identity, partner, batch, content)
        final = folder / default_name(session, partner, sequence)
        partial = final.with_name(final.name + ".partial")
        _write_durably(partial, data)
        try:
            repo.add_sent(db, batch)
            audit.record(
                db,
                session.user.username,
                AuditAction.EXPORTED,
                "batch",
                batch.batch_id,
                privacy_level=batch.privacy,
                count=sum(counts.values()),
                sequence=sequence,
                recipient=partner.org_code,
            )
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, final)
    fsync_dir(folder)
    return ExportResult(batch, final)


def seal_batch(
    session: Session,
    identity: ident.Identity,
    partner: Partner,
    batch: SentBatch,
    content: dict[str, Any],
) -> bytes:
    training.refuse(session, _("a batch"))
    inst = session.installation
    compressed, size = envelope.compress(content)
    manifest: dict[str, Any] = {
        "format": "hotline-batch",
        "batch_id": batch.batch_id,
        "sender": {
            "installation_id": inst.id,
            "org_code": inst.org_code,
            "org_name": inst.org_name,
            "site_name": inst.site_name,
            "country": inst.country,
            "fingerprint": identity.fingerprint,
        },
        "recipient": partner.installation_id,
        "recipient_fingerprint": partner.fingerprint,
        "sequence": batch.sequence,
        "created_at": batch.created_at,
        "schema_version": SCHEMA_VERSION,
        "privacy": batch.privacy,
        "mode": batch.mode,
        "since": batch.since,
        "until": batch.until,
        "counts": batch.counts,
        "content_bytes": size,
    }
    payload = envelope.encrypt(compressed, partner.encryption_key, manifest)
    return envelope.seal(Kind.BATCH, manifest, payload, identity.signing)


def _write_durably(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        path.unlink(missing_ok=True)
        raise InvalidInput(
            _("The batch cannot be written to %(folder)s: %(reason)s")
            % {"folder": str(path.parent), "reason": error.strerror or str(error)}
        ) from error


def sent_batches(session: Session, recipient_id: str | None = None) -> list[SentBatch]:
    session.require(Action.EXPORT_BATCHES)
    return repo.sent_batches(session.db, recipient_id)
