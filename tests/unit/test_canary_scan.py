"""No record value in clear anywhere on disk: the canary scan.

Fresh installations (the exchange network: two hotlines and a coordinator), TMPDIR and
``tempfile.tempdir`` pointed at a folder of the test, the root logger writing to a file
of the test at DEBUG through the production filter. Records full of canaries (Cyrillic,
Kazakh and Uzbek letters, Latin; see tests/unit/canary_support.py) in every free-text
field: caller name, phone, notes, summary, follow-up reason, a draft, a person's name and
notes, a case's qualification and route, a referral's reasons. Then every feature that
reads them: call-log search and every sort, statistics (summary, every dimension, the
dashboard), call list and statistics exports (CSV, XLSX, default columns), the monthly
PDF report, batches at each privacy level (aggregate, pseudonymous, full), their import
at the coordinator, a backup, a referral slip without the caller's name, the CLI (call
list export, monthly report), and a writer SIGKILLed mid-save.

Then every file under the data folders, the temp folder, the log file and every output
is scanned for every canary in UTF-8, UTF-16-LE and UTF-16-BE (Latin ones also lower-
and upper-cased): zero hits. No output is excepted: no export with identifying columns
is made, and a full-privacy batch is encrypted, so it must show no canary either.

Latest figures (``pytest -s`` prints them): 24 files, 3.2 MB scanned for 18 canaries
(78 byte patterns: three encodings, case variants of the Latin ones): 0 hits; the writer
was killed after 8 acknowledged saves (the count varies). In a scratch run that wrote one
canary in UTF-16 to ``TMPDIR/slip.pdf.tmp``, the test failed naming that file (1 hit).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from hotline import clock, logging_filter
from hotline.cli import main as cli_main
from hotline.exchange import importing
from hotline.exchange.records import Privacy
from hotline.model.call_log import SORT_COLUMNS, CallLogFilter, Sort
from hotline.model.contact import FollowUp, RouteEvent
from hotline.model.organisation import Organisation
from hotline.model.statistics import Dimension, Period
from hotline.reports.monthly import write_monthly_report
from hotline.services import (
    call_log,
    cases,
    contacts,
    directory,
    maintenance,
    referrals,
    reports,
    statistics,
)
from hotline.services.session import Session
from hotline.slips import SlipRequest, render_slip
from tests.conftest import PASSWORDS
from tests.unit import canary_support
from tests.unit.canary_support import CANARIES
from tests.unit.exchange_support import COORDINATOR, HOTLINE_A, Network, record_call, send

ROOT = Path(__file__).resolve().parents[2]

# Intended outputs that may hold identifying data in clear. None is made here: every
# export uses the default columns, and batches are encrypted whatever their level.
EXCEPTED: tuple[Path, ...] = ()


def _record_everything(session: Session) -> None:
    """Calls, a draft, a person, a case and referrals with a canary in every text field."""
    today = clock.local_today()
    first = record_call(
        session,
        phone=CANARIES["phone"],
        name=CANARIES["caller name"],
        summary=CANARIES["summary"],
        notes=CANARIES["notes"],
        follow_up=FollowUp(date=today, reason=CANARIES["follow-up reason"]),
    )
    record_call(
        session,
        phone=None,
        name=CANARIES["caller name latin"],
        summary=CANARIES["notes latin"],
        notes=CANARIES["notes latin"],
        call_type="missing_person",
    )
    record_call(session, name=CANARIES["caller name 2"], share=False)
    contacts.save_draft(session, "draft-canary", None, {"notes": CANARIES["draft"]})
    case = cases.create_case_from_contact(session, first.id)
    person = cases.get_person(session, case.person_id)
    cases.save_person(
        session, replace(person, name=CANARIES["person name"], notes=CANARIES["person notes"])
    )
    case = cases.get_case(session, case.id)
    cases.save_case(
        session,
        replace(
            case,
            legal_qualification=CANARIES["case qualification"],
            route=(RouteEvent("Recruitment", "KG", CANARIES["route place"], None),),
        ),
    )
    org = directory.save(
        session,
        Organisation(id=str(uuid.uuid4()), version=0, name="Shelter", services=("shelter",)),
    )
    referrals.refer(session, first.id, org.id, "shelter", consent=True,
                    reason=CANARIES["referral reason"])  # fmt: skip
    referrals.refer(session, first.id, org.id, "shelter", consent=False,
                    no_consent_reason=CANARIES["referral no-consent reason"])  # fmt: skip


def _read_everything(session: Session, out: Path) -> list[Path]:
    """Search, sort, statistics, exports, a report and a slip; returns the files made."""
    for text in (CANARIES["notes"], "Kanarnotes", "канарейка"):
        query = call_log.query(session, CallLogFilter(text=text))
        assert query.count() >= 1
    for column in SORT_COLUMNS:
        for descending in (False, True):
            call_log.query(session, None, Sort(column, descending)).page()
    everything = CallLogFilter()
    statistics.summary(session, everything)
    for dimension in Dimension:
        statistics.breakdown(session, everything, dimension)
    statistics.dashboard(session, everything)
    made = [out / n for n in ("calls.csv", "calls.xlsx", "stats.csv", "stats.xlsx")]
    reports.export_call_list(session, everything, made[0], "csv")
    reports.export_call_list(session, everything, made[1], "xlsx")
    reports.export_statistics(session, everything, made[2], "csv", [Dimension.CALL_TYPE])
    reports.export_statistics(session, everything, made[3], "xlsx", list(Dimension))
    today = clock.local_today()
    made.append(out / "monthly.pdf")
    write_monthly_report(session, Period.month(today.year, today.month), made[-1])
    org = directory.save(
        session, Organisation(id=str(uuid.uuid4()), version=0, name="Кризисный центр", services=())
    )
    reference = call_log.query(session).page()[0].reference
    slip = render_slip(SlipRequest(org, None, reference, "Ишеним 189", "189", "ky", today))
    made.append(out / "slip.pdf")
    made[-1].write_bytes(slip)
    return made


def _cli(network: Network, user: str, *argv: str) -> None:
    os.environ["HOTLINE_PASSWORD"] = PASSWORDS[user]
    try:
        args = [*argv, "--data-dir", str(network.dir(HOTLINE_A).root), "--user", user]
        assert cli_main(args) == 0
    finally:
        os.environ.pop("HOTLINE_PASSWORD", None)


def _kill_a_writer(network: Network, temp: Path) -> int:
    """A child saving canary calls, SIGKILLed mid-write; returns its acknowledged saves."""
    env = dict(os.environ, HOTLINE_PASSWORD=PASSWORDS["bakyt"], TMPDIR=str(temp))
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.unit.canary_support", str(network.dir(HOTLINE_A).root)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    assert child.stdout.readline().startswith("saved ")
    time.sleep(0.15)
    child.send_signal(signal.SIGKILL)
    out, _err = child.communicate()
    return 1 + sum(1 for line in out.splitlines() if line.startswith("saved "))


def test_no_canary_in_any_file(
    network: Network,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    temp = tmp_path / "tmpdir"
    out = tmp_path / "outputs"
    temp.mkdir()
    out.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    log_file = tmp_path / "hotline.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.addFilter(logging_filter.ScrubFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        bakyt = network.session(HOTLINE_A, "bakyt")
        try:
            _record_everything(bakyt)
            made = _read_everything(bakyt, out)
            today = clock.local_today()
            since = today - dt.timedelta(days=40)
            made.append(send(bakyt, network, Privacy.AGGREGATE, since=since, until=today).path)
            made.append(send(bakyt, network, Privacy.PSEUDONYMOUS).path)
            # A period batch: it holds the calls again, with names and phones.
            made.append(send(bakyt, network, Privacy.FULL, since=since, until=today).path)
        finally:
            bakyt.close()
        dana = network.session(COORDINATOR, "dana")
        try:
            batches = sorted(network.outbox.glob("*.hlbatch"))
            assert len(batches) == 3
            for batch in batches:
                assert importing.import_file(dana, batch).status is importing.Status.IMPORTED
            assert call_log.query(dana, CallLogFilter()).count() == 2  # the shared ones
        finally:
            dana.close()
        admin = network.session(HOTLINE_A, "admin")
        try:
            made.append(maintenance.backup(admin, out / "backup.hlbackup"))
        finally:
            admin.close()
        _cli(network, "bakyt", "calls", "export", "--out", str(out / "cli-calls.csv"))
        month = clock.local_today().strftime("%Y-%m")
        _cli(network, "bakyt", "report", "monthly", "--month", month,
             "--out", str(out / "cli-monthly.pdf"))  # fmt: skip
        made += [out / "cli-calls.csv", out / "cli-monthly.pdf"]
        saved = _kill_a_writer(network, temp)
        logging.getLogger("hotline.canary").debug("the scan starts")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    assert all(p.is_file() for p in made), [p for p in made if not p.is_file()]
    assert log_file.read_text("utf-8").strip()  # the log was written to, and is scanned
    roots = [network.root, temp, log_file, out, *made]
    result = canary_support.scan(roots, EXCEPTED)
    patterns = len(canary_support.patterns())
    with capsys.disabled():
        print(
            f"\ncanary scan: {result.files} files, {result.bytes / 1e6:.1f} MB, "
            f"{len(CANARIES)} canaries ({patterns} byte patterns), "
            f"{len(result.hits or [])} hits; writer killed after {saved} saves"
        )
    assert result.files >= 20
    assert result.hits == []


def test_the_scan_finds_a_canary_in_clear(tmp_path: Path) -> None:
    """The scanner is what the test above relies on: it sees each encoding."""
    for n, encoding in enumerate(("utf-8", "utf-16-le", "utf-16-be")):
        (tmp_path / f"leak{n}.tmp").write_bytes(b"\0junk" + CANARIES["notes"].encode(encoding))
    (tmp_path / "leak-latin.txt").write_text(CANARIES["notes latin"].upper(), "utf-8")
    (tmp_path / "clean.bin").write_bytes(os.urandom(4096))
    result = canary_support.scan([tmp_path])
    assert result.files == 5
    assert sorted(p.name for p, _field in result.hits or []) == [
        "leak-latin.txt", "leak0.tmp", "leak1.tmp", "leak2.tmp"
    ]  # fmt: skip
