"""Cases: the person at risk and what is known about the trafficking, grouping contacts."""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from typing import Any

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import InvalidInput, KnownError
from hotline.i18n import _
from hotline.model.contact import Case, Contact, Person
from hotline.roles import Action
from hotline.services import contacts
from hotline.services.session import Session, utc_now
from hotline.store.repositories import cases as repo
from hotline.store.repositories import contacts as contacts_repo
from hotline.store.repositories import records
from hotline.taxonomy import taxonomy

CLOSED = ("Closed", "ClosedReferred")


def snapshot(value: Case | Person) -> dict[str, Any]:
    data = asdict(value)
    if isinstance(value, Case):
        data["route"] = repo.route_to_json(value.route)
    return data


def validate_case(case: Case) -> Case:
    tax = taxonomy()
    tax.check("case_statuses", case.status, "status")
    tax.check("trafficking_statuses", case.trafficking_status, "trafficking_status")
    tax.check("deciders", case.trafficking_decided_by, "trafficking_decided_by")
    for event in case.route:
        tax.check("route_events", event.kind, "route")
    return replace(
        case,
        exploitation_types=tax.check_all(
            "exploitation_types", case.exploitation_types, "exploitation_types"
        ),
        control_methods=tax.check_all("control_methods", case.control_methods, "control_methods"),
        perpetrator_roles=tax.check_all(
            "perpetrator_roles", case.perpetrator_roles, "perpetrator_roles"
        ),
    )


def create_case_from_contact(
    session: Session, contact_id: str, person: Person | None = None
) -> Case:
    """Open a case about the person a contact concerns, and link the contact to it."""
    session.require(Action.RECORD_CALLS)
    contact = contacts_repo.get(session.db, contact_id)
    if contact is None:
        raise KnownError(_("There is no call %(id)s.") % {"id": contact_id})
    if contact.case_id:
        raise InvalidInput(_("This call already belongs to a case."))
    stamp = utc_now()
    user = session.user.username
    if person is None:
        caller_is_person = contact.caller.relationship == "self"
        person = Person(
            id=str(uuid.uuid4()),
            version=1,
            sex=contact.caller.sex if caller_is_person else None,
            age_band=contact.caller.age_band if caller_is_person else None,
            citizenship=contact.caller.citizenship if caller_is_person else None,
        )
    with session.db.transaction():
        number = records.next_number(session.db, f"case-{stamp[:4]}")
        case = Case(
            id=str(uuid.uuid4()),
            version=1,
            reference=f"{session.installation.org_code}-K{stamp[2:4]}-{number:04d}",
            person_id=person.id,
            opened_at=stamp,
        )
        repo.insert_person(session.db, person, stamp, user)
        repo.insert_case(session.db, case, stamp, user)
        records.add_version(session.db, "person", person.id, 1, stamp, user, snapshot(person))
        records.add_version(session.db, "case", case.id, 1, stamp, user, snapshot(case))
        audit.record(session.db, user, AuditAction.RECORD_CREATED, "case", case.id)
        contacts.save_contact(session, replace(contact, case_id=case.id))
    return case


def link_contact(session: Session, contact_id: str, case_id: str) -> Contact:
    """Put a contact into an existing case (a new version of the contact)."""
    case = get_case(session, case_id)
    contact = contacts_repo.get(session.db, contact_id)
    if contact is None:
        raise KnownError(_("There is no call %(id)s.") % {"id": contact_id})
    return contacts.save_contact(session, replace(contact, case_id=case.id))


def save_case(session: Session, case: Case) -> Case:
    session.require(Action.RECORD_CALLS)
    checked = validate_case(case)
    stamp = utc_now()
    user = session.user.username
    saved = replace(checked, version=checked.version + 1)
    if saved.status in CLOSED and not saved.closed_at:
        saved = replace(saved, closed_at=stamp)
    if saved.status not in CLOSED:
        saved = replace(saved, closed_at=None)
    with session.db.transaction():
        if not repo.update_case(session.db, saved, stamp, user):
            raise KnownError(_("Someone else changed this case while you were editing it."))
        _record_edit(session, "case", saved, stamp)
    return saved


def _record_edit(session: Session, record_type: str, saved: Case | Person, stamp: str) -> None:
    """The version snapshot and the audit entry of an edit (inside its transaction)."""
    user = session.user.username
    records.add_version(
        session.db, record_type, saved.id, saved.version, stamp, user, snapshot(saved)
    )
    audit.record(
        session.db, user, AuditAction.RECORD_EDITED, record_type, saved.id, version=saved.version
    )


def save_person(session: Session, person: Person) -> Person:
    session.require(Action.RECORD_CALLS)
    stamp = utc_now()
    user = session.user.username
    saved = replace(person, version=person.version + 1)
    with session.db.transaction():
        if not repo.update_person(session.db, saved, stamp, user):
            raise KnownError(_("Someone else changed this person while you were editing it."))
        _record_edit(session, "person", saved, stamp)
    return saved


def get_case(session: Session, case_id: str) -> Case:
    session.require(Action.VIEW_CALLS)
    case = repo.get_case(session.db, case_id)
    if case is None:
        raise KnownError(_("There is no case %(id)s.") % {"id": case_id})
    audit.record(session.db, session.user.username, AuditAction.RECORD_VIEWED, "case", case.id)
    return case


def get_person(session: Session, person_id: str) -> Person:
    session.require(Action.VIEW_CALLS)
    person = repo.get_person(session.db, person_id)
    if person is None:
        raise KnownError(_("There is no such person."))
    return person


def list_cases(session: Session, *, open_only: bool = True) -> list[Case]:
    session.require(Action.VIEW_CALLS)
    return repo.list_cases(session.db, open_only)
