"""Partners, sent batches, the import ledger, conflicts and received aggregates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hotline.store.connection import Database, Row


@dataclass(frozen=True)
class Partner:
    installation_id: str
    kind: str  # recipient or sender
    org_code: str
    org_name: str
    site_name: str
    country: str
    signing_key: bytes
    encryption_key: bytes
    pseudonym_key: bytes | None
    fingerprint: str
    registered_at: str
    registered_by: str
    active: bool

    @property
    def label(self) -> str:
        return f"{self.org_code} · {self.site_name}"


_PARTNER = (
    "SELECT installation_id, kind, org_code, org_name, site_name, country, signing_key,"
    " encryption_key, pseudonym_key, fingerprint, registered_at, registered_by, active"
    " FROM partners"
)


def _partner(row: Row) -> Partner:
    return Partner(
        installation_id=row[0],
        kind=row[1],
        org_code=row[2],
        org_name=row[3],
        site_name=row[4],
        country=row[5],
        signing_key=bytes(row[6]),
        encryption_key=bytes(row[7]),
        pseudonym_key=None if row[8] is None else bytes(row[8]),
        fingerprint=row[9],
        registered_at=row[10],
        registered_by=row[11],
        active=bool(row[12]),
    )


def save_partner(db: Database, p: Partner) -> None:
    db.execute(
        "INSERT INTO partners (installation_id, kind, org_code, org_name, site_name, country,"
        " signing_key, encryption_key, pseudonym_key, fingerprint, registered_at, registered_by,"
        " active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (installation_id, kind) DO UPDATE SET org_code = excluded.org_code,"
        " org_name = excluded.org_name, site_name = excluded.site_name,"
        " country = excluded.country, signing_key = excluded.signing_key,"
        " encryption_key = excluded.encryption_key, pseudonym_key = excluded.pseudonym_key,"
        " fingerprint = excluded.fingerprint, registered_at = excluded.registered_at,"
        " registered_by = excluded.registered_by, active = excluded.active",
        (p.installation_id, p.kind, p.org_code, p.org_name, p.site_name, p.country,
         p.signing_key, p.encryption_key, p.pseudonym_key, p.fingerprint, p.registered_at,
         p.registered_by, int(p.active)),
    )  # fmt: skip


def partner(db: Database, installation_id: str, kind: str) -> Partner | None:
    row = db.one(_PARTNER + " WHERE installation_id = ? AND kind = ?", (installation_id, kind))
    return None if row is None else _partner(row)


def partners(db: Database, kind: str | None = None) -> list[Partner]:
    if kind is None:
        rows = db.query(_PARTNER + " ORDER BY kind, org_code, site_name")
    else:
        rows = db.query(_PARTNER + " WHERE kind = ? ORDER BY org_code, site_name", (kind,))
    return [_partner(r) for r in rows]


def set_partner_active(db: Database, installation_id: str, kind: str, active: bool) -> None:
    db.execute(
        "UPDATE partners SET active = ? WHERE installation_id = ? AND kind = ?",
        (int(active), installation_id, kind),
    )


# --- sent batches -------------------------------------------------------------------------


@dataclass(frozen=True)
class SentBatch:
    batch_id: str
    recipient_id: str
    sequence: int
    created_at: str
    created_by: str
    privacy: str
    mode: str
    since: str | None
    until: str | None
    changed_after: str | None
    high_water: str | None
    counts: dict[str, int]
    receipt_at: str | None
    receipt: dict[str, Any] | None


_SENT = (
    "SELECT batch_id, recipient_id, sequence, created_at, created_by, privacy, mode, since,"
    " until, changed_after, high_water, counts, receipt_at, receipt FROM sent_batches"
)


def _sent(row: Row) -> SentBatch:
    values = list(row[:11])
    values += [json.loads(row[11]), row[12], None if row[13] is None else json.loads(row[13])]
    return SentBatch(*values)


def add_sent(db: Database, b: SentBatch) -> None:
    db.execute(
        "INSERT INTO sent_batches (batch_id, recipient_id, sequence, created_at, created_by,"
        " privacy, mode, since, until, changed_after, high_water, counts)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (b.batch_id, b.recipient_id, b.sequence, b.created_at, b.created_by, b.privacy, b.mode,
         b.since, b.until, b.changed_after, b.high_water, json.dumps(b.counts)),
    )  # fmt: skip


def next_sequence(db: Database, recipient_id: str) -> int:
    value = db.scalar(
        "SELECT max(sequence) FROM sent_batches WHERE recipient_id = ?", (recipient_id,)
    )
    return 1 if value is None else int(value) + 1


def last_high_water(db: Database, recipient_id: str, privacy: str) -> str | None:
    """The newest change already sent to ``recipient_id`` in an incremental batch."""
    value = db.scalar(
        "SELECT max(high_water) FROM sent_batches WHERE recipient_id = ? AND privacy = ?"
        " AND mode = 'incremental'",
        (recipient_id, privacy),
    )
    return None if value is None else str(value)


def sent_digests(db: Database, recipient_id: str, privacy: str) -> dict[str, str]:
    rows = db.query(
        "SELECT contact_id, digest FROM sent_records WHERE recipient_id = ? AND privacy = ?",
        (recipient_id, privacy),
    )
    return {str(r[0]): str(r[1]) for r in rows}


def save_sent_digests(
    db: Database, recipient_id: str, privacy: str, digests: dict[str, str]
) -> None:
    db.executemany(
        "INSERT INTO sent_records (recipient_id, privacy, contact_id, digest) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (recipient_id, privacy, contact_id) DO UPDATE SET digest = excluded.digest",
        [(recipient_id, privacy, cid, digest) for cid, digest in digests.items()],
    )


def sent_batches(db: Database, recipient_id: str | None = None) -> list[SentBatch]:
    if recipient_id is None:
        rows = db.query(_SENT + " ORDER BY created_at DESC, sequence DESC")
    else:
        rows = db.query(_SENT + " WHERE recipient_id = ? ORDER BY sequence DESC", (recipient_id,))
    return [_sent(r) for r in rows]


def sent_batch(db: Database, batch_id: str) -> SentBatch | None:
    row = db.one(_SENT + " WHERE batch_id = ?", (batch_id,))
    return None if row is None else _sent(row)


def set_receipt(db: Database, batch_id: str, at: str, receipt: dict[str, Any]) -> None:
    db.execute(
        "UPDATE sent_batches SET receipt_at = ?, receipt = ? WHERE batch_id = ?",
        (at, json.dumps(receipt, sort_keys=True), batch_id),
    )


# --- the import ledger ----------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerEntry:
    batch_id: str
    sender_id: str
    sequence: int
    batch_created: str
    imported_at: str
    imported_by: str
    privacy: str
    payload_sha256: str
    outcome: dict[str, int]


_LEDGER = (
    "SELECT batch_id, sender_id, sequence, batch_created, imported_at, imported_by, privacy,"
    " payload_sha256, outcome FROM import_ledger"
)


def _entry(row: Row) -> LedgerEntry:
    return LedgerEntry(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], json.loads(row[8])
    )


def add_ledger(db: Database, e: LedgerEntry) -> None:
    db.execute(
        "INSERT INTO import_ledger (batch_id, sender_id, sequence, batch_created, imported_at,"
        " imported_by, privacy, payload_sha256, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (e.batch_id, e.sender_id, e.sequence, e.batch_created, e.imported_at, e.imported_by,
         e.privacy, e.payload_sha256, json.dumps(e.outcome, sort_keys=True)),
    )  # fmt: skip


def set_ledger_outcome(db: Database, batch_id: str, outcome: dict[str, int]) -> None:
    db.execute(
        "UPDATE import_ledger SET outcome = ? WHERE batch_id = ?",
        (json.dumps(outcome, sort_keys=True), batch_id),
    )


def ledger_entry(db: Database, batch_id: str) -> LedgerEntry | None:
    row = db.one(_LEDGER + " WHERE batch_id = ?", (batch_id,))
    return None if row is None else _entry(row)


def ledger_by_sequence(db: Database, sender_id: str, sequence: int) -> LedgerEntry | None:
    row = db.one(_LEDGER + " WHERE sender_id = ? AND sequence = ?", (sender_id, sequence))
    return None if row is None else _entry(row)


def ledger(db: Database, sender_id: str | None = None) -> list[LedgerEntry]:
    if sender_id is None:
        rows = db.query(_LEDGER + " ORDER BY imported_at DESC, sequence DESC")
    else:
        rows = db.query(_LEDGER + " WHERE sender_id = ? ORDER BY sequence DESC", (sender_id,))
    return [_entry(r) for r in rows]


def sequences(db: Database, sender_id: str) -> list[int]:
    rows = db.query(
        "SELECT sequence FROM import_ledger WHERE sender_id = ? ORDER BY sequence", (sender_id,)
    )
    return [int(r[0]) for r in rows]


# --- conflicts and aggregates ---------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    id: int
    batch_id: str
    record_type: str
    record_id: str
    version: int
    reason: str
    data: dict[str, Any]
    resolved_at: str | None
    resolved_by: str | None
    resolution: str | None


def add_conflict(
    db: Database, batch_id: str, record_type: str, record: dict[str, Any], reason: str
) -> None:
    db.execute(
        "INSERT INTO import_conflicts (batch_id, record_type, record_id, version, reason, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (batch_id, record_type, record["id"], record["version"], reason,
         json.dumps(record, ensure_ascii=False, sort_keys=True)),
    )  # fmt: skip


def conflicts(db: Database, *, open_only: bool = True) -> list[Conflict]:
    sql = (
        "SELECT id, batch_id, record_type, record_id, version, reason, data, resolved_at,"
        " resolved_by, resolution FROM import_conflicts"
    )
    if open_only:
        sql += " WHERE resolved_at IS NULL"
    rows = db.query(sql + " ORDER BY id")
    return [
        Conflict(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8], r[9])
        for r in rows
    ]


def resolve_conflict(db: Database, conflict_id: int, at: str, by: str, resolution: str) -> bool:
    cursor = db.execute(
        "UPDATE import_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ?"
        " WHERE id = ? AND resolved_at IS NULL",
        (at, by, resolution, conflict_id),
    )
    return bool(cursor.rowcount == 1)


def add_aggregates(db: Database, batch_id: str, sender_id: str, aggregates: dict[str, Any]) -> int:
    rows = []
    for dimension, data in aggregates["dimensions"].items():
        rows.append((batch_id, sender_id, aggregates["since"], aggregates["until"], dimension,
                     "_total", data["total"]))  # fmt: skip
        for code, count in data["cells"]:
            rows.append((batch_id, sender_id, aggregates["since"], aggregates["until"],
                         dimension, code, count))  # fmt: skip
    db.executemany(
        "INSERT OR IGNORE INTO aggregate_cells (batch_id, sender_id, since, until, dimension,"
        " code, count) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


def aggregate_rows(db: Database) -> list[Row]:
    """Every received count, newest batch first, with the batch's sender and import time."""
    return db.query(
        "SELECT a.batch_id, a.sender_id, a.since, a.until, a.dimension, a.code, a.count,"
        " l.imported_at FROM aggregate_cells a JOIN import_ledger l ON l.batch_id = a.batch_id"
        " ORDER BY l.imported_at DESC, a.batch_id, a.dimension"
    )
