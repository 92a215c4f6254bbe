"""Retention: find old calls and remove what identifies people from them, everywhere the
database keeps a copy (the call, its screenings and referrals, the person of its case, every
saved version, drafts, records kept aside by an import, the search index).

Only the repository knows the columns; the service decides which calls (age, receipts).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hotline.store.connection import Database

# Stands for a removed reason where the schema requires one (a referral without consent).
REMOVED = "—"
# A caller's phone key after retention: random per run and per caller, derived from nothing.
TOKEN_PREFIX = "gone:"

_CONTACT_HOLDS = (
    "caller_name != '' OR caller_region != '' OR phone_typed != '' OR phone_e164 IS NOT NULL"
    " OR phone_kind IS NOT NULL"
    f" OR (phone_key IS NOT NULL AND phone_key NOT LIKE '{TOKEN_PREFIX}%')"
    " OR summary != '' OR notes != '' OR follow_up_reason != ''"
)


@dataclass(frozen=True)
class CallAge:
    """What the service needs to decide about one call."""

    id: str
    origin_id: str | None
    started_at: str
    last_change: str  # the newest save of the call, its case, person or referrals


def calls_started_before(db: Database, before_utc: str) -> list[CallAge]:
    rows = db.query(
        "SELECT c.id, c.origin_id, c.started_at, max(c.updated_at,"
        " coalesce(k.updated_at, ''), coalesce(p.updated_at, ''),"
        " coalesce((SELECT max(f.updated_at) FROM referrals f WHERE f.contact_id = c.id), ''))"
        " FROM contacts c LEFT JOIN cases k ON k.id = c.case_id"
        " LEFT JOIN persons p ON p.id = k.person_id"
        " WHERE c.started_at < ? ORDER BY c.started_at, c.id",
        (before_utc,),
    )
    return [CallAge(str(r[0]), r[1], str(r[2]), str(r[3])) for r in rows]


@dataclass(frozen=True)
class Batch:
    recipient_id: str
    privacy: str
    sequence: int
    mode: str
    created_at: str
    since: str | None
    until: str | None
    high_water: str | None
    acknowledged: bool


def sent_batches(db: Database) -> list[Batch]:
    rows = db.query(
        "SELECT recipient_id, privacy, sequence, mode, created_at, since, until, high_water,"
        " receipt_at IS NOT NULL FROM sent_batches ORDER BY recipient_id, sequence"
    )
    return [Batch(r[0], r[1], int(r[2]), r[3], r[4], r[5], r[6], r[7], bool(r[8])) for r in rows]


def sent_to(db: Database) -> dict[str, set[tuple[str, str]]]:
    """contact id → the (recipient, privacy level) pairs it was sent to."""
    result: dict[str, set[tuple[str, str]]] = {}
    for row in db.query("SELECT contact_id, recipient_id, privacy FROM sent_records"):
        result.setdefault(str(row[0]), set()).add((str(row[1]), str(row[2])))
    return result


# --- the working set ----------------------------------------------------------------------


def load_working_set(db: Database, contact_ids: Iterable[str]) -> None:
    """Put the chosen calls, and the persons and cases only they refer to, in temp tables
    (kept in memory: temp_store = MEMORY)."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS retention_contacts (id TEXT PRIMARY KEY)")
    db.execute("CREATE TEMP TABLE IF NOT EXISTS retention_persons (id TEXT PRIMARY KEY)")
    db.execute("CREATE TEMP TABLE IF NOT EXISTS retention_cases (id TEXT PRIMARY KEY)")
    for table in ("retention_contacts", "retention_persons", "retention_cases"):
        db.execute(f"DELETE FROM temp.{table}")  # noqa: S608 - constant names
    db.executemany(
        "INSERT INTO temp.retention_contacts (id) VALUES (?)", [(i,) for i in contact_ids]
    )
    # A person goes only when every call of every case of that person goes.
    db.execute(
        "INSERT INTO temp.retention_persons (id) SELECT k.person_id FROM cases k"
        " JOIN contacts c ON c.case_id = k.id GROUP BY k.person_id"
        " HAVING sum(c.id NOT IN (SELECT id FROM temp.retention_contacts)) = 0"
        " AND (SELECT count(*) FROM cases x WHERE x.person_id = k.person_id"
        "      AND NOT EXISTS (SELECT 1 FROM contacts y WHERE y.case_id = x.id)) = 0"
    )
    db.execute(
        "INSERT INTO temp.retention_cases (id) SELECT id FROM cases"
        " WHERE person_id IN (SELECT id FROM temp.retention_persons)"
    )


def drop_working_set(db: Database) -> None:
    for table in ("retention_contacts", "retention_persons", "retention_cases"):
        db.execute(f"DROP TABLE IF EXISTS temp.{table}")


# --- scrubbing JSON copies ----------------------------------------------------------------


