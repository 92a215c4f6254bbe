"""The audit log viewer for supervisors and administrators: filtered pages of entries,
who appears in the log, and checking the hash chain.

Looking at the log is not audited entry by entry (it shows no record content, and every
change of a filter would add an entry about itself); checking the chain is, as an
integrity check with its result, like ``hotline check``.
"""

from __future__ import annotations

import datetime as dt
import json

from hotline import audit, clock
from hotline.audit import AuditAction, ChainCheck
from hotline.model.audit_log import AuditEntry, AuditQuery, DetailValue
from hotline.roles import Action
from hotline.services.session import Session
from hotline.store.repositories import audit as repo
from hotline.store.repositories.call_log import Where


def _where(query: AuditQuery) -> Where:
    return repo.where(query, utc_offset_minutes=clock.utc_offset_minutes())


def search(session: Session, query: AuditQuery | None = None) -> list[AuditEntry]:
    """Up to ``query.limit`` entries, newest first."""
    session.require(Action.VIEW_AUDIT_LOG)
    query = query or AuditQuery()
    rows = repo.page(session.db, _where(query), before_seq=query.before_seq, limit=query.limit)
    return [_entry(row) for row in rows]


def count(session: Session, query: AuditQuery | None = None) -> int:
    """How many entries the selection holds, over all pages (``before_seq`` and ``limit``
    do not count)."""
    session.require(Action.VIEW_AUDIT_LOG)
    return repo.count(session.db, _where(query or AuditQuery()))


def actors(session: Session) -> list[str]:
    """User names that appear in the log, for the viewer's user filter."""
    session.require(Action.VIEW_AUDIT_LOG)
    return repo.actors(session.db)


def verify(session: Session) -> ChainCheck:
    """Walk the whole chain (hotline.audit.verify); the check itself is audited."""
    session.require(Action.VIEW_AUDIT_LOG)
    check = audit.verify(session.db)
    audit.record(
        session.db,
        session.user.username,
        AuditAction.INTEGRITY_CHECKED,
        result="ok" if check.ok else "failed",
        count=check.entries,
    )
    return check


def _entry(row: repo.AuditRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=_time(row.at),
        at_text=row.at,
        actor=row.actor,
        action=row.action,
        target_type=row.target_type,
        target_id=row.target_id,
        details=_details(row.details),
    )


def _time(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _details(text: str) -> dict[str, DetailValue]:
    """The stored JSON object; an entry altered into something else still shows, under
    the key "" (the chain check names it)."""
    try:
        value = json.loads(text)
    except ValueError:
        return {"": text}
    if not isinstance(value, dict):
        return {"": text}
    return {
        str(k): v if isinstance(v, str | int | float | bool | type(None)) else json.dumps(v)
        for k, v in value.items()
    }
