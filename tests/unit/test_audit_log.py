"""The audit log viewer's core: filters, pages, counts, who may look, and the chain check."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator

import pytest

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import InvalidInput, PermissionDenied
from hotline.model.audit_log import AuditQuery
from hotline.paths import DataDir
from hotline.services import audit_log
from hotline.services.session import Session
from tests.conftest import sign_in


@pytest.fixture
def bishkek_time() -> Iterator[None]:
    """The computer's clock in Bishkek (UTC+6, no summer time), for local days."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Bishkek"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def record_at(monkeypatch: pytest.MonkeyPatch, session: Session, at: str) -> None:
    """An entry written at UTC time ``at`` (the audit clock set back for one entry)."""
    monkeypatch.setattr(audit, "_now", lambda: at)
    audit.record(session.db, session.user.username, AuditAction.RECORD_VIEWED, "contact", "c")
    monkeypatch.undo()


def test_newest_first_in_pages_that_join_up(admin: Session) -> None:
    for _ in range(7):
        audit.record(admin.db, "admin", AuditAction.RECORD_VIEWED, "contact", "c-1")
    total = audit_log.count(admin)
    first = audit_log.search(admin, AuditQuery(limit=4))
    second = audit_log.search(admin, AuditQuery(limit=4).after(first[-1]))
    seqs = [e.seq for e in first + second]
    assert seqs == sorted(seqs, reverse=True)
    assert seqs == list(range(total, total - 8, -1))
    assert first[0].action == AuditAction.RECORD_VIEWED
    assert first[0].at is not None and first[0].at.tzinfo is not None
    everything = audit_log.search(admin, AuditQuery(limit=5000))
    assert len(everything) == total == audit.verify(admin.db).entries


def test_filtered_by_user(data_dir: DataDir, admin: Session) -> None:
    sign_in(data_dir, "olga").close()
    sign_in(data_dir, "olga").close()
    sign_in(data_dir, "dana").close()
    olga = audit_log.search(admin, AuditQuery(actor="olga"))
    assert [e.action for e in olga] == ["logout", "login", "logout", "login"]
    assert {e.actor for e in olga} == {"olga"}
    assert audit_log.count(admin, AuditQuery(actor="olga")) == 4
    assert audit_log.search(admin, AuditQuery(actor="nobody")) == []
    assert audit_log.actors(admin) == ["admin", "dana", "olga"]


def test_filtered_by_one_or_more_actions(data_dir: DataDir, admin: Session) -> None:
    sign_in(data_dir, "bakyt").close()
    audit.record(admin.db, "admin", AuditAction.BACKUP_CREATED)
    signing = audit_log.search(admin, AuditQuery(actions=("login", "logout")))
    assert {e.action for e in signing} == {"login", "logout"}
    logins = audit_log.search(admin, AuditQuery(actions=("login",)))
    logouts = audit_log.search(admin, AuditQuery(actions=("logout",)))
    assert sorted(e.seq for e in signing) == sorted(e.seq for e in logins + logouts)
    assert [e.action for e in signing[:2]] == ["logout", "login"]  # bakyt's, newest first
    [backup] = audit_log.search(admin, AuditQuery(actions=("backup.created",)))
    assert backup.actor == "admin"
    both = AuditQuery(actor="bakyt", actions=("logout",))
    assert [e.actor for e in audit_log.search(admin, both)] == ["bakyt"]


def test_filtered_by_local_days(
    monkeypatch: pytest.MonkeyPatch, admin: Session, bishkek_time: None
) -> None:
    # In Bishkek, 1 May ends at 18:00 UTC: the 20:00 UTC entry belongs to 2 May.
    record_at(monkeypatch, admin, "2024-04-30T18:00:00.000000+00:00")  # 1 May 00:00
    record_at(monkeypatch, admin, "2024-05-01T17:59:59.999999+00:00")  # 1 May 23:59
    record_at(monkeypatch, admin, "2024-05-01T18:00:00.000000+00:00")  # 2 May 00:00
    record_at(monkeypatch, admin, "2024-05-01T20:00:00.000000+00:00")  # 2 May 02:00

    def times(since: dt.date | None, until: dt.date | None) -> list[str]:
        found = audit_log.search(admin, AuditQuery(since=since, until=until))
        return [e.at_text[11:19] for e in found]

    may1, may2 = dt.date(2024, 5, 1), dt.date(2024, 5, 2)
    assert times(may1, may1) == ["17:59:59", "18:00:00"]
    assert times(may2, may2) == ["20:00:00", "18:00:00"]
    assert times(None, may1) == ["17:59:59", "18:00:00"]
    assert times(may1, may2) == ["20:00:00", "18:00:00", "17:59:59", "18:00:00"]
    assert len(times(may2, None)) > 2  # and everything written today
    assert audit_log.count(admin, AuditQuery(since=may1, until=may2)) == 4


def test_the_period_must_run_forwards() -> None:
    with pytest.raises(InvalidInput):
        AuditQuery(since=dt.date(2024, 5, 2), until=dt.date(2024, 5, 1))
    with pytest.raises(InvalidInput):
        AuditQuery(limit=0)


@pytest.mark.parametrize("name", ["olga", "dana"])
def test_operators_and_coordinators_may_not_look(
    data_dir: DataDir, admin: Session, name: str
) -> None:
    session = sign_in(data_dir, name)
    try:
        for look in (audit_log.search, audit_log.count, audit_log.actors, audit_log.verify):
            with pytest.raises(PermissionDenied):
                look(session)
    finally:
        session.close()
    refused = audit_log.search(admin, AuditQuery(actor=name, actions=("permission.denied",)))
    assert len(refused) == 4
    assert {e.details["denied_action"] for e in refused} == {"view_audit_log"}


def test_a_supervisor_may_look(data_dir: DataDir) -> None:
    session = sign_in(data_dir, "bakyt")
    try:
        [newest] = audit_log.search(session, AuditQuery(limit=1))
        assert (newest.actor, newest.action) == ("bakyt", "login")
        assert newest.details == {"failed_attempts": 0}
    finally:
        session.close()


def test_verify_is_audited_with_its_result(admin: Session) -> None:
    check = audit_log.verify(admin)
    assert check.ok
    [newest] = audit_log.search(admin, AuditQuery(limit=1))
    assert newest.action == AuditAction.INTEGRITY_CHECKED
    assert newest.details == {"result": "ok", "count": check.entries}


def test_verify_reports_a_broken_chain(admin: Session) -> None:
    admin.db.execute("DROP TRIGGER audit_log_no_update")
    admin.db.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    check = audit_log.verify(admin)
    assert not check.ok
    assert check.first_bad_seq == 3
    [newest] = audit_log.search(admin, AuditQuery(limit=1))
    assert newest.details == {"result": "failed", "count": check.entries}
    assert audit_log.search(admin, AuditQuery(actor="mallory"))[0].seq == 3


def test_an_altered_entry_still_shows(admin: Session) -> None:
    admin.db.execute("DROP TRIGGER audit_log_no_update")
    admin.db.execute("UPDATE audit_log SET at = '2020', details = 'x' WHERE seq = 2")
    [entry] = [e for e in audit_log.search(admin) if e.seq == 2]
    assert entry.at is None and entry.at_text == "2020"
    assert entry.details == {"": "x"}
