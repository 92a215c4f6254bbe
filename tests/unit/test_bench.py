"""Smoke test of the benchmark suite's core (issue 10): on a 300-call demo installation, one
run of every measurement that needs no Qt gives a table with every row and a number in each.
No timing is asserted: this checks that the bench works, not how fast the program is."""

from __future__ import annotations

import argparse
import math
import re

import pytest

from hotline import bench, cli_bench
from hotline.bench import core
from hotline.demo import generator
from hotline.paths import DataDir
from tests.conftest import ADMIN_PASSWORD, PASSWORDS, sign_in

CORE_ROWS = (
    "call log first page (service)",
    "search, common Cyrillic term",
    "search, common Latin term",
    "search, rare Cyrillic term",
    "search, rare Latin term",
    "filtered query: date range + topic + risk",
    "statistics dashboard, one month",
    "statistics dashboard, all time",
    "statistics, all time, topics chosen",
    "statistics, all time, every breakdown",
    "referral slip PDF",
    "export, full privacy",
    "import, full privacy",
    "import / raw insert, full privacy",
    "export, pseudonymous",
    "import, pseudonymous",
    "import / raw insert, pseudonymous",
    "export, aggregate",
    "import, aggregate",
    "raw SQLCipher executemany insert",
)


def test_the_core_bench_gives_every_row_with_numbers(
    data_dir: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test installation (its users have their own passwords) with 300 demo calls; the
    # bench reuses it as it would reuse a built demo installation.
    monkeypatch.setattr(core, "password", lambda user: PASSWORDS.get(user, ADMIN_PASSWORD))
    admin = sign_in(data_dir, "admin")
    try:
        generator.load(admin, 300)
    finally:
        admin.close()
    assert core.prepare(data_dir.root, 300, reuse=True, progress=lambda _t: None) == data_dir
    results = core.run_core(data_dir, 1, export_records=150, progress=lambda _t: None)

    assert [r.name for r in results] == list(CORE_ROWS)
    for r in results:
        assert r.values and all(math.isfinite(v) and v > 0 for v in r.values), r
    # Export and import really carried records (the note names how many).
    counts = [int(m.group(1)) for r in results if (m := re.search(r"^(\d+) records", r.note))]
    assert len(counts) == 4 and all(0 < n <= 150 for n in counts)

    args = argparse.Namespace(contacts=300, runs=1, exchange_runs=1, reuse=False, quick=True)
    text = cli_bench.report_text(results, core.contact_count(data_dir), args)
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + len(CORE_ROWS)  # the header and one row per measurement
    for name, row in zip(CORE_ROWS, rows[1:], strict=True):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[0].startswith(name)
        assert int(cells[1]) >= 1
        assert re.fullmatch(r"[\d .]+ (ms|records/s|%)", cells[2]), cells[2]
        assert re.fullmatch(r"[\d .]+ (ms|records/s|%)", cells[3]), cells[3]
        assert cells[5] in ("yes", "**no**", "—")
        assert (cells[4] == "—") == (bench.TARGETS.get(name) is None)
    assert "300 contacts" in text and "SQLCipher 4." in text
