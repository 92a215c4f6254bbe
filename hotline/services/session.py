"""Signing in: a Session is an open database plus the user who opened it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlcipher3 import dbapi2

from hotline import audit, keys, vault
from hotline.audit import AuditAction
from hotline.errors import AuthenticationFailed, BugError, DatabaseUnreadable
from hotline.i18n import _
from hotline.model.installation import Installation
from hotline.model.user import User
from hotline.paths import DataDir
from hotline.roles import Action, allowed, denied_error
from hotline.services import integrity
from hotline.store.connection import Database, damaged
from hotline.store.migrations import migrate
from hotline.store.repositories import installation as installation_repo
from hotline.store.repositories import users as users_repo


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Session:
    data_dir: DataDir
    db: Database
    user: User
    installation: Installation
    # The database key stays in memory while signed in: SQLCipher holds it anyway, and
    # the admin needs it to give a new or reset account its slot.
    key: bytes = field(repr=False)

    def require(self, action: Action) -> None:
        """Raise PermissionDenied, and audit the denial, unless the role allows ``action``."""
        if not allowed(self.user.role, action):
            audit.record(
                self.db,
                self.user.username,
                AuditAction.PERMISSION_DENIED,
                denied_action=action.value,
            )
            raise denied_error()

    def close(self, *, audited: bool = True, locked: bool = False) -> None:
        """End the session: sign-out, or a lock (the same, but audited as a lock)."""
        if audited:
            action = AuditAction.LOCK if locked else AuditAction.LOGOUT
            audit.record(self.db, self.user.username, action)
        self.db.close()


def _open_database(data_dir: DataDir, candidates: list[bytes]) -> tuple[Database, bytes]:
    from hotline.services import backup_schedule  # it uses Session: imported late

    try:
        db, key = vault.open_with_any(data_dir, candidates)
    except DatabaseUnreadable as error:
        if not candidates:  # no key at all: an account problem, not a damaged file
            raise
        raise backup_schedule.with_backups_hint(data_dir, error) from error
    # Start-up check before anything is written (no migration, no slot tidying, no audit);
    # a large database is checked in the background after sign-in instead (integrity.py).
    if integrity.check_at_sign_in(data_dir):
        problem = integrity.quick_check_problem(db)
        if problem:
            db.close()
            raise backup_schedule.damaged_error(data_dir, problem)
        integrity.record_result(data_dir, "")
    try:
        migrate(db)
        vault.settle(data_dir, key)
    except dbapi2.DatabaseError as error:
        db.close()
        raise damaged(data_dir.database, error) from error
    except BaseException:
        db.close()
        raise
    return db, key


def _profile(db: Database) -> Installation:
    inst = installation_repo.get(db)
    if inst is None:
        raise DatabaseUnreadable(_("The database has no organisation profile."))
    return inst


def login(data_dir: DataDir, username: str, password: str) -> Session:
    """Unlock with a password. Failed attempts are counted, delayed and capped per account."""
    username = username.strip().lower()
    slot_file = keys.load_slot_file(data_dir.keyslots)
    slots = slot_file.user_slots(username)
    keys.check_not_locked(slots)
    try:
        candidates = keys.unlock_with_password(slot_file, username, password)
    except AuthenticationFailed:
        if slots:
            failed = [keys.record_failure(s) for s in slots]
            keys.save_slot_file(data_dir.keyslots, slot_file.replace_slots(failed))
        raise
    failures_before = max(s.failures for s in slots)
    db, key = _open_database(data_dir, candidates)
    try:
        user = users_repo.by_username(db, username)
        if user is None or not user.active:
            raise AuthenticationFailed(_("This account is disabled."))
        if failures_before:
            fresh = keys.load_slot_file(data_dir.keyslots)
            cleared = [keys.clear_failures(s) for s in fresh.user_slots(username)]
            keys.save_slot_file(data_dir.keyslots, fresh.replace_slots(cleared))
        audit.record(
            db, username, AuditAction.LOGIN, "user", user.id, failed_attempts=failures_before
        )
        return Session(data_dir, db, user, _profile(db), key)
    except dbapi2.DatabaseError as error:
        db.close()
        raise damaged(data_dir.database, error) from error
    except BaseException:
        db.close()
        raise


def open_with_recovery_key(data_dir: DataDir, recovery_key: str) -> tuple[Database, bytes]:
    """Open the database with the recovery key (for resetting an admin's password)."""
    slot_file = keys.load_slot_file(data_dir.keyslots)
    candidates = keys.unlock_with_recovery_key(slot_file, recovery_key)
    return _open_database(data_dir, candidates)


def recovery_session(data_dir: DataDir, recovery_key: str, username: str) -> Session:
    """A session acting as admin ``username``, opened with the recovery key."""
    db, key = open_with_recovery_key(data_dir, recovery_key)
    try:
        user = users_repo.by_username(db, username.strip().lower())
        if user is None or not user.active or user.role.value != "admin":
            raise AuthenticationFailed(
                _("The recovery key can only reset the password of an active administrator.")
            )
        audit.record(db, user.username, AuditAction.LOGIN_RECOVERY, "user", user.id)
        return Session(data_dir, db, user, _profile(db), key)
    except BaseException:
        db.close()
        raise


def reopen(session: Session, key: bytes) -> None:
    """Point a session at the database again after its file was replaced (key rotation)."""
    if session.db.in_transaction:
        raise BugError("cannot reopen inside a transaction")
    db, opened = vault.open_with_any(session.data_dir, [key])
    session.db = db
    session.key = opened
