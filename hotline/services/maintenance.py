"""Integrity check, encrypted backup and restore, database key rotation."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from hotline import __version__, audit, keys, vault
from hotline.audit import AuditAction, ChainCheck
from hotline.errors import AuthenticationFailed, DatabaseUnreadable, KnownError, PermissionDenied
from hotline.fsutil import durable_replace, fsync_dir, remove_if_exists
from hotline.i18n import _
from hotline.paths import DataDir
from hotline.roles import Action, Role
from hotline.services.session import Session, reopen, utc_now
from hotline.store.connection import integrity_problems, open_encrypted
from hotline.store.migrations import check_compatible, migrate
from hotline.store.repositories import users as users_repo

BACKUP_FORMAT = "hotline-desk-backup"
BACKUP_VERSION = 1
BACKUP_SUFFIX = ".hlbackup"


@dataclass(frozen=True)
class CheckReport:
    database_problems: list[str]
    audit_chain: ChainCheck

    @property
    def ok(self) -> bool:
        return not self.database_problems and self.audit_chain.ok


def check(session: Session) -> CheckReport:
    session.require(Action.CHECK_INTEGRITY)
    report = CheckReport(integrity_problems(session.db), audit.verify(session.db))
    if not report.database_problems:
        audit.record(
            session.db,
            session.user.username,
            AuditAction.INTEGRITY_CHECKED,
            result="ok" if report.ok else "failed",
        )
    return report


# --- backup ----------------------------------------------------------------------------


def backup(session: Session, target: Path, *, kind: str = "") -> Path:
    """Write an encrypted backup: the database (same key) and the key slots, in one file.

    Any account's password valid at backup time, or the recovery key, opens it. ``kind``
    ("scheduled", "now") goes into the audit entry of backups written by the schedule.
    """
    session.require(Action.BACKUP)
    if target.exists():
        raise KnownError(_("%(path)s already exists; choose a new file name.") % {"path": target})
    if not target.parent.is_dir():
        raise KnownError(_("The folder %(path)s does not exist.") % {"path": target.parent})
    details = {"kind": kind} if kind else {}
    audit.record(session.db, session.user.username, AuditAction.BACKUP_CREATED, **details)
    copy = session.data_dir.root / "backup-copy.db"
    remove_if_exists(copy)
    partial = target.with_name(target.name + ".partial")
    try:
        session.db.export_to(copy, session.key)
        manifest = {
            "format": BACKUP_FORMAT,
            "version": BACKUP_VERSION,
            "installation_id": session.installation.id,
            "created_at": utc_now(),
            "app_version": __version__,
            "schema_version": session.db.user_version,
            "key_id": keys.key_id(session.key),
        }
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, indent=1))
            archive.write(session.data_dir.keyslots, "keyslots.json")
            archive.write(copy, "hotline.db")
        durable_replace(partial, target)
    finally:
        remove_if_exists(copy)
        remove_if_exists(partial)
    return target


@dataclass(frozen=True)
class BackupInfo:
    installation_id: str
    created_at: str
    app_version: str
    schema_version: int
    key_id: str


def _not_a_backup(path: Path) -> KnownError:
    return KnownError(
        _("%(path)s is not a Hotline Desk backup, or it is damaged.") % {"path": path},
        hint=_("Nothing was changed."),
    )


def _read_backup(path: Path) -> tuple[BackupInfo, bytes, zipfile.ZipFile]:
    damaged = _not_a_backup(path)
    try:
        archive = zipfile.ZipFile(path)
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") != BACKUP_FORMAT or manifest.get("version") != BACKUP_VERSION:
            raise damaged
        info = BackupInfo(
            installation_id=str(manifest["installation_id"]),
            created_at=str(manifest["created_at"]),
            app_version=str(manifest["app_version"]),
            schema_version=int(manifest["schema_version"]),
            key_id=str(manifest["key_id"]),
        )
        return info, archive.read("keyslots.json"), archive
    except FileNotFoundError as error:
        raise KnownError(_("There is no file %(path)s.") % {"path": path}) from error
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:
        raise damaged from error


def restore(data_dir: DataDir, source: Path, username: str, password: str) -> BackupInfo:
    """Replace the installation in ``data_dir`` with the backup ``source``.

    The person restoring must be an active administrator in the backup. The backup is
    checked completely before anything in ``data_dir`` changes; the replaced files are
    kept in a ``replaced-<time>`` folder, never deleted.
    """
    username = username.strip().lower()
    info, slot_bytes, archive = _read_backup(source)
    backup_slots = keys.parse_slot_file(slot_bytes)
    candidates = keys.unlock_with_password(backup_slots, username, password)

    data_dir.root.mkdir(parents=True, exist_ok=True)
    staged = data_dir.rekey_staging
    remove_if_exists(staged)
    try:
        with archive, archive.open("hotline.db") as packed, open(staged, "wb") as out:
            shutil.copyfileobj(packed, out)
            out.flush()
            os.fsync(out.fileno())
        key = _verify_staged(staged, candidates, username)
    except (zipfile.BadZipFile, EOFError) as error:
        remove_if_exists(staged)
        raise _not_a_backup(source) from error
    except BaseException:
        remove_if_exists(staged)
        raise

    if data_dir.database.exists():
        _set_aside_current(data_dir, username, password)
    # Every slot (current and restored) now also knows the restored key, so whichever
    # database file is in place after a crash, it opens; settle() tidies afterwards.
    current_slots = (
        keys.load_slot_file(data_dir.keyslots)
        if data_dir.keyslots.exists()
        else replace(backup_slots, slots=())
    )
    merged = replace(
        backup_slots,
        slots=tuple(keys.add_sealed_key(s, key) for s in current_slots.slots) + backup_slots.slots,
    )
    keys.save_slot_file(data_dir.keyslots, merged)
    for suffix in ("-wal", "-shm"):
        remove_if_exists(Path(str(data_dir.database) + suffix))
    durable_replace(staged, data_dir.database)

    db = open_encrypted(data_dir.database, key)
    try:
        vault.settle(data_dir, key)
        audit.record(db, username, AuditAction.RESTORED, "installation", info.installation_id)
    finally:
        db.close()
    return info


def _verify_staged(staged: Path, candidates: list[bytes], username: str) -> bytes:
    for key in candidates:
        try:
            db = open_encrypted(staged, key)
        except DatabaseUnreadable:
            continue
        try:
            check_compatible(db)
            problems = integrity_problems(db)
            if problems:
                raise DatabaseUnreadable(
                    _("The backup is damaged: %(problem)s") % {"problem": problems[0]},
                    hint=_("Nothing was changed."),
                )
            migrate(db)
            user = users_repo.by_username(db, username)
            if user is None or not user.active or user.role is not Role.ADMIN:
                raise PermissionDenied(
                    _("Only an administrator of the backed-up installation can restore it.")
                )
            return key
        finally:
            db.close()
    raise DatabaseUnreadable(
        _("The backup cannot be opened with this account."), hint=_("Nothing was changed.")
    )


def _set_aside_current(data_dir: DataDir, username: str, password: str) -> Path:
    """Copy the current files to ``replaced-<time>/`` after flushing its journal if we can."""
    try:
        slot_file = keys.load_slot_file(data_dir.keyslots)
        db, _key = vault.open_with_any(
            data_dir, keys.unlock_with_password(slot_file, username, password)
        )
        db.close()  # checkpoints the WAL into the main file
    except (AuthenticationFailed, DatabaseUnreadable):
        pass  # damaged or another account: copy it as it is, journal included
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    aside = data_dir.root / f"replaced-{stamp}"
    aside.mkdir(exist_ok=False)
    for name in ("hotline.db", "hotline.db-wal", "keyslots.json"):
        source = data_dir.root / name
        if source.exists():
            shutil.copy2(source, aside / name)
            with open(aside / name, "rb") as handle:
                os.fsync(handle.fileno())
    fsync_dir(aside)
    return aside


# --- keys ------------------------------------------------------------------------------


def rotate_key(session: Session) -> str:
    """Re-encrypt the database under a new random key; return the new key id.

    Order (each step durable before the next): encrypted copy under the new key; every slot
    gets the new key sealed beside the old; the copy replaces the database by rename; the
    old key is dropped. A kill at any moment leaves a database that some slot opens.
    """
    session.require(Action.ROTATE_KEY)
    data_dir = session.data_dir
    old_kid = keys.key_id(session.key)
    new_key = keys.new_database_key()
    remove_if_exists(data_dir.rekey_staging)
    session.db.export_to(data_dir.rekey_staging, new_key)
    vault.add_key_to_all_slots(data_dir, new_key)
    session.db.close()
    wal = Path(str(data_dir.database) + "-wal")
    if wal.exists() and wal.stat().st_size:
        # Someone else holds the database open: keep using the old key, drop the copy.
        remove_if_exists(data_dir.rekey_staging)
        reopen(session, session.key)
        vault.settle(data_dir, session.key)
        raise KnownError(
            _("Another program is using the database; close it and try again."),
            hint=_("Nothing was changed."),
        )
    remove_if_exists(wal)
    remove_if_exists(Path(str(data_dir.database) + "-shm"))
    durable_replace(data_dir.rekey_staging, data_dir.database)
    reopen(session, new_key)
    vault.settle(data_dir, new_key)
    new_kid = keys.key_id(new_key)
    audit.record(
        session.db,
        session.user.username,
        AuditAction.KEY_ROTATED,
        key_id=new_kid,
        old_key_id=old_kid,
    )
    return new_kid


def replace_recovery_key(session: Session) -> str:
    """Make a new recovery key (shown once); the old one stops working."""
    session.require(Action.ROTATE_KEY)
    path = session.data_dir.keyslots
    current = keys.load_slot_file(path)
    recovery = keys.new_recovery_key()
    slot = keys.make_recovery_slot(current.installation_id, recovery, [session.key])
    keys.save_slot_file(path, current.without(lambda s: s.kind == "recovery").with_slots([slot]))
    audit.record(session.db, session.user.username, AuditAction.RECOVERY_KEY_REPLACED)
    return recovery
