"""Retention: the administrator's policy for removing what identifies people from old calls.

The policy (``retention.months``, ``retention.only_acknowledged`` in the settings table) is
off until an administrator sets it. When applied, every call that started before the first
day of the month ``months`` months ago (whole calendar months, so a month's statistics are
changed in one run) loses names, phone numbers, the caller's region, free text, screening
answers and referral reasons; codes stay, so the statistics still count it. With
``only_acknowledged``, a call of this installation goes only once a recipient's receipt for
the batch that carried its latest version has been read. See docs/retention.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hotline import clock
from hotline.audit import AuditAction, record
from hotline.errors import InvalidInput, KnownError
from hotline.i18n import _
from hotline.roles import Action
from hotline.services.session import Session
from hotline.store.repositories import retention as repo
from hotline.store.repositories import settings
from hotline.store.repositories.call_log import utc_bound

MONTHS_SETTING = "retention.months"
ACKNOWLEDGED_SETTING = "retention.only_acknowledged"
MAX_MONTHS = 600
RECORD_PRIVACY_LEVELS = ("full", "pseudonymous")  # batch levels that carry calls


@dataclass(frozen=True)
class Policy:
    months: int | None = None  # None: retention is off
    only_acknowledged: bool = False

    @property
    def enabled(self) -> bool:
        return self.months is not None


@dataclass(frozen=True)
class Counts:
    """What applying the policy would remove (or removed); ``calls`` is the headline."""

    cutoff: dt.date | None
    calls: int = 0  # calls that lose something (in the call, its copies or its records)
    waiting: int = 0  # old enough but their batch has no receipt yet
    persons: int = 0
    cases: int = 0  # cases whose route names places
    referrals: int = 0
    screenings: int = 0
    versions: int = 0
    drafts: int = 0
    conflicts: int = 0
    free_pages: int = 0  # after VACUUM (apply only)

    @property
    def nothing(self) -> bool:
        return self.calls + self.persons + self.cases + self.drafts + self.conflicts == 0


def validate(policy: Policy) -> Policy:
    if policy.months is not None and not 1 <= policy.months <= MAX_MONTHS:
        raise InvalidInput(
            _("Keep calls for at least %(low)d month and at most %(high)d months.")
            % {"low": 1, "high": MAX_MONTHS}
        )
    return policy


def get_policy(session: Session) -> Policy:
    session.require(Action.APPLY_RETENTION)
    months = settings.get(session.db, MONTHS_SETTING)
    return Policy(
        months=int(months) if months else None,
        only_acknowledged=settings.get(session.db, ACKNOWLEDGED_SETTING) == "1",
    )


def set_policy(session: Session, policy: Policy) -> Policy:
    session.require(Action.APPLY_RETENTION)
    validate(policy)
    db = session.db
    with db.transaction():
        settings.put(db, MONTHS_SETTING, "" if policy.months is None else str(policy.months))
        settings.put(db, ACKNOWLEDGED_SETTING, "1" if policy.only_acknowledged else "0")
        record(
            db,
            session.user.username,
            AuditAction.RETENTION_POLICY_SET,
            months=policy.months,
            acknowledged_only=policy.only_acknowledged,
        )
    return policy


def cutoff(policy: Policy, today: dt.date) -> dt.date | None:
    """The first day that is kept: the first of the month ``months`` months before this
    month's first day."""
    if policy.months is None:
        return None
    index = today.year * 12 + (today.month - 1) - policy.months
    return dt.date(index // 12, index % 12 + 1, 1)


def _local_day(started_at: str, offset: int) -> dt.date:
    moment = dt.datetime.fromisoformat(started_at)
    return (moment + dt.timedelta(minutes=offset)).date()


def _acknowledged(
    call: repo.CallAge, batches: list[repo.Batch], sent: set[tuple[str, str]], offset: int
) -> bool:
    """True when a batch whose receipt was read carried this call's latest version.

    Incremental batches to one recipient at one level carry every call changed up to their
    high-water mark, each call once: the first such batch made after the call's last change
    carried it (or an earlier one did, unchanged), so that batch and every earlier
    incremental one must have a receipt. A period batch carries every call of its days.
    Stamps have one-second steps: a batch made in the same second as the change does not
    count (the change may have come just after it).
    """
    for recipient, privacy in sent:
        line = [b for b in batches if b.recipient_id == recipient and b.privacy == privacy]
        unacknowledged_before = False
        for batch in line:  # by sequence
            made_after = batch.created_at > call.last_change
            if batch.mode == "incremental":
                if not batch.acknowledged:
                    unacknowledged_before = True
                elif (
                    made_after
                    and not unacknowledged_before
                    and (batch.high_water or "") >= call.last_change
                ):
                    return True
            elif (
                batch.acknowledged
                and made_after
                and batch.since is not None
                and batch.until is not None
                and batch.since <= _local_day(call.started_at, offset).isoformat() <= batch.until
            ):
                return True
    return False


@dataclass(frozen=True)
class _Plan:
    cutoff: dt.date | None
    chosen: list[str]
    waiting: int


def _plan(session: Session, policy: Policy, today: dt.date) -> _Plan:
    day = cutoff(policy, today)
    if day is None:
        return _Plan(None, [], 0)
    offset = clock.utc_offset_minutes()
    db = session.db
    calls = repo.calls_started_before(db, utc_bound(day, offset))
    if not policy.only_acknowledged:
        return _Plan(day, [c.id for c in calls], 0)
    batches = [b for b in repo.sent_batches(db) if b.privacy in RECORD_PRIVACY_LEVELS]
    sent = repo.sent_to(db)
    chosen, waiting = [], 0
    for call in calls:
        # Calls received from another installation were never ours to send.
        if call.origin_id is not None or _acknowledged(
            call, batches, sent.get(call.id, set()), offset
        ):
            chosen.append(call.id)
        else:
            waiting += 1
    return _Plan(day, chosen, waiting)


def _counts(plan: _Plan, work: repo.Work, free_pages: int = 0) -> Counts:
    calls = (
        work.contacts | work.screenings | work.referral_calls | work.version_calls
        | work.draft_calls
    )  # fmt: skip
    return Counts(
        cutoff=plan.cutoff,
        calls=len(calls),
        waiting=plan.waiting,
        persons=len(work.persons),
        cases=len(work.cases),
        referrals=len(work.referrals),
        screenings=len(work.screenings),
        versions=len(work.versions),
        drafts=len(work.drafts),
        conflicts=len(work.conflicts),
        free_pages=free_pages,
    )


def _drafts_before(plan: _Plan) -> str:
    if plan.cutoff is None:
        return ""
    return utc_bound(plan.cutoff, clock.utc_offset_minutes())


def preview(session: Session, policy: Policy, today: dt.date | None = None) -> Counts:
    """What ``apply`` would remove now; changes nothing."""
    session.require(Action.APPLY_RETENTION)
    validate(policy)
    db = session.db
    with db.transaction():
        plan = _plan(session, policy, today or clock.local_today())
        try:
            repo.load_working_set(db, plan.chosen)
            counts = _counts(plan, repo.pending(db, _drafts_before(plan)))
        finally:
            repo.drop_working_set(db)
    return counts


def apply(
    session: Session,
    policy: Policy,
    today: dt.date | None = None,
    *,
    expected_calls: int | None = None,
) -> Counts:
    """Remove what the policy says, audit the run (counts and cutoff, never values), then
    VACUUM and empty the write-ahead log so the removed values leave the file.

    ``expected_calls``: the number the user confirmed; if it changed since the preview,
    nothing is removed."""
    session.require(Action.APPLY_RETENTION)
    validate(policy)
    if not policy.enabled:
        raise InvalidInput(_("Retention is off. Set how many months calls are kept first."))
    db = session.db
    with db.transaction():
        plan = _plan(session, policy, today or clock.local_today())
        try:
            repo.load_working_set(db, plan.chosen)
            work = repo.pending(db, _drafts_before(plan))
            counts = _counts(plan, work)
            if expected_calls is not None and counts.calls != expected_calls:
                raise KnownError(
                    _("The number of calls to clean changed since the preview; nothing was "
                      "removed."),
                    hint=_("Look at the preview again and confirm the new number."),
                )  # fmt: skip
            repo.remove(db, work)
        finally:
            repo.drop_working_set(db)
        assert plan.cutoff is not None
        record(
            db,
            session.user.username,
            AuditAction.RETENTION_APPLIED,
            count=counts.calls,
            period=".." + (plan.cutoff - dt.timedelta(days=1)).isoformat(),
            months=policy.months,
            acknowledged_only=policy.only_acknowledged,
        )
    free = repo.vacuum(db)
    return Counts(**{**counts.__dict__, "free_pages": free})
