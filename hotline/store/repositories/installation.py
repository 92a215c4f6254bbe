from __future__ import annotations

from hotline.model.installation import Installation
from hotline.store.connection import Database


def insert(db: Database, inst: Installation) -> None:
    db.execute(
        "INSERT INTO installation (id, org_code, org_name, country, site_name, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (inst.id, inst.org_code, inst.org_name, inst.country, inst.site_name, inst.created_at),
    )


def update_names(db: Database, org_name: str, site_name: str) -> None:
    db.execute("UPDATE installation SET org_name = ?, site_name = ?", (org_name, site_name))


def get(db: Database) -> Installation | None:
    row = db.one("SELECT id, org_code, org_name, country, site_name, created_at FROM installation")
    if row is None:
        return None
    return Installation(
        id=row["id"],
        org_code=row["org_code"],
        org_name=row["org_name"],
        country=row["country"],
        site_name=row["site_name"],
        created_at=row["created_at"],
    )
