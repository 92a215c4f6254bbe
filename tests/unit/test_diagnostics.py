"""About / diagnostics on real installations: sizes, counts, last backup, last batch."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest

from hotline.exchange import importing, receipts
from hotline.i18n import set_language
from hotline.paths import DataDir
from hotline.services import backup_schedule, diagnostics
from hotline.services.backup_schedule import Frequency
from hotline.services.session import Session
from tests.conftest import ADMIN_PASSWORD, PASSWORDS, sign_in
from tests.unit.exchange_support import COORDINATOR, HOTLINE_A, Network, record_call, send


def test_a_new_installation(admin: Session) -> None:
    info = diagnostics.gather(admin)
    assert info.database_bytes > 0 and info.database_bytes == admin.data_dir.database.stat().st_size
    assert info.calls == 0 and info.fingerprint is None
    assert info.schema_version == info.schema_current
    assert dict(info.components)["SQLCipher"].startswith("4.")
    assert info.backup.last_at is None and info.backup_warning()
    # Opening About makes no exchange identity.
    assert admin.db.scalar("SELECT count(*) FROM identity") == 0
    text = diagnostics.plain_text(info)
    assert "No backup of this installation is known yet." in text
    assert "admin" not in text.split("[Program]")[1]  # the role, never the user name


def test_backup_batch_and_receipt(network: Network, tmp_path: Path) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    try:
        before = diagnostics.gather(hotline)
        assert before.exchange is not None and before.exchange.recipients == 1
        assert before.exchange_warning  # a recipient, nothing acknowledged
        record_call(hotline, phone="+996 555 987 654", name="Айгүл Асанова")
        record_call(hotline)
        folder = tmp_path / "backups"
        folder.mkdir()
        backup_schedule.set_schedule(hotline, folder, Frequency.DAILY, 3)
        made = backup_schedule.back_up_now(hotline, dt.datetime.now(dt.UTC)).path
        batch = send(hotline, network)
        info = diagnostics.gather(hotline)
        assert info.calls == 2 and info.calls_received == 0
        assert info.backup.location == made and not info.backup_warning()
        assert info.backup.last_at is not None
        assert abs(info.backup.last_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=2)
        assert info.exchange is not None and info.exchange.last_sent is not None
        assert info.exchange.last_sent.sequence == batch.batch.sequence == 1
        assert info.exchange.last_sent.recipient == f"{COORDINATOR} · Бишкек"
        assert info.exchange.last_acknowledged is None and info.exchange.waiting == 1
        assert info.fingerprint is not None
        assert info.backup_warning(info.gathered_at + dt.timedelta(days=8))

        coordinator = network.session(COORDINATOR, "dana")
        try:
            importing.import_file(coordinator, batch.path)
            receipt = receipts.write_receipt(coordinator, batch.batch.batch_id, network.root)
            received = diagnostics.gather(coordinator)
            assert received.calls == 2 and received.calls_received == 2
        finally:
            coordinator.close()
        receipts.read_receipt(hotline, receipt)
        after = diagnostics.gather(hotline)
        assert after.exchange is not None and after.exchange.last_acknowledged is not None
        assert after.exchange.last_acknowledged.sequence == 1 and after.exchange.waiting == 0
        assert not after.exchange_warning
        text = diagnostics.plain_text(after)
        for personal in ("Айгүл", "555", "bakyt", "Работодатель"):
            assert personal not in text
        assert "number 1 to KG-COORD · Бишкек" in text
    finally:
        hotline.close()


def test_an_operator_sees_no_exchange(data_dir: DataDir) -> None:
    operator = sign_in(data_dir, "olga")
    try:
        info = diagnostics.gather(operator)
        assert info.exchange is None and not info.exchange_warning
        assert "[Exchange]" not in diagnostics.plain_text(info)
        denied = operator.db.scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'permission.denied'"
        )
        assert denied == 0
    finally:
        operator.close()


def test_home_folder_is_written_as_tilde(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert diagnostics.shown_path(tmp_path / "Olga" / "data") == str(Path("~/Olga/data"))


def test_hotline_about_prints_the_plain_text(
    data_dir: DataDir, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hotline import cli, cli_diagnostics

    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "about" not in commands.choices:  # until hotline/cli.py registers it

        def command(parent, name, func, help_text):  # type: ignore[no-untyped-def]
            sub = parent.add_parser(name, help=help_text)
            cli._common(sub, top=False)
            sub.set_defaults(func=func)
            return sub

        cli_diagnostics.register(commands, command)
    monkeypatch.setenv("HOTLINE_PASSWORD", PASSWORDS["bakyt"])
    args = parser.parse_args(["about", "--data-dir", str(data_dir.root), "--user", "bakyt"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("[Program]\nHotline Desk: ")
    assert "Signed in as: Supervisor" in out and "Calls stored: 0" in out
    assert ADMIN_PASSWORD not in out


def test_relative_times_and_sizes_follow_a_language_switch() -> None:
    now = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    set_language("en")
    assert diagnostics.ago(now - dt.timedelta(days=3), now) == "3 days ago"
    english_size = diagnostics.size_text(2_800_000)
    set_language("ru")
    assert diagnostics.ago(now - dt.timedelta(days=3), now) == "3 дня назад"
    assert diagnostics.size_text(2_800_000) != english_size  # the decimal comma
