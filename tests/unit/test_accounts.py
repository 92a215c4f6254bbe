"""Accounts: sign-in, failed attempts, roles, password changes, disabling, recovery."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from hotline import audit, keys
from hotline.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidInput,
    KnownError,
    PermissionDenied,
)
from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services import session as session_service
from hotline.services import users
from hotline.services.session import Session
from tests.conftest import ADMIN, ADMIN_PASSWORD, PASSWORDS, sign_in


def actions(session: Session) -> list[str]:
    return [row.action for row in audit.recent(session.db, 1000)]


def slots_json(data_dir: DataDir) -> dict[str, list[dict[str, object]]]:
    body = json.loads(data_dir.keyslots.read_bytes())
    result: dict[str, list[dict[str, object]]] = {}
    for slot in body["slots"]:
        result.setdefault(slot["username"] or "<recovery>", []).append(slot)
    return result


@pytest.mark.parametrize("name", sorted(PASSWORDS))
def test_every_role_can_sign_in(data_dir: DataDir, name: str) -> None:
    session = sign_in(data_dir, name)
    assert session.user.username == name
    assert session.installation.org_name == "Тест"
    session.close()


def test_wrong_password_is_counted_then_delayed(data_dir: DataDir) -> None:
    before = data_dir.database.read_bytes()
    for _ in range(keys.FREE_ATTEMPTS + 1):
        with pytest.raises(AuthenticationFailed):
            session_service.login(data_dir, "olga", "not the password")
    assert data_dir.database.read_bytes() == before
    with pytest.raises(AccountLocked) as locked:
        session_service.login(data_dir, "olga", PASSWORDS["olga"])
    assert locked.value.retry_after and locked.value.retry_after > 0


def test_lockout_after_100_failures_until_admin_unlocks(data_dir: DataDir, admin: Session) -> None:
    slot_file = keys.load_slot_file(data_dir.keyslots)
    (slot,) = slot_file.user_slots("olga")
    nearly = replace(slot, failures=keys.LOCKOUT_AFTER - 1)
    keys.save_slot_file(data_dir.keyslots, slot_file.replace_slots([nearly]))
    with pytest.raises(AuthenticationFailed):
        session_service.login(data_dir, "olga", "wrong again")
    assert users.is_locked(admin, "olga")
    with pytest.raises(AccountLocked, match="administrator"):
        session_service.login(data_dir, "olga", PASSWORDS["olga"])
    users.unlock_user(admin, "olga")
    assert "user.unlocked" in actions(admin)
    session = sign_in(data_dir, "olga")
    session.close()


def test_successful_login_records_earlier_failures(data_dir: DataDir) -> None:
    with pytest.raises(AuthenticationFailed):
        session_service.login(data_dir, "olga", "not the password")
    session = sign_in(data_dir, "olga")
    last = audit.recent(session.db, 1)[0]
    assert last.action == "login"
    assert json.loads(last.details) == {"failed_attempts": 1}
    session.close()
    assert users.failed_attempts(sign_in(data_dir, ADMIN), "olga") == 0


def test_password_change_rewraps_only_that_slot(data_dir: DataDir, admin: Session) -> None:
    before = slots_json(data_dir)
    olga = sign_in(data_dir, "olga")
    users.change_password(olga, "olga", "a brand new secret")
    olga.close()
    after = slots_json(data_dir)
    assert after["olga"] != before["olga"]
    for name in before:
        if name != "olga":
            assert after[name] == before[name]
    with pytest.raises(AuthenticationFailed):
        session_service.login(data_dir, "olga", PASSWORDS["olga"])
    session_service.login(data_dir, "olga", "a brand new secret").close()
    assert "user.password_changed" in actions(admin)


def test_operator_cannot_manage_users_and_the_denial_is_audited(data_dir: DataDir) -> None:
    olga = sign_in(data_dir, "olga")
    with pytest.raises(PermissionDenied):
        users.add_user(olga, "eve", Role.ADMIN, "eve password 1")
    with pytest.raises(PermissionDenied):
        users.change_password(olga, ADMIN, "taken over!!")
    assert actions(olga).count("permission.denied") == 2
    olga.close()


def test_disable_removes_the_slot_and_refuses_sign_in(data_dir: DataDir, admin: Session) -> None:
    users.disable_user(admin, "olga")
    assert "olga" not in slots_json(data_dir)
    with pytest.raises(AuthenticationFailed):
        session_service.login(data_dir, "olga", PASSWORDS["olga"])
    assert "user.disabled" in actions(admin)
    users.enable_user(admin, "olga", "welcome back 1")
    session_service.login(data_dir, "olga", "welcome back 1").close()


def test_last_admin_cannot_be_disabled_or_demoted(admin: Session) -> None:
    with pytest.raises(KnownError, match="only active administrator"):
        users.disable_user(admin, ADMIN)
    with pytest.raises(KnownError, match="only active administrator"):
        users.set_role(admin, ADMIN, Role.OPERATOR)
    users.set_role(admin, "bakyt", Role.ADMIN)
    users.set_role(admin, ADMIN, Role.SUPERVISOR)
    assert "user.role_changed" in actions(admin)


def test_add_user_validates_input(admin: Session) -> None:
    with pytest.raises(InvalidInput, match="too short"):
        users.add_user(admin, "newbie", Role.OPERATOR, "short")
    with pytest.raises(InvalidInput, match="user name"):
        users.add_user(admin, "Айгүл", Role.OPERATOR, "long enough password")
    with pytest.raises(InvalidInput, match="already taken"):
        users.add_user(admin, "OLGA", Role.OPERATOR, "long enough password")
    added = users.add_user(admin, "Newbie", Role.OPERATOR, "long enough password", "Нурлан")
    assert added.username == "newbie"
    assert added.display_name == "Нурлан"


def test_recovery_key_resets_an_admin_password(data_dir: DataDir, recovery_key: str) -> None:
    session = session_service.recovery_session(data_dir, recovery_key, ADMIN)
    users.change_password(session, ADMIN, "recovered password")
    assert "login.recovery" in actions(session)
    session.close()
    with pytest.raises(AuthenticationFailed):
        session_service.login(data_dir, ADMIN, ADMIN_PASSWORD)
    session_service.login(data_dir, ADMIN, "recovered password").close()


def test_recovery_key_cannot_act_as_an_operator(data_dir: DataDir, recovery_key: str) -> None:
    with pytest.raises(AuthenticationFailed):
        session_service.recovery_session(data_dir, recovery_key, "olga")
