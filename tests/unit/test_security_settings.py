"""The idle lock time: 10 minutes unless an administrator sets 1 to 30; kept in the
encrypted database, audited when changed, refused (and the refusal audited) for others."""

from __future__ import annotations

import pytest

from hotline import audit
from hotline.errors import InvalidInput, PermissionDenied
from hotline.paths import DataDir
from hotline.services import security_settings
from hotline.services.security_settings import (
    DEFAULT_IDLE_LOCK_MINUTES,
    IDLE_LOCK_SETTING,
    idle_lock_minutes,
    set_idle_lock_minutes,
)
from hotline.services.session import Session
from hotline.store.repositories import settings
from tests.conftest import sign_in


def test_the_default_is_ten_minutes(admin: Session) -> None:
    assert DEFAULT_IDLE_LOCK_MINUTES == 10
    assert idle_lock_minutes(admin) == 10


@pytest.mark.parametrize("minutes", [1, 7, 30])
def test_an_administrator_sets_it_and_it_stays_set(
    admin: Session, data_dir: DataDir, minutes: int
) -> None:
    assert set_idle_lock_minutes(admin, minutes) == minutes
    admin.close()
    for name in ("olga", "admin"):  # every user reads it at sign-in
        session = sign_in(data_dir, name)
        assert idle_lock_minutes(session) == minutes
        session.close()


def test_a_change_is_audited_and_a_repeat_is_not(admin: Session) -> None:
    set_idle_lock_minutes(admin, 5)
    [entry] = audit.recent(admin.db, 1)
    assert entry.action == "organisation.edited"
    assert entry.actor == "admin"
    assert "idle_lock_minutes" in entry.details
    set_idle_lock_minutes(admin, 5)
    assert audit.recent(admin.db, 1)[0].seq == entry.seq
    assert audit.verify(admin.db).ok


@pytest.mark.parametrize("minutes", [0, -1, 31, 60 * 24])
def test_out_of_range_is_refused_with_a_clear_message(admin: Session, minutes: int) -> None:
    with pytest.raises(InvalidInput) as raised:
        set_idle_lock_minutes(admin, minutes)
    text = str(raised.value)
    assert "1 to 30 minutes" in text and str(minutes) in text
    assert settings.get(admin.db, IDLE_LOCK_SETTING) is None
    assert idle_lock_minutes(admin) == 10


def test_only_whole_minutes(admin: Session) -> None:
    for wrong in (True, 2.5, "5"):
        with pytest.raises(InvalidInput):
            set_idle_lock_minutes(admin, wrong)  # type: ignore[arg-type]
    assert settings.get(admin.db, IDLE_LOCK_SETTING) is None


@pytest.mark.parametrize("name", ["olga", "bakyt", "dana"])
def test_other_roles_may_not_change_it(data_dir: DataDir, name: str) -> None:
    session = sign_in(data_dir, name)
    try:
        with pytest.raises(PermissionDenied):
            set_idle_lock_minutes(session, 30)
        assert idle_lock_minutes(session) == 10
        [entry] = audit.recent(session.db, 1)
        assert entry.action == "permission.denied"
        assert "edit_organisation" in entry.details
    finally:
        session.close()


@pytest.mark.parametrize(
    ("stored", "read"), [("45", 30), ("0", 1), ("-3", 1), ("soon", 10), ("", 10)]
)
def test_a_stored_value_out_of_range_never_makes_the_lock_later(
    admin: Session, stored: str, read: int
) -> None:
    with admin.db.transaction():
        settings.put(admin.db, security_settings.IDLE_LOCK_SETTING, stored)
    assert idle_lock_minutes(admin) == read
