"""Integrity check, encrypted backup and restore, key rotation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hotline import keys
from hotline.errors import AuthenticationFailed, DatabaseUnreadable, KnownError, PermissionDenied
from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services import maintenance, users
from hotline.services import session as session_service
from hotline.services.session import Session
from hotline.store.connection import open_encrypted
from tests.conftest import ADMIN, ADMIN_PASSWORD, PASSWORDS, sign_in

CANARIES = ("Тест", "Айгүл Администратор", "Бишкек")


def assert_no_canaries(path: Path) -> None:
    data = path.read_bytes()
    for canary in CANARIES:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert canary.encode(encoding) not in data, (canary, encoding, path)


def usernames(session: Session) -> list[str]:
    return [u.username for u in users.list_users(session)]


def test_check_reports_a_healthy_installation(admin: Session) -> None:
    report = maintenance.check(admin)
    assert report.ok
    assert report.audit_chain.entries > 0


def test_backup_is_encrypted_and_restores_into_an_empty_folder(
    admin: Session, tmp_path: Path
) -> None:
    target = maintenance.backup(admin, tmp_path / "b.hlbackup")
    admin.close()
    assert_no_canaries(target)
    fresh = DataDir(tmp_path / "elsewhere")
    maintenance.restore(fresh, target, ADMIN, ADMIN_PASSWORD)
    restored = sign_in(fresh, "olga")
    assert restored.installation.org_name == "Тест"
    assert maintenance.check(restored).ok
    restored.close()
    admin_again = sign_in(fresh, ADMIN)
    assert usernames(admin_again) == ["admin", "bakyt", "dana", "olga"]
    admin_again.close()


def test_restore_replaces_newer_data_and_keeps_the_old_files(
    data_dir: DataDir, admin: Session, tmp_path: Path
) -> None:
    target = maintenance.backup(admin, tmp_path / "b.hlbackup")
    users.add_user(admin, "later", Role.OPERATOR, "added after backup")
    admin.close()
    maintenance.restore(data_dir, target, ADMIN, ADMIN_PASSWORD)
    session = sign_in(data_dir, ADMIN)
    assert "later" not in usernames(session)
    assert maintenance.check(session).ok
    session.close()
    with pytest.raises(AuthenticationFailed):
        session_service.login(data_dir, "later", "added after backup")
    aside = [p for p in data_dir.root.iterdir() if p.name.startswith("replaced-")]
    assert len(aside) == 1
    assert (aside[0] / "hotline.db").exists()
    assert not data_dir.rekey_staging.exists()


def test_only_an_admin_of_the_backup_may_restore(
    data_dir: DataDir, admin: Session, tmp_path: Path
) -> None:
    target = maintenance.backup(admin, tmp_path / "b.hlbackup")
    admin.close()
    before = data_dir.database.read_bytes()
    with pytest.raises(PermissionDenied):
        maintenance.restore(data_dir, target, "olga", PASSWORDS["olga"])
    with pytest.raises(AuthenticationFailed):
        maintenance.restore(data_dir, target, ADMIN, "wrong password")
    assert data_dir.database.read_bytes() == before
    assert not data_dir.rekey_staging.exists()


@pytest.mark.parametrize("damage", ["truncate", "flip", "not-a-zip"])
def test_damaged_backup_changes_nothing(
    data_dir: DataDir, admin: Session, tmp_path: Path, damage: str
) -> None:
    target = maintenance.backup(admin, tmp_path / "b.hlbackup")
    admin.close()
    data = bytearray(target.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) - 30_000] ^= 0xFF  # inside the database member
    else:
        data = bytearray(b"hello" * 100)
    target.write_bytes(bytes(data))
    before = data_dir.database.read_bytes()
    with pytest.raises(KnownError):
        maintenance.restore(data_dir, target, ADMIN, ADMIN_PASSWORD)
    assert data_dir.database.read_bytes() == before
    sign_in(data_dir, ADMIN).close()


def test_backup_refuses_to_overwrite(admin: Session, tmp_path: Path) -> None:
    target = tmp_path / "b.hlbackup"
    target.write_bytes(b"precious")
    with pytest.raises(KnownError, match="already exists"):
        maintenance.backup(admin, target)
    assert target.read_bytes() == b"precious"


def test_operator_cannot_back_up(data_dir: DataDir, tmp_path: Path) -> None:
    olga = sign_in(data_dir, "olga")
    with pytest.raises(PermissionDenied):
        maintenance.backup(olga, tmp_path / "b.hlbackup")
    olga.close()


def test_key_rotation_keeps_every_account_working(data_dir: DataDir, admin: Session) -> None:
    old_key = admin.key
    old_copy = data_dir.root.parent / "old.db"
    shutil.copy(data_dir.database, old_copy)
    new_kid = maintenance.rotate_key(admin)
    assert new_kid != keys.key_id(old_key)
    assert maintenance.check(admin).ok
    admin.close()
    with pytest.raises(DatabaseUnreadable):
        open_encrypted(data_dir.database, old_key)
    for name in PASSWORDS:
        session = sign_in(data_dir, name)
        assert keys.key_id(session.key) == new_kid
        session.close()
    slot_file = keys.load_slot_file(data_dir.keyslots)
    assert all(s.key_ids() == {new_kid} for s in slot_file.slots)
    assert not data_dir.rekey_staging.exists()


def test_removed_slot_cannot_open_a_rotated_database(data_dir: DataDir, admin: Session) -> None:
    stolen = keys.load_slot_file(data_dir.keyslots)  # olga keeps a copy, then leaves
    users.disable_user(admin, "olga")
    maintenance.rotate_key(admin)
    admin.close()
    old_keys = keys.unlock_with_password(stolen, "olga", PASSWORDS["olga"])
    for key in old_keys:
        with pytest.raises(DatabaseUnreadable):
            open_encrypted(data_dir.database, key)


def test_new_recovery_key_replaces_the_old(
    data_dir: DataDir, admin: Session, recovery_key: str
) -> None:
    fresh = maintenance.replace_recovery_key(admin)
    admin.close()
    with pytest.raises(AuthenticationFailed):
        session_service.recovery_session(data_dir, recovery_key, ADMIN)
    session_service.recovery_session(data_dir, fresh, ADMIN).close()
