"""Chosen columns of a page of contacts, in one query: what a call-list export needs
beyond the call-log row."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from hotline.store.connection import Database

# Columns of ``contacts`` that may be asked for (the names go into the SQL text).
FIELDS = frozenset(
    {
        "channel",
        "caller_sex",
        "caller_age_band",
        "caller_name",
        "phone_typed",
        "phone_e164",
        "phone_kind",
        "phone_country",
        "summary",
        "notes",
        "follow_up_reason",
    }
)


def fields_of(db: Database, ids: Sequence[str], fields: Sequence[str]) -> dict[str, dict[str, Any]]:
    """contact id → {field: value} for every id found."""
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValueError(f"not an exportable field: {sorted(unknown)}")
    if not ids:
        return {}
    # The column names are checked against FIELDS above; the ids are one JSON parameter.
    sql = (
        "SELECT id" + "".join(", " + f for f in fields)  # noqa: S608
        + " FROM contacts WHERE id IN (SELECT value FROM json_each(?))"
    )  # fmt: skip
    rows = db.query(sql, (json.dumps(list(ids)),))
    return {r[0]: dict(zip(fields, r[1:], strict=True)) for r in rows}
