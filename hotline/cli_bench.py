"""``hotline bench``: the benchmark suite of issue 10 on a demo installation it builds (or
reuses), printed as a Markdown table with the machine it ran on.

Registered by :func:`hotline.cli.build_parser` through :func:`register`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hotline.i18n import _

Command = Callable[[Any, str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]

QUICK_EXPORT_RECORDS = 2_000
DEFAULT_DIR = "build/bench/data"


def register(commands: Any, command: Command) -> None:
    """Add ``hotline bench`` to the top-level ``commands``."""
    bench = command(
        commands, "bench", cmd_bench,
        _("measure the program's speed on a demo installation (issue 10's targets)"),
    )  # fmt: skip
    bench.add_argument(
        "--contacts", type=int, default=1_000_000, metavar="N",
        help=_("how many demo calls the installation holds (default: 1000000)"),
    )  # fmt: skip
    bench.add_argument(
        "--reuse", action="store_true",
        help=_("use the installation already in the data folder instead of building one"),
    )  # fmt: skip
    bench.add_argument(
        "--runs", type=int, default=5, metavar="N",
        help=_("how many times each measurement is taken (default: 5)"),
    )  # fmt: skip
    bench.add_argument(
        "--exchange-runs", type=int, default=1, metavar="N",
        help=_("how many times the export and import of 100 000 records are taken "
               "(default: 1; each takes minutes)"),
    )  # fmt: skip
    bench.add_argument(
        "--output", metavar="FILE", help=_("also write the results table to this file")
    )
    bench.add_argument(
        "--quick", action="store_true",
        help=_("one run, a small export and no GUI measurements (a check that it works)"),
    )  # fmt: skip


def cmd_bench(args: argparse.Namespace) -> int:
    from hotline.bench import core
    from hotline.cli import UsageError

    if args.contacts < 1 or args.runs < 1 or args.exchange_runs < 1:
        raise UsageError(_("--contacts, --runs and --exchange-runs must be at least 1."))
    runs = 1 if args.quick else args.runs

    def progress(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    data_dir = core.prepare(Path(args.data_dir or DEFAULT_DIR), args.contacts, reuse=args.reuse,
                            progress=progress)  # fmt: skip
    records = QUICK_EXPORT_RECORDS if args.quick else core.EXPORT_RECORDS
    results = core.run_core(
        data_dir, runs, export_records=records, exchange_runs=args.exchange_runs,
        progress=progress,
    )  # fmt: skip
    if not args.quick:
        results = core.run_gui(data_dir, runs, progress=progress) + results
    report = report_text(results, core.contact_count(data_dir), args)
    print(report)
    if args.output:
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(report + "\n", encoding="utf-8")
    return 0


def report_text(results: list[Any], contacts: int, args: argparse.Namespace) -> str:
    from hotline import bench

    command = "hotline bench " + " ".join(
        part
        for part in (
            f"--contacts {args.contacts}",
            f"--runs {args.runs}",
            f"--exchange-runs {args.exchange_runs}",
            "--reuse" if args.reuse else "",
            "--quick" if args.quick else "",
        )
        if part
    )
    return "\n".join(
        [bench.table(results), "", bench.machine_line(contacts), f"Command: `{command}`"]
    )
