from __future__ import annotations

from hotline.store.connection import Database


def get(db: Database, name: str) -> str | None:
    value = db.scalar("SELECT value FROM settings WHERE name = ?", (name,))
    return None if value is None else str(value)


def put(db: Database, name: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (name, value) VALUES (?, ?)"
        " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (name, value),
    )
