"""Recording contacts: new, save (every save is a new version), view, list, repeat callers,
history, drafts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, fields, replace
from typing import Any

from hotline import audit, clock
from hotline.audit import AuditAction
from hotline.errors import InvalidInput, KnownError, PermissionDenied
from hotline.i18n import N_, _
from hotline.model.contact import UNSAVED, Contact, ContactSummary, VersionInfo
from hotline.model.contact_json import check_texts, contact_fields_from_dict, contact_to_dict
from hotline.phones import Phone
from hotline.roles import Action, allowed, denied_error
from hotline.services import screening
from hotline.services.session import Session, utc_now
from hotline.store.repositories import cases as cases_repo
from hotline.store.repositories import contacts as repo
from hotline.store.repositories import records
from hotline.taxonomy import taxonomy

RECORD_TYPE = "contact"
# Fields whose change is worth naming in the history (never their values).
_TRACKED = tuple(
    f.name
    for f in fields(Contact)
    if f.name not in ("version", "created_at", "created_by", "updated_at", "updated_by")
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def new_contact(session: Session, *, channel: str = "phone") -> Contact:
    """A fresh, unsaved contact starting now, by the signed-in operator."""
    session.require(Action.RECORD_CALLS)
    return Contact(
        id=str(uuid.uuid4()),
        version=UNSAVED,
        reference="",
        site=session.installation.site_name,
        operator=session.user.username,
        started_at=now(),
        channel=channel,
    )


def _may_edit(session: Session, contact: Contact) -> None:
    if contact.operator == session.user.username:
        session.require(Action.RECORD_CALLS)
    else:
        session.require(Action.EDIT_ANY_CALL)


def _reference(session: Session, started: dt.datetime) -> str:
    number = records.next_number(session.db, f"contact-{started:%Y}")
    return f"{session.installation.org_code}-{started:%y}-{number:05d}"


def _is_data(contact: Contact) -> bool:
    term = taxonomy().get("call_types", contact.call_type or "")
    return True if term is None else term.data


def changed_fields(before: Contact | None, after: Contact) -> tuple[str, ...]:
    if before is None:
        return ()
    return tuple(name for name in _TRACKED if getattr(before, name) != getattr(after, name))


def save_contact(session: Session, contact: Contact) -> Contact:
    """Save a new contact (version 1) or a change (version + 1); audited; returns it saved.

    Raises KnownError if somebody else saved the same contact in the meantime.
    """
    _may_edit(session, contact)
    if contact.saved and repo.imported(session.db, contact.id):
        raise KnownError(_(IMPORTED_READ_ONLY))
    check_texts(contact)
    stamp = utc_now()
    user = session.user.username
    contact = _with_done_on(
        contact, None if not contact.saved else repo.get(session.db, contact.id)
    )
    if contact.screenings:
        contact = replace(contact, risk_level=screening.highest_level(contact.screenings))
    with session.db.transaction():
        screening.keep_scripts_of(session, contact)
        if not contact.saved:
            saved = replace(
                contact,
                version=1,
                reference=contact.reference or _reference(session, contact.started_at),
                created_at=stamp,
                created_by=user,
                updated_at=stamp,
                updated_by=user,
            )
            repo.insert(session.db, saved, _is_data(saved))
            audit.record(session.db, user, AuditAction.RECORD_CREATED, RECORD_TYPE, saved.id)
        else:
            before = repo.get(session.db, contact.id)
            saved = replace(contact, version=contact.version + 1, updated_at=stamp, updated_by=user)
            if before is None or not repo.update(session.db, saved, _is_data(saved)):
                raise KnownError(
                    _("Someone else changed this call while you were editing it."),
                    hint=_("Your text is kept in the form. Copy it, reopen the call and add it."),
                )
            audit.record(
                session.db, user, AuditAction.RECORD_EDITED, RECORD_TYPE, saved.id,
                fields=",".join(changed_fields(before, saved))[:200],
                version=saved.version,
            )  # fmt: skip
        records.add_version(
            session.db, RECORD_TYPE, saved.id, saved.version, stamp, user, contact_to_dict(saved)
        )
    return saved


def _with_done_on(contact: Contact, before: Contact | None) -> Contact:
    """Keep the day a follow-up was first marked done (statistics: done on time?)."""
    follow = contact.follow_up
    if not follow.done:
        done_on = None
    elif before is not None and before.follow_up.done and before.follow_up.done_on:
        done_on = before.follow_up.done_on
    else:
        done_on = clock.local_today()
    return replace(contact, follow_up=replace(follow, done_on=done_on))


def get_contact(session: Session, contact_id: str) -> Contact:
    """Open a contact (audited as a view)."""
    session.require(Action.VIEW_CALLS)
    contact = repo.get(session.db, contact_id) or repo.by_reference(session.db, contact_id)
    if contact is None:
        raise KnownError(_("There is no call %(id)s.") % {"id": contact_id})
    audit.record(
        session.db, session.user.username, AuditAction.RECORD_VIEWED, RECORD_TYPE, contact.id
    )
    return contact


# A call brought by a batch belongs to the installation that recorded it.
IMPORTED_READ_ONLY = N_(
    "This call was recorded by another hotline and imported here; it cannot be changed here."
)


def is_imported(session: Session, contact: Contact) -> bool:
    return repo.imported(session.db, contact.id)


def may_edit(session: Session, contact: Contact) -> bool:
    if contact.saved and repo.imported(session.db, contact.id):
        return False
    try:
        _may_edit_quietly(session, contact)
    except PermissionDenied:
        return False
    return True


def _may_edit_quietly(session: Session, contact: Contact) -> None:
    action = (
        Action.RECORD_CALLS if contact.operator == session.user.username else Action.EDIT_ANY_CALL
    )
    if not allowed(session.user.role, action):
        raise denied_error()


@dataclass(frozen=True)
class ListQuery:
    phone: Phone | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    mine: bool = False
    case_id: str | None = None
    follow_up_open: bool = False
    limit: int = 500


def list_contacts(session: Session, query: ListQuery) -> list[ContactSummary]:
    session.require(Action.VIEW_CALLS)
    return repo.summaries(
        session.db,
        repo.ContactFilter(
            phone_key=None if query.phone is None else query.phone.match_key,
            since=query.since,
            until=query.until,
            operator=session.user.username if query.mine else None,
            case_id=query.case_id,
            follow_up_open=query.follow_up_open,
            limit=query.limit,
        ),
    )


def earlier_contacts(
    session: Session, phone: Phone | None, exclude_id: str | None = None, limit: int = 20
) -> list[ContactSummary]:
    """Earlier contacts from the same caller, newest first (the repeat-caller panel)."""
    session.require(Action.VIEW_CALLS)
    key = None if phone is None else phone.match_key
    if key is None:
        return []
    return repo.summaries(
        session.db, repo.ContactFilter(phone_key=key, exclude_id=exclude_id, limit=limit)
    )


def history(session: Session, contact_id: str) -> list[VersionInfo]:
    """Every saved version, oldest first, naming the fields each one changed."""
    session.require(Action.VIEW_CALLS)
    stored = records.versions(session.db, RECORD_TYPE, contact_id)
    result: list[VersionInfo] = []
    previous: dict[str, Any] | None = None
    ignore = {"version", "updated_at", "updated_by", "created_at", "created_by", "schema"}
    for item in stored:
        changed: tuple[str, ...] = ()
        if previous is not None:
            changed = tuple(
                k for k in item.data if k not in ignore and item.data.get(k) != previous.get(k)
            )
        result.append(VersionInfo(item.version, item.saved_at, item.saved_by, changed))
        previous = item.data
    return result


def version_data(session: Session, contact_id: str, version: int) -> dict[str, Any]:
    session.require(Action.VIEW_CALLS)
    for item in records.versions(session.db, RECORD_TYPE, contact_id):
        if item.version == version:
            audit.record(
                session.db, session.user.username, AuditAction.RECORD_VIEWED, RECORD_TYPE,
                contact_id, version=version,
            )  # fmt: skip
            return item.data
    raise KnownError(_("There is no such version of this call."))


def contact_from_json(session: Session, data: dict[str, Any]) -> Contact:
    """A new contact from the documented JSON form (CLI, import); codes validated."""
    base = new_contact(session)
    values = contact_fields_from_dict(data, session.installation.country)
    if values.get("case_id") and cases_repo.get_case(session.db, values["case_id"]) is None:
        raise InvalidInput(_("case_id: there is no case %(id)s.") % {"id": values["case_id"]})
    return replace(base, **values)


# --- drafts ------------------------------------------------------------------------------


def save_draft(
    session: Session, draft_id: str, contact_id: str | None, data: dict[str, Any]
) -> None:
    """Keep what is being typed (inside the encrypted database); no audit, no version."""
    with session.db.transaction():
        records.save_draft(
            session.db,
            records.Draft(draft_id, session.user.username, contact_id, utc_now(), data),
        )


def drafts(session: Session) -> list[records.Draft]:
    return records.drafts_of(session.db, session.user.username)


def discard_draft(session: Session, draft_id: str) -> None:
    with session.db.transaction():
        records.delete_draft(session.db, draft_id)
