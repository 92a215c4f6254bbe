"""The outbox and the inbox on real folders: a hotline writes incremental batches on its
schedule (never empty ones), the coordinator imports what arrives in its inbox, moves what
it rejects aside, writes receipts, and the hotline reads them back from the same folder."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path

import pytest

from hotline.errors import InvalidInput, PermissionDenied
from hotline.exchange import folders, importing
from hotline.exchange.folders import OutboxSettings, Schedule
from hotline.exchange.importing import Status
from hotline.exchange.records import Privacy
from hotline.services.session import Session
from hotline.store.repositories import exchange as repo
from tests.unit.exchange_support import (
    COORDINATOR,
    HOTLINE_A,
    HOTLINE_B,
    Network,
    coordinator_id,
    record_call,
)

NOW = dt.datetime(2030, 5, 1, 12, 0, tzinfo=dt.UTC)


def set_outbox(session: Session, network: Network, **changes: object) -> None:
    chosen = OutboxSettings(
        folder=network.outbox,
        recipients=(coordinator_id(network),),
        privacy=Privacy.PSEUDONYMOUS,
        schedule=Schedule.HOURS,
        hours=6,
    )
    folders.save_outbox_settings(session, replace(chosen, **changes))  # type: ignore[arg-type]


def test_settings_are_kept_and_checked(network: Network, tmp_path: Path) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    assert folders.outbox_settings(hotline) == OutboxSettings()
    set_outbox(hotline, network)
    kept = folders.outbox_settings(hotline)
    assert kept.folder == network.outbox and kept.schedule is Schedule.HOURS and kept.hours == 6
    with pytest.raises(InvalidInput, match="does not exist"):
        set_outbox(hotline, network, folder=tmp_path / "no-such-stick")
    with pytest.raises(InvalidInput, match="at least one recipient"):
        set_outbox(hotline, network, recipients=())
    with pytest.raises(InvalidInput, match="1 to 168"):
        set_outbox(hotline, network, hours=0)
    with pytest.raises(InvalidInput, match="not aggregates"):
        set_outbox(hotline, network, privacy=Privacy.AGGREGATE)
    assert folders.outbox_settings(hotline) == kept
    hotline.close()
    operator = network.session(HOTLINE_A, "olga")
    with pytest.raises(PermissionDenied):
        set_outbox(operator, network)
    with pytest.raises(PermissionDenied):
        folders.save_inbox_folder(operator, tmp_path)
    operator.close()
    # The coordinator role may send, but not full (identifying) batches.
    coordinator = network.session(HOTLINE_A, "dana")
    with pytest.raises(PermissionDenied):
        set_outbox(coordinator, network, privacy=Privacy.FULL)
    coordinator.close()


def test_the_schedule_says_when_the_outbox_is_due(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    assert not folders.outbox_due(hotline, NOW, closing=True)  # nothing set up
    set_outbox(hotline, network, schedule=Schedule.AT_CLOSE)
    assert folders.outbox_due(hotline, NOW, closing=True)
    assert not folders.outbox_due(hotline, NOW)
    set_outbox(hotline, network, schedule=Schedule.HOURS, hours=6)
    assert folders.outbox_due(hotline, NOW)  # never written yet
    assert folders.export_to_outbox(hotline, NOW) == []  # nothing to send: no batch
    assert list(network.outbox.iterdir()) == []
    assert not folders.outbox_due(hotline, NOW + dt.timedelta(hours=5, minutes=59))
    assert folders.outbox_due(hotline, NOW + dt.timedelta(hours=6))
    set_outbox(hotline, network, schedule=Schedule.OFF)
    assert not folders.outbox_due(hotline, NOW + dt.timedelta(days=30), closing=True)
    hotline.close()
    # An operator's session never writes the outbox (their role does not send batches).
    set_up = network.session(HOTLINE_A, "bakyt")
    set_outbox(set_up, network, schedule=Schedule.AT_CLOSE)
    set_up.close()
    operator = network.session(HOTLINE_A, "olga")
    assert not folders.outbox_due(operator, NOW, closing=True)
    operator.close()


def test_the_outbox_writes_only_what_is_new(network: Network) -> None:
    operator = network.session(HOTLINE_A, "olga")
    record_call(operator)
    record_call(operator, phone="+996 700 000 001")
    record_call(operator, share=False)  # never leaves
    hotline = network.session(HOTLINE_A, "bakyt")
    set_outbox(hotline, network)
    first = folders.export_to_outbox(hotline, NOW)
    assert [r.batch.counts["contacts"] for r in first] == [2]
    assert first[0].path.parent == network.outbox
    assert folders.export_to_outbox(hotline, NOW) == []  # nothing changed since
    # Saved within the same second as the last batch's newest change: still sent.
    record_call(operator, phone="+996 700 000 002")
    second = folders.export_to_outbox(hotline, NOW)
    assert [(r.batch.sequence, r.batch.counts["contacts"]) for r in second] == [(2, 1)]
    assert sorted(p.name for p in network.outbox.iterdir()) == sorted(
        r.path.name for r in first + second
    )
    operator.close()
    hotline.close()


def test_a_missing_outbox_folder_is_named(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    set_outbox(hotline, network)
    network.outbox.rmdir()
    with pytest.raises(InvalidInput, match="Is the drive connected"):
        folders.export_to_outbox(hotline, NOW)
    hotline.close()


def age(path: Path) -> None:
    """Make ``path`` look settled (written a minute ago)."""
    old = path.stat().st_mtime - 60
    os.utime(path, (old, old))


def test_a_round_trip_through_one_shared_folder(network: Network) -> None:
    """Hotline A's outbox is the coordinator's inbox (one synced folder)."""
    operator = network.session(HOTLINE_A, "olga")
    record_call(operator)
    operator.close()
    hotline = network.session(HOTLINE_A, "bakyt")
    set_outbox(hotline, network)
    [sent] = folders.export_to_outbox(hotline, NOW)
    coordinator = network.session(COORDINATOR, "dana")
    folders.save_inbox_folder(coordinator, network.outbox)
    # Still arriving: left for the next scan.
    assert folders.scan_inbox(coordinator) == []
    age(sent.path)
    (network.outbox / "half.hlbatch.partial").write_bytes(b"HLBATCH")
    assert folders.scan_inbox(coordinator) == [sent.path]
    [outcome] = folders.import_inbox(coordinator)
    assert outcome.result is not None and outcome.result.status is Status.IMPORTED
    assert outcome.result.outcome["added"] == 1
    assert outcome.receipt is not None and outcome.receipt.parent == network.outbox / "receipts"
    assert sent.path.exists()  # imported files stay; the ledger knows them
    assert folders.scan_inbox(coordinator) == []
    assert folders.import_inbox(coordinator) == []
    coordinator.close()
    # Back at the hotline: the receipt is read once.
    assert hotline.db is not None
    [read] = folders.read_outbox_receipts(hotline)
    assert read.error is None and read.batch is not None and read.batch.receipt_at is not None
    assert repo.sent_batch(hotline.db, sent.batch.batch_id).receipt is not None  # type: ignore[union-attr]
    assert folders.read_outbox_receipts(hotline) == []
    hotline.close()


def test_rejected_files_are_moved_aside_and_others_left_alone(network: Network) -> None:
    inbox = network.root / "inbox"
    inbox.mkdir()
    coordinator = network.session(COORDINATOR, "dana")
    folders.save_inbox_folder(coordinator, inbox)
    operator = network.session(HOTLINE_B, "olga")
    record_call(operator, phone="+7 701 123 45 67")
    operator.close()
    sana = network.session(HOTLINE_B, "bakyt")
    set_outbox(sana, network, folder=inbox)
    [good] = folders.export_to_outbox(sana, NOW)
    sana.close()
    broken = inbox / "broken.hlbatch"
    data = bytearray(good.path.read_bytes())
    data[-10] ^= 0xFF
    broken.write_bytes(bytes(data))
    empty = inbox / "empty.hlbatch"
    empty.write_bytes(b"")
    for path in (good.path, broken, empty):
        age(path)
    outcomes = {o.path.name: o for o in folders.import_inbox(coordinator)}
    assert set(outcomes) == {good.path.name, "broken.hlbatch", "empty.hlbatch"}
    assert outcomes[good.path.name].result is not None
    for name in ("broken.hlbatch", "empty.hlbatch"):
        rejected = outcomes[name]
        assert rejected.result is None and rejected.error
        assert rejected.moved_to == inbox / "rejected" / name
        assert rejected.moved_to.exists() and not (inbox / name).exists()
    assert "empty" in (outcomes["empty.hlbatch"].error or "")
    assert folders.scan_inbox(coordinator, settle_seconds=0) == []
    # A rejected file can be imported by hand from "rejected" later (here: still rejected).
    with pytest.raises(Exception, match="changed or damaged"):
        importing.import_file(coordinator, inbox / "rejected" / "broken.hlbatch")
    coordinator.close()


def test_batches_for_another_office_are_not_touched(network: Network) -> None:
    """A batch in the folder that is addressed elsewhere stays where it is."""
    operator = network.session(HOTLINE_A, "olga")
    record_call(operator)
    operator.close()
    hotline = network.session(HOTLINE_A, "bakyt")
    set_outbox(hotline, network)
    [sent] = folders.export_to_outbox(hotline, NOW)
    hotline.close()
    age(sent.path)
    other = network.session(HOTLINE_B, "bakyt")
    folders.save_inbox_folder(other, network.outbox)
    assert folders.scan_inbox(other) == []
    assert folders.import_inbox(other) == []
    assert sent.path.exists()
    other.close()


def test_resolving_a_conflict_is_audited_once(network: Network) -> None:
    from hotline.audit import AuditAction

    operator = network.session(HOTLINE_A, "olga")
    record_call(operator)
    operator.close()
    hotline = network.session(HOTLINE_A, "bakyt")
    set_outbox(hotline, network)
    [sent] = folders.export_to_outbox(hotline, NOW)
    hotline.close()
    coordinator = network.session(COORDINATOR, "dana")
    importing.import_file(coordinator, sent.path)
    # Make a conflict: the coordinator's copy changes, then the same version arrives again
    # inside a new batch number (a re-sent period batch).
    coordinator.db.execute("UPDATE contacts SET source_hash = 'x'")
    hotline = network.session(HOTLINE_A, "bakyt")
    today = dt.date.today()
    from tests.unit.exchange_support import send

    again = send(hotline, network, since=today - dt.timedelta(days=2), until=today)
    hotline.close()
    result = importing.import_file(coordinator, again.path)
    assert result.outcome["conflicts"] >= 1
    [conflict, *_rest] = repo.conflicts(coordinator.db)
    importing.resolve_conflict(coordinator, conflict.id, "settled")
    assert conflict.id not in [c.id for c in repo.conflicts(coordinator.db)]
    with pytest.raises(InvalidInput):
        importing.resolve_conflict(coordinator, conflict.id, "settled")
    actions = [
        r[0]
        for r in coordinator.db.query(
            "SELECT action FROM audit_log WHERE action = ?", (AuditAction.CONFLICT_RESOLVED,)
        )
    ]
    assert len(actions) == 1
    coordinator.close()
    operator = network.session(COORDINATOR, "admin")
    with pytest.raises(PermissionDenied):
        importing.resolve_conflict(operator, conflict.id, "settled")
    operator.close()
