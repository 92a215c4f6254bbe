"""Screening answers per contact, and the script versions they were made with."""

from __future__ import annotations

import json

from hotline.model.contact import Screening
from hotline.store.connection import Database


def replace_for_contact(db: Database, contact_id: str, screenings: tuple[Screening, ...]) -> None:
    db.execute("DELETE FROM screenings WHERE contact_id = ?", (contact_id,))
    db.executemany(
        "INSERT INTO screenings (contact_id, script_id, script_version, answers, level,"
        " indicators, flags) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (contact_id, s.script_id, s.script_version, json.dumps(s.answers, ensure_ascii=False),
             s.level, json.dumps(list(s.indicators)), json.dumps(list(s.flags)))
            for s in screenings
        ],
    )  # fmt: skip


def for_contact(db: Database, contact_id: str) -> tuple[Screening, ...]:
    rows = db.query(
        "SELECT script_id, script_version, answers, level, indicators, flags FROM screenings"
        " WHERE contact_id = ? ORDER BY script_id",
        (contact_id,),
    )
    return tuple(
        Screening(
            r[0], r[1], json.loads(r[2]), r[3], tuple(json.loads(r[4])), tuple(json.loads(r[5]))
        )
        for r in rows
    )


def script_source(db: Database, script_id: str, version: int) -> str | None:
    value = db.scalar(
        "SELECT source FROM scripts WHERE id = ? AND version = ?", (script_id, version)
    )
    return None if value is None else str(value)


def store_script(
    db: Database, script_id: str, version: int, source: str, builtin: bool, stamp: str, user: str
) -> None:
    db.execute(
        "INSERT INTO scripts (id, version, source, builtin, installed_at, installed_by)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id, version) DO NOTHING",
        (script_id, version, source, int(builtin), stamp, user),
    )


def installed(db: Database) -> list[tuple[str, int, bool, str]]:
    """(id, version, builtin, installed_at) of every stored script version."""
    rows = db.query("SELECT id, version, builtin, installed_at FROM scripts ORDER BY id, version")
    return [(r[0], int(r[1]), bool(r[2]), r[3]) for r in rows]
