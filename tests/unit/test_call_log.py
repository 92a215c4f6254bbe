"""The call log: every filter, every sort column both ways in keyset pages, the full-text
search over summaries and notes, and saved filters. Expected results are computed in Python
from the generated records (tests/unit/supervision_data.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from hotline import audit
from hotline.errors import InvalidInput, KnownError, PermissionDenied
from hotline.model.call_log import (
    SORT_COLUMNS,
    CallLogFilter,
    CallLogRow,
    ReviewState,
    ShareConsent,
    Sort,
)
from hotline.model.contact import Contact
from hotline.paths import DataDir
from hotline.services import call_log, contacts
from hotline.services.session import Session
from tests.conftest import Template, sign_in
from tests.unit.supervision_data import (
    TODAY,
    Seeded,
    seeded_supervisor,
    selected,
)

PAGE = 7
RISK_RANK = {"urgent": 5, "high": 4, "medium": 3, "low": 2, "none": 1, None: 0}


@pytest.fixture(scope="module")
def seeded(template: Template, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
    tuple[Session, Seeded]
]:  # fmt: skip
    with seeded_supervisor(template, tmp_path_factory, 400, 7) as seeded:
        yield seeded


def walk(query: call_log.LogQuery, limit: int = PAGE) -> list[CallLogRow]:
    """Every row, a page at a time, each page starting after the last row of the one before."""
    rows: list[CallLogRow] = []
    after = None
    while True:
        page = query.page(after, limit)
        assert len(page) <= limit
        rows += page
        if len(page) < limit:
            return rows
        after = page[-1].sort_key
        assert len(rows) <= 10_000, "paging does not end"


# --- filters ------------------------------------------------------------------------------

FILTERS = {
    "nothing": CallLogFilter(),
    "since": CallLogFilter(since=dt.date(2026, 2, 1)),
    "until": CallLogFilter(until=dt.date(2026, 1, 31)),
    "one local day": CallLogFilter(since=dt.date(2026, 1, 1), until=dt.date(2026, 1, 1)),
    "the day before the data": CallLogFilter(until=dt.date(2025, 12, 31)),
    "the day after": CallLogFilter(since=dt.date(2026, 4, 1)),
    "operators": CallLogFilter(operators=("olga", "zarina")),
    "call types": CallLogFilter(call_types=("consultation", "prank")),
    "main topic selects its subtopics": CallLogFilter(topics=("HELP",)),
    "subtopic only": CallLogFilter(topics=("DOC.LOST",)),
    "a topic that is a prefix of no other": CallLogFilter(topics=("WORK.OFFER", "RETURN")),
    "risk levels": CallLogFilter(risk_levels=("urgent", "none")),
    "languages": CallLogFilter(languages=("tg", "ru")),
    "caller countries": CallLogFilter(caller_countries=("UZ",)),
    "region part": CallLogFilter(caller_region="абад"),
    "region other case": CallLogFilter(caller_region="ОШ ОБЛ"),
    "share given": CallLogFilter(share_consent=ShareConsent.GIVEN),
    "share refused": CallLogFilter(share_consent=ShareConsent.REFUSED),
    "share not asked": CallLogFilter(share_consent=ShareConsent.NOT_ASKED),
    "reviewed": CallLogFilter(review=ReviewState.REVIEWED),
    "not reviewed": CallLogFilter(review=ReviewState.NOT_REVIEWED),
    "follow-up due": CallLogFilter(follow_up_due=True),
    "all together": CallLogFilter(
        since=dt.date(2026, 1, 10),
        until=dt.date(2026, 3, 20),
        operators=("olga", "bakyt", "timur"),
        risk_levels=("low", "medium", "high"),
        share_consent=ShareConsent.GIVEN,
    ),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_filter(seeded: tuple[Session, Seeded], name: str) -> None:
    session, data = seeded
    f = FILTERS[name]
    expected = {c.id for c in selected(data, f)}
    query = call_log.query(session, f)
    assert query.count() == len(expected)
    assert [r.id for r in walk(query)] == sorted(
        expected, key=lambda i: (_by_id(data)[i].started_at.isoformat(), i), reverse=True
    )


def test_the_filters_are_not_trivial(seeded: tuple[Session, Seeded]) -> None:
    _session, data = seeded
    for name, f in FILTERS.items():
        count = len(selected(data, f))
        if name == "nothing":
            assert count == len(data.contacts)
        elif name in ("the day before the data", "the day after"):
            assert count == 1
        else:
            assert 0 < count < len(data.contacts), name
    # "HELP" selects calls whose only topic is a subtopic of HELP.
    helped = selected(data, FILTERS["main topic selects its subtopics"])
    assert any("HELP" not in c.topics for c in helped)
    # A follow-up due today is due; one due tomorrow is not.
    dates = {c.follow_up.date for c in selected(data, FILTERS["follow-up due"])}
    assert max(d for d in dates if d) <= TODAY


def _by_id(data: Seeded) -> dict[str, Contact]:
    return {c.id: c for c in data.contacts}


def test_rows_show_the_record(seeded: tuple[Session, Seeded]) -> None:
    session, data = seeded
    by_id = _by_id(data)
    for row in walk(call_log.query(session), limit=100):
        c = by_id[row.id]
        assert (row.reference, row.started_at, row.operator) == (
            c.reference,
            c.started_at,
            c.operator,
        )
        assert (row.call_type, row.topics, row.risk_level, row.call_language) == (
            c.call_type,
            c.topics,
            c.risk_level,
            c.call_language,
        )
        assert (row.caller_country, row.caller_region, row.share_consent) == (
            c.caller.country,
            c.caller.region,
            c.consent.share,
        )
        assert (row.follow_up_date, row.follow_up_done) == (c.follow_up.date, c.follow_up.done)
        assert row.reviewed == (c.id in data.reviews)


# --- sorting and keyset pages -------------------------------------------------------------


def sort_value(c: Contact, column: str, data: Seeded) -> Any:
    follow = c.follow_up.date
    return {
        "started_at": c.started_at.isoformat(),
        "reference": c.reference,
        "operator": c.operator,
        "call_type": c.call_type or "",
        "risk_level": RISK_RANK[c.risk_level],
        "call_language": c.call_language or "",
        "caller_country": c.caller.country or "",
        "follow_up_date": "" if follow is None else follow.isoformat(),
        "reviewed": int(c.id in data.reviews),
    }[column]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", SORT_COLUMNS)
def test_sorted_pages(seeded: tuple[Session, Seeded], column: str, descending: bool) -> None:
    session, data = seeded
    expected = sorted(
        data.contacts, key=lambda c: (sort_value(c, column, data), c.id), reverse=descending
    )
    rows = walk(call_log.query(session, sort=Sort(column, descending)))
    assert [r.id for r in rows] == [c.id for c in expected]
    assert len({r.id for r in rows}) == len(rows)


def test_sort_columns_have_ties(seeded: tuple[Session, Seeded]) -> None:
    """Pages break inside runs of equal values, so the tie-break by id is what is tested."""
    _session, data = seeded
    for column in SORT_COLUMNS:
        values = [sort_value(c, column, data) for c in data.contacts]
        if column in ("reference",):
            assert len(set(values)) == len(values)
        else:
            assert len(set(values)) < len(values) - PAGE, column


def test_unknown_sort_column_is_refused() -> None:
    with pytest.raises(InvalidInput, match="cannot be sorted on summary"):
        Sort("summary")


# --- full-text search ---------------------------------------------------------------------

TEXTS = {
    "kyrgyz": ("Кыргызстандагы мигранттардын укуктары бузулду", ""),
    "uzbek": ("Oʻzbekiston fuqarosi Toshkentda ishga yollangan", ""),
    "kazakh": ("", "Қазақстандағы әйелдер үйі туралы сұрады"),
    "russian": ("ПАСПОРТ отобрали работодатели в Москве", "Вернуть документы"),
    "english": ("Job offer in Dubai, passport taken", "Shelter needed urgently"),
    "notes only": ("общий вопрос", "мигрант из Оша"),
}


@pytest.fixture
def searchable(data_dir: DataDir) -> Iterator[tuple[Session, dict[str, str]]]:
    session = sign_in(data_dir, "bakyt")
    ids = {}
    for name, (summary, notes) in TEXTS.items():
        call = replace(contacts.new_contact(session), summary=summary, notes=notes)
        ids[name] = contacts.save_contact(session, call).id
    yield session, ids
    session.close()


def found(session: Session, text: str) -> set[str]:
    return {r.id for r in walk(call_log.query(session, CallLogFilter(text=text)), limit=50)}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("мигрант", {"kyrgyz", "notes only"}),  # inside a longer word, and in notes
        ("ыргыз", {"kyrgyz"}),  # the middle of a word
        ("МИГРАНТТАРДЫН", {"kyrgyz"}),  # Cyrillic capitals find small letters
        ("паспорт", {"russian"}),  # small letters find capitals
        ("PASSPORT", {"english"}),
        ("dubai", {"english"}),
        ("oʻzbek", {"uzbek"}),
        ("TOSHKENT", {"uzbek"}),
        ("әйел", {"kazakh"}),
        ("ҚАЗАҚ", {"kazakh"}),
        ("үйі", {"kazakh"}),
        ("документы", {"russian"}),  # a word of the notes
        ("shelter", {"english"}),
        ("паспорт москве", {"russian"}),  # every word must be there
        ("паспорт dubai", set()),
        ("passport   DUBAI  ", {"english"}),
        ('"мигрант"', {"kyrgyz", "notes only"}),  # quotes typed around a word
        ("мигрант OR паспорт", set()),  # OR is too short to search: both words needed
        ("summary:мигрант", set()),  # no column filter: the text itself is looked for
        ("NEAR(мигрант", set()),
        ("мигрант*", set()),
        ("-мигрант ^укук", set()),
        ("'\"; DROP TABLE contacts; --", set()),
        ("мигрант ab", {"kyrgyz", "notes only"}),  # too short words are left out
    ],
)
def test_search(searchable: tuple[Session, dict[str, str]], text: str, names: set[str]) -> None:
    session, ids = searchable
    assert found(session, text) == {ids[n] for n in names}


def test_search_needs_three_letters(searchable: tuple[Session, dict[str, str]]) -> None:
    session, _ids = searchable
    for text in ("ab", "Ош", "a b c", '"ab"'):
        with pytest.raises(InvalidInput, match="at least 3 letters"):
            call_log.query(session, CallLogFilter(text=text))
    assert call_log.query(session, CallLogFilter(text="   ")).count() == len(TEXTS)


def test_search_combines_with_other_filters(searchable: tuple[Session, dict[str, str]]) -> None:
    session, ids = searchable
    f = CallLogFilter(text="мигрант", operators=("bakyt",), review=ReviewState.NOT_REVIEWED)
    assert call_log.query(session, f).count() == 2
    assert call_log.query(session, replace(f, operators=("olga",))).count() == 0
    assert {r.id for r in call_log.query(session, f, Sort("reference", False)).page()} == {
        ids["kyrgyz"],
        ids["notes only"],
    }


def test_the_index_follows_edits(searchable: tuple[Session, dict[str, str]]) -> None:
    session, ids = searchable
    before = contacts.get_contact(session, ids["notes only"])
    contacts.save_contact(session, replace(before, notes="беженец из Хорога"))
    assert found(session, "беженец") == {ids["notes only"]}
    assert found(session, "мигрант") == {ids["kyrgyz"]}
    assert found(session, "Оша") == set()


def test_a_search_is_audited_without_its_words(searchable: tuple[Session, dict[str, str]]) -> None:
    session, _ids = searchable
    call_log.query(session, CallLogFilter(text="мигранттардын"))
    entry = audit.recent(session.db, 1)[0]
    assert entry.action == "call_log.searched"
    rows = session.db.query("SELECT * FROM audit_log")
    assert not any("мигрант" in str(value) for row in rows for value in tuple(row))


# --- who may look -------------------------------------------------------------------------


def test_only_supervisors_and_coordinators_see_the_log(data_dir: DataDir) -> None:
    for name, allowed in (("olga", False), ("admin", False), ("dana", True), ("bakyt", True)):
        session = sign_in(data_dir, name)
        try:
            if allowed:
                assert call_log.query(session).count() == 0
            else:
                with pytest.raises(PermissionDenied):
                    call_log.query(session)
        finally:
            session.close()


# --- saved filters ------------------------------------------------------------------------


def test_saved_filters(data_dir: DataDir) -> None:
    bakyt, dana = sign_in(data_dir, "bakyt"), sign_in(data_dir, "dana")
    try:
        urgent = CallLogFilter(risk_levels=("urgent",), follow_up_due=True)
        saved = call_log.save_filter(bakyt, "  Срочные   звонки ", urgent)
        assert saved.name == "Срочные звонки" and saved.filter == urgent
        call_log.save_filter(bakyt, "Июнь", CallLogFilter(since=dt.date(2026, 6, 1)))
        assert [(s.name, s.filter) for s in call_log.saved_filters(bakyt)] == [
            ("Июнь", CallLogFilter(since=dt.date(2026, 6, 1))),
            ("Срочные звонки", urgent),
        ]
        # The same name replaces the filter.
        narrower = replace(urgent, operators=("olga",))
        call_log.save_filter(bakyt, "Срочные звонки", narrower)
        assert [s.filter for s in call_log.saved_filters(bakyt)][1] == narrower
        # Each user has their own.
        assert call_log.saved_filters(dana) == []
        call_log.save_filter(dana, "Июнь", CallLogFilter(languages=("tg",)))
        assert call_log.saved_filters(dana)[0].filter == CallLogFilter(languages=("tg",))
        assert call_log.saved_filters(bakyt)[0].filter == CallLogFilter(since=dt.date(2026, 6, 1))
        call_log.delete_filter(bakyt, "Июнь")
        assert [s.name for s in call_log.saved_filters(bakyt)] == ["Срочные звонки"]
        assert [s.name for s in call_log.saved_filters(dana)] == ["Июнь"]
        with pytest.raises(KnownError, match="no saved filter"):
            call_log.delete_filter(bakyt, "Июнь")
        for bad, message in (("", "Give the filter a name"), ("   ", "Give the filter a name")):
            with pytest.raises(InvalidInput, match=message):
                call_log.save_filter(bakyt, bad, urgent)
        with pytest.raises(InvalidInput, match="at most 80 characters"):
            call_log.save_filter(bakyt, "я" * 81, urgent)
        assert call_log.save_filter(bakyt, "я" * 80, urgent).name == "я" * 80
        olga = sign_in(data_dir, "olga")
        try:
            with pytest.raises(PermissionDenied):
                call_log.save_filter(olga, "mine", urgent)
        finally:
            olga.close()
    finally:
        bakyt.close()
        dana.close()


EVERY_FIELD = CallLogFilter(
    since=dt.date(2026, 1, 1),
    until=dt.date(2026, 3, 31),
    operators=("olga", "bakyt"),
    call_types=("consultation",),
    topics=("DOC", "WORK.WAGES"),
    risk_levels=("high", "urgent"),
    languages=("ky", "uz"),
    caller_countries=("KG", "RU"),
    caller_region="Чүй",
    share_consent=ShareConsent.REFUSED,
    review=ReviewState.NOT_REVIEWED,
    follow_up_due=True,
    text="мигрант oʻzbek",
    sources=("local", "3f1c6a2e-0d4b-4e8a-9c51-7b2f0e6d9a10"),
)


def test_every_field_is_set_in_the_sample() -> None:
    empty = CallLogFilter()
    for field in dataclasses.fields(CallLogFilter):
        assert getattr(EVERY_FIELD, field.name) != getattr(empty, field.name), field.name


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(CallLogFilter)])
def test_filter_round_trip_field_by_field(name: str) -> None:
    one = replace(CallLogFilter(), **{name: getattr(EVERY_FIELD, name)})
    data = json.loads(json.dumps(one.to_dict(), ensure_ascii=False))
    assert list(data) == [name]
    assert CallLogFilter.from_dict(data) == one


def test_filter_round_trip() -> None:
    data = json.loads(json.dumps(EVERY_FIELD.to_dict(), ensure_ascii=False))
    assert CallLogFilter.from_dict(data) == EVERY_FIELD
    assert CallLogFilter.from_dict({}) == CallLogFilter() and CallLogFilter().empty
    assert CallLogFilter().to_dict() == {}
    for state in ShareConsent:
        f = CallLogFilter(share_consent=state)
        assert CallLogFilter.from_dict(f.to_dict()) == f
    for review in ReviewState:
        f = CallLogFilter(review=review)
        assert CallLogFilter.from_dict(f.to_dict()) == f


@pytest.mark.parametrize(
    "data",
    [
        {"since": "1 January"},
        {"operators": "olga"},
        {"topics": [1, 2]},
        {"share_consent": "maybe"},
        {"review": "half"},
    ],
)
def test_a_malformed_saved_filter_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput, match="cannot be read"):
        CallLogFilter.from_dict(data)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInput, match="first day of the period is after its last"):
        CallLogFilter.from_dict({"since": "2026-02-01", "until": "2026-01-31"})
