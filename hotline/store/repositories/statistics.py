"""Statistics in SQL: every figure is one GROUP BY over the contacts a filter selects (the
same WHERE clause as the call log), never rows counted in Python."""

from __future__ import annotations

import datetime as dt

from hotline.model.statistics import Breakdown, Cell, CrossTab, Dimension, Summary
from hotline.store.connection import Database
from hotline.store.repositories.call_log import FROM, Where, from_for

# Local day of a contact: ``:tz`` is the offset as SQLite's modifier ('+300 minutes').
_DAY = "date(c.started_at, :tz)"
_MAIN_TOPIC = (
    "CASE WHEN instr(t.topic, '.') > 0 THEN substr(t.topic, 1, instr(t.topic, '.') - 1)"
    " ELSE t.topic END"
)

# One value per contact: an expression over ``c``.
_CONTACT_VALUES: dict[Dimension, str] = {
    Dimension.DAY: _DAY,
    Dimension.WEEK: f"strftime('%G-W%V', {_DAY})",
    Dimension.MONTH: f"substr({_DAY}, 1, 7)",
    Dimension.CALL_TYPE: "c.call_type",
    Dimension.CHANNEL: "c.channel",
    Dimension.OPERATOR: "c.operator",
    Dimension.CALLER_SEX: "c.caller_sex",
    Dimension.CALLER_AGE: "c.caller_age_band",
    Dimension.RELATIONSHIP: "c.caller_relationship",
    Dimension.LANGUAGE: "c.call_language",
    Dimension.CALLER_COUNTRY: "c.caller_country",
    Dimension.CALLER_REGION: "NULLIF(trim(c.caller_region), '')",
    Dimension.RISK_LEVEL: "c.risk_level",
}

# Several values per contact: a join adding rows, the value, and what is counted once. The
# LEFT JOINs give a contact without topics, or a case without the value, one row with NULL:
# "not recorded", so that the total is every contact (case) selected.
_JOINED: dict[Dimension, tuple[str, str, str]] = {
    Dimension.TOPIC: (
        "LEFT JOIN contact_topics t ON t.contact_id = c.id",
        _MAIN_TOPIC,
        "c.id",
    ),
    Dimension.SUBTOPIC: ("LEFT JOIN contact_topics t ON t.contact_id = c.id", "t.topic", "c.id"),
    Dimension.EXPLOITATION_TYPE: (
        "JOIN cases k ON k.id = c.case_id LEFT JOIN json_each(k.exploitation_types) e",
        "e.value",
        "k.id",
    ),
    Dimension.DESTINATION_COUNTRY: (
        "JOIN cases k ON k.id = c.case_id LEFT JOIN json_each(k.route) e"
        " ON json_extract(e.value, '$.kind') = 'Exploitation'",
        "json_extract(e.value, '$.country')",
        "k.id",
    ),
    Dimension.REFERRAL_SERVICE: ("JOIN referrals f ON f.contact_id = c.id", "f.service", "f.id"),
    Dimension.REFERRAL_OUTCOME: ("JOIN referrals f ON f.contact_id = c.id", "f.outcome", "f.id"),
}


def tz_modifier(utc_offset_minutes: int) -> str:
    return f"{utc_offset_minutes:+d} minutes"


def _where(w: Where, dimension: Dimension) -> str:
    return w.sql + (" AND c.is_data = 1" if dimension.data_only else "")


def _local_period(dimension: Dimension, day: dt.date) -> str:
    if dimension is Dimension.DAY:
        return day.isoformat()
    if dimension is Dimension.WEEK:
        return day.strftime("%G-W%V")
    return day.isoformat()[:7]


def _period_breakdown(
    db: Database, w: Where, dimension: Dimension, utc_offset_minutes: int
) -> Breakdown:
    """Days, weeks or months, for an offset of whole hours (all of Central Asia): counted in
    SQL by the stored UTC day and whether the hour falls on the local day before or after,
    then moved to local periods here. A local date of every call in SQL (``date()`` with a
    modifier) costs about a second per million calls; cutting the stored text costs little.
    Times are stored in UTC, as every filter on them assumes."""
    base = from_for(w.sql)
    hours = utc_offset_minutes // 60
    if hours >= 0:  # from this UTC hour on, it is already the next local day
        moved, cut, step = "substr(c.started_at, 12, 2) >= :cut", f"{24 - hours:02d}", 1
    else:  # before this UTC hour, it is still the local day before
        moved, cut, step = "substr(c.started_at, 12, 2) < :cut", f"{-hours:02d}", -1
    rows = db.query(
        f"SELECT substr(c.started_at, 1, 10), {moved}, count(*) {base} WHERE {w.sql} GROUP BY 1, 2",
        dict(w.params, cut=cut),
    )
    counts: dict[str, int] = {}
    for day, is_moved, count in rows:
        local = dt.date.fromisoformat(day) + dt.timedelta(days=step if is_moved else 0)
        code = _local_period(dimension, local)
        counts[code] = counts.get(code, 0) + int(count)
    cells = sorted((Cell(code, n) for code, n in counts.items()), key=_order)
    return Breakdown(dimension, tuple(cells), sum(counts.values()))


def _order(cell: Cell) -> tuple[int, bool, str]:
    """Largest first; "not recorded" after the others of its size."""
    return (-cell.count, cell.code is None, cell.code or "")


