"""Referring a caller to a service: never without consent or a recorded reason."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import InvalidInput, KnownError
from hotline.i18n import _
from hotline.model.organisation import Referral
from hotline.roles import Action
from hotline.services import directory
from hotline.services.session import Session, utc_now
from hotline.store.repositories import contacts as contacts_repo
from hotline.store.repositories import referrals as repo
from hotline.taxonomy import taxonomy


def refer(
    session: Session,
    contact_id: str,
    organisation_id: str,
    service: str,
    *,
    consent: bool,
    no_consent_reason: str = "",
    reason: str = "",
    reminder_on: dt.date | None = None,
) -> Referral:
    """Record a referral. Without the caller's consent a reason must be written down
    (for example: a child in danger, reported as the law requires)."""
    session.require(Action.RECORD_CALLS)
    contact = contacts_repo.get(session.db, contact_id)
    if contact is None:
        raise KnownError(_("There is no call %(id)s.") % {"id": contact_id})
    org = directory.get(session, organisation_id)
    taxonomy().check("service_types", service, "service")
    if not consent and not no_consent_reason.strip():
        raise InvalidInput(
            _("The caller has not agreed to be referred: write down why you refer anyway.")
        )
    stamp = utc_now()
    with session.db.transaction():
        number = repo.count_for_contact(session.db, contact.id) + 1
        referral = Referral(
            id=str(uuid.uuid4()),
            version=1,
            contact_id=contact.id,
            organisation_id=org.id,
            service=service,
            reason=reason.strip(),
            consent=consent,
            no_consent_reason=no_consent_reason.strip(),
            referred_on=dt.date.today().isoformat(),
            reference=f"{contact.reference}-R{number}",
            reminder_on=None if reminder_on is None else reminder_on.isoformat(),
        )
        repo.insert(session.db, referral, stamp, session.user.username)
        audit.record(
            session.db, session.user.username, AuditAction.RECORD_CREATED, "referral",
            referral.id, result="consent" if consent else "no_consent",
        )  # fmt: skip
    return referral


def set_outcome(
    session: Session, referral: Referral, outcome: str, reminder_on: dt.date | None = None
) -> Referral:
    session.require(Action.RECORD_CALLS)
    taxonomy().check("referral_outcomes", outcome, "outcome")
    updated = replace(
        referral,
        version=referral.version + 1,
        outcome=outcome,
        reminder_on=None if reminder_on is None else reminder_on.isoformat(),
    )
    with session.db.transaction():
        if not repo.update_outcome(session.db, updated, utc_now(), session.user.username):
            raise KnownError(_("Someone else changed this referral while you were editing it."))
        audit.record(
            session.db, session.user.username, AuditAction.RECORD_EDITED, "referral",
            updated.id, result=outcome,
        )  # fmt: skip
    return updated


def of_contact(session: Session, contact_id: str) -> list[Referral]:
    session.require(Action.VIEW_CALLS)
    return repo.for_contact(session.db, contact_id)
