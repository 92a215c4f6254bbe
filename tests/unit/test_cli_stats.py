"""`hotline stats`, `hotline calls export` and `hotline report monthly` as a script uses
them: the figures printed are the ones the statistics service computes."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from hotline.formatting import format_number
from hotline.model.call_log import CallLogFilter
from hotline.model.statistics import Dimension, Period
from hotline.paths import DataDir
from hotline.services import call_log, statistics
from hotline.statistics_labels import label
from tests.conftest import PASSWORDS, sign_in
from tests.unit.reports_support import seed_calls
from tests.unit.test_cli import run

OCTOBER = CallLogFilter(since=Period.month(2026, 10).first, until=Period.month(2026, 10).last)


@pytest.fixture
def seeded(data_dir: DataDir) -> DataDir:
    """40 calls from 1 October, 20 hours apart (into November)."""
    session = sign_in(data_dir, "bakyt")
    seed_calls(session, 40, step=dt.timedelta(hours=20))
    session.close()
    return data_dir


def as_user(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, user: str, *argv: str
) -> tuple[int, str, str]:
    return run(
        capsys, *argv, "--data-dir", str(data_dir.root), "--user", user, password=PASSWORDS[user]
    )


def test_stats_json_equals_the_statistics_service(
    capsys: pytest.CaptureFixture[str], seeded: DataDir
) -> None:
    code, out, err = as_user(
        capsys, seeded, "bakyt", "stats", "--since", "2026-10-01", "--until", "2026-10-31",
        "--by", "call_type", "topic", "--by", "caller_age_band", "--json",
    )  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    session = sign_in(seeded, "bakyt")
    try:
        assert shown["summary"] == dataclasses.asdict(statistics.summary(session, OCTOBER))
        assert shown["summary"]["contacts"] > 0
        dimensions = [Dimension.CALL_TYPE, Dimension.TOPIC, Dimension.CALLER_AGE]
        assert [b["dimension"] for b in shown["breakdowns"]] == dimensions
        for found, dimension in zip(shown["breakdowns"], dimensions, strict=True):
            expected = statistics.breakdown(session, OCTOBER, dimension)
            assert found["total"] == expected.total
            assert [(c["code"], c["count"]) for c in found["cells"]] == [
                (c.code, c.count) for c in expected.cells
            ]
    finally:
        session.close()


def test_stats_text_shows_the_same_figures_aligned(
    capsys: pytest.CaptureFixture[str], seeded: DataDir
) -> None:
    code, out, err = as_user(capsys, seeded, "dana", "stats", "--by", "risk_level")
    assert code == 0, err
    session = sign_in(seeded, "dana")
    try:
        summary = statistics.summary(session, CallLogFilter())
        found = statistics.breakdown(session, CallLogFilter(), Dimension.RISK_LEVEL)
    finally:
        session.close()
    lines = out.splitlines()
    assert lines[0] == "Summary"
    assert any(line.split("  ")[0] == "Contacts" and line.endswith(f" {summary.contacts}")
               for line in lines)  # fmt: skip
    start = lines.index("Risk level")
    table = lines[start + 2 : start + 3 + len(found.cells) + 1]
    assert table[0].startswith("Risk level") and table[0].endswith("Share (%)")
    widths = {len(line) for line in table}
    assert len(widths) == 1, table  # every line as wide: the numbers line up
    for cell in found.cells:
        text = label(Dimension.RISK_LEVEL, cell.code)
        line = next(line for line in table if line.startswith(text + " "))
        assert line.split()[-2] == format_number(cell.count)
    assert table[-1].startswith("Total") and table[-1].split()[1] == format_number(found.total)


def test_stats_split_and_compare(capsys: pytest.CaptureFixture[str], seeded: DataDir) -> None:
    code, out, err = as_user(
        capsys, seeded, "bakyt", "stats", "--by", "call_type", "--split", "caller_sex", "--json"
    )
    assert code == 0, err
    (shown,) = json.loads(out)["crosstabs"]
    session = sign_in(seeded, "bakyt")
    try:
        expected = statistics.crosstab(
            session, CallLogFilter(), Dimension.CALL_TYPE, Dimension.CALLER_SEX
        )
        assert {(c["row"], c["column"]): c["count"] for c in shown["cells"]} == expected.counts
        code, out, err = as_user(
            capsys, seeded, "bakyt", "stats", "--since", "2026-10-01", "--until", "2026-10-31",
            "--by", "call_language", "--compare", "2026-11-01..2026-11-30", "--json",
        )  # fmt: skip
        assert code == 0, err
        (compared,) = json.loads(out)["comparisons"]
        november = Period.month(2026, 11)
        expected_rows = statistics.compare(
            session, OCTOBER, Dimension.LANGUAGE, Period.month(2026, 10), november
        )
        assert [(r["code"], r["first"], r["second"]) for r in compared["rows"]] == [
            tuple(r) for r in expected_rows.rows
        ]
        assert compared["totals"] == list(expected_rows.totals)
        assert all(t > 0 for t in compared["totals"])
    finally:
        session.close()
    code, out, err = as_user(capsys, seeded, "bakyt", "stats", "--split", "caller_sex", "--csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["Summary"]
    assert ["Call type by Caller's sex"] in rows


def test_stats_usage_errors_and_roles(capsys: pytest.CaptureFixture[str], seeded: DataDir) -> None:
    code, _out, err = as_user(capsys, seeded, "bakyt", "stats", "--since", "1 Oct")
    assert code == 2
    assert "--since" in err
    code, _out, err = as_user(
        capsys, seeded, "bakyt", "stats", "--compare", "2026-11-01..2026-11-30"
    )
    assert code == 1
    assert "first and the last day" in err
    code, _out, err = as_user(capsys, seeded, "bakyt", "stats", "--call-type", "nonsense")
    assert code == 1
    assert "nonsense" in err
    code, _out, err = as_user(capsys, seeded, "olga", "stats")
    assert code == 1
    assert "does not allow" in err


def test_calls_export(capsys: pytest.CaptureFixture[str], seeded: DataDir, tmp_path: Path) -> None:
    target = tmp_path / "october.xlsx"
    code, out, err = as_user(
        capsys, seeded, "dana", "calls", "export", "--out", str(target),
        "--since", "2026-10-01", "--until", "2026-10-31", "--call-type", "missing_person",
    )  # fmt: skip
    assert code == 0, err
    sheet = openpyxl.load_workbook(target)["Calls"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    session = sign_in(seeded, "dana")
    try:
        expected = call_log.query(
            session, CallLogFilter(
                since=OCTOBER.since, until=OCTOBER.until, call_types=("missing_person",)
            ),
        ).count()  # fmt: skip
    finally:
        session.close()
    assert len(rows) == expected > 0
    assert {r[4] for r in rows} == {"Missing person"}
    assert f"Wrote {expected} calls" in out
    code, _out, err = as_user(
        capsys, seeded, "dana", "calls", "export", "--out", str(target), "--format", "csv"
    )
    assert code == 1
    assert "already exists" in err
    refused = tmp_path / "phones.csv"
    code, _out, err = as_user(
        capsys, seeded, "dana", "calls", "export", "--out", str(refused), "--with", "phone"
    )
    assert code == 1
    assert "does not allow" in err
    assert not refused.exists()
    code, _out, err = as_user(
        capsys, seeded, "bakyt", "calls", "export", "--out", str(refused), "--with", "phone",
        "--with", "notes",
    )  # fmt: skip
    assert code == 0, err
    header = next(csv.reader(io.StringIO(refused.read_text("utf-8-sig"))))
    assert header[-2:] == ["Phone number", "Notes"]
    code, _out, err = as_user(
        capsys, seeded, "bakyt", "calls", "export", "--out", str(tmp_path / "x.csv"),
        "--with", "password",
    )  # fmt: skip
    assert code == 2


def test_report_monthly_writes_a_pdf(
    capsys: pytest.CaptureFixture[str], seeded: DataDir, tmp_path: Path
) -> None:
    target = tmp_path / "october.pdf"
    code, out, err = as_user(
        capsys, seeded, "bakyt", "report", "monthly", "--month", "2026-10", "--out", str(target)
    )
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF")
    assert str(target) in out
    code, _out, err = as_user(
        capsys, seeded, "bakyt", "report", "monthly", "--month", "2026-13", "--out",
        str(tmp_path / "bad.pdf"),
    )  # fmt: skip
    assert code == 2
    assert "--month" in err
    assert not (tmp_path / "bad.pdf").exists()
