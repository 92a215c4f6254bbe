"""Two hotlines and a coordinator (three data folders) exchange batches through the
``hotline`` command, as an office would with a USB stick: the coordinator's counts equal
the sum of the hotlines' shared calls, a caller who phoned both hotlines is linked by a
pseudonym, and no phone number, name or note reaches the coordinator's database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from hotline.exchange import identity
from hotline.model.call_log import CallLogFilter, ShareConsent
from hotline.model.statistics import Dimension
from hotline.services import statistics
from hotline.services.session import Session
from tests.conftest import PASSWORDS
from tests.unit.exchange_support import (
    COORDINATOR,
    HOTLINE_A,
    HOTLINE_B,
    Network,
    record_call,
)
from tests.unit.test_cli import run

CANARY_NAME = "Канарейкабек Уулу"
CANARY_NOTE = "канарейка-заметка ҚҰҒ"
SHARED_PHONE_A = "+996 700 123 457"  # the same caller, typed two ways
SHARED_PHONE_B = "+996700123457"


def cli(
    capsys: pytest.CaptureFixture[str], network: Network, code: str, user: str, *argv: str
) -> tuple[int, str, str]:
    return run(
        capsys,
        *argv,
        "--data-dir",
        str(network.dir(code).root),
        "--user",
        user,
        password=PASSWORDS[user],
    )


def _record_calls(network: Network) -> None:
    a = network.session(HOTLINE_A, "bakyt")
    for i in range(6):
        record_call(a, phone=f"+996 555 00{i} 111", call_type="consultation")
    record_call(a, phone=SHARED_PHONE_A, name=CANARY_NAME, summary=CANARY_NOTE)
    record_call(a, phone="+996 555 999 111", share=False)  # must never leave
    record_call(a, phone=None, share=None, call_type="silent")  # consent not asked
    a.close()
    b = network.session(HOTLINE_B, "bakyt")
    for i in range(3):
        record_call(b, phone=f"+7 701 000 00 0{i}", call_type="missing_person")
    record_call(b, phone=SHARED_PHONE_B, name=CANARY_NAME, notes=CANARY_NOTE)
    b.close()


def _shared_breakdown(session: Session, dimension: Dimension) -> dict[str | None, int]:
    shared = CallLogFilter(share_consent=ShareConsent.GIVEN)
    result = statistics.breakdown(session, shared, dimension)
    return {c.code: c.count for c in result.cells}


def test_round_trip_through_the_cli(capsys: pytest.CaptureFixture[str], network: Network) -> None:
    _record_calls(network)
    stick = network.outbox
    # Each hotline writes a pseudonymous batch for the coordinator onto the "stick".
    for code in (HOTLINE_A, HOTLINE_B):
        exported = cli(capsys, network, code, "bakyt", "export", "--to", COORDINATOR,
                       "--privacy", "pseudonymous", "--out-dir", str(stick), "--json")  # fmt: skip
        assert exported[0] == 0, exported[2]
        assert json.loads(exported[1])["sequence"] == 1
    batches = sorted(stick.glob("*.hlbatch"))
    assert len(batches) == 2
    receipts = network.root / "receipts"
    receipts.mkdir()
    status, out, err = cli(capsys, network, COORDINATOR, "dana", "import", *map(str, batches),
                           "--receipts", str(receipts), "--json")  # fmt: skip
    assert status == 0, err
    report = json.loads(out)
    assert [r["status"] for r in report] == ["imported", "imported"]
    assert sorted(r["outcome"]["added"] for r in report) == [4 + 0, 7 + 0]  # contacts only

    # The same files again: nothing changes, and the command says so.
    status, out, err = cli(capsys, network, COORDINATOR, "dana", "import", *map(str, batches))
    assert status == 0, err
    assert out.count("already imported") == 2

    # The coordinator's figures per hotline, on the command line.
    for code, expected_calls in ((HOTLINE_A, 7), (HOTLINE_B, 4)):
        status, out, err = cli(capsys, network, COORDINATOR, "dana", "stats", "--source", code,
                               "--by", "call_type", "--json")  # fmt: skip
        assert status == 0, err
        assert json.loads(out)["summary"]["contacts"] == expected_calls

    # The coordinator's figures are the sum of the hotlines' shared calls.
    sessions = {c: network.session(c, "bakyt" if c != COORDINATOR else "dana") for c in
                (HOTLINE_A, HOTLINE_B, COORDINATOR)}  # fmt: skip
    try:
        for dimension in (Dimension.CALL_TYPE, Dimension.CALLER_SEX, Dimension.TOPIC):
            expected: dict[str | None, int] = {}
            for c in (HOTLINE_A, HOTLINE_B):
                for key, n in _shared_breakdown(sessions[c], dimension).items():
                    expected[key] = expected.get(key, 0) + n
            total = statistics.breakdown(sessions[COORDINATOR], CallLogFilter(), dimension)
            assert {c.code: c.count for c in total.cells} == expected, dimension
        coordinator = sessions[COORDINATOR]
        assert coordinator.db.scalar("SELECT count(*) FROM contacts") == 11
        # The caller who phoned both hotlines: one pseudonym, two hotlines.
        linked = coordinator.db.query(
            "SELECT phone_key, count(DISTINCT origin_id) FROM contacts GROUP BY phone_key"
            " HAVING count(DISTINCT origin_id) > 1"
        )
        assert len(linked) == 1 and str(linked[0][0]).startswith("ps1:")
        _assert_no_canary(coordinator)
    finally:
        for s in sessions.values():
            s.close()

    # Nothing readable at rest: not in the batches, the receipts, the cards, nor in any
    # file of the three installations (databases, WAL, key slots), in UTF-8 or UTF-16.
    _assert_no_canary_in_files(network.root)

    # Receipts go back to the hotlines, whose list of sent batches then shows them.
    for code in (HOTLINE_A, HOTLINE_B):
        mine = [str(p) for p in receipts.glob(f"*-receipt-{code}-*.hlreceipt")]
        assert len(mine) == 1
        result = cli(capsys, network, code, "bakyt", "receipt", "read", *mine)
        assert result[0] == 0, result[2]
        listed = json.loads(cli(capsys, network, code, "bakyt", "batches", "--json")[1])
        assert listed["sent"][0]["receipt"]["outcome"]["added"] in (4, 7)


def _assert_no_canary_in_files(root: Path) -> None:
    needles = [CANARY_NAME, CANARY_NOTE, "+996700123457", "700 123 457"]
    patterns = [n.encode(enc) for n in needles for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    files = [p for p in root.rglob("*") if p.is_file()]
    assert any(p.suffix == ".hlbatch" for p in files)
    for path in files:
        data = path.read_bytes()
        for pattern in patterns:
            assert pattern not in data, (path, pattern)


def _assert_no_canary(coordinator: Session) -> None:
    """Read every text cell of every table: no phone number, name or note arrived."""
    needles = [CANARY_NAME, CANARY_NOTE, "700123457", "555999111", "Айгүл", "Работодатель"]
    tables = [
        str(r[0])
        for r in coordinator.db.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'contact_text%'"
            " AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for table in tables:
        for row in coordinator.db.query(f"SELECT * FROM {table}"):  # noqa: S608
            for cell in tuple(row):
                text = cell.decode("latin-1") if isinstance(cell, bytes) else str(cell)
                for needle in needles:
                    assert needle not in text, (table, needle)


def test_cards_through_the_cli(
    capsys: pytest.CaptureFixture[str], network: Network, tmp_path: Path
) -> None:
    card = tmp_path / "coordinator.hlcard"
    code, _out, err = cli(capsys, network, COORDINATOR, "dana", "card", "export", "--out",
                          str(card), "--recipient")  # fmt: skip
    assert code == 0, err
    shown = json.loads(cli(capsys, network, COORDINATOR, "dana", "card", "show", str(card),
                           "--json")[1])  # fmt: skip
    parsed = identity.parse_card(card.read_bytes())
    assert shown["fingerprint"] == parsed.fingerprint and shown["recipient"] is True
    # A mistyped fingerprint is refused; the right one (any spacing or case) is accepted.
    code, _out, err = cli(capsys, network, HOTLINE_A, "admin", "card", "register", str(card),
                          "--as", "recipient", "--fingerprint", "AAAA-BBBB")  # fmt: skip
    assert code == 1 and "fingerprint does not match" in err
    typed = parsed.fingerprint.lower().replace("-", " ")
    code, _out, err = cli(capsys, network, HOTLINE_A, "admin", "card", "register", str(card),
                          "--as", "recipient", "--fingerprint", typed)  # fmt: skip
    assert code == 0, err
    # An operator may not register cards; the refusal is an error, not a crash.
    code, _out, err = cli(capsys, network, HOTLINE_A, "olga", "card", "register", str(card),
                         "--as", "recipient", "--fingerprint", typed)  # fmt: skip
    assert code == 1 and err
    # A card changed after it was made is not read.
    changed = card.read_text("utf-8").replace(parsed.org_code, "KG-EVIL")
    card.write_text(changed, "utf-8")
    code, _out, err = cli(capsys, network, COORDINATOR, "dana", "card", "show", str(card))
    assert code == 1 and "changed after it was made" in err


def test_full_batches_need_the_right_to_export_identifying_data(
    capsys: pytest.CaptureFixture[str], network: Network
) -> None:
    session = network.session(HOTLINE_A, "bakyt")
    record_call(session)
    session.close()
    code, _out, err = cli(capsys, network, HOTLINE_A, "dana", "export", "--to", COORDINATOR,
                          "--privacy", "full", "--out-dir", str(network.outbox))  # fmt: skip
    assert code == 1 and err
    assert not list(network.outbox.iterdir())
    code, _out, err = cli(capsys, network, HOTLINE_A, "bakyt", "export", "--to", COORDINATOR,
                          "--privacy", "full", "--out-dir", str(network.outbox))  # fmt: skip
    assert code == 0, err
    code, _out, err = cli(capsys, network, COORDINATOR, "dana", "import",
                         *map(str, network.outbox.glob("*.hlbatch")))  # fmt: skip
    assert code == 0, err
    coordinator = network.session(COORDINATOR, "dana")
    try:
        row = coordinator.db.one("SELECT caller_name, phone_e164, origin_id FROM contacts")
        assert row is not None and row[0] == "Айгүл Асанова" and row[1] == "+996555123456"
    finally:
        coordinator.close()


def test_aggregate_counts_through_the_cli(
    capsys: pytest.CaptureFixture[str], network: Network
) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    for _ in range(12):
        record_call(hotline, share=False)  # consent plays no part in counts
    record_call(hotline, call_type="missing_person")
    hotline.close()
    today = dt.date.today().isoformat()
    code, _out, err = cli(capsys, network, HOTLINE_A, "bakyt", "export", "--to", COORDINATOR,
                          "--privacy", "aggregate", "--since", today, "--until", today,
                          "--out-dir", str(network.outbox))  # fmt: skip
    assert code == 0, err
    batch = str(next(network.outbox.glob("*.hlbatch")))
    assert cli(capsys, network, COORDINATOR, "dana", "import", batch)[0] == 0
    code, out, err = cli(capsys, network, COORDINATOR, "dana", "coordinator", "counts", "--json")
    assert code == 0, err
    tables = {t["dimension"]: t for t in json.loads(out)}
    assert tables["call_type"]["total"] == 13
    # 1 missing person is withheld; 12 consultations too, or 13 - 12 would give it away.
    assert tables["call_type"]["cells"] == [["Consultation", None], ["Missing person", None]]
    assert tables["caller_sex"]["cells"] == [["Female", 13]]
    code, out, err = cli(capsys, network, COORDINATOR, "dana", "coordinator", "counts")
    assert code == 0 and "fewer than k" in out
