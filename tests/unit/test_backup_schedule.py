"""Start-up check on sign-in, scheduled backups with rotation, restore-and-compare, the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest

from hotline import audit
from hotline.errors import DatabaseUnreadable, InvalidInput, KnownError, PermissionDenied
from hotline.model.contact import Contact
from hotline.paths import DataDir
from hotline.services import backup_schedule as bs
from hotline.services import integrity, maintenance
from hotline.services import session as session_service
from hotline.services.backup_schedule import Frequency
from hotline.services.session import Session
from hotline.store.connection import integrity_problems
from hotline.store.repositories import contacts as contacts_repo
from tests.conftest import ADMIN, ADMIN_PASSWORD, PASSWORDS, sign_in
from tests.unit import supervision_data

NOW = dt.datetime(2026, 4, 10, 9, 30, tzinfo=dt.UTC)
ORG = "KG-TEST"


def files_of(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "stick" / "backups"
    path.mkdir(parents=True)
    return path


@pytest.fixture
def scheduled(admin: Session, folder: Path) -> Session:
    bs.set_schedule(admin, folder, Frequency.DAILY, 3)
    return admin


def add_calls(data_dir: DataDir, contacts: list[Contact]) -> None:
    session = sign_in(data_dir, "bakyt")
    try:
        with session.db.transaction():
            for contact in contacts:
                contacts_repo.insert(session.db, contact, True)
    finally:
        session.close()


def references(data_dir: DataDir) -> list[str]:
    session = sign_in(data_dir, "bakyt")
    try:
        return [str(r[0]) for r in session.db.query("SELECT reference FROM contacts ORDER BY 1")]
    finally:
        session.close()


# --- start-up check ----------------------------------------------------------------------


def test_damaged_page_stops_sign_in_names_backups_and_changes_no_file(
    data_dir: DataDir, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = sign_in(data_dir, "bakyt")
    supervision_data.insert(seeded.db, supervision_data.generate(200, seed=3))
    seeded.close()
    admin = sign_in(data_dir, ADMIN)
    bs.set_schedule(admin, folder, Frequency.DAILY, 14)
    first = bs.back_up_now(admin, NOW).path
    second = bs.back_up_now(admin, NOW + dt.timedelta(days=1)).path
    admin.close()
    data = bytearray(data_dir.database.read_bytes())
    pages = len(data) // 4096
    assert pages > 20
    page = pages * 2 // 3  # a page of call records, not read at sign-in
    for i in range(16):
        data[page * 4096 + 1500 + i] ^= 0xA5
    data_dir.database.write_bytes(bytes(data))
    before = files_of(data_dir.root)

    with pytest.raises(DatabaseUnreadable) as raised:
        session_service.login(data_dir, ADMIN, ADMIN_PASSWORD)
    text = str(raised.value)
    assert "is damaged" in text and "HMAC" in text
    assert "has not changed it" in text
    assert str(folder) in text
    # newest first
    assert text.index(second.name) < text.index(first.name)
    assert files_of(data_dir.root) == before

    # The check is what stops it: without it, this damaged database lets people sign in.
    monkeypatch.setattr(integrity, "quick_check_problem", lambda db: "")
    session_service.login(data_dir, ADMIN, ADMIN_PASSWORD).close()


def damage_a_call_page(data_dir: DataDir) -> None:
    seeded = sign_in(data_dir, "bakyt")
    supervision_data.insert(seeded.db, supervision_data.generate(200, seed=3))
    seeded.close()
    data = bytearray(data_dir.database.read_bytes())
    page = len(data) // 4096 * 2 // 3  # a page of call records, not read at sign-in
    for i in range(16):
        data[page * 4096 + 1500 + i] ^= 0xA5
    data_dir.database.write_bytes(bytes(data))


def test_a_large_database_is_checked_after_sign_in_and_damage_stops_the_next_one(
    data_dir: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    damage_a_call_page(data_dir)
    monkeypatch.setattr(integrity, "SIGN_IN_CHECK_BYTES", 0)  # every database is "large"
    session = sign_in(data_dir, ADMIN)  # sign-in does not read every page any more
    assert integrity.background_check_due(session.db, data_dir)
    problem = integrity.BackgroundCheck(data_dir, session.key).run()
    session.close()
    assert problem and "HMAC" in problem
    assert integrity.alert_path(data_dir).exists()
    # The alert makes the next sign-in check in full, whatever the size: refused, unchanged.
    before = files_of(data_dir.root)
    with pytest.raises(DatabaseUnreadable, match="is damaged"):
        session_service.login(data_dir, ADMIN, ADMIN_PASSWORD)
    assert files_of(data_dir.root) == before


def test_a_clean_background_check_is_remembered_and_clears_an_old_alert(
    data_dir: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(integrity, "SIGN_IN_CHECK_BYTES", 0)
    integrity.record_result(data_dir, "HMAC verification failed for page 9")
    session = sign_in(data_dir, ADMIN)  # the alert forces the full check: clean, so removed
    assert not integrity.alert_path(data_dir).exists()
    assert integrity.background_check_due(session.db, data_dir)
    assert integrity.BackgroundCheck(data_dir, session.key).run() == ""
    integrity.mark_checked(session.db, now=NOW)
    later = NOW + dt.timedelta(hours=19)
    assert not integrity.background_check_due(session.db, data_dir, now=later)
    assert integrity.background_check_due(session.db, data_dir, now=later + dt.timedelta(hours=2))
    session.close()


def test_a_cancelled_background_check_concludes_nothing(admin: Session, data_dir: DataDir) -> None:
    check = integrity.BackgroundCheck(data_dir, admin.key)
    check.cancel()
    assert check.run() is None
    assert not integrity.alert_path(data_dir).exists()


def test_damage_message_when_the_backup_folder_is_unplugged(
    data_dir: DataDir, scheduled: Session, folder: Path
) -> None:
    scheduled.close()
    folder.rename(folder.with_name("elsewhere"))
    message = bs.damaged_error(data_dir, "HMAC verification failed for page 9")
    assert "cannot be found" in str(message) and str(folder) in str(message)


def test_quick_check_runs_on_a_sound_database(admin: Session) -> None:
    assert integrity.quick_check_problem(admin.db) == ""


# --- schedule ------------------------------------------------------------------------------


def test_schedule_is_stored_and_checked(admin: Session, folder: Path, data_dir: DataDir) -> None:
    assert bs.get_schedule(admin) == bs.Schedule(None, Frequency.OFF, 14, None)
    bs.set_schedule(admin, folder, Frequency.WEEKLY, 5)
    assert bs.get_schedule(admin) == bs.Schedule(folder, Frequency.WEEKLY, 5, None)
    assert bs.noted_folder(data_dir) == folder
    with pytest.raises(InvalidInput):
        bs.set_schedule(admin, folder, Frequency.DAILY, 0)
    with pytest.raises(InvalidInput):
        bs.set_schedule(admin, Path("relative/dir"), Frequency.DAILY, 3)
    with pytest.raises(InvalidInput):
        bs.set_schedule(admin, folder / "missing", Frequency.DAILY, 3)
    with pytest.raises(InvalidInput):
        bs.set_schedule(admin, None, Frequency.DAILY, 3)
    operator = sign_in(data_dir, "olga")
    try:
        with pytest.raises(PermissionDenied):
            bs.set_schedule(operator, folder, Frequency.DAILY, 3)
        with pytest.raises(PermissionDenied):
            bs.back_up_now(operator, NOW)
    finally:
        operator.close()


def test_due_daily_and_weekly(scheduled: Session) -> None:
    assert bs.backup_due(scheduled, NOW)
    assert bs.run_scheduled_backup(scheduled, NOW) is not None
    assert not bs.backup_due(scheduled, NOW + dt.timedelta(hours=1))
    assert bs.run_scheduled_backup(scheduled, NOW + dt.timedelta(hours=1)) is None
    assert bs.backup_due(scheduled, NOW + dt.timedelta(days=1))
    folder = bs.get_schedule(scheduled).folder
    bs.set_schedule(scheduled, folder, Frequency.WEEKLY, 3)
    assert not bs.backup_due(scheduled, NOW + dt.timedelta(days=6))
    assert bs.backup_due(scheduled, NOW + dt.timedelta(days=7))
    bs.set_schedule(scheduled, folder, Frequency.OFF, 3)
    assert not bs.backup_due(scheduled, NOW + dt.timedelta(days=70))


def test_rotation_keeps_n_and_touches_nothing_else(scheduled: Session, folder: Path) -> None:
    others = {
        "notes.txt": b"not ours",
        "hotline-KG-OTHER-20200101-0000.hlbackup": b"another hotline",
        "hotline-KG-TEST-20200101-0000.hlbackup.partial": b"partial",
        "manual copy.hlbackup": b"by hand",
        "hotline-KG-TEST-2020-01-01.hlbackup": b"other naming",
    }
    for name, content in others.items():
        (folder / name).write_bytes(content)
    (folder / "hotline-KG-TEST-20190101-0000.hlbackup").mkdir()
    made = [bs.back_up_now(scheduled, NOW + dt.timedelta(days=d)) for d in range(5)]
    assert [r.removed for r in made[:3]] == [(), (), ()]
    assert made[3].removed == (made[0].path,)
    assert made[4].removed == (made[1].path,)
    ours = bs.list_backups(folder, ORG)
    assert [b.path for b in ours] == [r.path for r in reversed(made[2:])]
    assert ours[0].path.name == "hotline-KG-TEST-20260414-" + (
        (NOW + dt.timedelta(days=4)).astimezone().strftime("%H%M") + ".hlbackup"
    )
    for name, content in others.items():
        assert (folder / name).read_bytes() == content
    assert (folder / "hotline-KG-TEST-20190101-0000.hlbackup").is_dir()
    # Two in the same minute get distinct names.
    again = bs.back_up_now(scheduled, NOW + dt.timedelta(days=4))
    assert again.path.name.endswith("-2.hlbackup")
    entries = [e for e in audit.recent(scheduled.db) if e.action == "backup.created"]
    assert len(entries) == 6 and all(json.loads(e.details) == {"kind": "now"} for e in entries)


def test_unplugged_folder_is_a_clear_error_and_nothing_is_deleted(
    scheduled: Session, folder: Path
) -> None:
    for d in range(3):
        bs.back_up_now(scheduled, NOW + dt.timedelta(days=d))
    kept = files_of(folder)
    last = bs.get_schedule(scheduled).last_at
    folder.rename(folder.with_name("unplugged"))
    with pytest.raises(KnownError) as raised:
        bs.run_scheduled_backup(scheduled, NOW + dt.timedelta(days=5))
    assert "cannot be found" in str(raised.value)
    assert "no old backup was deleted" in str(raised.value)
    folder.with_name("unplugged").rename(folder)
    assert files_of(folder) == kept
    assert bs.get_schedule(scheduled).last_at == last


# --- restore and compare ---------------------------------------------------------------------


def test_restore_from_a_scheduled_backup_brings_back_exactly_the_state_then(
    data_dir: DataDir, folder: Path
) -> None:
    calls = supervision_data.generate(12, seed=5).contacts
    add_calls(data_dir, calls[:10])
    admin = sign_in(data_dir, ADMIN)
    bs.set_schedule(admin, folder, Frequency.DAILY, 14)
    result = bs.run_scheduled_backup(admin, NOW)
    assert result is not None
    admin.close()
    supervisor = sign_in(data_dir, "bakyt")
    snapshot = [tuple(r) for r in supervisor.db.query("SELECT * FROM contacts ORDER BY id")]
    supervisor.close()
    add_calls(data_dir, calls[10:])
    assert len(references(data_dir)) == 12

    maintenance.restore(data_dir, result.path, ADMIN, ADMIN_PASSWORD)

    assert references(data_dir) == sorted(c.reference for c in calls[:10])
    supervisor = sign_in(data_dir, "bakyt")
    try:
        restored = [tuple(r) for r in supervisor.db.query("SELECT * FROM contacts ORDER BY id")]
        assert restored == snapshot
        assert integrity_problems(supervisor.db) == []
        assert audit.verify(supervisor.db).ok
        kinds = [
            json.loads(e.details).get("kind")
            for e in audit.recent(supervisor.db)
            if e.action == "backup.created"
        ]
        assert kinds == ["scheduled"]
    finally:
        supervisor.close()
    # The files replaced are kept aside, not deleted.
    assert any(p.name.startswith("replaced-") for p in data_dir.root.iterdir())


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """``hotline backups`` as an administrator runs it."""
    monkeypatch.setenv("HOTLINE_PASSWORD", ADMIN_PASSWORD)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from hotline.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_schedule_run_and_list(
    cli: None, capsys: pytest.CaptureFixture[str], data_dir: DataDir, folder: Path
) -> None:
    where = ("--data-dir", str(data_dir.root), "--user", ADMIN)
    code, out, err = run(capsys, "backups", "schedule", *where, "--folder", str(folder),
                         "--every", "daily", "--keep", "2", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {"folder": str(folder), "every": "daily", "keep": 2, "last_at": None}
    code, out, err = run(capsys, "backups", "run", *where)
    assert code == 0, err
    assert "Wrote the encrypted backup" in out
    code, out, _err = run(capsys, "backups", "run", *where)
    assert (code, out.strip()) == (0, "No backup is due.")
    made = list(folder.iterdir())
    assert len(made) == 1
    # Two more made now: the oldest goes.
    old = folder / "hotline-KG-TEST-20000101-0000.hlbackup"
    os.replace(made[0], old)
    code, out, err = run(capsys, "backups", "run", "--now", *where)
    assert code == 0, err
    code, out, err = run(capsys, "backups", "list", *where, "--json")
    assert code == 0, err
    listed = json.loads(out)
    assert len(listed) == 2 and listed[-1]["file"] == str(old)
    code, out, err = run(capsys, "backups", "run", "--now", *where)
    assert "Deleted 1 old backup" in out and old.name in out
    assert not old.exists()
    # The single backup to a file still works as before.
    code, out, err = run(capsys, "backup", "--to", str(folder / "by-hand.hlbackup"), *where)
    assert code == 0, err
    # An operator may not.
    os.environ["HOTLINE_PASSWORD"] = PASSWORDS["olga"]
    code, _out, err = run(capsys, "backups", "run", "--now", "--data-dir", str(data_dir.root),
                          "--user", "olga")  # fmt: skip
    assert code == 1 and "role does not allow" in err


def test_cli_run_with_the_stick_unplugged_fails_clearly(
    cli: None, capsys: pytest.CaptureFixture[str], data_dir: DataDir, folder: Path
) -> None:
    where = ("--data-dir", str(data_dir.root), "--user", ADMIN)
    assert run(capsys, "backups", "schedule", *where, "--folder", str(folder),
               "--every", "weekly")[0] == 0  # fmt: skip
    folder.rmdir()
    code, _out, err = run(capsys, "backups", "run", *where)
    assert code == 1
    assert "cannot be found" in err and "USB stick" in err
