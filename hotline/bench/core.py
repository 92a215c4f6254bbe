"""The measurements that need no Qt, through the real services, on a demo installation.

``prepare`` builds (or reuses) the demo installation; ``run_core`` measures search, filtered
queries, statistics, the first page of the log, export/import and the referral slip;
``run_gui`` starts ``ui/bench_gui.py`` in its own process and reads its results.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hotline.bench import Result
from hotline.demo import installation, phrases
from hotline.exchange import exporting, importing, partners
from hotline.exchange.exporting import ExportRequest
from hotline.exchange.records import Privacy
from hotline.model.call_log import CallLogFilter
from hotline.model.statistics import Dimension
from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services import call_log, directory, setup, statistics, users
from hotline.services.session import Session, login
from hotline.slips import SlipRequest, render_slip
from hotline.store.connection import open_encrypted
from hotline.store.repositories import contacts as contacts_repo

SUPERVISOR = "bakyt"
COORDINATOR = "dana"
EXPORT_RECORDS = 100_000
# Search terms from the demo's phrase pools (hotline/demo/phrases.py): words every few calls
# carry, and agency names about one call in 500 carries (phrases.RARE).
COMMON_CYRILLIC = "паспорт"
COMMON_LATIN = "pasporti"
RARE_CYRILLIC = "Нурлы-Сапар"
RARE_LATIN = "Hamroh Invest"
assert RARE_CYRILLIC in phrases.RARE and RARE_LATIN in phrases.RARE


def password(user: str) -> str:
    """Every account of a demo installation has the same password: $HOTLINE_PASSWORD or the
    demo default."""
    return os.environ.get("HOTLINE_PASSWORD") or installation.DEFAULT_PASSWORD


def prepare(
    root: Path, contacts: int, *, reuse: bool, progress: Callable[[str], None] = print
) -> DataDir:
    """The demo installation in ``root``: reused if asked and present, else built anew.

    It is built by ``hotline demo`` in a process of its own: that process holds invented data
    only and loads without SQLCipher's memory wiping, while this one, which measures, keeps
    the settings of every real connection."""
    data_dir = DataDir(root)
    if reuse and data_dir.database.exists():
        progress(f"Reusing the installation in {root}.")
        return data_dir
    if data_dir.database.exists():
        shutil.rmtree(root)
    progress(f"Building {contacts:,} demo contacts in {root} (this takes a while)…")
    env = dict(os.environ, HOTLINE_PASSWORD=password(installation.ADMIN))
    command = [sys.executable, "-m", "hotline.cli", "demo", "--contacts", str(contacts)]
    subprocess.run([*command, "--data-dir", str(root), "--seed", "1"], check=True, env=env)
    return data_dir


def _ms(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def _repeat(runs: int, work: Callable[[], object], warm: bool = True) -> tuple[float, ...]:
    if warm:
        work()  # the first run fills the page cache: runs measure a working program
    return tuple(_ms(work) for _ in range(runs))


def contact_count(data_dir: DataDir) -> int:
    session = login(data_dir, SUPERVISOR, password(SUPERVISOR))
    try:
        return int(session.db.scalar("SELECT count(*) FROM contacts"))
    finally:
        session.close()


def _queries(session: Session, runs: int) -> list[Result]:
    results: list[Result] = []

    def first_page(filter: CallLogFilter) -> Callable[[], object]:
        def work() -> object:
            q = call_log.query(session, filter)
            return q.count(), q.page()

        return work

    results.append(
        Result(
            "call log first page (service)",
            "ms",
            _repeat(runs, first_page(CallLogFilter())),
            note="count + 200 rows",
        )
    )
    terms = (
        ("search, common Cyrillic term", COMMON_CYRILLIC),
        ("search, common Latin term", COMMON_LATIN),
        ("search, rare Cyrillic term", RARE_CYRILLIC),
        ("search, rare Latin term", RARE_LATIN),
    )
    for name, term in terms:
        values = _repeat(max(runs, 5) if runs > 1 else 1, first_page(CallLogFilter(text=term)))
        results.append(Result(name, "ms", values, note=f"“{term}”, p95", by_p95=True))
    last = session.db.scalar("SELECT max(started_at) FROM contacts")
    today = dt.date.fromisoformat(str(last)[:10]) if last else dt.date.today()
    year_ago = today - dt.timedelta(days=365)
    filtered = CallLogFilter(
        since=year_ago, until=today, topics=("WORK",), risk_levels=("high", "urgent")
    )
    results.append(
        Result(
            "filtered query: date range + topic + risk", "ms",
            _repeat(runs, first_page(filtered)), note="1 year, WORK, high/urgent",
        )
    )  # fmt: skip
    month = CallLogFilter(since=today.replace(day=1), until=today)
    shown = statistics.DASHBOARD_DIMENSIONS[:1]  # what the window counts when it opens
    results.append(
        Result(
            "statistics dashboard, one month", "ms",
            _repeat(runs, lambda: statistics.dashboard(session, month, shown)),
            note="figures, series, the breakdown on show",
        )
    )  # fmt: skip
    results.append(
        Result(
            "statistics dashboard, all time", "ms",
            _repeat(runs, lambda: statistics.dashboard(session, CallLogFilter(), shown)),
            note="figures, series, the breakdown on show",
        )
    )  # fmt: skip
    results.append(
        Result(
            "statistics, all time, topics chosen", "ms",
            _repeat(runs, lambda: statistics.breakdown(session, CallLogFilter(), Dimension.TOPIC)),
            note="the costliest breakdown, counted when chosen",
        )
    )  # fmt: skip
    results.append(
        Result(
            "statistics, all time, every breakdown", "ms",
            _repeat(1, lambda: statistics.dashboard(session, CallLogFilter()), warm=False),
            note="as the XLSX export of the tables; one run",
        )
    )  # fmt: skip
    return results


def _slip(session: Session, runs: int) -> Result:
    org_id = session.db.scalar("SELECT id FROM organisations ORDER BY id LIMIT 1")
    if org_id is None:
        directory.ensure_seeded(session)
        org_id = session.db.scalar("SELECT id FROM organisations ORDER BY id LIMIT 1")
    org = directory.get(session, str(org_id))
    request = SlipRequest(
        organisation=org, service=None, reference="KG-DEMO-000001",
        hotline_name=session.installation.org_name, hotline_phone="+996 800 000 000",
        language="ru", date=dt.date.today(), caller_name="Айгүл Асанова",
    )  # fmt: skip
    return Result("referral slip PDF", "ms", _repeat(runs, lambda: render_slip(request)))


# -- export and import ----------------------------------------------------------------------


def _coordinator(root: Path) -> DataDir:
    data_dir = DataDir(root)
    result = setup.initialize(
        data_dir,
        setup.SetupRequest(
            org_code="KG-BENCH-COORD", org_name="Bench coordinator", country="KG",
            site_name="Бишкек", admin_username="admin", admin_password=password("admin"),
            admin_display_name="Bench Administrator",
        ),
    )  # fmt: skip
    users.add_user(result.session, COORDINATOR, Role.COORDINATOR, password(COORDINATOR), "Дана")
    result.session.close()
    return data_dir


def _pair(sender: DataDir, coordinator: DataDir, cards: Path) -> str:
    """Register each card at the other installation; the coordinator's installation id."""
    dana = login(coordinator, COORDINATOR, password(COORDINATOR))
    try:
        mine = partners.export_card(dana, cards / "coordinator.hlcard", recipient=True)
        admin = login(sender, installation.ADMIN, password(installation.ADMIN))
        try:
            card = partners.read_card(cards / "coordinator.hlcard")
            partners.register(admin, card, partners.RECIPIENT, mine.fingerprint)
            own = partners.export_card(admin, cards / "sender.hlcard", recipient=False)
        finally:
            admin.close()
        their = partners.read_card(cards / "sender.hlcard")
        partners.register(dana, their, partners.SENDER, own.fingerprint)
        return dana.installation.id
    finally:
        dana.close()


