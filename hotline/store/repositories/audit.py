"""The audit_log table: appending, walking the chain, and the viewer's filtered pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from hotline.model.audit_log import AuditQuery
from hotline.store.connection import Database
from hotline.store.repositories.call_log import Where, utc_bound


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


# --- the viewer -----------------------------------------------------------------------


def where(query: AuditQuery, *, utc_offset_minutes: int) -> Where:
    """The selection of ``query`` (paging aside). ``at`` is stored as UTC ISO text, so
    local days become UTC bounds compared as text."""
    w = Where()
    if query.actor is not None:
        w.add("actor = :actor", actor=query.actor)
    w.add_in("action", "ac", query.actions)
    if query.since is not None:
        w.add("at >= :since", since=utc_bound(query.since, utc_offset_minutes))
    if query.until is not None:
        end = query.until + dt.timedelta(days=1)
        w.add("at < :until", until=utc_bound(end, utc_offset_minutes))
    return w


def count(db: Database, w: Where) -> int:
    return int(db.scalar(f"SELECT count(*) FROM audit_log WHERE {w.sql}", w.params))  # noqa: S608


def page(db: Database, w: Where, *, before_seq: int | None, limit: int) -> list[AuditRow]:
    """Up to ``limit`` entries newest first, older than ``before_seq`` (None: the newest)."""
    clause = w.sql
    params = dict(w.params, limit=limit)
    if before_seq is not None:
        clause += " AND seq < :before"
        params["before"] = before_seq
    # The clause is built from fixed text above; every value is a parameter.
    sql = f"{_SELECT} WHERE {clause} ORDER BY seq DESC LIMIT :limit"
    return [AuditRow(*r) for r in db.query(sql, params)]


def actors(db: Database) -> list[str]:
    """Everyone who appears in the log (accounts removed since included)."""
    rows = db.query("SELECT DISTINCT actor FROM audit_log WHERE actor IS NOT NULL ORDER BY actor")
    return [r[0] for r in rows]
