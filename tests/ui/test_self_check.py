"""``hotline-desk --self-check`` in-process: all checks pass here, a broken bundle is named."""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hotline import self_check
from hotline.paths import default_data_dir
from ui import self_check as ui_self_check
from ui.app import main


def test_self_check_passes_and_leaves_nothing_behind(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    assert main(["--self-check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [name for name, _check in ui_self_check.all_checks()]
    assert [line.split(":")[0] for line in lines[1:-2]] == [f"ok   {name}" for name in names]
    assert "encrypted-database" in names and "referral-slip" in names
    assert lines[-2] == f"Self-check passed: {len(names)} checks."
    assert list(scratch.iterdir()) == []  # the throwaway installation is gone
    assert not default_data_dir().exists()  # the real data folder was never created


def test_a_bundle_without_its_data_fails_and_names_the_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A frozen bundle whose spec forgot resources/ and locales/: sys._MEIPASS is empty.
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    out = io.StringIO()
    code = ui_self_check.run(
        out,
        lambda: [
            ("resources", self_check.check_resources),
            ("translations", self_check.check_translations),
        ],
    )
    lines = out.getvalue().splitlines()
    assert code == 1
    assert lines[1].startswith(f"FAIL resources: missing: {tmp_path}")
    assert lines[2].startswith("FAIL translations: compiled catalogues missing:")
    assert lines[3] == "Self-check FAILED: resources, translations"