def _period(session: Session, records: int) -> tuple[dt.date, dt.date, int]:
    """The latest period holding about ``records`` shareable calls, and how many it holds."""
    db = session.db
    where = "consent_share = 1 AND origin_id IS NULL"
    total = int(db.scalar(f"SELECT count(*) FROM contacts WHERE {where}"))  # noqa: S608
    first = db.scalar(
        f"SELECT started_at FROM contacts WHERE {where}"  # noqa: S608
        " ORDER BY started_at DESC LIMIT 1 OFFSET ?",
        (min(records, total) - 1,),
    )
    last = db.scalar(f"SELECT max(started_at) FROM contacts WHERE {where}")  # noqa: S608
    since = dt.date.fromisoformat(str(first)[:10]) - dt.timedelta(days=1)
    until = dt.date.fromisoformat(str(last)[:10]) + dt.timedelta(days=1)
    return since, until, total


def _raw_insert_rate(sender: Session, scratch: Path, ids: list[str]) -> float:
    """Rows/s of a plain ``executemany`` of the same contact rows (same column count) into
    an empty SQLCipher table with the same PRAGMAs as every Hotline Desk connection."""
    columns = contacts_repo._COLUMNS
    rows: list[tuple[Any, ...]] = []
    select = f"SELECT {', '.join(columns)} FROM contacts WHERE id = ?"  # noqa: S608
    for contact_id in ids:
        row = sender.db.one(select, (contact_id,))
        if row is not None:
            rows.append(tuple(row))
    path = scratch / "raw.db"
    path.unlink(missing_ok=True)
    db = open_encrypted(path, os.urandom(32), create=True)
    try:
        db.execute(f"CREATE TABLE raw ({', '.join(columns)})")
        insert = f"INSERT INTO raw VALUES ({', '.join('?' for _ in columns)})"  # noqa: S608
        start = time.perf_counter()
        with db.transaction():
            db.executemany(insert, rows)
        seconds = time.perf_counter() - start
    finally:
        db.close()
        path.unlink(missing_ok=True)
    return len(rows) / seconds if seconds > 0 else 0.0


