"""The benchmark suite of issue 10: measurements, their targets, and the results table.

``hotline.bench.core`` takes the measurements that need no Qt; ``ui/bench_gui.py`` (run as a
separate process) takes those that need the GUI. See docs/performance.md, "Benchmarks".
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """A limit: ``value`` in ``unit``; ``at_least`` for rates (higher is better)."""

    value: float
    unit: str
    at_least: bool = False

    def met(self, figure: float) -> bool:
        return figure >= self.value if self.at_least else figure <= self.value

    def text(self) -> str:
        return f"{'≥' if self.at_least else '≤'} {_number(self.value)} {self.unit}"


# Every target of issue 10 (at 1 M contacts, 2-core machine), in one place. Keys are the
# measurement names below; a measurement without a key has no target (shown for context).
TARGETS: dict[str, Target] = {
    "unlock to main window ready": Target(1500, "ms"),
    "new-call form ready after Ctrl+N": Target(100, "ms"),
    "call log first page shown": Target(150, "ms"),
    "call log first page (service)": Target(150, "ms"),
    "search, common Cyrillic term": Target(150, "ms"),
    "search, common Latin term": Target(150, "ms"),
    "search, rare Cyrillic term": Target(150, "ms"),
    "search, rare Latin term": Target(150, "ms"),
    "filtered query: date range + topic + risk": Target(300, "ms"),
    "statistics dashboard, one month": Target(500, "ms"),
    "statistics dashboard, all time": Target(2000, "ms"),
    "statistics, all time, topics chosen": Target(2000, "ms"),
    "export, full privacy": Target(30_000, "records/s", at_least=True),
    "export, pseudonymous": Target(30_000, "records/s", at_least=True),
    "import, full privacy": Target(20_000, "records/s", at_least=True),
    "import, pseudonymous": Target(20_000, "records/s", at_least=True),
    "import / raw insert, full privacy": Target(40, "%", at_least=True),
    "import / raw insert, pseudonymous": Target(40, "%", at_least=True),
    "referral slip PDF": Target(200, "ms"),
    "GUI peak RSS, call log open": Target(400, "MB"),
}


@dataclass(frozen=True)
class Result:
    """One measurement: every run's figure, in ``unit``."""

    name: str
    unit: str
    values: tuple[float, ...]
    note: str = ""
    by_p95: bool = False  # the target applies to the p95, not the median

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def p95(self) -> float:
        return percentile(self.values, 95)

    @property
    def target(self) -> Target | None:
        return TARGETS.get(self.name)

    def met(self) -> bool | None:
        """Whether the target is met; p95 counts where the measurement is a p95 one."""
        target = self.target
        if target is None:
            return None
        return target.met(self.p95 if self.by_p95 else self.median)


def percentile(values: tuple[float, ...] | list[float], pct: float) -> float:
    """The ``pct`` percentile by linear interpolation (the median for 50)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _number(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}".replace(",", " ")
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def table(results: list[Result]) -> str:
    """The Markdown table: measurement, runs, median, p95, target, met?"""
    lines = [
        "| measurement | runs | median | p95 | target | met? |",
        "|---|--:|--:|--:|---|:-:|",
    ]
    for r in results:
        target = r.target
        met = r.met()
        mark = "—" if met is None else ("yes" if met else "**no**")
        name = f"{r.name} ({r.note})" if r.note else r.name
        lines.append(
            f"| {name} | {len(r.values)} | {_number(r.median)} {r.unit} "
            f"| {_number(r.p95)} {r.unit} | {target.text() if target else '—'} | {mark} |"
        )
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _sqlcipher_version() -> str:
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    try:
        row = conn.execute("PRAGMA cipher_version").fetchone()
        return str(row[0]) if row else "unknown"
    finally:
        conn.close()


def machine_line(contacts: int) -> str:
    """CPU model, cores, RAM, OS, Python, SQLCipher version, contacts and date."""
    return (
        f"Machine: {_cpu_model()}, {os.cpu_count()} cores, {_ram_gb():.1f} GB RAM, "
        f"{platform.system()} {platform.release()}, Python {sys.version.split()[0]}, "
        f"SQLCipher {_sqlcipher_version()}; {contacts:,} contacts; "
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %z}."
    )
