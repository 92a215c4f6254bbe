"""The `hotline` command as a person or a script uses it: exit codes, messages, files."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hotline.cli import main
from hotline.paths import DataDir
from hotline.services import session as session_service
from tests.conftest import ADMIN, ADMIN_PASSWORD, PASSWORDS

ROOT = Path(__file__).resolve().parents[2]


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, password: str | None = ADMIN_PASSWORD
) -> tuple[int, str, str]:
    import os

    if password is None:
        os.environ.pop("HOTLINE_PASSWORD", None)
    else:
        os.environ["HOTLINE_PASSWORD"] = password
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_init_creates_an_encrypted_installation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "D"
    code, out, err = run(
        capsys, "init", "--data-dir", str(target), "--org-code", "KG-TEST",
        "--org-name", "Тест", "--country", "KG", "--user", "admin",
    )  # fmt: skip
    assert code == 0, err
    assert "RECOVERY KEY" in out
    database = target / "hotline.db"
    assert database.read_bytes()[:16] != b"SQLite format 3\x00"
    plain = sqlite3.connect(database)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()
    code, out, err = run(capsys, "check", "--data-dir", str(target), "--user", "admin")
    assert code == 0, err
    assert "chain intact" in out


def test_init_refuses_an_existing_installation(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir
) -> None:
    before = sha(data_dir.database)
    code, _out, err = run(
        capsys, "init", "--data-dir", str(data_dir.root), "--org-code", "KG-X",
        "--org-name", "X", "--country", "KG",
    )  # fmt: skip
    assert code == 1
    assert "already exists" in err
    assert sha(data_dir.database) == before


def test_wrong_password_exits_1_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir
) -> None:
    before = sha(data_dir.database)
    code, out, err = run(
        capsys, "check", "--data-dir", str(data_dir.root), "--user", ADMIN, password="nope nope"
    )
    assert code == 1
    assert out == ""
    assert "user name or the password is not correct" in err
    assert sha(data_dir.database) == before


def test_flipped_byte_makes_check_fail_naming_the_damage(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir
) -> None:
    data = bytearray(data_dir.database.read_bytes())
    data[len(data) // 2] ^= 0x01
    data_dir.database.write_bytes(bytes(data))
    code, _out, err = run(capsys, "check", "--data-dir", str(data_dir.root), "--user", ADMIN)
    assert code == 1
    assert "damaged" in err
    assert "hmac" in err.lower() or "malformed" in err.lower()


def test_a_changed_byte_on_any_page_makes_check_fail(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir
) -> None:
    """A 'hex editor' change anywhere (audit rows included) is caught by `check`."""
    page_size = 4096
    original = data_dir.database.read_bytes()
    pages = len(original) // page_size
    assert pages > 5
    for page in range(pages):
        data = bytearray(original)
        data[page * page_size + page_size // 2] ^= 0x20
        data_dir.database.write_bytes(bytes(data))
        code, _out, err = run(capsys, "check", "--data-dir", str(data_dir.root), "--user", ADMIN)
        assert code == 1, page
        assert "damaged" in err, page
    data_dir.database.write_bytes(original)


def test_audit_row_edited_with_the_key_makes_check_fail(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir
) -> None:
    session = session_service.login(data_dir, ADMIN, ADMIN_PASSWORD)
    session.db.execute("DROP TRIGGER audit_log_no_update")
    session.db.execute("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2")
    session.db.close()
    code, _out, err = run(capsys, "check", "--data-dir", str(data_dir.root), "--user", ADMIN)
    assert code == 1
    assert "chain breaks at entry 2" in err


def test_user_commands_are_audited(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    common = ["--data-dir", str(data_dir.root), "--user", ADMIN]
    monkeypatch.setenv("HOTLINE_NEW_PASSWORD", "new operator pw")
    assert run(capsys, "user", "add", "nurlan", "--role", "operator", *common)[0] == 0
    monkeypatch.setenv("HOTLINE_NEW_PASSWORD", "changed operator pw")
    assert run(capsys, "user", "passwd", "nurlan", *common)[0] == 0
    assert run(capsys, "user", "disable", "nurlan", *common)[0] == 0
    code, out, _err = run(capsys, "user", "list", "--json", *common)
    listed = {u["username"]: u for u in json.loads(out)}
    assert listed["nurlan"]["active"] is False
    code, out, _err = run(capsys, "audit", "--json", "--limit", "20", *common)
    entries = [e["action"] for e in json.loads(out)]
    for action in ("user.added", "user.password_changed", "user.disabled"):
        assert action in entries
    # Nothing sensitive: no password and no display name in the audit details.
    assert "changed operator pw" not in out
    code, _out, err = run(
        capsys, "check", "--data-dir", str(data_dir.root), "--user", "nurlan",
        password="changed operator pw",
    )  # fmt: skip
    assert code == 1
    assert "not correct" in err


def test_operator_is_refused_admin_commands(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTLINE_NEW_PASSWORD", "whatever pw 1")
    code, _out, err = run(
        capsys, "user", "add", "x1", "--role", "admin", "--data-dir", str(data_dir.root),
        "--user", "olga", password=PASSWORDS["olga"],
    )  # fmt: skip
    assert code == 1
    assert "role does not allow" in err


def test_backup_and_restore(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path
) -> None:
    target = tmp_path / "b.hlbackup"
    common = ["--data-dir", str(data_dir.root), "--user", ADMIN]
    assert run(capsys, "backup", "--to", str(target), *common)[0] == 0
    fresh = tmp_path / "fresh"
    code, out, err = run(capsys, "restore", str(target), "--data-dir", str(fresh), "--user", ADMIN)
    assert code == 0, err
    code, out, _err = run(
        capsys, "user", "list", "--json", "--data-dir", str(fresh), "--user", ADMIN
    )
    assert sorted(u["username"] for u in json.loads(out)) == ["admin", "bakyt", "dana", "olga"]


def test_recover_sets_a_new_admin_password(
    capsys: pytest.CaptureFixture[str],
    data_dir: DataDir,
    recovery_key: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOTLINE_RECOVERY_KEY", recovery_key.lower().replace("-", " "))
    monkeypatch.setenv("HOTLINE_NEW_PASSWORD", "back in business")
    code, _out, err = run(
        capsys, "recover", "--data-dir", str(data_dir.root), "--user", ADMIN, password=None
    )
    assert code == 0, err
    session_service.login(data_dir, ADMIN, "back in business").close()


def test_key_rotate(capsys: pytest.CaptureFixture[str], data_dir: DataDir) -> None:
    common = ["--data-dir", str(data_dir.root), "--user", ADMIN]
    assert run(capsys, "key", "rotate", *common)[0] == 0
    assert run(capsys, "check", *common)[0] == 0


def test_missing_installation_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(capsys, "check", "--data-dir", str(tmp_path / "none"), "--user", "a")
    assert code == 1
    assert "no installation" in err
    assert not (tmp_path / "none").exists()


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "frobnicate")[0] == 2
    assert run(capsys, "user", "add")[0] == 2


def test_messages_follow_the_language(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir
) -> None:
    code, _out, err = run(
        capsys, "--lang", "ru", "check", "--data-dir", str(data_dir.root), "--user", ADMIN,
        password="wrong password",
    )  # fmt: skip
    assert code == 1
    assert "Ошибка" in err or "пароль" in err


def test_installed_entry_point(tmp_path: Path) -> None:
    """The real console script, as the README runs it."""
    script = Path(sys.executable).with_name("hotline")
    done = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0
    assert done.stdout.startswith("hotline ")
    done = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0
    for command in ("init", "user", "check", "backup", "restore", "key", "recover"):
        assert command in done.stdout
