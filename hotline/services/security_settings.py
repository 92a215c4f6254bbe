"""Security settings of this installation: how long an unattended screen stays open.

The idle lock closes the session after this many minutes without a key press or a mouse
movement (docs/security.md). Everyone reads it at sign-in; only an administrator changes it,
and the change is audited like the organisation profile.
"""

from __future__ import annotations

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import InvalidInput
from hotline.i18n import _
from hotline.roles import Action
from hotline.services.session import Session
from hotline.store.repositories import settings

IDLE_LOCK_SETTING = "security.idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 10
MIN_IDLE_LOCK_MINUTES = 1
MAX_IDLE_LOCK_MINUTES = 30


def idle_lock_minutes(session: Session) -> int:
    """Minutes without activity before the screen locks; the default if never set.

    A stored value outside the allowed range (written by hand, or by an older version)
    never makes the lock later than the maximum: it is brought back into the range.
    """
    stored = settings.get(session.db, IDLE_LOCK_SETTING)
    if stored is None:
        return DEFAULT_IDLE_LOCK_MINUTES
    try:
        minutes = int(stored)
    except ValueError:
        return DEFAULT_IDLE_LOCK_MINUTES
    return max(MIN_IDLE_LOCK_MINUTES, min(MAX_IDLE_LOCK_MINUTES, minutes))


def set_idle_lock_minutes(session: Session, minutes: int) -> int:
    """Change the idle lock time (administrators); audited when it changes."""
    session.require(Action.EDIT_ORGANISATION)
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InvalidInput(_("The idle lock time must be a whole number of minutes."))
    if not MIN_IDLE_LOCK_MINUTES <= minutes <= MAX_IDLE_LOCK_MINUTES:
        raise InvalidInput(
            _(
                "The screen must lock after %(min)d to %(max)d minutes without activity; "
                "%(minutes)d is outside that range."
            )
            % {
                "min": MIN_IDLE_LOCK_MINUTES,
                "max": MAX_IDLE_LOCK_MINUTES,
                "minutes": minutes,
            }
        )
    if settings.get(session.db, IDLE_LOCK_SETTING) == str(minutes):
        return minutes  # nothing changes, nothing to audit
    with session.db.transaction():
        settings.put(session.db, IDLE_LOCK_SETTING, str(minutes))
        audit.record(
            session.db, session.user.username, AuditAction.ORGANISATION_EDITED,
            "installation", session.installation.id, fields="idle_lock_minutes",
        )  # fmt: skip
    return minutes
