"""The database's start-up check: at sign-in while it is cheap, in the background once large.

``PRAGMA quick_check`` reads every page, so SQLCipher checks every page's HMAC: damage on
disk is found before anything is written. It costs about 13 ms per MB (3 s for 100 000
calls), which a sign-in cannot afford on a large installation. So:

- a database of up to ``SIGN_IN_CHECK_BYTES`` is checked at every sign-in, as before;
- a larger one is checked in the background after sign-in, on its own connection, when the
  last complete check is older than ``CHECK_EVERY``;
- a background check that finds damage leaves an alert file next to the database
  (``integrity-alert``, holding only the time and SQLite's message). While it is there,
  every sign-in runs the full check again first, whatever the size, and so refuses the
  damaged database and offers the backups. A later clean check (after a restore) removes it.

Damage therefore cannot dodge the check: it is found at the next sign-in on a small
database, and within a day of use plus one sign-in on a large one. Between checks SQLCipher
still refuses any damaged page the moment it is read.
"""

from __future__ import annotations

import contextlib
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlcipher3 import dbapi2

from hotline.fsutil import atomic_write, remove_if_exists
from hotline.paths import DataDir
from hotline.store.connection import Database, open_encrypted
from hotline.store.repositories import settings

SIGN_IN_CHECK_BYTES = 48 * 1024 * 1024  # about 0.6 s of checking on the project's PC
CHECK_EVERY = timedelta(hours=20)
CHECKED_AT_SETTING = "integrity.checked_at"
ALERT_FILE = "integrity-alert"


def quick_check_problem(db: Database) -> str:
    """SQLite's quick check (every page read, so SQLCipher checks each page's HMAC too):
    "" if the database is sound, else the first problem."""
    try:
        rows = [str(r[0]) for r in db.query("PRAGMA quick_check")]
        if rows == ["ok"]:
            return ""
    except dbapi2.DatabaseError as error:
        rows = [str(error)]
    # Damage on disk usually fails a page's HMAC: that names it best.
    try:
        hmac = [str(r[0]) for r in db.query("PRAGMA cipher_integrity_check")]
    except dbapi2.DatabaseError:
        hmac = []
    # SQLite puts many findings in one row, one a line, after "*** in database main ***".
    lines = [line for row in hmac + rows for line in row.splitlines() if not line.startswith("***")]
    return (lines or ["?"])[0][:200]


def alert_path(data_dir: DataDir) -> Path:
    return data_dir.root / ALERT_FILE


def database_bytes(data_dir: DataDir) -> int:
    total = 0
    for path in (data_dir.database, data_dir.wal):
        with contextlib.suppress(FileNotFoundError):
            total += path.stat().st_size
    return total


def check_at_sign_in(data_dir: DataDir) -> bool:
    """Whether sign-in must run the full check before anything else touches the database."""
    return alert_path(data_dir).exists() or database_bytes(data_dir) <= SIGN_IN_CHECK_BYTES


def record_result(data_dir: DataDir, problem: str) -> None:
    """Leave the alert for the next sign-in, or remove it after a clean check."""
    if problem:
        found = datetime.now(UTC).isoformat(timespec="seconds")
        text = json.dumps({"found_at": found, "problem": problem}, ensure_ascii=False)
        atomic_write(alert_path(data_dir), text.encode("utf-8"))
    else:
        remove_if_exists(alert_path(data_dir))


def background_check_due(db: Database, data_dir: DataDir, *, now: datetime | None = None) -> bool:
    """After sign-in: is a background check needed (large database, last check too old)?"""
    if check_at_sign_in(data_dir):
        return False  # sign-in has just checked it
    stored = settings.get(db, CHECKED_AT_SETTING)
    if stored is None:
        return True
    try:
        checked = datetime.fromisoformat(stored)
    except ValueError:
        return True
    return (now or datetime.now(UTC)) - checked >= CHECK_EVERY


def mark_checked(db: Database, *, now: datetime | None = None) -> None:
    """Remember a clean complete check (the background check's result, in the GUI thread)."""
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    with db.transaction():
        settings.put(db, CHECKED_AT_SETTING, stamp)


class BackgroundCheck:
    """The full check on a connection of its own; ``cancel`` stops it from another thread.

    ``run`` returns "" (sound), the problem found (also left as the alert), or None when it
    was cancelled or could not run (nothing is concluded then).
    """

    def __init__(self, data_dir: DataDir, key: bytes) -> None:
        self.data_dir = data_dir
        self._key = key
        self._db: Database | None = None
        self._lock = threading.Lock()
        self._cancelled = False

    def run(self) -> str | None:
        with self._lock:
            if self._cancelled:
                return None
            try:
                self._db = open_encrypted(self.data_dir.database, self._key)
            except Exception as error:  # damaged beyond opening: that is a finding too
                problem = str(error)[:200]
                record_result(self.data_dir, problem)
                return problem
        try:
            problem = quick_check_problem(self._db)
        finally:
            with self._lock:
                checker, self._db = self._db, None
            # A reader: no checkpoint (that is the working connection's job), and not under
            # the lock, which cancel() takes from the GUI thread.
            checker.close(checkpoint=False)
        if self._cancelled or "interrupted" in problem:
            return None
        record_result(self.data_dir, problem)
        return problem

    def cancel(self) -> None:
        """Stop a running check at once (sign-out, lock, quit); safe from any thread."""
        with self._lock:
            self._cancelled = True
            if self._db is not None:
                self._db.interrupt()
