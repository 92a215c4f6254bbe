"""Key slots, the recovery key and the failed-login policy."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from hotline import keys
from hotline.errors import AccountLocked, AuthenticationFailed, DatabaseUnreadable, InvalidInput

INSTALLATION = "2f4c7f9e-0000-4000-8000-000000000001"


@pytest.fixture
def database_key() -> bytes:
    return keys.new_database_key()


def test_password_slot_unwraps_the_database_key(database_key: bytes) -> None:
    slot = keys.make_user_slot(INSTALLATION, "olga", "пароль оператора", [database_key])
    slot_file = keys.SlotFile(INSTALLATION, (slot,))
    assert keys.unlock_with_password(slot_file, "olga", "пароль оператора") == [database_key]
    with pytest.raises(AuthenticationFailed):
        keys.unlock_with_password(slot_file, "olga", "пароль оператора!")
    with pytest.raises(AuthenticationFailed):
        keys.unlock_with_password(slot_file, "nobody", "пароль оператора")


def test_argon2id_parameters_meet_the_promise(database_key: bytes) -> None:
    slot = keys.make_user_slot(INSTALLATION, "olga", "long enough pw", [database_key])
    assert slot.kdf is not None
    assert slot.kdf.memory_kib >= 64 * 1024
    assert slot.kdf.iterations >= 3
    saved = json.loads(keys.slot_file_bytes(keys.SlotFile(INSTALLATION, (slot,))))
    assert saved["slots"][0]["kdf"]["algorithm"] == "argon2id"
    assert database_key.hex() not in json.dumps(saved)


def test_slot_is_bound_to_its_user_name(database_key: bytes) -> None:
    slot = keys.make_user_slot(INSTALLATION, "olga", "long enough pw", [database_key])
    stolen = replace(slot, username="admin")
    with pytest.raises(AuthenticationFailed):
        keys.unlock_with_password(keys.SlotFile(INSTALLATION, (stolen,)), "admin", "long enough pw")


def test_rotation_adds_a_key_without_the_password(database_key: bytes) -> None:
    slot = keys.make_user_slot(INSTALLATION, "olga", "long enough pw", [database_key])
    second = keys.new_database_key()
    both = keys.add_sealed_key(slot, second)
    found = keys.unlock_with_password(
        keys.SlotFile(INSTALLATION, (both,)), "olga", "long enough pw"
    )
    assert found == [database_key, second]
    only_new = keys.keep_only_key(both, keys.key_id(second))
    assert keys.unlock_with_password(
        keys.SlotFile(INSTALLATION, (only_new,)), "olga", "long enough pw"
    ) == [second]


def test_recovery_key_round_trip_and_typos(database_key: bytes) -> None:
    recovery = keys.new_recovery_key()
    groups = recovery.split("-")
    assert len(groups) == 8
    assert all(len(g) == 5 for g in groups)
    slot_file = keys.SlotFile(
        INSTALLATION, (keys.make_recovery_slot(INSTALLATION, recovery, [database_key]),)
    )
    relaxed = " ".join(groups).lower()
    assert keys.unlock_with_recovery_key(slot_file, relaxed) == [database_key]
    typo = ("A" if recovery[0] != "A" else "B") + recovery[1:]
    with pytest.raises(InvalidInput, match="not a valid recovery key"):
        keys.unlock_with_recovery_key(slot_file, typo)
    with pytest.raises(AuthenticationFailed):
        keys.unlock_with_recovery_key(slot_file, keys.new_recovery_key())


def test_retry_delay_grows_and_is_capped() -> None:
    delays = [keys.retry_delay(n) for n in range(1, 20)]
    assert delays[: keys.FREE_ATTEMPTS] == [0.0] * keys.FREE_ATTEMPTS
    assert delays[keys.FREE_ATTEMPTS] > 0
    assert delays == sorted(delays)
    assert max(delays) == keys.MAX_DELAY_SECONDS


def test_failures_delay_then_lock(database_key: bytes) -> None:
    slot = keys.make_user_slot(INSTALLATION, "olga", "long enough pw", [database_key])
    now = 1000.0
    for _ in range(keys.FREE_ATTEMPTS):
        slot = keys.record_failure(slot, now)
    keys.check_not_locked([slot], now)
    slot = keys.record_failure(slot, now)
    with pytest.raises(AccountLocked) as waiting:
        keys.check_not_locked([slot], now)
    assert waiting.value.retry_after == pytest.approx(keys.retry_delay(keys.FREE_ATTEMPTS + 1))
    keys.check_not_locked([slot], now + 61)
    slot = replace(slot, failures=keys.LOCKOUT_AFTER - 1)
    slot = keys.record_failure(slot, now)
    assert slot.locked
    with pytest.raises(AccountLocked, match="administrator") as locked:
        keys.check_not_locked([slot], now + 10_000)
    assert locked.value.retry_after is None
    keys.check_not_locked([keys.clear_failures(slot)], now)


@pytest.mark.parametrize("content", [b"", b"{}", b"[1,2]", b'{"format": 99}', b"\xff\xfe"])
def test_damaged_slot_file_is_a_clear_error(content: bytes) -> None:
    with pytest.raises(DatabaseUnreadable, match="key slot file is damaged"):
        keys.parse_slot_file(content)


def test_concurrent_derivations_take_turns() -> None:
    """Two threads deriving at once made OpenSSL's Argon2id fail or hang; now they queue."""
    from concurrent.futures import ThreadPoolExecutor

    params = keys.KdfParams.fresh()
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _i: params.derive("same password"), range(6)))
    assert len(set(results)) == 1
