"""Reviewing calls: a supervisor marks a call reviewed with a short rubric and a comment;
the operator reads it as feedback. Every save is a version (record_versions) and audited."""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import InvalidInput, KnownError
from hotline.i18n import _
from hotline.model.review import FeedbackItem, Review
from hotline.roles import Action
from hotline.services.session import Session, utc_now
from hotline.store.repositories import contacts as contacts_repo
from hotline.store.repositories import records
from hotline.store.repositories import reviews as repo
from hotline.taxonomy import taxonomy

RECORD_TYPE = "review"
MAX_COMMENT = 4000


def criteria() -> tuple[str, ...]:
    return taxonomy().codes("review_criteria")


def _checked_rubric(rubric: dict[str, str]) -> dict[str, str]:
    known = set(criteria())
    marks = set(taxonomy().codes("review_marks"))
    result = {}
    for criterion, mark in rubric.items():
        if criterion not in known:
            raise InvalidInput(
                _("%(code)s is not a known value for %(field)s.")
                % {"code": criterion, "field": "rubric"}
            )
        if mark in ("", None):
            continue
        if mark not in marks:
            raise InvalidInput(
                _("%(code)s is not a known value for %(field)s.")
                % {"code": mark, "field": criterion}
            )
        result[criterion] = mark
    return result


def review_of(session: Session, contact_id: str) -> Review | None:
    """The review of a call: for reviewers, and for the operator whose call it is."""
    contact = contacts_repo.get(session.db, contact_id)
    if contact is None:
        raise KnownError(_("There is no call %(id)s.") % {"id": contact_id})
    if contact.operator == session.user.username:
        session.require(Action.VIEW_OWN_FEEDBACK)
    else:
        session.require(Action.REVIEW_CALLS)
    return repo.for_contact(session.db, contact_id)


def save_review(
    session: Session,
    contact_id: str,
    rubric: dict[str, str],
    comment: str,
    *,
    expected_version: int | None = None,
) -> Review:
    """Mark a call reviewed (or change its review). ``expected_version`` is the version the
    reviewer started from (None: a first review); a change made meanwhile by someone else is
    refused, not overwritten."""
    session.require(Action.REVIEW_CALLS)
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(
            _("The comment can have at most %(count)d characters.") % {"count": MAX_COMMENT}
        )
    checked = _checked_rubric(rubric)
    stamp = utc_now()
    user = session.user.username
    with session.db.transaction():
        contact = contacts_repo.get(session.db, contact_id)
        if contact is None:
            raise KnownError(_("There is no call %(id)s.") % {"id": contact_id})
        before = repo.for_contact(session.db, contact_id)
        if (before.version if before else None) != expected_version:
            raise KnownError(
                _("Someone else reviewed this call while you were writing."),
                hint=_("Copy your comment, reopen the call and add it."),
            )
        if before is None:
            saved = Review(
                id=str(uuid.uuid4()),
                version=1,
                contact_id=contact_id,
                operator=contact.operator,
                reviewer=user,
                rubric=checked,
                comment=comment,
                reviewed_at=stamp,
                created_at=stamp,
                created_by=user,
                updated_at=stamp,
                updated_by=user,
            )
            repo.insert(session.db, saved)
        else:
            saved = replace(
                before,
                version=before.version + 1,
                reviewer=user,
                rubric=checked,
                comment=comment,
                reviewed_at=stamp,
                seen_at=None,  # changed feedback is new to the operator again
                updated_at=stamp,
                updated_by=user,
            )
            if not repo.update(session.db, saved):
                raise KnownError(_("Someone else reviewed this call while you were writing."))
        audit.record(
            session.db, user, AuditAction.REVIEW_SAVED, "contact", contact_id,
            version=saved.version, count=len(checked),
        )  # fmt: skip
        records.add_version(
            session.db, RECORD_TYPE, saved.id, saved.version, stamp, user, asdict(saved)
        )
    return saved


def review_history(session: Session, contact_id: str) -> list[Review]:
    """Every version of the review of a call, oldest first."""
    current = review_of(session, contact_id)
    if current is None:
        return []
    return [Review(**v.data) for v in records.versions(session.db, RECORD_TYPE, current.id)]


def my_feedback(session: Session, limit: int = 200) -> list[FeedbackItem]:
    """Reviews of the signed-in user's calls, newest first."""
    session.require(Action.VIEW_OWN_FEEDBACK)
    return repo.feedback_for(session.db, session.user.username, limit)


def unseen_feedback(session: Session) -> int:
    session.require(Action.VIEW_OWN_FEEDBACK)
    return repo.unseen_count(session.db, session.user.username)


def mark_seen(session: Session, review: Review) -> None:
    """The operator has read the feedback (only the operator's own reading counts)."""
    if review.operator != session.user.username:
        return
    session.require(Action.VIEW_OWN_FEEDBACK)
    with session.db.transaction():
        repo.mark_seen(session.db, review.id, utc_now())
