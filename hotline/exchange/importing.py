"""Importing a batch: verify, decrypt and validate all of it, then apply it in one
transaction together with its ledger entry.

Per record (matched by UUID): unknown → added; the same content as last received →
unchanged; a newer version from the same origin → updated; an older version → left
(counted as older); anything else (same version but different content, a record made
here, or a record of another origin) → kept aside in ``import_conflicts`` for a person to
look at, never applied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from hotline import audit, training
from hotline.audit import AuditAction
from hotline.errors import BatchRejected, InvalidInput
from hotline.exchange import envelope
from hotline.exchange.envelope import Kind, Sealed
from hotline.exchange.partners import SENDER, my_identity
from hotline.exchange.records import (
    SHA256_FORM,
    UUID_FORM,
    Content,
    Privacy,
    Reader,
    read_content,
)
from hotline.i18n import _
from hotline.model.contact import Case, Person, RouteEvent
from hotline.model.contact_json import contact_from_dict, contact_to_dict
from hotline.model.organisation import Organisation, Referral
from hotline.roles import Action
from hotline.services.cases import snapshot
from hotline.services.session import Session, utc_now
from hotline.store.connection import Database
from hotline.store.repositories import cases as cases_repo
from hotline.store.repositories import contacts as contacts_repo
from hotline.store.repositories import exchange as repo
from hotline.store.repositories import organisations as org_repo
from hotline.store.repositories import records as records_repo
from hotline.store.repositories import referrals as referrals_repo
from hotline.store.repositories.exchange import LedgerEntry, Partner
from hotline.taxonomy import taxonomy


class Status(StrEnum):
    IMPORTED = "imported"
    ALREADY = "already_imported"


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    OLDER = "older"
    CONFLICT = "conflicts"


@dataclass
class ImportResult:
    status: Status
    batch_id: str
    sender: Partner
    sequence: int
    privacy: Privacy
    outcome: dict[str, int] = field(default_factory=dict)
    missing_before: tuple[int, ...] = ()  # sequences from this sender not yet imported


@dataclass(frozen=True)
class Manifest:
    batch_id: str
    sender_id: str
    sender_fingerprint: str
    recipient: str
    recipient_fingerprint: str
    sequence: int
    created_at: str
    privacy: Privacy
    counts: dict[str, int]
    content_bytes: int
    payload_sha256: str


def read_manifest(data: dict[str, Any]) -> Manifest:
    r = Reader(data, "manifest")
    if r.text("format", 40) != "hotline-batch":
        raise r.error("manifest.format", _("not a batch"))
    sender = r.obj("sender")
    privacy_text = r.text("privacy", 20)
    try:
        privacy = Privacy(privacy_text)
    except ValueError as error:
        raise r.error("manifest.privacy", _("unknown code")) from error
    schema = r.integer("schema_version", 0, 1000)
    if schema != 1:
        raise BatchRejected(
            _(
                "The batch was written with content schema %(found)d; this program reads schema "
                "1. Update Hotline Desk."
            )
            % {"found": schema}
        )
    content_bytes = r.integer("content_bytes", 0, 2**62)
    if content_bytes > envelope.MAX_CONTENT_BYTES:
        raise BatchRejected(_("The content would be larger than allowed once unpacked."))
    counts_reader = r.obj("counts")
    counts = {str(k): counts_reader.integer(k, 0, 10**9) for k in list(counts_reader.data)[:20]}
    return Manifest(
        batch_id=r.text("batch_id", 36, pattern=UUID_FORM),
        sender_id=sender.text("installation_id", 36, pattern=UUID_FORM),
        sender_fingerprint=sender.text("fingerprint", 40),
        recipient=r.text("recipient", 36, pattern=UUID_FORM),
        recipient_fingerprint=r.text("recipient_fingerprint", 40),
        sequence=r.integer("sequence", 1, 10**9),
        created_at=str(r.moment("created_at")),
        privacy=privacy,
        counts=counts,
        content_bytes=content_bytes,
        payload_sha256=r.text("payload_sha256", 64, pattern=SHA256_FORM),
    )


@dataclass(frozen=True)
class Verified:
    """A batch whose every byte was checked, ready to apply."""

    manifest: Manifest
    sender: Partner
    content: Content


def verify(session: Session, data: bytes) -> tuple[Sealed, Manifest, Partner]:
    """Everything that can be checked before decrypting: form, addressee, sender, signature."""
    training.refuse_import(session)
    sealed = envelope.read(data, Kind.BATCH)
    manifest = read_manifest(sealed.manifest)
    me = my_identity(session)
    if manifest.recipient != session.installation.id or (
        manifest.recipient_fingerprint != me.fingerprint
    ):
        raise BatchRejected(
            _(
                "This batch is addressed to another installation (key %(fingerprint)s), not to "
                "this one."
            )
            % {"fingerprint": manifest.recipient_fingerprint[:14]}
        )
    sender = repo.partner(session.db, manifest.sender_id, SENDER)
    if sender is None:
        org = sealed.manifest.get("sender", {}).get("org_code", "?")
        raise BatchRejected(
            _(
                "The batch comes from %(sender)s, which is not a registered sender here. Register "
                "its card (and compare its fingerprint) before importing."
            )
            % {"sender": str(org)[:40]}
        )
    if not sender.active:
        raise BatchRejected(
            _("The sender %(sender)s is disabled here; its batches are not accepted.")
            % {"sender": sender.label}
        )
    envelope.verify(sealed, sender.signing_key)
    return sealed, manifest, sender


def check(session: Session, data: bytes) -> Verified:
    """Verify, decrypt and validate the whole batch; nothing is written."""
    return _decode(session, *verify(session, data))


def _decode(session: Session, sealed: Sealed, manifest: Manifest, sender: Partner) -> Verified:
    """Decrypt and validate the content of a batch that ``verify`` accepted."""
    compressed = envelope.decrypt(sealed, my_identity(session).encryption)
    raw = envelope.decompress(compressed, manifest.content_bytes)
    content = read_content(raw, manifest.privacy)
    if manifest.privacy is not Privacy.AGGREGATE:
        found = {
            "contacts": len(content.contacts),
            "persons": len(content.persons),
            "cases": len(content.cases),
            "referrals": sum(len(c["referrals"]) for c in content.contacts),
        }
        if any(manifest.counts.get(name) != n for name, n in found.items()):
            raise BatchRejected(
                _("The batch holds a different number of records than its manifest says.")
            )
    return Verified(manifest, sender, content)


def import_file(session: Session, path: Path) -> ImportResult:
    session.require(Action.IMPORT_BATCHES)
    try:
        return import_bytes(session, envelope.read_file(path, Kind.BATCH))
    except BatchRejected as error:
        audit.record(
            session.db,
            session.user.username,
            AuditAction.IMPORT_REJECTED,
            "batch",
            None,
            reason=error.message[: audit.MAX_DETAIL_LENGTH],
        )
        raise


def import_bytes(session: Session, data: bytes) -> ImportResult:
    session.require(Action.IMPORT_BATCHES)
    sealed, manifest, sender = verify(session, data)
    db = session.db
    known = repo.ledger_entry(db, manifest.batch_id)
    if known is not None:
        return ImportResult(
            Status.ALREADY,
            manifest.batch_id,
            sender,
            manifest.sequence,
            manifest.privacy,
            dict(known.outcome),
            missing_sequences(db, sender.installation_id),
        )
    used = repo.ledger_by_sequence(db, sender.installation_id, manifest.sequence)
    if used is not None:
        raise BatchRejected(
            _(
                "Batch number %(sequence)d from %(sender)s was already imported as another batch: "
                "this one is stale or forged."
            )
            % {"sequence": manifest.sequence, "sender": sender.label}
        )
    verified = _decode(session, sealed, manifest, sender)
    stamp = utc_now()
    with db.transaction():
        # The ledger entry first: conflicts and aggregates refer to it.
        repo.add_ledger(
            db,
            LedgerEntry(
                batch_id=manifest.batch_id,
                sender_id=sender.installation_id,
                sequence=manifest.sequence,
                batch_created=manifest.created_at,
                imported_at=stamp,
                imported_by=session.user.username,
                privacy=manifest.privacy.value,
                payload_sha256=manifest.payload_sha256,
                outcome={},
            ),
        )
        with contacts_repo.text_indexed_afterwards(db):
            outcome = apply(db, verified, session.installation.id, session.user.username, stamp)
        repo.set_ledger_outcome(db, manifest.batch_id, outcome)
        audit.record(
            db,
            session.user.username,
            AuditAction.IMPORTED,
            "batch",
            manifest.batch_id,
            privacy_level=manifest.privacy.value,
            sequence=manifest.sequence,
            sender=sender.org_code,
            count=sum(outcome.values()),
        )
    return ImportResult(
        Status.IMPORTED,
        manifest.batch_id,
        sender,
        manifest.sequence,
        manifest.privacy,
        outcome,
        missing_sequences(db, sender.installation_id),
    )


def missing_sequences(db: Database, sender_id: str) -> tuple[int, ...]:
    seen = repo.sequences(db, sender_id)
    if not seen:
        return ()
    have = set(seen)
    return tuple(n for n in range(1, max(seen)) if n not in have)


@dataclass(frozen=True)
class Provenance:
    origin: str  # "KG-SEZIM · Osh", or the start of the installation id if not registered
    sequence: int | None  # the number of the batch that brought the current version
    imported_at: str | None


def provenance(session: Session, contact_id: str) -> Provenance | None:
    """Where an imported call came from; None for a call recorded here."""
    row = session.db.one(
        "SELECT c.origin_id, l.sequence, l.imported_at FROM contacts c"
        " LEFT JOIN import_ledger l ON l.batch_id = c.source_batch WHERE c.id = ?",
        (contact_id,),
    )
    if row is None or row[0] is None:
        return None
    names = {p.installation_id: p.label for p in repo.partners(session.db)}
    return Provenance(names.get(row[0], str(row[0])[:8]), row[1], row[2])


def ledger(session: Session) -> list[LedgerEntry]:
    session.require(Action.IMPORT_BATCHES)
    return repo.ledger(session.db)


def gaps(session: Session) -> list[tuple[Partner, tuple[int, ...]]]:
    """For every sender, the batch numbers below its newest that have not arrived."""
    result = []
    for partner in repo.partners(session.db, SENDER):
        missing = missing_sequences(session.db, partner.installation_id)
        if missing:
            result.append((partner, missing))
    return result


RESOLUTION = re.compile(r"^[a-z_]{1,40}$")


def resolve_conflict(session: Session, conflict_id: int, resolution: str) -> None:
    """Mark a record kept aside as settled (``resolution``: a short code, e.g. "settled");
    the record itself is left as it is."""
    session.require(Action.RESOLVE_CONFLICTS)
    if not RESOLUTION.match(resolution):
        raise ValueError(resolution)
    db = session.db
    with db.transaction():
        if not repo.resolve_conflict(db, conflict_id, utc_now(), session.user.username, resolution):
            raise InvalidInput(_("This record was already settled, or it is not kept aside."))
        audit.record(
            db,
            session.user.username,
            AuditAction.CONFLICT_RESOLVED,
            "conflict",
            str(conflict_id),
            result=resolution,
        )


# --- applying -------------------------------------------------------------------------------


def content_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(envelope.canonical(record)).hexdigest()


@dataclass
class _Applier:
    db: Database
    batch_id: str
    own_id: str
    user: str
    stamp: str
    outcome: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})

    def judge(self, table: str, record: dict[str, Any]) -> Outcome:
        """What to do with ``record`` (see the module docstring); counted, and a conflict
        kept aside with its reason."""
        outcome, reason = self._decide(table, record)
        self.outcome[outcome.value] += 1
        if outcome is Outcome.CONFLICT:
            repo.add_conflict(self.db, self.batch_id, table.rstrip("s"), record, reason)
        return outcome

    def _decide(self, table: str, record: dict[str, Any]) -> tuple[Outcome, str]:
        # ``table`` is one of the constant table names below, never user input.
        row = self.db.one(
            f"SELECT version, origin_id, source_hash FROM {table} WHERE id = ?",  # noqa: S608
            (record["id"],),
        )
        if row is None:
            return Outcome.ADDED, ""
        version, origin, known_hash = int(row[0]), row[1], row[2]
        if origin is None:
            # Made here. Our own record coming back is nothing new; anything else clashes.
            if record["origin"] == self.own_id:
                return Outcome.UNCHANGED, ""
            return Outcome.CONFLICT, "made_here"
        if origin != record["origin"]:
            return Outcome.CONFLICT, "other_origin"
        if known_hash == content_hash(record):
            return Outcome.UNCHANGED, ""
        if record["version"] > version:
            return Outcome.UPDATED, ""
        if record["version"] < version:
            return Outcome.OLDER, ""
        return Outcome.CONFLICT, "same_version_differs"

    def mark(self, table: str, record: dict[str, Any], extra: str = "", *args: Any) -> None:
        self.db.execute(
            f"UPDATE {table} SET origin_id = ?, source_batch = ?, source_hash = ?{extra}"  # noqa: S608
            " WHERE id = ?",
            (record["origin"], self.batch_id, content_hash(record), *args, record["id"]),
        )

    def keep_version(
        self, record_type: str, record_id: str, version: int, data: dict[str, Any]
    ) -> None:
        """The version as received, for the record's history (saved by the importer)."""
        records_repo.add_version(
            self.db, record_type, record_id, version, self.stamp, self.user, data
        )

    def prepare_update(self, table: str, record: dict[str, Any]) -> None:
        """Set the stored version just under the incoming one, so that the repository's
        optimistic update (which expects version - 1) applies it."""
        self.db.execute(
            f"UPDATE {table} SET version = ? WHERE id = ?",  # noqa: S608
            (record["version"] - 1, record["id"]),
        )

    def unique_reference(self, table: str, record: dict[str, Any]) -> str:
        reference = str(record["reference"])
        clash = self.db.scalar(
            f"SELECT id FROM {table} WHERE reference = ? AND id != ?",  # noqa: S608
            (reference, record["id"]),
        )
        return reference if clash is None else f"{reference}~{record['origin'][:4]}"

    def person(self, record: dict[str, Any]) -> None:
        outcome = self.judge("persons", record)
        if outcome not in (Outcome.ADDED, Outcome.UPDATED):
            return
        person = Person(
            id=record["id"],
            version=record["version"],
            name=record["name"],
            sex=record["sex"],
            age_band=record["age_band"],
            citizenship=record["citizenship"],
            home_country=record["home_country"],
            home_region=record["home_region"],
            notes=record["notes"],
        )
        if outcome is Outcome.ADDED:
            cases_repo.insert_person(self.db, person, self.stamp, self.user)
        else:
            self.prepare_update("persons", record)
            cases_repo.update_person(self.db, person, self.stamp, self.user)
        self.mark("persons", record, ", name_pseudonym = ?", record["name_pseudonym"])
        self.keep_version("person", person.id, person.version, snapshot(person))

    def case(self, record: dict[str, Any]) -> None:
        outcome = self.judge("cases", record)
        if outcome not in (Outcome.ADDED, Outcome.UPDATED):
            return
        case = Case(
            id=record["id"],
            version=record["version"],
            reference=self.unique_reference("cases", record),
            person_id=record["person_id"],
            status=record["status"],
            trafficking_status=record["trafficking_status"],
            trafficking_decided_by=record["trafficking_decided_by"],
            exploitation_types=tuple(record["exploitation_types"]),
            control_methods=tuple(record["control_methods"]),
            perpetrator_roles=tuple(record["perpetrator_roles"]),
            legal_qualification=record["legal_qualification"],
            route=tuple(
                RouteEvent(
                    kind=e["kind"],
                    country=e["country"],
                    place=e["place"],
                    date=None if e["date"] is None else dt.date.fromisoformat(e["date"]),
                )
                for e in record["route"]
            ),
            opened_at=record["opened_at"],
            closed_at=record["closed_at"],
        )
        if outcome is Outcome.ADDED:
            cases_repo.insert_case(self.db, case, self.stamp, self.user)
        else:
            self.prepare_update("cases", record)
            cases_repo.update_case(self.db, case, self.stamp, self.user)
        self.mark("cases", record)
        self.keep_version("case", case.id, case.version, snapshot(case))

    def contact(self, record: dict[str, Any]) -> None:
        outcome = self.judge("contacts", record)
        if outcome not in (Outcome.ADDED, Outcome.UPDATED):
            return
        contact = replace(
            contact_from_dict(record), reference=self.unique_reference("contacts", record)
        )
        term = taxonomy().get("call_types", contact.call_type or "")
        is_data = True if term is None else term.data
        if outcome is Outcome.ADDED:
            contacts_repo.insert(self.db, contact, is_data)
        else:
            self.prepare_update("contacts", record)
            contacts_repo.update(self.db, contact, is_data)
        pseudonym = record["phone_pseudonym"]
        if pseudonym is not None:
            self.mark("contacts", record, ", phone_key = ?", pseudonym)
        else:
            self.mark("contacts", record)
        self.keep_version("contact", contact.id, contact.version, contact_to_dict(contact))
        for referral in record["referrals"]:
            self.referral(record, referral)

    def organisation_id(self, org: dict[str, Any]) -> str:
        if org_repo.get(self.db, org["id"]) is not None:
            return str(org["id"])
        if org["seed_key"]:
            found = self.db.scalar(
                "SELECT id FROM organisations WHERE seed_key = ?", (org["seed_key"],)
            )
            if found is not None:
                return str(found)
        # Known only from a batch: kept out of the directory's search (inactive).
        org_repo.save(
            self.db,
            Organisation(
                id=org["id"],
                version=1,
                name=org["name"] or "?",
                type=org["type"] or "NGO",
                country=org["country"],
                active=False,
                source="batch",
            ),
            self.stamp,
            self.user,
        )
        return str(org["id"])

    def referral(self, contact: dict[str, Any], record: dict[str, Any]) -> None:
        existing = self.db.one(
            "SELECT version, origin_id, contact_id FROM referrals WHERE id = ?", (record["id"],)
        )
        if existing is not None:
            if existing[2] != contact["id"] or existing[1] != contact["origin"]:
                # The id of a referral of another call, or of another installation.
                self.outcome[Outcome.CONFLICT.value] += 1
                reason = "other_contact" if existing[2] != contact["id"] else "other_origin"
                repo.add_conflict(self.db, self.batch_id, "referral", record, reason)
                return
            if record["version"] > existing[0]:
                self.db.execute(
                    "UPDATE referrals SET version = ?, outcome = ?, reminder_on = ?,"
                    " source_batch = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                    (record["version"], record["outcome"], record["reminder_on"],
                     self.batch_id, self.stamp, self.user, record["id"]),
                )  # fmt: skip
            return
        referral = Referral(
            id=record["id"],
            version=record["version"],
            contact_id=contact["id"],
            organisation_id=self.organisation_id(record["organisation"]),
            service=record["service"],
            reason=record["reason"],
            consent=record["consent"],
            no_consent_reason=record["no_consent_reason"] or ("-" if not record["consent"] else ""),
            referred_on=record["referred_on"],
            reference=record["reference"],
            outcome=record["outcome"],
            reminder_on=record["reminder_on"],
        )
        referrals_repo.insert(self.db, referral, self.stamp, self.user)
        self.db.execute(
            "UPDATE referrals SET origin_id = ?, source_batch = ? WHERE id = ?",
            (contact["origin"], self.batch_id, record["id"]),
        )


def apply(db: Database, verified: Verified, own_id: str, user: str, stamp: str) -> dict[str, int]:
    """Write a verified batch; the caller holds the transaction."""
    applier = _Applier(db, verified.manifest.batch_id, own_id, user, stamp)
    content = verified.content
    if content.aggregates is not None:
        cells = repo.add_aggregates(
            db, verified.manifest.batch_id, verified.sender.installation_id, content.aggregates
        )
        return {"aggregate_cells": cells}
    for person in content.persons:
        applier.person(person)
    for case in content.cases:
        applier.case(case)
    for contact in content.contacts:
        applier.contact(contact)
    return applier.outcome
