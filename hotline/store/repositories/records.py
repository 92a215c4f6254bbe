"""Version history of records, drafts and named counters (for reference numbers)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hotline.store.connection import Database


@dataclass(frozen=True)
class StoredVersion:
    version: int
    saved_at: str
    saved_by: str
    data: dict[str, Any]


def add_version(
    db: Database, record_type: str, record_id: str, version: int, saved_at: str, saved_by: str,
    data: dict[str, Any],
) -> None:  # fmt: skip
    db.execute(
        "INSERT INTO record_versions (record_type, record_id, version, saved_at, saved_by, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (record_type, record_id, version, saved_at, saved_by, json.dumps(data, ensure_ascii=False)),
    )


def versions(db: Database, record_type: str, record_id: str) -> list[StoredVersion]:
    rows = db.query(
        "SELECT version, saved_at, saved_by, data FROM record_versions"
        " WHERE record_type = ? AND record_id = ? ORDER BY version",
        (record_type, record_id),
    )
    return [StoredVersion(r[0], r[1], r[2], json.loads(r[3])) for r in rows]


def next_number(db: Database, name: str) -> int:
    """The next value of counter ``name`` (call inside the transaction that uses it)."""
    db.execute(
        "INSERT INTO counters (name, value) VALUES (?, 1)"
        " ON CONFLICT(name) DO UPDATE SET value = value + 1",
        (name,),
    )
    return int(db.scalar("SELECT value FROM counters WHERE name = ?", (name,)))


@dataclass(frozen=True)
class Draft:
    id: str
    owner: str
    contact_id: str | None
    updated_at: str
    data: dict[str, Any]


def save_draft(db: Database, draft: Draft) -> None:
    db.execute(
        "INSERT INTO drafts (id, owner, contact_id, updated_at, data) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET contact_id = excluded.contact_id,"
        " updated_at = excluded.updated_at, data = excluded.data",
        (draft.id, draft.owner, draft.contact_id, draft.updated_at,
         json.dumps(draft.data, ensure_ascii=False)),
    )  # fmt: skip


def drafts_of(db: Database, owner: str) -> list[Draft]:
    rows = db.query(
        "SELECT id, owner, contact_id, updated_at, data FROM drafts WHERE owner = ?"
        " ORDER BY updated_at DESC",
        (owner,),
    )
    return [Draft(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]


def delete_draft(db: Database, draft_id: str) -> None:
    db.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
