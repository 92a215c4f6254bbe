"""The referral directory table."""

from __future__ import annotations

import json
from dataclasses import dataclass

from hotline.directory_search import fold
from hotline.model.organisation import Organisation
from hotline.store.connection import Database, Row

_LISTS = ("other_names", "services", "phones", "languages", "target_groups")
_COLUMNS = (
    "id", "version", "seed_key", "name", "other_names", "type", "services", "country", "region",
    "city", "address", "phones", "email", "hours", "languages", "target_groups", "cost", "notes",
    "source", "verified_on", "verified_by", "historical", "active",
)  # fmt: skip
# Assembled once from the constant column list; every value is a parameter.
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM organisations"  # noqa: S608
_WRITTEN = (*_COLUMNS, "search_text", "updated_at", "updated_by")
_UPSERT = (
    "INSERT INTO organisations (" + ", ".join(_WRITTEN) + ")"  # noqa: S608
    " VALUES (" + ", ".join("?" for _ in _WRITTEN) + ")"
    " ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _WRITTEN[1:])
)  # fmt: skip


def search_text(org: Organisation) -> str:
    parts = [org.name, *org.other_names, org.city, org.region, org.address, org.notes]
    return " ".join(fold(p) for p in parts if p)


def _organisation(row: Row) -> Organisation:
    values = {c: row[c] for c in _COLUMNS}
    for name in _LISTS:
        values[name] = tuple(json.loads(values[name]))
    values["historical"] = bool(values["historical"])
    values["active"] = bool(values["active"])
    return Organisation(**values)


def save(db: Database, org: Organisation, stamp: str, user: str) -> None:
    values = []
    for column in _COLUMNS:
        value = getattr(org, column)
        if column in _LISTS:
            value = json.dumps(list(value), ensure_ascii=False)
        elif isinstance(value, bool):
            value = int(value)
        values.append(value)
    db.execute(_UPSERT, (*values, search_text(org), stamp, user))
    db.execute("DELETE FROM organisation_services WHERE organisation_id = ?", (org.id,))
    db.executemany(
        "INSERT INTO organisation_services (organisation_id, service) VALUES (?, ?)",
        [(org.id, s) for s in org.services],
    )


def get(db: Database, organisation_id: str) -> Organisation | None:
    row = db.one(_SELECT + " WHERE id = ?", (organisation_id,))
    return None if row is None else _organisation(row)


def count(db: Database) -> int:
    return int(db.scalar("SELECT count(*) FROM organisations"))


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""  # folded already
    service: str | None = None
    country: str | None = None
    target_group: str | None = None
    language: str | None = None
    include_inactive: bool = False
    limit: int = 200


_SEARCH = (
    _SELECT + " WHERE (:text = '' OR instr(search_text, :text) > 0)"  # noqa: S608
    " AND (:service IS NULL OR id IN (SELECT organisation_id FROM organisation_services"
    " WHERE service = :service))"
    " AND (:country IS NULL OR country = :country)"
    " AND (:target IS NULL OR instr(target_groups, '\"' || :target || '\"') > 0)"
    " AND (:language IS NULL OR instr(languages, '\"' || :language || '\"') > 0)"
    " AND (:inactive = 1 OR active = 1)"
    " ORDER BY historical, name LIMIT :limit"
)


def search(db: Database, query: DirectoryQuery) -> list[Organisation]:
    rows = db.query(
        _SEARCH,
        {
            "text": query.text,
            "service": query.service,
            "country": query.country,
            "target": query.target_group,
            "language": query.language,
            "inactive": int(query.include_inactive),
            "limit": query.limit,
        },
    )
    return [_organisation(r) for r in rows]
