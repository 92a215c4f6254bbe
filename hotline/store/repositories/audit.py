from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hotline.store.connection import Database


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: str
    actor: str | None
    action: str
    target_type: str | None
    target_id: str | None
    details: str
    prev_hash: str
    hash: str


_SELECT = (
    "SELECT seq, at, actor, action, target_type, target_id, details, prev_hash, hash FROM audit_log"
)
_OLDEST_FIRST = _SELECT + " ORDER BY seq ASC LIMIT ?"
_NEWEST_FIRST = _SELECT + " ORDER BY seq DESC LIMIT ?"


def last_hash(db: Database) -> tuple[int, str] | None:
    row = db.one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    return None if row is None else (int(row["seq"]), str(row["hash"]))


def append(db: Database, row: AuditRow) -> None:
    db.execute(
        "INSERT INTO audit_log (seq, at, actor, action, target_type, target_id, details,"
        " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row.seq,
            row.at,
            row.actor,
            row.action,
            row.target_type,
            row.target_id,
            row.details,
            row.prev_hash,
            row.hash,
        ),
    )


def iterate(db: Database, *, newest_first: bool = False, limit: int = -1) -> Iterator[AuditRow]:
    cursor = db.execute(_NEWEST_FIRST if newest_first else _OLDEST_FIRST, (limit,))
    for r in cursor:
        yield AuditRow(*r)
