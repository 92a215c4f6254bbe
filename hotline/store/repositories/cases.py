"""Persons and cases."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hotline.model.contact import Case, Person, RouteEvent
from hotline.store.connection import Database, Row

_PERSON_SELECT = (
    "SELECT id, version, name, sex, age_band, citizenship, home_country, home_region, notes"
    " FROM persons"
)
_CASE_SELECT = (
    "SELECT id, version, reference, person_id, status, trafficking_status,"
    " trafficking_decided_by, exploitation_types, control_methods, perpetrator_roles,"
    " legal_qualification, route, opened_at, closed_at FROM cases"
)


def _person(row: Row) -> Person:
    return Person(*row)


def insert_person(db: Database, person: Person, stamp: str, user: str) -> None:
    db.execute(
        "INSERT INTO persons (id, version, name, sex, age_band, citizenship, home_country,"
        " home_region, notes, created_at, created_by, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (person.id, person.version, person.name, person.sex, person.age_band,
         person.citizenship, person.home_country, person.home_region, person.notes,
         stamp, user, stamp, user),
    )  # fmt: skip


def update_person(db: Database, person: Person, stamp: str, user: str) -> bool:
    cursor = db.execute(
        "UPDATE persons SET version = ?, name = ?, sex = ?, age_band = ?, citizenship = ?,"
        " home_country = ?, home_region = ?, notes = ?, updated_at = ?, updated_by = ?"
        " WHERE id = ? AND version = ?",
        (person.version, person.name, person.sex, person.age_band, person.citizenship,
         person.home_country, person.home_region, person.notes, stamp, user, person.id,
         person.version - 1),
    )  # fmt: skip
    return bool(cursor.rowcount == 1)


def get_person(db: Database, person_id: str) -> Person | None:
    row = db.one(_PERSON_SELECT + " WHERE id = ?", (person_id,))
    return None if row is None else _person(row)


def route_to_json(route: tuple[RouteEvent, ...]) -> str:
    return json.dumps(
        [
            {
                "kind": e.kind,
                "country": e.country,
                "place": e.place,
                "date": None if e.date is None else e.date.isoformat(),
            }
            for e in route
        ],
        ensure_ascii=False,
    )


def _route(text: str) -> tuple[RouteEvent, ...]:
    items: list[dict[str, Any]] = json.loads(text)
    return tuple(
        RouteEvent(
            kind=i["kind"],
            country=i.get("country"),
            place=i.get("place", ""),
            date=None if not i.get("date") else dt.date.fromisoformat(i["date"]),
        )
        for i in items
    )


def _case(row: Row) -> Case:
    return Case(
        id=row["id"],
        version=row["version"],
        reference=row["reference"],
        person_id=row["person_id"],
        status=row["status"],
        trafficking_status=row["trafficking_status"],
        trafficking_decided_by=row["trafficking_decided_by"],
        exploitation_types=tuple(json.loads(row["exploitation_types"])),
        control_methods=tuple(json.loads(row["control_methods"])),
        perpetrator_roles=tuple(json.loads(row["perpetrator_roles"])),
        legal_qualification=row["legal_qualification"],
        route=_route(row["route"]),
        opened_at=row["opened_at"],
        closed_at=row["closed_at"],
    )


def _case_values(case: Case) -> tuple[object, ...]:
    return (
        case.status,
        case.trafficking_status,
        case.trafficking_decided_by,
        json.dumps(list(case.exploitation_types)),
        json.dumps(list(case.control_methods)),
        json.dumps(list(case.perpetrator_roles)),
        case.legal_qualification,
        route_to_json(case.route),
        case.closed_at,
    )


def insert_case(db: Database, case: Case, stamp: str, user: str) -> None:
    db.execute(
        "INSERT INTO cases (status, trafficking_status, trafficking_decided_by,"
        " exploitation_types, control_methods, perpetrator_roles, legal_qualification, route,"
        " closed_at, id, version, reference, person_id, opened_at, created_at, created_by,"
        " updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*_case_values(case), case.id, case.version, case.reference, case.person_id,
         case.opened_at, stamp, user, stamp, user),
    )  # fmt: skip


def update_case(db: Database, case: Case, stamp: str, user: str) -> bool:
    cursor = db.execute(
        "UPDATE cases SET status = ?, trafficking_status = ?, trafficking_decided_by = ?,"
        " exploitation_types = ?, control_methods = ?, perpetrator_roles = ?,"
        " legal_qualification = ?, route = ?, closed_at = ?, version = ?, updated_at = ?,"
        " updated_by = ? WHERE id = ? AND version = ?",
        (*_case_values(case), case.version, stamp, user, case.id, case.version - 1),
    )
    return bool(cursor.rowcount == 1)


def get_case(db: Database, case_id: str) -> Case | None:
    row = db.one(_CASE_SELECT + " WHERE id = ? OR reference = ?", (case_id, case_id))
    return None if row is None else _case(row)


def list_cases(db: Database, open_only: bool, limit: int = 500) -> list[Case]:
    rows = db.query(
        _CASE_SELECT + " WHERE (:open = 0 OR status IN ('Active', 'FollowUp'))"
        " ORDER BY opened_at DESC LIMIT :limit",
        {"open": int(open_only), "limit": limit},
    )
    return [_case(r) for r in rows]


def link_contact(db: Database, contact_id: str, case_id: str | None) -> None:
    db.execute("UPDATE contacts SET case_id = ? WHERE id = ?", (case_id, contact_id))
