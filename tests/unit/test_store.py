"""The encrypted store: fails closed, applies its PRAGMAs, migrates, transacts."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from hotline.errors import DatabaseMissing, DatabaseUnreadable, SchemaTooNew
from hotline.keys import new_database_key
from hotline.store.connection import integrity_problems, open_encrypted
from hotline.store.migrations import (
    all_migrations,
    current_version,
    encode_version,
    migrate,
    split_statements,
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, bytes]:
    path = tmp_path / "x.db"
    key = new_database_key()
    db = open_encrypted(path, key, create=True)
    migrate(db)
    with db.transaction():
        db.execute("INSERT INTO settings (name, value) VALUES ('canary', 'Айгүл oʻgʻil')")
    db.close()
    return path, key


def test_file_is_encrypted_and_unreadable_by_plain_sqlite(made: tuple[Path, bytes]) -> None:
    path, _key = made
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    assert "Айгүл".encode() not in path.read_bytes()
    plain = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT * FROM sqlite_master").fetchall()
    plain.close()


def test_pragmas_are_applied(made: tuple[Path, bytes]) -> None:
    path, key = made
    db = open_encrypted(path, key)
    try:
        assert db.scalar("PRAGMA journal_mode") == "wal"
        assert db.scalar("PRAGMA synchronous") == 2  # FULL
        assert db.scalar("PRAGMA foreign_keys") == 1
        assert db.scalar("PRAGMA secure_delete") == 1
        assert db.scalar("PRAGMA temp_store") == 2  # MEMORY
        assert db.scalar("PRAGMA cipher_memory_security") == "1"
    finally:
        db.close()


def test_wrong_key_fails_closed_and_changes_nothing(made: tuple[Path, bytes]) -> None:
    path, _key = made
    before = digest(path)
    with pytest.raises(DatabaseUnreadable, match="key does not match"):
        open_encrypted(path, new_database_key())
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.db"]


def test_missing_file_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissing):
        open_encrypted(tmp_path / "none.db", new_database_key())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [b"", b"not a database at all" * 100, bytes(range(256)) * 64],
    ids=["empty", "text", "random"],
)
def test_non_database_files_are_refused_unchanged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseUnreadable):
        open_encrypted(path, new_database_key())
    assert path.read_bytes() == content


def test_plaintext_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    plain = sqlite3.connect(path)
    plain.execute("CREATE TABLE t (x)")
    plain.commit()
    plain.close()
    before = digest(path)
    with pytest.raises(DatabaseUnreadable, match="unencrypted"):
        open_encrypted(path, new_database_key())
    assert digest(path) == before


def test_flipped_byte_in_the_first_page_is_named_as_damage(made: tuple[Path, bytes]) -> None:
    path, key = made
    data = bytearray(path.read_bytes())
    data[100] ^= 0x55
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnreadable, match="damaged: HMAC verification failed for page 1"):
        open_encrypted(path, key)
    # A wrong key is not mistaken for damage.
    with pytest.raises(DatabaseUnreadable, match="key does not match"):
        open_encrypted(path, new_database_key())


def test_flipped_byte_in_a_later_page_is_reported_by_the_check(made: tuple[Path, bytes]) -> None:
    path, key = made
    # Fill the end of the file with rows, so the byte flipped is in a page the opening
    # does not read (the schema's pages are read at once).
    db = open_encrypted(path, key)
    with db.transaction():
        db.execute("CREATE TABLE filler (x BLOB)")
        db.executemany("INSERT INTO filler VALUES (?)", [(bytes(4000),) for _ in range(8)])
    db.close()
    data = bytearray(path.read_bytes())
    data[-2000] ^= 0x55
    path.write_bytes(bytes(data))
    db = open_encrypted(path, key)
    try:
        problems = integrity_problems(db)
    finally:
        db.close()
    assert any("HMAC verification failed" in p for p in problems)


def test_transaction_rolls_back_on_error(made: tuple[Path, bytes]) -> None:
    path, key = made
    db = open_encrypted(path, key)
    try:
        with pytest.raises(RuntimeError), db.transaction():
            db.execute("INSERT INTO settings (name, value) VALUES ('a', '1')")
            raise RuntimeError("boom")
        assert db.scalar("SELECT count(*) FROM settings WHERE name = 'a'") == 0
        with db.transaction():
            db.execute("INSERT INTO settings (name, value) VALUES ('b', '1')")
            with pytest.raises(RuntimeError), db.transaction():
                db.execute("INSERT INTO settings (name, value) VALUES ('c', '1')")
                raise RuntimeError("inner")
        names = {r[0] for r in db.query("SELECT name FROM settings")}
        assert "b" in names
        assert "c" not in names
    finally:
        db.close()


def test_migrations_set_user_version(made: tuple[Path, bytes]) -> None:
    path, key = made
    db = open_encrypted(path, key)
    try:
        assert db.user_version == current_version()
        assert migrate(db) == 0
    finally:
        db.close()


def test_newer_major_version_is_refused_unchanged(made: tuple[Path, bytes]) -> None:
    path, key = made
    db = open_encrypted(path, key)
    db.set_user_version(encode_version(99, len(all_migrations())))
    db.close()
    before = digest(path)
    db = open_encrypted(path, key)
    try:
        with pytest.raises(SchemaTooNew, match="newer version"):
            migrate(db)
    finally:
        db.close()
    assert digest(path) == before


def test_newer_minor_version_is_accepted(made: tuple[Path, bytes]) -> None:
    path, key = made
    db = open_encrypted(path, key)
    try:
        major = current_version() // 1000
        db.set_user_version(encode_version(major, len(all_migrations()) + 3))
        assert migrate(db) == 0
    finally:
        db.close()


def test_split_statements_keeps_triggers_whole() -> None:
    sql = """
    -- comment
    CREATE TABLE a (x);
    CREATE TRIGGER t BEFORE DELETE ON a
    BEGIN
        SELECT RAISE(ABORT, 'no');
    END;
    CREATE INDEX i ON a (x);
    """
    statements = split_statements(sql)
    assert len(statements) == 3
    assert "RAISE" in statements[1]
