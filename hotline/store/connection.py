"""Open an SQLCipher database with a raw key, fail closed, run work in transactions."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeAlias

import sqlcipher3
from sqlcipher3 import dbapi2

from hotline.directory_search import fold
from hotline.errors import BugError, DatabaseMissing, DatabaseUnreadable
from hotline.i18n import _

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
PAGE_SIZE = 4096  # SQLCipher 4 default
# sqlcipher3 has no type hints: rows are sqlite3.Row-like (index by name or position).
Row: TypeAlias = Any
Params = Sequence[Any] | dict[str, Any]

# Applied after the key, in this order (ARCHITECTURE.md).
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
)


# SQLCipher wipes every piece of memory it frees, so no page or key lingers in a memory dump.
# The setting is for the whole process and cannot be turned off once on. Only a process that
# writes nothing but invented data (``hotline demo`` making a new installation) turns it
# off, before its first connection: loading then runs about five times faster.
_memory_security = True


def without_memory_security_for_invented_data() -> None:
    """For ``hotline demo`` on a new installation only: call before any connection opens."""
    global _memory_security
    _memory_security = False


def _memory_security_pragma() -> str:
    return f"PRAGMA cipher_memory_security = {'ON' if _memory_security else 'OFF'}"


def key_pragma_value(key: bytes) -> str:
    if len(key) != 32:
        raise BugError("database keys are 32 bytes")
    return f"\"x'{key.hex()}'\""


def _fold_or_empty(value: object) -> str:
    return fold(value) if isinstance(value, str) else ""


class Database:
    """One connection to an open, unlocked database."""

    def __init__(self, connection: Any, path: Path) -> None:
        self._conn = connection
        self.path = path
        self._depth = 0
        # Search folding for free-text filters (case, diacritics, Cyrillic/Latin spelling).
        connection.create_function("fold", 1, _fold_or_empty, deterministic=True)

    # -- queries -------------------------------------------------------------------
    def execute(self, sql: str, params: Params = ()) -> Any:
        return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Params]) -> Any:
        return self._conn.executemany(sql, rows)

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        return list(self._conn.execute(sql, params).fetchall())

    def one(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = self._conn.execute(sql, params).fetchone()
        return row

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self._conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- transactions --------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """Commit on success, roll back on any exception; nested calls use savepoints."""
        if self._depth == 0:
            self._conn.execute("BEGIN IMMEDIATE")
        else:
            self._conn.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield self
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("ROLLBACK")
            else:
                self._conn.execute(f"ROLLBACK TO sp{self._depth}")
                self._conn.execute(f"RELEASE sp{self._depth}")
            raise
        else:
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("COMMIT")
            else:
                self._conn.execute(f"RELEASE sp{self._depth}")

    @property
    def closed(self) -> bool:
        return self._conn is None

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    # -- schema version ------------------------------------------------------------
    @property
    def user_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))

    def set_user_version(self, version: int) -> None:
        # PRAGMA takes no parameters; the value is an int we computed, never user text.
        self._conn.execute(f"PRAGMA user_version = {int(version)}")

    # -- maintenance ---------------------------------------------------------------
    def export_to(self, target: Path, key: bytes) -> None:
        """Write a complete encrypted copy of this database to ``target`` under ``key``."""
        if target.exists():
            raise BugError(f"refusing to overwrite {target}")
        version = self.user_version
        self._conn.execute(
            f"ATTACH DATABASE ? AS export KEY {key_pragma_value(key)}", (str(target),)
        )
        try:
            self._conn.execute("SELECT sqlcipher_export('export')")
            self._conn.execute(f"PRAGMA export.user_version = {int(version)}")
        finally:
            self._conn.execute("DETACH DATABASE export")

    def interrupt(self) -> None:
        """Make the statement running on this connection stop (from any thread)."""
        if self._conn is not None:
            self._conn.interrupt()

    def checkpoint(self) -> None:
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self, *, checkpoint: bool = True) -> None:
        if self._conn is not None:
            if checkpoint:
                with contextlib.suppress(dbapi2.Error):
                    self.checkpoint()
            self._conn.close()
            self._conn = None


def _unreadable(path: Path) -> DatabaseUnreadable:
    return DatabaseUnreadable(
        _("The database %(path)s cannot be opened: the key does not match or the file is damaged.")
        % {"path": path},
        hint=_("Nothing was changed. If the file is damaged, restore it from a backup."),
    )


def _precheck_existing(path: Path) -> None:
    if not path.exists():
        raise DatabaseMissing(_("There is no database at %(path)s.") % {"path": path})
    with open(path, "rb") as handle:
        header = handle.read(16)
    if not header:
        raise DatabaseUnreadable(
            _("The database file %(path)s is empty.") % {"path": path},
            hint=_("Nothing was changed. Restore the installation from a backup."),
        )
    if header == SQLITE_PLAIN_HEADER:
        raise DatabaseUnreadable(
            _("The file %(path)s is an unencrypted SQLite database; it will not be used.")
            % {"path": path},
            hint=_("Hotline Desk only opens encrypted databases."),
        )


def open_encrypted(path: Path, key: bytes, *, create: bool = False) -> Database:
    """Open (or, with ``create``, make) the database at ``path`` with the raw ``key``.

    Fails closed: a missing, empty, plaintext, damaged or wrongly keyed file raises a
    ``KnownError`` and is left exactly as it was; nothing new is ever created in its place.
    """
    if create:
        if path.exists():
            raise BugError(f"refusing to create over an existing file: {path}")
        mode = "rwc"
    else:
        _precheck_existing(path)
        mode = "rw"
    uri = path.resolve().as_uri() + f"?mode={mode}"
    try:
        conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except dbapi2.Error as error:
        raise _unreadable(path) from error
    conn.row_factory = dbapi2.Row
    try:
        # SQLCipher would print every failed page check to stderr; our errors say it better.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {key_pragma_value(key)}")
        # PRAGMA key never fails by itself: the first read is what tells.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for pragma in (_memory_security_pragma(), *_PRAGMAS):
            conn.execute(pragma).fetchall()
    except dbapi2.DatabaseError as error:
        damage = _damaged_pages(conn, path)
        conn.close()
        if damage:
            raise DatabaseUnreadable(
                _("The database %(path)s is damaged: %(detail)s")
                % {"path": path, "detail": damage},
                hint=_("Nothing was changed. Restore the installation from a backup."),
            ) from error
        raise _unreadable(path) from error
    return Database(conn, path)


def _damaged_pages(conn: Any, path: Path) -> str:
    """Tell damage from a wrong key: with the right key only some pages fail their HMAC;
    with a wrong key every page does."""
    try:
        rows = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    except dbapi2.Error:
        return ""
    pages = max(1, path.stat().st_size // PAGE_SIZE)
    problems = [str(r[0]) for r in rows]
    if not problems or len(problems) >= pages:
        return ""
    return "; ".join(problems[:3])


def damaged(path: Path, error: Exception) -> DatabaseUnreadable:
    """The error for a database that opened but failed while being read or written."""
    return DatabaseUnreadable(
        _("The database %(path)s is damaged (%(detail)s).") % {"path": path, "detail": error},
        hint=_("Run “hotline check”, and restore the installation from a backup."),
    )


def integrity_problems(db: Database) -> list[str]:
    """Run SQLCipher's page HMAC check and SQLite's integrity check; list what is wrong."""
    problems: list[str] = []
    try:
        for row in db.query("PRAGMA cipher_integrity_check"):
            problems.append(str(row[0]))
    except dbapi2.DatabaseError as error:
        problems.append(str(error))
    try:
        rows = [str(r[0]) for r in db.query("PRAGMA integrity_check")]
        if rows != ["ok"]:
            problems.extend(rows)
    except dbapi2.DatabaseError as error:
        problems.append(str(error))
    return problems
