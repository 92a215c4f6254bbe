"""The files of one installation: opening the database through key slots, and tidying
up after an operation that was interrupted (key rotation, restore).

Invariant that makes every multi-file change crash-safe: ``hotline.db`` is only ever
replaced by an atomic rename, and before that rename every slot already holds the key of
the incoming file as well as the key of the current one. Whichever file is in place, some
sealed key opens it; ``settle`` then drops what is no longer needed.
"""

from __future__ import annotations

from dataclasses import replace

from hotline import keys
from hotline.errors import DatabaseUnreadable
from hotline.fsutil import remove_if_exists
from hotline.i18n import _
from hotline.paths import DataDir
from hotline.store.connection import Database, open_encrypted


def open_with_any(data_dir: DataDir, candidates: list[bytes]) -> tuple[Database, bytes]:
    """Open the database with whichever candidate key fits; fail closed otherwise."""
    failure: DatabaseUnreadable | None = None
    for key in candidates:
        try:
            return open_encrypted(data_dir.database, key), key
        except DatabaseUnreadable as error:
            failure = error
    if failure is None:
        failure = DatabaseUnreadable(
            _("No key in this account opens the database."),
            hint=_("Ask an administrator to set a new password for this account."),
        )
    raise failure


def settle(data_dir: DataDir, key: bytes) -> None:
    """After a successful open with ``key``: drop stale staging files and sealed keys."""
    remove_if_exists(data_dir.rekey_staging)
    keys.remove_stale_tmp(data_dir.keyslots)
    current = keys.load_slot_file(data_dir.keyslots)
    kid = keys.key_id(key)
    kept = tuple(keys.keep_only_key(s, kid) for s in current.slots if kid in s.key_ids())
    if kept != current.slots:
        keys.save_slot_file(data_dir.keyslots, replace(current, slots=kept))


def add_key_to_all_slots(data_dir: DataDir, new_key: bytes) -> keys.SlotFile:
    current = keys.load_slot_file(data_dir.keyslots)
    updated = replace(current, slots=tuple(keys.add_sealed_key(s, new_key) for s in current.slots))
    keys.save_slot_file(data_dir.keyslots, updated)
    return updated