def _blank(data: dict[str, Any], key: str) -> bool:
    if data.get(key) not in ("", None):
        data[key] = ""
        return True
    return False


def scrub_contact_json(data: dict[str, Any]) -> bool:
    """A contact as saved in its history (contact JSON) or as received in a batch."""
    changed = False
    caller = data.get("caller")
    if isinstance(caller, dict):
        changed |= _blank(caller, "name")
        changed |= _blank(caller, "region")
    if data.get("phone") is not None:
        data["phone"] = None
        changed = True
    if data.get("phone_pseudonym") is not None:
        data["phone_pseudonym"] = None
        changed = True
    changed |= _blank(data, "summary")
    changed |= _blank(data, "notes")
    follow = data.get("follow_up")
    if isinstance(follow, dict):
        changed |= _blank(follow, "reason")
    for screening in data.get("screenings") or []:
        if isinstance(screening, dict) and screening.get("answers"):
            screening["answers"] = {}
            changed = True
    for referral in data.get("referrals") or []:
        if isinstance(referral, dict):
            changed |= scrub_referral_json(referral)
    return changed


def scrub_referral_json(data: dict[str, Any]) -> bool:
    changed = _blank(data, "reason")
    if data.get("no_consent_reason") not in (None, "", REMOVED):
        data["no_consent_reason"] = REMOVED
        changed = True
    return changed


def scrub_person_json(data: dict[str, Any]) -> bool:
    changed = _blank(data, "name")
    changed |= _blank(data, "notes")
    changed |= _blank(data, "home_region")
    if data.get("name_pseudonym") is not None:
        data["name_pseudonym"] = None
        changed = True
    return changed


def scrub_case_json(data: dict[str, Any]) -> bool:
    """A case: the places of its route (a list, or JSON text in a saved version)."""
    route = data.get("route")
    as_text = isinstance(route, str)
    events = json.loads(route) if isinstance(route, str) else route
    changed = False
    for event in events or []:
        if isinstance(event, dict):
            changed |= _blank(event, "place")
    if changed and as_text:
        data["route"] = json.dumps(events, ensure_ascii=False)
    return changed


_SCRUBBERS = {
    "contact": scrub_contact_json,
    "person": scrub_person_json,
    "case": scrub_case_json,
    "referral": scrub_referral_json,
}
_SETS = {
    "contact": "retention_contacts",
    "person": "retention_persons",
    "case": "retention_cases",
    "referral": None,  # referrals of the chosen calls
}


def _ids_sql(record_type: str, column: str) -> str:
    table = _SETS[record_type]
    if table is None:
        return (
            f"{column} IN (SELECT id FROM referrals"  # noqa: S608 - constant names and codes, values are parameters
            " WHERE contact_id IN (SELECT id FROM temp.retention_contacts))"
        )
    return f"{column} IN (SELECT id FROM temp.{table})"  # noqa: S608 - constant names and codes, values are parameters


def _changed_json(
    db: Database, table: str, key: str, type_column: str, id_column: str
) -> list[tuple[Any, str, str]]:
    """(row key, record type, scrubbed JSON) of every row whose JSON loses something."""
    result: list[tuple[Any, str, str]] = []
    for record_type, scrub in _SCRUBBERS.items():
        rows = db.query(
            f"SELECT {key}, data FROM {table} WHERE {type_column} = ?"  # noqa: S608
            f" AND {_ids_sql(record_type, id_column)}",
            (record_type,),
        )
        for row in rows:
            data = json.loads(row[1])
            if isinstance(data, dict) and scrub(data):
                result.append((row[0], record_type, json.dumps(data, ensure_ascii=False)))
    return result


def changed_versions(db: Database) -> list[tuple[Any, str, str]]:
    return _changed_json(db, "record_versions", "rowid", "record_type", "record_id")


def changed_conflicts(db: Database) -> list[tuple[Any, str, str]]:
    return _changed_json(db, "import_conflicts", "id", "record_type", "record_id")


# --- counting and removing ----------------------------------------------------------------


@dataclass(frozen=True)
class Work:
    """What the working set still holds, by kind (record ids, to tell calls apart)."""

    contacts: set[str]  # calls whose own row holds something
    screenings: set[str]  # calls with answers
    referrals: set[str]  # referral ids with a reason
    referral_calls: set[str]
    persons: set[str]
    cases: set[str]
    versions: list[tuple[Any, str, str]]
    version_calls: set[str]
    drafts: list[str]
    draft_calls: set[str]
    conflicts: list[tuple[Any, str, str]]


