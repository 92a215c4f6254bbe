"""The source filter: records made here or imported from a given hotline. The statistics use
the call log's WHERE clause, so a coordinator's figures across hotlines come out per source
and in total, and each source's figures equal that hotline's own over the calls it shared."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from hotline.errors import InvalidInput, PermissionDenied
from hotline.exchange import importing
from hotline.model.call_log import LOCAL_SOURCE, CallLogFilter, ShareConsent
from hotline.model.contact import Caller
from hotline.model.statistics import Breakdown, Dimension
from hotline.services import call_log, contacts, coordinator, statistics
from hotline.services.session import Session
from tests.unit.exchange_support import (
    COORDINATOR,
    HOTLINE_A,
    HOTLINE_B,
    Network,
    record_call,
    send,
)

DIMENSIONS = (Dimension.CALL_TYPE, Dimension.CALLER_SEX, Dimension.TOPIC, Dimension.CALLER_AGE)

# (call type, caller's sex, age band, topics, consent to share)
Plan = list[tuple[str, str | None, str | None, tuple[str, ...], bool | None]]
CALLS_A: Plan = [
    ("consultation", "female", "18-20", ("WORK",), True),
    ("consultation", "male", "24-26", ("WORK", "DOC"), True),
    ("trafficking_concern", "female", "9-17", ("TRAF",), True),
    ("missing_person", "unknown", None, ("MISSING",), True),
    ("consultation", "male", "30-38", ("DOC",), False),  # not shared: stays at the hotline
    ("silent", None, None, (), True),
]
CALLS_B: Plan = [
    ("consultation", "male", "24-26", ("WORK",), True),
    ("consultation", "male", "48+", ("RETURN",), True),
    ("other_violence", "female", "30-38", ("FAMILY", "HELP"), True),
    ("trafficking_concern", "other", "21-23", ("TRAF", "WORK"), None),  # not asked: stays
]


def _record(session: Session, plan: Plan) -> None:
    for call_type, sex, age, topics, share in plan:
        saved = record_call(session, call_type=call_type, share=share)
        contacts.save_contact(
            session, replace(saved, caller=Caller(sex=sex, age_band=age), topics=topics)
        )


def _counts(found: Breakdown) -> dict[str | None, int]:
    return {c.code: c.count for c in found.cells if c.count}


def _own_figures(network: Network, code: str) -> dict[Dimension, dict[str | None, int]]:
    session = network.session(code, "bakyt")
    try:
        shared = CallLogFilter(share_consent=ShareConsent.GIVEN)
        return {d: _counts(statistics.breakdown(session, shared, d)) for d in DIMENSIONS}
    finally:
        session.close()


@pytest.fixture
def gathered(network: Network) -> tuple[Network, dict[str, str]]:
    """Both hotlines record calls and send a pseudonymous batch; the coordinator (which has
    one call of its own, recorded by its supervisor) imports both."""
    paths = []
    ids = {}
    for code, plan in ((HOTLINE_A, CALLS_A), (HOTLINE_B, CALLS_B)):
        hotline = network.session(code, "bakyt")
        _record(hotline, plan)
        paths.append(send(hotline, network).path)
        ids[code] = hotline.installation.id
        hotline.close()
    local = network.session(COORDINATOR, "bakyt")
    _record(local, [("consultation", "female", "27-29", ("HELP",), True)])
    local.close()
    dana = network.session(COORDINATOR, "dana")
    for path in paths:
        assert importing.import_file(dana, path).status is importing.Status.IMPORTED
    dana.close()
    return network, ids


def test_statistics_per_source_add_up_and_match_each_hotline(
    gathered: tuple[Network, dict[str, str]],
) -> None:
    network, ids = gathered
    own = {code: _own_figures(network, code) for code in (HOTLINE_A, HOTLINE_B)}
    dana = network.session(COORDINATOR, "dana")
    try:
        for dimension in DIMENSIONS:
            everything = statistics.breakdown(dana, CallLogFilter(), dimension)
            parts = {
                source: statistics.breakdown(dana, CallLogFilter(sources=(source,)), dimension)
                for source in (LOCAL_SOURCE, ids[HOTLINE_A], ids[HOTLINE_B])
            }
            summed: dict[str | None, int] = {}
            for part in parts.values():
                for code, n in _counts(part).items():
                    summed[code] = summed.get(code, 0) + n
            # A contact with two topics counts under each; totals count contacts once.
            assert _counts(everything) == summed, dimension
            assert everything.total == sum(p.total for p in parts.values()), dimension
            for code in (HOTLINE_A, HOTLINE_B):
                assert _counts(parts[ids[code]]) == own[code][dimension], (code, dimension)
            assert _counts(parts[LOCAL_SOURCE]) != {}
        both = CallLogFilter(sources=(ids[HOTLINE_A], LOCAL_SOURCE))
        assert (
            statistics.summary(dana, both).contacts
            == statistics.summary(dana, CallLogFilter(sources=(ids[HOTLINE_A],))).contacts
            + statistics.summary(dana, CallLogFilter(sources=(LOCAL_SOURCE,))).contacts
        )
        # The shared calls only: 5 from A (the silent call too), 3 from B, 1 made here.
        assert statistics.summary(dana, CallLogFilter()).contacts == 9
        assert call_log.query(dana, CallLogFilter(sources=(ids[HOTLINE_B],))).count() == 3
        assert call_log.query(dana, CallLogFilter(sources=("no-such-installation",))).count() == 0
    finally:
        dana.close()


def test_the_sources_are_here_and_every_sender(
    gathered: tuple[Network, dict[str, str]],
) -> None:
    network, ids = gathered
    dana = network.session(COORDINATOR, "dana")
    try:
        listed = coordinator.sources(dana)
        assert [source for source, _label in listed] == [
            LOCAL_SOURCE,
            ids[HOTLINE_A],
            ids[HOTLINE_B],
        ]
        assert "Бишкек" in listed[0][1]
        assert listed[1][1].startswith(HOTLINE_A) and listed[2][1].startswith(HOTLINE_B)
        assert coordinator.source_id(dana, HOTLINE_B.lower()) == ids[HOTLINE_B]
        assert coordinator.source_id(dana, ids[HOTLINE_A]) == ids[HOTLINE_A]
        assert coordinator.source_id(dana, "LOCAL") == LOCAL_SOURCE
        with pytest.raises(InvalidInput, match="no source"):
            coordinator.source_id(dana, "KG-NOWHERE")
    finally:
        dana.close()
    olga = network.session(HOTLINE_A, "olga")
    try:
        with pytest.raises(PermissionDenied):
            coordinator.sources(olga)
    finally:
        olga.close()


def test_a_saved_filter_keeps_its_sources(network: Network) -> None:
    wanted = CallLogFilter(sources=(LOCAL_SOURCE, "3f1c6a2e-0d4b-4e8a-9c51-7b2f0e6d9a10"))
    data = json.loads(json.dumps(wanted.to_dict()))
    assert data == {"sources": list(wanted.sources)}
    assert CallLogFilter.from_dict(data) == wanted
    with pytest.raises(InvalidInput, match="cannot be read"):
        CallLogFilter.from_dict({"sources": "local"})
    dana = network.session(COORDINATOR, "dana")
    try:
        call_log.save_filter(dana, "two sources", wanted)
        assert [f.filter for f in call_log.saved_filters(dana)] == [wanted]
    finally:
        dana.close()
