"""What an import does with records it already knows, with batches that arrive out of
order, and with aggregate batches (no count under k, even on skewed data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from hotline.errors import KnownError
from hotline.exchange import aggregates, importing
from hotline.exchange.received_counts import received_counts
from hotline.exchange.records import Privacy
from hotline.model.call_log import CallLogFilter
from hotline.services import call_log, contacts
from tests.unit.exchange_support import (
    COORDINATOR,
    HOTLINE_A,
    Network,
    record_call,
    send,
)


def _import(network: Network, *paths: object) -> list[importing.ImportResult]:
    coordinator = network.session(COORDINATOR, "dana")
    try:
        return [importing.import_file(coordinator, p) for p in paths]  # type: ignore[arg-type]
    finally:
        coordinator.close()


def test_incremental_batches_carry_changes_and_a_newer_version_updates(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    first_call = record_call(hotline)
    record_call(hotline)
    first = send(hotline, network)
    assert first.batch.counts["contacts"] == 2
    nothing = send(hotline, network)
    assert nothing.batch.counts["contacts"] == 0 and nothing.batch.sequence == 2
    edited = contacts.save_contact(hotline, replace(first_call, topics=("WORK", "DOC")))
    assert edited.version == 2
    second = send(hotline, network)
    hotline.close()
    assert second.batch.counts["contacts"] == 1 and second.batch.sequence == 3

    results = _import(network, first.path, nothing.path, second.path)
    assert results[0].outcome["added"] == 2
    assert results[2].outcome == {"added": 0, "updated": 1, "unchanged": 0, "older": 0,
                                  "conflicts": 0}  # fmt: skip
    coordinator = network.session(COORDINATOR, "dana")
    try:
        row = coordinator.db.one(
            "SELECT version, topics, source_batch FROM contacts WHERE id = ?", (first_call.id,)
        )
        assert row is not None and row[0] == 2 and "DOC" in row[1]
        assert row[2] == second.batch.batch_id
        topics = coordinator.db.query(
            "SELECT topic FROM contact_topics WHERE contact_id = ? ORDER BY topic", (first_call.id,)
        )
        assert [r[0] for r in topics] == ["DOC", "WORK"]
        # The history shows both versions as they arrived, and what changed between them.
        history = contacts.history(coordinator, first_call.id)
        assert [v.version for v in history] == [1, 2] and history[1].changed == ("topics",)
    finally:
        coordinator.close()


def test_an_older_batch_arriving_late_changes_nothing(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    call = record_call(hotline)
    today = dt.date.today()
    old = send(hotline, network, since=today - dt.timedelta(days=1), until=today + dt.timedelta(1))
    contacts.save_contact(hotline, replace(call, topics=("DOC",)))
    new = send(hotline, network)
    hotline.close()
    results = _import(network, new.path, old.path)
    assert results[0].outcome["added"] == 1
    assert results[1].outcome["older"] == 1
    assert results[1].missing_before == ()


def test_missing_batches_are_reported_until_they_arrive(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    paths = []
    for _ in range(3):
        record_call(hotline)
        paths.append(send(hotline, network).path)
    hotline.close()
    first, third = _import(network, paths[0], paths[2])
    assert first.missing_before == ()
    assert third.missing_before == (2,)
    coordinator = network.session(COORDINATOR, "dana")
    try:
        gaps = importing.gaps(coordinator)
        assert [(p.org_code, missing) for p, missing in gaps] == [(HOTLINE_A, (2,))]
    finally:
        coordinator.close()
    (second,) = _import(network, paths[1])
    assert second.status is importing.Status.IMPORTED and second.missing_before == ()


def test_same_version_with_other_content_is_kept_aside(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    call = record_call(hotline)
    today = dt.date.today()
    since, until = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    first = send(hotline, network, since=since, until=until)
    # The sender's copy changes without a new version (a restored backup, a fault): the
    # coordinator must not choose between the two silently.
    hotline.db.execute("UPDATE contacts SET call_type = 'missing_person' WHERE id = ?", (call.id,))
    second = send(hotline, network, since=since, until=until)
    hotline.close()
    results = _import(network, first.path, second.path)
    assert results[1].outcome["conflicts"] == 1
    coordinator = network.session(COORDINATOR, "dana")
    try:
        kept = coordinator.db.scalar("SELECT call_type FROM contacts WHERE id = ?", (call.id,))
        assert kept == "consultation"
        (conflict,) = coordinator.db.query(
            "SELECT record_type, record_id, reason, batch_id FROM import_conflicts"
        )
        assert tuple(conflict) == ("contact", call.id, "same_version_differs",
                                   second.batch.batch_id)  # fmt: skip
    finally:
        coordinator.close()


def test_calls_without_consent_to_share_never_leave(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    record_call(hotline, share=False)
    record_call(hotline, share=None)
    shared = record_call(hotline, share=True)
    for privacy in (Privacy.PSEUDONYMOUS, Privacy.FULL):
        result = send(hotline, network, privacy, since=dt.date.today(), until=dt.date.today())
        assert result.batch.counts["contacts"] == 1
    hotline.close()
    _import(network, *sorted(network.outbox.glob("*.hlbatch")))
    coordinator = network.session(COORDINATOR, "dana")
    try:
        ids = [r[0] for r in coordinator.db.query("SELECT id FROM contacts")]
        assert ids == [shared.id]
    finally:
        coordinator.close()


def test_suppression_leaves_no_cell_under_k_and_no_lone_withheld_cell() -> None:
    cells, total = aggregates.suppress([("a", 40), ("b", 12), ("c", 3)], 55, 11)
    assert total == 55
    assert dict(map(tuple, cells)) == {"a": 40, "b": None, "c": None}
    cells, total = aggregates.suppress([("a", 5), ("b", 3)], 8, 11)
    assert total is None and all(n is None for _code, n in cells)
    cells, total = aggregates.suppress([("a", 30), ("b", 20)], 50, 11)
    assert dict(map(tuple, cells)) == {"a": 30, "b": 20}


def test_aggregate_batch_on_skewed_data(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    # Skewed on purpose: one big group, several tiny ones, consent irrelevant.
    for _ in range(30):
        record_call(hotline, call_type="consultation", share=False)
    for _ in range(12):
        record_call(hotline, call_type="missing_person", share=None)
    for call_type in ("trafficking_concern", "trafficking_concern", "other", "silent"):
        record_call(hotline, call_type=call_type, call_language="tg")
    today = dt.date.today()
    result = send(hotline, network, Privacy.AGGREGATE, since=today, until=today)
    hotline.close()
    coordinator = network.session(COORDINATOR, "dana")
    try:
        verified = importing.check(coordinator, result.path.read_bytes())
        dims = verified.content.aggregates["dimensions"]  # type: ignore[index]
        assert dims["call_type"]["total"] == 46
        shown = dict(map(tuple, dims["call_type"]["cells"]))
        assert shown["consultation"] == 30 and shown["missing_person"] == 12
        assert shown["trafficking_concern"] is None and shown["other"] is None
        for name, dim in dims.items():
            counts = [n for _code, n in dim["cells"]]
            assert all(n is None or n >= 11 for n in counts), name
            assert sum(1 for n in counts if n is None) != 1 or dim["total"] is None, name
        (outcome,) = [importing.import_file(coordinator, result.path)]
        assert outcome.outcome["aggregate_cells"] > 0
        smallest = coordinator.db.scalar(
            "SELECT min(count) FROM aggregate_cells WHERE count IS NOT NULL"
        )
        assert smallest >= 11
        # The coordinator reads them as labelled tables, withheld counts as such.
        tables = {t.dimension.value: t for t in received_counts(coordinator)}
        call_types = tables["call_type"]
        assert call_types.sender.startswith(HOTLINE_A) and call_types.total == 46
        assert call_types.cells[:2] == (("Consultation", 30), ("Missing person", 12))
        assert {count for _text, count in call_types.cells[2:]} == {None}
    finally:
        coordinator.close()


def test_imported_calls_cannot_be_changed_where_they_were_imported(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    call = record_call(hotline)
    result = send(hotline, network)
    hotline.close()
    supervisor = network.session(COORDINATOR, "bakyt")  # a supervisor, who may edit calls
    try:
        importing.import_file(supervisor, result.path)
        imported = contacts.get_contact(supervisor, call.id)
        assert not contacts.may_edit(supervisor, imported)
        with pytest.raises(KnownError, match="recorded by another hotline"):
            contacts.save_contact(supervisor, replace(imported, topics=("DOC",)))
        assert supervisor.db.scalar("SELECT version FROM contacts WHERE id = ?", (call.id,)) == 1
    finally:
        supervisor.close()


def test_imported_calls_are_found_by_the_words_of_their_notes(network: Network) -> None:
    """The full-text index of an import is filled set-wise at the end of its transaction
    (contacts.text_indexed_afterwards): every new call is found, and the per-row trigger is
    back afterwards for calls recorded at the coordinator."""
    hotline = network.session(HOTLINE_A, "bakyt")
    first = record_call(hotline, summary="Паспорт остался у бригадира в Подмосковье")
    record_call(hotline, summary="Зарплату не платят три месяца")
    sent = send(hotline, network, Privacy.FULL)
    hotline.close()
    _import(network, sent.path)
    coordinator = network.session(COORDINATOR, "dana")
    try:
        found = call_log.query(coordinator, CallLogFilter(text="бригадира")).page()
        assert [r.id for r in found] == [first.id]
        assert call_log.query(coordinator, CallLogFilter(text="зарплату")).count() == 1
        numbers = coordinator.db.scalar("SELECT count(*) FROM contact_numbers")
        assert numbers == coordinator.db.scalar("SELECT count(*) FROM contacts") == 2
        trigger = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?"
        assert coordinator.db.scalar(trigger, ("contact_text_insert",)) == 1
    finally:
        coordinator.close()