def breakdown(
    db: Database,
    w: Where,
    dimension: Dimension,
    utc_offset_minutes: int,
    *,
    by_stored_day: bool = True,
) -> Breakdown:
    """``by_stored_day``: periods by the stored UTC day (``_period_breakdown``) where the
    offset allows; False counts them with SQLite's ``date()`` (the test compares both)."""
    if by_stored_day and dimension.is_period and utc_offset_minutes % 60 == 0:
        return _period_breakdown(db, w, dimension, utc_offset_minutes)
    params = dict(w.params, tz=tz_modifier(utc_offset_minutes))
    where = _where(w, dimension)
    base = from_for(where)
    # Built from the fixed expressions above; every value is a parameter.
    if dimension in _CONTACT_VALUES:
        value = _CONTACT_VALUES[dimension]
        sql = f"SELECT {value} AS code, count(*) {base} WHERE {where} GROUP BY code"
        total_sql = f"SELECT count(*) {base} WHERE {where}"
    else:
        join, value, counted = _JOINED[dimension]
        sql = (
            f"SELECT {value} AS code, count(DISTINCT {counted}) {base} {join}"
            f" WHERE {where} GROUP BY code"
        )
        total_sql = f"SELECT count(DISTINCT {counted}) {base} {join} WHERE {where}"
    cells = [
        Cell(None if r[0] in (None, "") else str(r[0]), int(r[1])) for r in db.query(sql, params)
    ]
    total = int(db.scalar(total_sql, params))
    cells.sort(key=_order)
    return Breakdown(dimension, tuple(cells), total)


def crosstab(
    db: Database, w: Where, rows: Dimension, columns: Dimension, utc_offset_minutes: int
) -> CrossTab:
    """``columns`` must have one value per contact (a column of ``contacts``)."""
    if columns not in _CONTACT_VALUES:
        raise ValueError(f"cannot split by {columns}")
    params = dict(w.params, tz=tz_modifier(utc_offset_minutes))
    data_only = rows.data_only or columns.data_only
    where = w.sql + (" AND c.is_data = 1" if data_only else "")
    column_value = _CONTACT_VALUES[columns]
    base = from_for(where)
    if rows in _CONTACT_VALUES:
        sql = (
            f"SELECT {_CONTACT_VALUES[rows]}, {column_value}, count(*) {base}"
            f" WHERE {where} GROUP BY 1, 2"
        )
    else:
        join, value, counted = _JOINED[rows]
        sql = (
            f"SELECT {value}, {column_value}, count(DISTINCT {counted}) {base} {join}"
            f" WHERE {where} GROUP BY 1, 2"
        )
    counts: dict[tuple[str | None, str | None], int] = {}
    for r in db.query(sql, params):
        key = (None if r[0] in (None, "") else str(r[0]), None if r[1] in (None, "") else str(r[1]))
        counts[key] = counts.get(key, 0) + int(r[2])
    return CrossTab(rows, columns, counts)


def summary(db: Database, w: Where, today: dt.date) -> Summary:
    """The headline figures, each from the narrowest index that holds it (docs/performance.md):
    counts and risk, reviews, follow-ups (a partial index), callers by phone key, referrals."""
    params = dict(w.params, today=today.isoformat())
    base = from_for(w.sql)
    row = db.one(
        "SELECT count(*), coalesce(sum(c.is_data), 0),"
        " coalesce(sum(c.is_data = 1 AND c.risk_level IN ('high', 'urgent')), 0)"
        f" {base} WHERE {w.sql}",
        params,
    )
    assert row is not None
    # The condition on r turns the join into an inner one: SQLite starts from the reviews.
    reviewed = db.scalar(f"SELECT count(*) {FROM} WHERE {w.sql} AND r.id IS NOT NULL", params)
    follow = db.one(
        "SELECT count(*),"
        " coalesce(sum(c.follow_up_done = 1 AND c.follow_up_done_on <= c.follow_up_date), 0),"
        " coalesce(sum(c.follow_up_done = 1"
        "   AND (c.follow_up_done_on IS NULL OR c.follow_up_done_on > c.follow_up_date)), 0),"
        " coalesce(sum(c.follow_up_done = 0 AND c.follow_up_date < :today), 0),"
        " coalesce(sum(c.follow_up_done = 0 AND c.follow_up_date >= :today), 0)"
        f" {base} WHERE {w.sql} AND c.follow_up_date IS NOT NULL",
        params,
    )
    assert follow is not None
    callers = db.one(
        "SELECT count(*), coalesce(sum(n >= 2), 0),"  # noqa: S608
        " coalesce(sum(CASE WHEN n >= 2 THEN n END), 0)"
        f" FROM (SELECT count(*) AS n {base} WHERE {w.sql}"
        " AND c.is_data = 1 AND c.phone_key IS NOT NULL GROUP BY c.phone_key)",
        params,
    )
    assert callers is not None
    referrals = db.scalar(
        f"SELECT count(*) {base} JOIN referrals f ON f.contact_id = c.id WHERE {w.sql}",
        params,
    )
    return Summary(
        contacts=int(row[0]),
        data_contacts=int(row[1]),
        callers=int(callers[0]),
        repeat_callers=int(callers[1]),
        repeat_contacts=int(callers[2]),
        high_risk=int(row[2]),
        referrals=int(referrals),
        reviewed=int(reviewed),
        follow_ups=int(follow[0]),
        follow_ups_on_time=int(follow[1]),
        follow_ups_late=int(follow[2]),
        follow_ups_overdue=int(follow[3]),
        follow_ups_open=int(follow[4]),
    )
