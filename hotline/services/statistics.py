"""Statistics for supervisors and coordinators: headline figures, breakdowns, cross tables
and the comparison of two periods, over any call-log filter. See docs/statistics.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from hotline import audit, clock
from hotline.audit import AuditAction
from hotline.model.call_log import CallLogFilter
from hotline.model.statistics import Breakdown, Cell, CrossTab, Dimension, Period, Summary
from hotline.roles import Action
from hotline.services import call_log
from hotline.services.session import Session
from hotline.store.repositories import statistics as repo

# What the dashboard and the monthly report show, in this order.
DASHBOARD_DIMENSIONS = (
    Dimension.CALL_TYPE,
    Dimension.TOPIC,
    Dimension.CALLER_SEX,
    Dimension.CALLER_AGE,
    Dimension.LANGUAGE,
    Dimension.CALLER_COUNTRY,
    Dimension.CALLER_REGION,
    Dimension.DESTINATION_COUNTRY,
    Dimension.EXPLOITATION_TYPE,
    Dimension.RISK_LEVEL,
    Dimension.REFERRAL_SERVICE,
    Dimension.REFERRAL_OUTCOME,
    Dimension.RELATIONSHIP,
    Dimension.CHANNEL,
    Dimension.OPERATOR,
    Dimension.SUBTOPIC,
)
# Dimensions that split a table into columns (one value per contact).
SPLIT_DIMENSIONS = (
    Dimension.CALLER_SEX,
    Dimension.CALLER_AGE,
    Dimension.MONTH,
    Dimension.RISK_LEVEL,
    Dimension.LANGUAGE,
    Dimension.CALLER_COUNTRY,
    Dimension.CALL_TYPE,
)


def _period_codes(dimension: Dimension, first: dt.date, last: dt.date) -> list[str]:
    """Every day, ISO week or month from ``first`` to ``last``, as the SQL writes them."""
    codes: list[str] = []
    day = first
    while day <= last:
        if dimension is Dimension.DAY:
            code = day.isoformat()
        elif dimension is Dimension.WEEK:
            year, week, _weekday = day.isocalendar()
            code = f"{year}-W{week:02d}"
        else:
            code = f"{day:%Y-%m}"
        if not codes or codes[-1] != code:
            codes.append(code)
        day += dt.timedelta(days=1)
    return codes


def _filled(found: Breakdown, filter: CallLogFilter) -> Breakdown:
    """A period series in time order, with the empty days (weeks, months) shown as 0."""
    counts = {c.code: c.count for c in found.cells}
    first = filter.since or min(
        (dt.date.fromisoformat(_first_day(c)) for c in counts if c), default=None
    )
    last = filter.until or clock.local_today()
    codes = [] if first is None else _period_codes(found.dimension, first, last)
    codes += sorted(c for c in counts if c is not None and c not in codes)
    return replace(found, cells=tuple(Cell(code, counts.get(code, 0)) for code in codes))


def _first_day(code: str) -> str:
    if "-W" in code:
        year, week = code.split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1).isoformat()
    return code if len(code) == 10 else code + "-01"


def breakdown(session: Session, filter: CallLogFilter, dimension: Dimension) -> Breakdown:
    session.require(Action.VIEW_STATISTICS)
    found = repo.breakdown(
        session.db, call_log.where_for(filter), dimension, clock.utc_offset_minutes()
    )
    return _filled(found, filter) if dimension.is_period else found


def crosstab(
    session: Session, filter: CallLogFilter, rows: Dimension, columns: Dimension
) -> CrossTab:
    session.require(Action.VIEW_STATISTICS)
    return repo.crosstab(
        session.db, call_log.where_for(filter), rows, columns, clock.utc_offset_minutes()
    )


def summary(session: Session, filter: CallLogFilter) -> Summary:
    session.require(Action.VIEW_STATISTICS)
    return repo.summary(session.db, call_log.where_for(filter), clock.local_today())


@dataclass(frozen=True)
class Comparison:
    """One dimension over two periods: (code, count in the first, count in the second)."""

    dimension: Dimension
    first: Period
    second: Period
    rows: tuple[tuple[str | None, int, int], ...]
    totals: tuple[int, int]


def compare(
    session: Session, filter: CallLogFilter, dimension: Dimension, first: Period, second: Period
) -> Comparison:
    if dimension.is_period:
        raise ValueError("periods are compared by a dimension other than time")
    a = breakdown(session, filter.with_period(first.first, first.last), dimension)
    b = breakdown(session, filter.with_period(second.first, second.last), dimension)
    codes = [c.code for c in a.cells] + [
        c.code for c in b.cells if c.code not in {x.code for x in a.cells}
    ]
    rows = tuple((code, a.count(code), b.count(code)) for code in codes)
    return Comparison(dimension, first, second, rows, (a.total, b.total))


@dataclass(frozen=True)
class Dashboard:
    filter: CallLogFilter
    summary: Summary
    series: Breakdown
    breakdowns: tuple[Breakdown, ...]


def series_dimension(filter: CallLogFilter) -> Dimension:
    """Days for up to two months, weeks up to a year, months beyond (or with no start)."""
    if filter.since is None:
        return Dimension.MONTH
    days = ((filter.until or clock.local_today()) - filter.since).days + 1
    if days <= 62:
        return Dimension.DAY
    return Dimension.WEEK if days <= 366 else Dimension.MONTH


def dashboard(
    session: Session,
    filter: CallLogFilter,
    dimensions: Sequence[Dimension] = DASHBOARD_DIMENSIONS,
) -> Dashboard:
    """The dashboard for ``filter``: figures, series and the breakdowns by ``dimensions``;
    audited once (what was counted is named by its period, never by the words searched).

    The window asks only for the breakdown it shows, and for another one (``breakdown``)
    when it is chosen: at a million calls each costs a read of an index of every call."""
    session.require(Action.VIEW_STATISTICS)
    result = Dashboard(
        filter=filter,
        summary=summary(session, filter),
        series=breakdown(session, filter, series_dimension(filter)),
        breakdowns=tuple(breakdown(session, filter, d) for d in dimensions),
    )
    record_viewed(session, filter, result.summary.contacts)
    return result


def record_viewed(session: Session, filter: CallLogFilter, contacts: int) -> None:
    """One audit entry per view of statistics (dashboard, ``hotline stats``): the period and
    how many contacts it counted; a search in the filter is audited as a search."""
    audit.record(
        session.db, session.user.username, AuditAction.STATISTICS_VIEWED,
        period=period_text(filter), count=contacts,
    )  # fmt: skip
    call_log.record_search(session, filter)


def period_text(filter: CallLogFilter) -> str:
    since = "" if filter.since is None else filter.since.isoformat()
    until = "" if filter.until is None else filter.until.isoformat()
    return f"{since}..{until}"
