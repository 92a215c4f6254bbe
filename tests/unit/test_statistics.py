"""Statistics over 5 000 known contacts: every figure the SQL produces equals the same figure
counted here in Python from the generated records (tests/unit/supervision_data.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator

import pytest

from hotline import audit
from hotline.model.call_log import CallLogFilter, ReviewState, ShareConsent
from hotline.model.contact import Contact
from hotline.model.statistics import Cell, Dimension, Period, Summary, Unit
from hotline.phones import PhoneKind
from hotline.services import statistics
from hotline.services.session import Session
from hotline.store.repositories import call_log as call_log_repo
from hotline.store.repositories import statistics as stats_repo
from tests.conftest import Template
from tests.unit.supervision_data import (
    EMPTY_DAYS,
    TODAY,
    Seeded,
    local_day,
    seeded_supervisor,
    selected,
)

NON_PERIODS = tuple(d for d in Dimension if not d.is_period)
Code = str | None


@pytest.fixture(scope="module")
def seeded(template: Template, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
    tuple[Session, Seeded]
]:  # fmt: skip
    with seeded_supervisor(template, tmp_path_factory, 5000, 20260101) as seeded:
        yield seeded


# --- the same figures, counted in Python --------------------------------------------------


def _period_code(dimension: Dimension, day: dt.date) -> str:
    if dimension is Dimension.DAY:
        return day.isoformat()
    if dimension is Dimension.WEEK:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def _value(c: Contact, dimension: Dimension) -> Code:
    """The one value a contact has for a dimension of the contacts table."""
    if dimension.is_period:
        return _period_code(dimension, local_day(c))
    values: dict[Dimension, Code] = {
        Dimension.CALL_TYPE: c.call_type,
        Dimension.CHANNEL: c.channel,
        Dimension.OPERATOR: c.operator,
        Dimension.CALLER_SEX: c.caller.sex,
        Dimension.CALLER_AGE: c.caller.age_band,
        Dimension.RELATIONSHIP: c.caller.relationship,
        Dimension.LANGUAGE: c.call_language,
        Dimension.CALLER_COUNTRY: c.caller.country,
        Dimension.CALLER_REGION: c.caller.region.strip(" ") or None,
        Dimension.RISK_LEVEL: c.risk_level,
    }
    return values[dimension]


def units(
    data: Seeded, contacts: list[Contact], dimension: Dimension
) -> set[tuple[str, Code, str]]:
    """(what is counted, its code, the contact it comes from) for every value: contacts for
    most dimensions, cases for exploitation, referrals for services and outcomes."""
    if dimension.data_only:
        contacts = [c for c in contacts if data.is_data(c)]
    found: set[tuple[str, Code, str]] = set()
    for c in contacts:
        if dimension in (Dimension.TOPIC, Dimension.SUBTOPIC):
            main = dimension is Dimension.TOPIC
            codes: set[Code] = {t.split(".")[0] if main else t for t in c.topics} or {None}
            found |= {(c.id, code, c.id) for code in codes}
        elif dimension in (Dimension.EXPLOITATION_TYPE, Dimension.DESTINATION_COUNTRY):
            if c.case_id is None:
                continue
            case = data.cases[c.case_id]
            if dimension is Dimension.EXPLOITATION_TYPE:
                codes = set(case.exploitation_types) or {None}
            else:
                codes = {e.country for e in case.route if e.kind == "Exploitation"} or {None}
            found |= {(case.id, code, c.id) for code in codes}
        elif dimension in (Dimension.REFERRAL_SERVICE, Dimension.REFERRAL_OUTCOME):
            for r in data.referrals_of(c.id):
                code = r.service if dimension is Dimension.REFERRAL_SERVICE else r.outcome
                found.add((r.id, code, c.id))
        else:
            found.add((c.id, _value(c, dimension), c.id))
    return found


def expected_breakdown(
    data: Seeded, contacts: list[Contact], dimension: Dimension
) -> tuple[list[Cell], int]:
    found = {(unit, code) for unit, code, _contact in units(data, contacts, dimension)}
    counts = Counter(code for _unit, code in found)
    cells = [Cell(code, n) for code, n in counts.items()]
    cells.sort(key=lambda cell: (-cell.count, cell.code is None, cell.code or ""))
    return cells, len({unit for unit, _code in found})


def expected_series(data: Seeded, f: CallLogFilter, dimension: Dimension) -> list[Cell]:
    contacts = selected(data, f)
    counts = Counter(_value(c, dimension) for c in contacts)
    first = f.since or min((local_day(c) for c in contacts), default=None)
    if first is None:
        return []
    codes: list[str] = []
    day = first
    while day <= (f.until or TODAY):
        code = _period_code(dimension, day)
        if code not in codes:
            codes.append(code)
        day += dt.timedelta(days=1)
    return [Cell(code, counts[code]) for code in codes]


def expected_crosstab(
    data: Seeded, f: CallLogFilter, rows: Dimension, columns: Dimension
) -> dict[tuple[Code, Code], int]:
    contacts = selected(data, f)
    if columns.data_only:
        contacts = [c for c in contacts if data.is_data(c)]
    by_id = {c.id: c for c in contacts}
    pairs = {
        (unit, code, _value(by_id[contact], columns))
        for unit, code, contact in units(data, contacts, rows)
    }
    return dict(Counter((code, column) for _unit, code, column in pairs))


def _phone_key(c: Contact) -> str | None:
    phone = c.phone
    if phone is None or phone.kind is PhoneKind.WITHHELD:
        return None
    return phone.e164 or f"short:{phone.typed}"


def expected_summary(data: Seeded, f: CallLogFilter) -> Summary:
    contacts = selected(data, f)
    ids = {c.id for c in contacts}
    data_contacts = [c for c in contacts if data.is_data(c)]
    calls_per_number = Counter(k for c in data_contacts if (k := _phone_key(c)) is not None)
    follow = [c.follow_up for c in contacts if c.follow_up.date is not None]
    return Summary(
        contacts=len(contacts),
        data_contacts=len(data_contacts),
        callers=len(calls_per_number),
        repeat_callers=sum(1 for n in calls_per_number.values() if n >= 2),
        repeat_contacts=sum(n for n in calls_per_number.values() if n >= 2),
        high_risk=sum(1 for c in data_contacts if c.risk_level in ("high", "urgent")),
        referrals=sum(len(data.referrals_of(i)) for i in ids),
        reviewed=sum(1 for c in contacts if c.id in data.reviews),
        follow_ups=len(follow),
        follow_ups_on_time=sum(
            1 for u in follow if u.done and u.done_on and u.date and u.done_on <= u.date
        ),
        follow_ups_late=sum(
            1 for u in follow if u.done and u.done_on and u.date and u.done_on > u.date
        ),
        follow_ups_overdue=sum(1 for u in follow if not u.done and u.date and u.date < TODAY),
        follow_ups_open=sum(1 for u in follow if not u.done and u.date and u.date >= TODAY),
    )


# --- the data is what the tests need ------------------------------------------------------


def test_the_data_can_tell_right_from_wrong(seeded: tuple[Session, Seeded]) -> None:
    """Non-data contacts carry demographic values, some calls fall on a different UTC day,
    some contacts share a case, a number calls again, every follow-up state occurs."""
    _session, data = seeded
    silent = [c for c in data.contacts if not data.is_data(c)]
    assert len(silent) > 300 and {c.caller.sex for c in silent} >= {"female", "male"}
    assert sum(1 for c in data.contacts if c.started_at.date() != local_day(c)) > 500
    cases = Counter(c.case_id for c in data.contacts if c.case_id)
    assert max(cases.values()) >= 3
    assert sum(1 for c in data.contacts if len(c.topics) == 2) > 500
    assert sum(1 for c in data.contacts if not c.topics) > 500
    summary = expected_summary(data, CallLogFilter())
    assert summary.repeat_callers > 100
    assert min(summary.follow_ups_on_time, summary.follow_ups_late) > 100
    assert min(summary.follow_ups_overdue, summary.follow_ups_open) > 10


# --- breakdowns ---------------------------------------------------------------------------


@pytest.mark.parametrize("dimension", NON_PERIODS)
def test_breakdown(seeded: tuple[Session, Seeded], dimension: Dimension) -> None:
    session, data = seeded
    found = statistics.breakdown(session, CallLogFilter(), dimension)
    cells, total = expected_breakdown(data, data.contacts, dimension)
    assert list(found.cells) == cells
    assert found.total == total
    assert found.dimension is dimension


def test_not_recorded_cells(seeded: tuple[Session, Seeded]) -> None:
    session, data = seeded
    for dimension in (
        Dimension.CALLER_SEX,
        Dimension.CALLER_REGION,
        Dimension.TOPIC,
        Dimension.SUBTOPIC,
        Dimension.EXPLOITATION_TYPE,
        Dimension.DESTINATION_COUNTRY,
        Dimension.RISK_LEVEL,
    ):
        found = statistics.breakdown(session, CallLogFilter(), dimension)
        cells, _total = expected_breakdown(data, data.contacts, dimension)
        expected = next(c.count for c in cells if c.code is None)
        assert found.count(None) == expected > 0, dimension


def test_non_data_contacts_count_only_by_period_type_channel_and_operator(
    seeded: tuple[Session, Seeded],
) -> None:
    session, data = seeded
    everyone = len(data.contacts)
    with_data = sum(1 for c in data.contacts if data.is_data(c))
    for dimension in Dimension:
        found = statistics.breakdown(session, CallLogFilter(), dimension)
        if dimension.data_only or dimension.unit is not Unit.CONTACTS:
            assert "silent" not in {c.code for c in found.cells}
            continue
        if dimension.is_period:
            assert sum(c.count for c in found.cells) == everyone
        else:
            assert found.total == everyone
    sexes = statistics.breakdown(session, CallLogFilter(), Dimension.CALLER_SEX)
    assert sexes.total == with_data < everyone
    types = statistics.breakdown(session, CallLogFilter(), Dimension.CALL_TYPE)
    assert types.count("silent") == sum(1 for c in data.contacts if c.call_type == "silent")


def test_a_case_counts_once_however_many_calls_it_has(seeded: tuple[Session, Seeded]) -> None:
    session, data = seeded
    found = statistics.breakdown(session, CallLogFilter(), Dimension.EXPLOITATION_TYPE)
    cases = {c.case_id for c in data.contacts if c.case_id and data.is_data(c)}
    assert found.total == len(cases)
    linked = sum(1 for c in data.contacts if c.case_id and data.is_data(c))
    assert linked > len(cases)


# --- period series ------------------------------------------------------------------------

QUARTER = CallLogFilter(since=dt.date(2026, 1, 1), until=dt.date(2026, 3, 31))


@pytest.mark.parametrize(
    ("dimension", "f"),
    [
        (Dimension.DAY, QUARTER),
        (Dimension.DAY, CallLogFilter()),
        (Dimension.WEEK, QUARTER),
        (Dimension.WEEK, CallLogFilter(since=dt.date(2026, 2, 11))),
        (Dimension.MONTH, CallLogFilter(since=dt.date(2025, 11, 1), until=dt.date(2026, 5, 31))),
        (Dimension.MONTH, CallLogFilter()),
        (Dimension.DAY, CallLogFilter(since=dt.date(2026, 2, 9), until=dt.date(2026, 2, 15))),
    ],
)
def test_period_series(
    seeded: tuple[Session, Seeded], dimension: Dimension, f: CallLogFilter
) -> None:
    session, data = seeded
    found = statistics.breakdown(session, f, dimension)
    assert list(found.cells) == expected_series(data, f, dimension)
    assert found.total == len(selected(data, f))


def test_series_fill_empty_days_weeks_and_months(seeded: tuple[Session, Seeded]) -> None:
    session, _data = seeded
    days = statistics.breakdown(session, QUARTER, Dimension.DAY)
    assert len(days.cells) == 90
    assert {c.code for c in days.cells if c.count == 0} == {d.isoformat() for d in EMPTY_DAYS}
    weeks = statistics.breakdown(session, QUARTER, Dimension.WEEK)
    assert [c.code for c in weeks.cells if c.count == 0] == ["2026-W07"]
    assert weeks.cells[0].code == "2026-W01" and weeks.cells[-1].code == "2026-W14"
    months = statistics.breakdown(
        session, CallLogFilter(since=dt.date(2025, 11, 1)), Dimension.MONTH
    )
    assert [(c.code, c.count > 0) for c in months.cells] == [
        ("2025-11", False),
        ("2025-12", True),
        ("2026-01", True),
        ("2026-02", True),
        ("2026-03", True),
        ("2026-04", True),
    ]


def test_days_are_local_days(seeded: tuple[Session, Seeded]) -> None:
    """A call at 00:00 in Bishkek is stored with the UTC date of the day before and counts
    on its local day; counting UTC days would give other figures."""
    session, data = seeded
    days = statistics.breakdown(session, QUARTER, Dimension.DAY)
    first = dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=6)))
    on_first = [c for c in data.contacts if local_day(c) == first.date()]
    assert any(c.started_at == first for c in on_first)
    assert days.cells[0] == Cell("2026-01-01", len(on_first))
    by_utc: Counter[str | None] = Counter(
        c.started_at.date().isoformat() for c in selected(data, QUARTER)
    )
    assert [(c.code, c.count) for c in days.cells] != [(c.code, by_utc[c.code]) for c in days.cells]


@pytest.mark.parametrize("offset", [0, 300, 360, -240, 330])
@pytest.mark.parametrize("dimension", [Dimension.DAY, Dimension.WEEK, Dimension.MONTH])
def test_periods_counted_by_stored_day_match_local_days_in_sql(
    seeded: tuple[Session, Seeded], dimension: Dimension, offset: int
) -> None:
    """The fast path (stored UTC days in SQL, local periods here) gives what SQLite's date() gives;
    +330 minutes (no whole hour) takes the SQL path itself."""
    session, _data = seeded
    w = call_log_repo.where(CallLogFilter(), utc_offset_minutes=offset, today=dt.date(2026, 4, 1))
    fast = stats_repo.breakdown(session.db, w, dimension, offset)
    slow = stats_repo.breakdown(session.db, w, dimension, offset, by_stored_day=False)
    assert fast == slow and fast.total == len(session.db.query("SELECT id FROM contacts"))


# --- filters ------------------------------------------------------------------------------

FILTERS = {
    "operator": CallLogFilter(operators=("olga", "timur")),
    "call type": CallLogFilter(call_types=("trafficking_concern", "silent")),
    "main topic with its subtopics": CallLogFilter(topics=("DOC",)),
    "subtopic": CallLogFilter(topics=("WORK.WAGES", "TRAF")),
    "risk": CallLogFilter(risk_levels=("high", "urgent")),
    "language": CallLogFilter(languages=("ky", "uz")),
    "caller country": CallLogFilter(caller_countries=("KZ", "RU")),
    "region substring": CallLogFilter(caller_region="облус"),
    "region in capitals": CallLogFilter(caller_region="ЧҮЙ"),
    "region spelled in Latin": CallLogFilter(caller_region="bishkek"),
    "share given": CallLogFilter(share_consent=ShareConsent.GIVEN),
    "share refused": CallLogFilter(share_consent=ShareConsent.REFUSED),
    "share not asked": CallLogFilter(share_consent=ShareConsent.NOT_ASKED),
    "reviewed": CallLogFilter(review=ReviewState.REVIEWED),
    "not reviewed": CallLogFilter(review=ReviewState.NOT_REVIEWED),
    "follow-up due": CallLogFilter(follow_up_due=True),
    "one local day": CallLogFilter(since=dt.date(2026, 1, 1), until=dt.date(2026, 1, 1)),
    "quarter": QUARTER,
    "from the last day": CallLogFilter(since=dt.date(2026, 3, 31)),
    "until the day before": CallLogFilter(until=dt.date(2025, 12, 31)),
    "empty week": CallLogFilter(since=dt.date(2026, 2, 9), until=dt.date(2026, 2, 15)),
    "combined": CallLogFilter(
        since=dt.date(2026, 2, 1),
        until=dt.date(2026, 3, 15),
        operators=("olga", "bakyt", "aigerim"),
        topics=("WORK", "HELP.SHELTER"),
        caller_countries=("KG",),
        review=ReviewState.NOT_REVIEWED,
    ),
}


# Under every filter: these, and two more that change from filter to filter (all of them
# over every filter would double the time and test the same WHERE clause again).
ALWAYS = (Dimension.TOPIC, Dimension.CALLER_SEX, Dimension.DESTINATION_COUNTRY)
OTHERS = tuple(d for d in NON_PERIODS if d not in ALWAYS)


@pytest.mark.parametrize(("index", "name"), list(enumerate(FILTERS)))
def test_breakdowns_under_a_filter(seeded: tuple[Session, Seeded], index: int, name: str) -> None:
    session, data = seeded
    f = FILTERS[name]
    contacts = selected(data, f)
    rotating = (OTHERS[index % len(OTHERS)], OTHERS[(index + 7) % len(OTHERS)])
    for dimension in ALWAYS + rotating:
        found = statistics.breakdown(session, f, dimension)
        cells, total = expected_breakdown(data, contacts, dimension)
        assert (list(found.cells), found.total) == (cells, total), dimension
    days = statistics.breakdown(session, f, Dimension.DAY)
    assert list(days.cells) == expected_series(data, f, Dimension.DAY)
    assert statistics.summary(session, f) == expected_summary(data, f)


def test_every_dimension_is_checked_under_some_filter() -> None:
    rotating = {
        d
        for i in range(len(FILTERS))
        for d in (OTHERS[i % len(OTHERS)], OTHERS[(i + 7) % len(OTHERS)])
    }
    assert set(ALWAYS) | rotating == set(NON_PERIODS)


def test_filters_select_what_they_say(seeded: tuple[Session, Seeded]) -> None:
    """The filters above are not trivial: each keeps some contacts and drops others."""
    _session, data = seeded
    for name, f in FILTERS.items():
        count = len(selected(data, f))
        if name == "empty week":
            assert count == 0
        else:
            assert 0 < count < len(data.contacts), name
    assert len(selected(data, FILTERS["until the day before"])) == 1
    region = [c.caller.region for c in selected(data, FILTERS["region spelled in Latin"])]
    assert set(region) == {"Бишкек", " Бишкек "}


# --- cross tables, summary, comparison ----------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "columns", "f"),
    [
        (Dimension.TOPIC, Dimension.CALLER_SEX, CallLogFilter()),
        (Dimension.SUBTOPIC, Dimension.CALLER_SEX, FILTERS["main topic with its subtopics"]),
        (Dimension.CALLER_REGION, Dimension.CALLER_AGE, CallLogFilter()),
        (Dimension.MONTH, Dimension.RISK_LEVEL, CallLogFilter()),
        (Dimension.MONTH, Dimension.CALL_TYPE, QUARTER),
        (Dimension.EXPLOITATION_TYPE, Dimension.CALLER_COUNTRY, CallLogFilter()),
        (Dimension.REFERRAL_OUTCOME, Dimension.LANGUAGE, FILTERS["operator"]),
    ],
)
def test_crosstab(
    seeded: tuple[Session, Seeded], rows: Dimension, columns: Dimension, f: CallLogFilter
) -> None:
    session, data = seeded
    table = statistics.crosstab(session, f, rows, columns)
    expected = expected_crosstab(data, f, rows, columns)
    assert table.counts == expected
    assert table.get("no such code", None) == 0


def test_crosstab_rows_add_up_to_the_breakdown(seeded: tuple[Session, Seeded]) -> None:
    session, _data = seeded
    table = statistics.crosstab(session, CallLogFilter(), Dimension.TOPIC, Dimension.CALLER_SEX)
    topics = statistics.breakdown(session, CallLogFilter(), Dimension.TOPIC)
    for cell in topics.cells:
        row = sum(table.get(cell.code, column) for column in table.column_codes())
        assert row == cell.count, cell.code
    assert table.row_codes()[-1] is None and table.column_codes()[-1] is None


def test_summary(seeded: tuple[Session, Seeded]) -> None:
    session, data = seeded
    assert statistics.summary(session, CallLogFilter()) == expected_summary(data, CallLogFilter())
    assert statistics.summary(session, QUARTER) == expected_summary(data, QUARTER)


@pytest.mark.parametrize(
    "dimension",
    [Dimension.TOPIC, Dimension.CALLER_SEX, Dimension.CALL_TYPE, Dimension.EXPLOITATION_TYPE],
)
def test_compare_two_months(seeded: tuple[Session, Seeded], dimension: Dimension) -> None:
    session, data = seeded
    january, february = Period.month(2026, 1), Period.month(2026, 2)
    assert february.previous_month() == january and february.last == dt.date(2026, 2, 28)
    f = FILTERS["operator"]
    result = statistics.compare(session, f, dimension, january, february)
    first, first_total = expected_breakdown(
        data, selected(data, f.with_period(january.first, january.last)), dimension
    )
    second, second_total = expected_breakdown(
        data, selected(data, f.with_period(february.first, february.last)), dimension
    )
    counts = {c.code: c.count for c in second}
    codes = [c.code for c in first] + [
        c.code for c in second if c.code not in {x.code for x in first}
    ]
    expected_rows = [
        (code, next((c.count for c in first if c.code == code), 0), counts.get(code, 0))
        for code in codes
    ]
    assert list(result.rows) == expected_rows
    assert result.totals == (first_total, second_total)
    assert (result.first, result.second) == (january, february)


def test_compare_refuses_a_period_dimension(seeded: tuple[Session, Seeded]) -> None:
    session, _data = seeded
    with pytest.raises(ValueError, match="periods"):
        statistics.compare(
            session, CallLogFilter(), Dimension.DAY, Period.month(2026, 1), Period.month(2026, 2)
        )


def test_dashboard(seeded: tuple[Session, Seeded]) -> None:
    """One call gives the summary, a series by week for three months and every breakdown
    the dashboard shows; it is audited by its period and count only."""
    session, data = seeded
    board = statistics.dashboard(session, QUARTER)
    assert board.summary == expected_summary(data, QUARTER)
    assert board.series.dimension is Dimension.WEEK
    assert list(board.series.cells) == expected_series(data, QUARTER, Dimension.WEEK)
    contacts = selected(data, QUARTER)
    for found in board.breakdowns:
        assert (list(found.cells), found.total) == expected_breakdown(
            data, contacts, found.dimension
        )
    assert {b.dimension for b in board.breakdowns} == set(NON_PERIODS)
    entry = audit.recent(session.db, 1)[0]
    assert entry.action == "statistics.viewed"
    assert json.loads(entry.details) == {"count": len(contacts), "period": "2026-01-01..2026-03-31"}
    days = statistics.series_dimension(CallLogFilter(since=dt.date(2026, 3, 1)))
    assert days is Dimension.DAY
    assert statistics.series_dimension(CallLogFilter()) is Dimension.MONTH


def test_statistics_narrowed_by_a_search_audit_the_search_without_its_words(
    seeded: tuple[Session, Seeded],
) -> None:
    session, _data = seeded
    statistics.dashboard(session, CallLogFilter(text="мигрант"))
    last_two = audit.recent(session.db, 2)
    assert {entry.action for entry in last_two} == {"statistics.viewed", "call_log.searched"}
    assert all("мигрант" not in entry.details for entry in last_two)
