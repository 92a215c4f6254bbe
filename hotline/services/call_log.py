"""The supervisor's call log: every contact of the installation, filtered, sorted, searched,
fetched a page at a time; and the filters a user saves by name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hotline import audit, clock, validation
from hotline.audit import AuditAction
from hotline.errors import InvalidInput, KnownError
from hotline.i18n import _
from hotline.model.call_log import CallLogFilter, CallLogRow, SavedFilter, Sort
from hotline.roles import Action
from hotline.services.session import Session, utc_now
from hotline.store.repositories import call_log as repo

PAGE_SIZE = 200
MAX_FILTER_NAME = 80


@dataclass(frozen=True)
class LogQuery:
    """One filtered, sorted view of the log. Rows come a page at a time (``page``); the
    clause is built once, so a malformed search fails when the query is made."""

    session: Session
    filter: CallLogFilter
    sort: Sort
    where: repo.Where

    def count(self) -> int:
        return repo.count(self.session.db, self.where)

    def page(
        self, after: tuple[Any, str] | None = None, limit: int = PAGE_SIZE
    ) -> list[CallLogRow]:
        return repo.page(self.session.db, self.where, self.sort, after=after, limit=limit)


def where_for(filter: CallLogFilter, today: dt.date | None = None) -> repo.Where:
    for day in (filter.since, filter.until):
        if day is not None and not validation.year_in_range(day.year):
            raise InvalidInput(validation.date_range_problem())
    return repo.where(
        filter, utc_offset_minutes=clock.utc_offset_minutes(), today=today or clock.local_today()
    )


def query(
    session: Session, filter: CallLogFilter | None = None, sort: Sort | None = None
) -> LogQuery:
    """The log for ``filter`` (everything if None). A search over notes is audited (that a
    search was made, never what was searched)."""
    session.require(Action.VIEW_CALL_LOG)
    filter = filter or CallLogFilter()
    result = LogQuery(session, filter, sort or Sort(), where_for(filter))
    record_search(session, filter)
    return result


def record_search(session: Session, filter: CallLogFilter) -> None:
    """Audit that the notes were searched (never the words), if ``filter`` searches them:
    for the call log and for statistics narrowed by a search alike."""
    if filter.text.strip():
        audit.record(session.db, session.user.username, AuditAction.CALL_LOG_SEARCHED)


def operators(session: Session) -> list[str]:
    session.require(Action.VIEW_CALL_LOG)
    return repo.operators(session.db)


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(_("Give the filter a name."))
    if len(name) > MAX_FILTER_NAME:
        raise InvalidInput(
            _("A filter name can have at most %(count)d characters.") % {"count": MAX_FILTER_NAME}
        )
    return name


def save_filter(session: Session, name: str, filter: CallLogFilter) -> SavedFilter:
    """Save (or replace) a filter under ``name`` for the signed-in user."""
    session.require(Action.VIEW_CALL_LOG)
    name = _clean_name(name)
    stamp = utc_now()
    with session.db.transaction():
        repo.save_filter(session.db, session.user.username, name, filter.to_dict(), stamp)
    return SavedFilter(name, filter, stamp)


def saved_filters(session: Session) -> list[SavedFilter]:
    session.require(Action.VIEW_CALL_LOG)
    result = []
    for name, data, saved_at in repo.saved_filters(session.db, session.user.username):
        try:
            result.append(SavedFilter(name, CallLogFilter.from_dict(data), saved_at))
        except KnownError:
            continue  # written by a newer version: not offered rather than misread
    return result


def delete_filter(session: Session, name: str) -> None:
    session.require(Action.VIEW_CALL_LOG)
    with session.db.transaction():
        if not repo.delete_filter(session.db, session.user.username, name):
            raise KnownError(_("There is no saved filter %(name)s.") % {"name": name})