def pending(db: Database, drafts_before_utc: str) -> Work:
    def ids(sql: str, params: tuple[Any, ...] = ()) -> set[str]:
        return {str(r[0]) for r in db.query(sql, params)}

    in_set = "IN (SELECT id FROM temp.retention_contacts)"
    contacts = ids(f"SELECT id FROM contacts WHERE id {in_set} AND ({_CONTACT_HOLDS})")  # noqa: S608
    screenings = ids(
        f"SELECT DISTINCT contact_id FROM screenings WHERE contact_id {in_set}"  # noqa: S608
        " AND answers NOT IN ('{}', '')"
    )
    referral_rows = db.query(
        f"SELECT id, contact_id FROM referrals WHERE contact_id {in_set}"  # noqa: S608
        f" AND (reason != '' OR no_consent_reason NOT IN ('', '{REMOVED}'))"
    )
    persons = ids(
        "SELECT id FROM persons WHERE id IN (SELECT id FROM temp.retention_persons)"
        " AND (name != '' OR notes != '' OR home_region != '' OR name_pseudonym IS NOT NULL)"
    )
    cases = set()
    for row in db.query(
        "SELECT id, route FROM cases WHERE id IN (SELECT id FROM temp.retention_cases)"
    ):
        if scrub_case_json({"route": json.loads(row[1])}):
            cases.add(str(row[0]))
    versions = changed_versions(db)
    version_calls = set()
    for rowid, record_type, _data in versions:
        if record_type == "contact":
            version_calls.add(
                str(db.scalar("SELECT record_id FROM record_versions WHERE rowid = ?", (rowid,)))
            )
    draft_rows = db.query(
        f"SELECT id, contact_id FROM drafts WHERE contact_id {in_set}"  # noqa: S608
        " OR updated_at < ?",
        (drafts_before_utc,),
    )
    return Work(
        contacts=contacts,
        screenings=screenings,
        referrals={str(r[0]) for r in referral_rows},
        referral_calls={str(r[1]) for r in referral_rows},
        persons=persons,
        cases=cases,
        versions=versions,
        version_calls=version_calls,
        drafts=[str(r[0]) for r in draft_rows],
        draft_calls={str(r[1]) for r in draft_rows if r[1] is not None},
        conflicts=changed_conflicts(db),
    )


def remove(db: Database, work: Work) -> None:
    """Remove what ``work`` found (inside the caller's transaction)."""
    in_set = "IN (SELECT id FROM temp.retention_contacts)"
    # One random token per caller among these calls: repeat callers still count as one in
    # the statistics of these calls, and no number can be tested against the token.
    keys = db.query(
        f"SELECT DISTINCT phone_key FROM contacts WHERE id {in_set}"  # noqa: S608
        f" AND phone_key IS NOT NULL AND phone_key NOT LIKE '{TOKEN_PREFIX}%'"
    )
    for row in keys:
        db.execute(
            f"UPDATE contacts SET phone_key = ? WHERE phone_key = ? AND id {in_set}",  # noqa: S608
            (TOKEN_PREFIX + secrets.token_hex(16), row[0]),
        )
    # Changing summary or notes fires contact_text_update: the search index entry is
    # deleted (secure-delete) and an empty one written.
    db.execute(
        "UPDATE contacts SET caller_name = '', caller_region = '', phone_typed = '',"  # noqa: S608 - constant names and codes, values are parameters
        " phone_e164 = NULL, phone_kind = NULL, summary = '', notes = '',"
        f" follow_up_reason = '' WHERE id {in_set} AND ({_CONTACT_HOLDS})"
    )
    db.execute(
        f"UPDATE screenings SET answers = '{{}}' WHERE contact_id {in_set}"  # noqa: S608
        " AND answers NOT IN ('{}', '')"
    )
    db.execute(
        "UPDATE referrals SET reason = '', no_consent_reason = CASE"  # noqa: S608 - constant names and codes, values are parameters
        f" WHEN no_consent_reason = '' THEN '' ELSE '{REMOVED}' END"
        f" WHERE contact_id {in_set}"
    )
    db.execute(
        "UPDATE persons SET name = '', notes = '', home_region = '', name_pseudonym = NULL"
        " WHERE id IN (SELECT id FROM temp.retention_persons)"
    )
    for case_id in work.cases:
        route = json.loads(db.scalar("SELECT route FROM cases WHERE id = ?", (case_id,)))
        scrub_case_json({"route": route})
        db.execute(
            "UPDATE cases SET route = ? WHERE id = ?",
            (json.dumps(route, ensure_ascii=False), case_id),
        )
    db.executemany(
        "UPDATE record_versions SET data = ? WHERE rowid = ?",
        [(data, rowid) for rowid, _type, data in work.versions],
    )
    db.executemany(
        "UPDATE import_conflicts SET data = ? WHERE id = ?",
        [(data, key) for key, _type, data in work.conflicts],
    )
    db.executemany("DELETE FROM drafts WHERE id = ?", [(i,) for i in work.drafts])


def vacuum(db: Database) -> int:
    """Rewrite the file without free pages, empty the write-ahead log; the free page count
    afterwards (0 when all went well)."""
    db.execute("VACUUM")
    db.checkpoint()
    return int(db.scalar("PRAGMA freelist_count"))