def _exchange(data_dir: DataDir, scratch: Path, runs: int, records: int) -> list[Result]:
    """Export ``records`` calls at each privacy level from a copy of the installation and
    import them at a fresh coordinator; rates in records/s and the ratio to a raw insert."""
    sender_dir = DataDir(scratch / "sender")
    shutil.copytree(data_dir.root, sender_dir.root)
    template = _coordinator(scratch / "coordinator-template")
    (scratch / "cards").mkdir()
    coordinator_id = _pair(sender_dir, template, scratch / "cards")
    supervisor = login(sender_dir, SUPERVISOR, password(SUPERVISOR))
    results: list[Result] = []
    try:
        since, until, _total = _period(supervisor, records)
        raw: list[float] = []
        exported: dict[Privacy, list[float]] = {}
        imported: dict[Privacy, list[float]] = {}
        counts: dict[Privacy, int] = {}
        for run in range(runs):
            for privacy in (Privacy.FULL, Privacy.PSEUDONYMOUS, Privacy.AGGREGATE):
                outbox = scratch / f"outbox-{run}-{privacy.value}"
                outbox.mkdir()
                request = ExportRequest(coordinator_id, privacy, since, until)
                start = time.perf_counter()
                sent = exporting.export_batch(supervisor, request, outbox)
                seconds = time.perf_counter() - start
                count = sent.batch.counts.get("contacts", 0)
                if privacy is Privacy.AGGREGATE:
                    count = sent.batch.counts.get("aggregate_total", 0)
                counts[privacy] = count
                exported.setdefault(privacy, []).append(count / seconds)
                target = DataDir(scratch / f"coordinator-{run}-{privacy.value}")
                shutil.copytree(template.root, target.root)
                dana = login(target, COORDINATOR, password(COORDINATOR))
                try:
                    start = time.perf_counter()
                    importing.import_file(dana, sent.path)
                    seconds = time.perf_counter() - start
                finally:
                    dana.close()
                imported.setdefault(privacy, []).append(count / seconds)
                shutil.rmtree(target.root)
                shutil.rmtree(outbox)
            ids = exporting._period_ids(supervisor.db, since, until)
            raw.append(_raw_insert_rate(supervisor, scratch, ids))
        for privacy, label in ((Privacy.FULL, "full privacy"), (Privacy.PSEUDONYMOUS,
                                "pseudonymous"), (Privacy.AGGREGATE, "aggregate")):  # fmt: skip
            n = f"{counts[privacy]:,} records".replace(",", " ")
            if privacy is Privacy.AGGREGATE:
                n = f"{counts[privacy]:,} calls counted".replace(",", " ")
            results.append(
                Result(f"export, {label}", "records/s", tuple(exported[privacy]), note=n)
            )
            results.append(
                Result(f"import, {label}", "records/s", tuple(imported[privacy]), note=n)
            )
            if privacy is not Privacy.AGGREGATE:
                ratios = tuple(100 * i / r for i, r in zip(imported[privacy], raw, strict=True))
                results.append(Result(f"import / raw insert, {label}", "%", ratios))
        results.append(Result("raw SQLCipher executemany insert", "records/s", tuple(raw)))
    finally:
        supervisor.close()
    return results


def run_core(
    data_dir: DataDir,
    runs: int,
    *,
    export_records: int = EXPORT_RECORDS,
    exchange_runs: int = 1,
    progress: Callable[[str], None] = print,
) -> list[Result]:
    """Measurements 2 (service side), 3, 4, 5, 7 and 8 on ``data_dir``, which is not changed
    (the export works on a copy)."""
    with _scratch() as scratch:
        progress("Measuring the call log, search, filters and statistics…")
        work = DataDir(scratch / "work")
        shutil.copytree(data_dir.root, work.root)
        session = login(work, SUPERVISOR, password(SUPERVISOR))
        try:
            results = _queries(session, runs)
            progress("Measuring the referral slip…")
            results.append(_slip(session, runs))
        finally:
            session.close()
        shutil.rmtree(work.root)
        progress(f"Measuring export and import of up to {export_records:,} records…")
        results.extend(_exchange(data_dir, scratch, exchange_runs, export_records))
    return results


def run_gui(data_dir: DataDir, runs: int, progress: Callable[[str], None] = print) -> list[Result]:
    """Measurements 1, 2, 6 and 9 (and the new-call form) in a separate GUI process, on a
    copy of ``data_dir``."""
    with _scratch() as scratch:
        work = scratch / "gui"
        shutil.copytree(data_dir.root, work)
        progress("Measuring the GUI (a separate process)…")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOTLINE_PASSWORD=password(SUPERVISOR))
        root = Path(__file__).resolve().parents[2]
        out = scratch / "gui.json"
        subprocess.run(
            [sys.executable, str(root / "ui" / "bench_gui.py"), "--data-dir", str(work),
             "--runs", str(runs), "--output", str(out)],
            check=True, env=env, cwd=root,
        )  # fmt: skip
        data = json.loads(out.read_text(encoding="utf-8"))
    return [
        Result(r["name"], r["unit"], tuple(r["values"]), r.get("note", ""), r.get("by_p95", False))
        for r in data
    ]


@contextmanager
def _scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as folder:
        yield Path(folder)
