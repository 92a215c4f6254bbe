"""The coordinator's exports: HTCDS column layout (CSV and XLSX, read back) and the CTDC-style
k-anonymised CSV (every released combination of quasi-identifiers shared by k rows or more,
no ids or pseudonyms), on real installations that exchanged real batches."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import re
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import InvalidInput, PermissionDenied
from hotline.exchange import importing, standards
from hotline.model.call_log import LOCAL_SOURCE, CallLogFilter
from hotline.model.contact import Caller, Contact, Person, RouteEvent
from hotline.services import cases, contacts, coordinator
from hotline.services.session import Session
from tests.conftest import PASSWORDS
from tests.unit.exchange_support import (
    COORDINATOR,
    HOTLINE_A,
    HOTLINE_B,
    Network,
    record_call,
    send,
)
from tests.unit.test_cli import run

PHONE = "+996 555 123 456"
CANARIES = (
    "Айгүл",
    "Асанова",
    "Канарейка",
    "Работодатель",
    "заметки",
    "Ош",
    "Москва-канарейка",
    "555 123 456",
    "555123456",
    "Статья 124",
)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _open_case(session: Session, call: Contact, *, sex: str, age: str, citizenship: str,
               exploitation: tuple[str, ...], control: tuple[str, ...],
               country: str | None) -> str:  # fmt: skip
    person = Person(
        id=str(uuid.uuid4()),
        version=1,
        name="Канарейка Айгүл",
        sex=sex,
        age_band=age,
        citizenship=citizenship,
        home_region="Ош",
        notes="заметки о человеке",
    )
    case = cases.create_case_from_contact(session, call.id, person)
    route: tuple[RouteEvent, ...] = (RouteEvent("Recruitment", "KG", "Ош"),)
    if country:
        route += (RouteEvent("Exploitation", country, "Москва-канарейка", dt.date(2026, 3, 1)),)
    cases.save_case(
        session,
        replace(
            case,
            trafficking_status="Possible",
            exploitation_types=exploitation,
            control_methods=control,
            perpetrator_roles=("Recruiter",),
            legal_qualification="Статья 124",
            route=route,
        ),
    )
    return case.id


@pytest.fixture
def gathered(network: Network) -> Network:
    """Hotline A: a case of two calls from one phone, a lone call, a call not shared.
    Hotline B: a lone call from the same phone. Both send; the coordinator imports; its
    supervisor records one call of its own from that phone too."""
    a = network.session(HOTLINE_A, "bakyt")
    earlier = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=30)
    first = record_call(a, phone=PHONE, call_type="trafficking_concern", started=earlier)
    case_id = _open_case(
        a, first, sex="female", age="18-20", citizenship="KG",
        exploitation=("ForcedLabour", "DebtBondage"),
        control=("WithholdsDocuments", "ThreatsToFamily"), country="RU",
    )  # fmt: skip
    second = record_call(a, phone=PHONE, call_type="follow_up")
    cases.link_contact(a, second.id, case_id)
    record_call(a, phone="+996 700 111 222", call_type="consultation")
    record_call(a, phone="+996 700 999 888", share=False)
    path_a = send(a, network).path
    a.close()
    b = network.session(HOTLINE_B, "bakyt")
    record_call(b, phone=PHONE, call_type="consultation")
    path_b = send(b, network).path
    b.close()
    dana = network.session(COORDINATOR, "dana")
    for path in (path_a, path_b):
        assert importing.import_file(dana, path).status is importing.Status.IMPORTED
    dana.close()
    here = network.session(COORDINATOR, "bakyt")
    record_call(here, phone=PHONE, call_type="consultation")
    here.close()
    return network


def _read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _no_canaries(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    for canary in CANARIES:
        assert canary not in text, canary


def _exports(session: Session) -> list[dict[str, object]]:
    return [
        json.loads(e.details)
        for e in audit.recent(session.db, 100)
        if e.action == AuditAction.REPORT_EXPORTED
    ]


def test_htcds_csv_and_xlsx(gathered: Network, tmp_path: Path) -> None:
    dana = gathered.session(COORDINATOR, "dana")
    try:
        ids = dict(coordinator.sources(dana))
        count = coordinator.export_htcds(dana, CallLogFilter(), tmp_path / "all.csv")
        xlsx_count = coordinator.export_htcds(dana, CallLogFilter(), tmp_path / "all.xlsx", "xlsx")
        only_a = [source for source, label in ids.items() if label.startswith(HOTLINE_A)]
        a_count = coordinator.export_htcds(
            dana, CallLogFilter(sources=tuple(only_a)), tmp_path / "a.csv"
        )
        local_count = coordinator.export_htcds(
            dana, CallLogFilter(sources=(LOCAL_SOURCE,)), tmp_path / "here.csv"
        )
        own_id = dana.installation.id
        exported = _exports(dana)
    finally:
        dana.close()
    # A: one case (two calls) and one lone call; B: one call; here: one call.
    assert (count, xlsx_count, a_count, local_count) == (4, 4, 2, 1)
    rows = _read_csv(tmp_path / "all.csv")
    assert list(rows[0]) == list(standards.HTCDS_HEADERS)
    assert [r["hl_RecordType"] for r in rows].count("case") == 1
    case = next(r for r in rows if r["hl_RecordType"] == "case")
    assert case["hl_SourceOrganisation"] == HOTLINE_A
    assert case["hl_ContactCount"] == "2"
    assert case["prs_Gender"] == "female" and case["prs_AgeBroad"] == "18-20"
    assert case["prs_CitizenshipCountry"] == "KG"
    assert case["vic_TraffickingStatus"] == "Possible"
    assert case["vic_TypeOfExploitation"] == "ForcedLabour;DebtBondage"
    assert case["vic_MethodsOfControl"] == "WithholdsDocuments;ThreatsToFamily"
    assert case["hl_ExploitationCountries"] == "RU" and case["hl_RecruitmentCountries"] == "KG"
    assert case["hl_CallType"] == "trafficking_concern" and case["hl_Topics"] == "WORK"
    assert case["hl_PersonPseudonym"].startswith("ps1:")
    # The same phone at both hotlines and here: one pseudonym links the three.
    phones = Counter(r["hl_PhonePseudonym"] for r in rows)
    assert phones[case["hl_PhonePseudonym"]] == 3 and case["hl_PhonePseudonym"].startswith("ps1:")
    local = next(r for r in rows if r["hl_SourceInstallation"] == own_id)
    assert local["hl_SourceOrganisation"] == COORDINATOR
    assert local["hl_PhonePseudonym"] == case["hl_PhonePseudonym"]
    assert {r["hl_SourceOrganisation"] for r in _read_csv(tmp_path / "a.csv")} == {HOTLINE_A}
    for name in ("all.csv", "all.xlsx", "a.csv", "here.csv"):
        _no_canaries((tmp_path / name).read_bytes())

    book = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)
    sheet = book.worksheets[0]
    grid = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    assert tuple(grid[0]) == standards.HTCDS_HEADERS
    width = len(standards.HTCDS_HEADERS)
    as_csv = [
        [("" if v is None else str(v)) for v in row + [None] * (width - len(row))]
        for row in grid[1:]
    ]
    assert as_csv == [list(r.values()) for r in rows]
    count_column = standards.HTCDS_HEADERS.index("hl_ContactCount")
    assert all(isinstance(row[count_column], int) for row in grid[1:])
    formats = [str(e["format"]) for e in exported]
    assert sorted(formats) == ["htcds-csv", "htcds-csv", "htcds-csv", "htcds-xlsx"]
    assert {
        "count": 4,
        "format": "htcds-xlsx",
        "period": "..",
        "privacy_level": "pseudonymous",
    } in (exported)


def test_a_formula_in_a_code_is_neutralised(tmp_path: Path) -> None:
    """Codes come from checked lists, but imported text never reaches a cell as a formula."""
    from hotline.reports.spreadsheet import StreamedSheet, stream_csv

    sheet = StreamedSheet("x", ("hl_Topics",), iter([["=HYPERLINK(1)"]]))
    stream_csv(sheet, tmp_path / "f.csv")
    assert _read_csv(tmp_path / "f.csv")[0]["hl_Topics"] == "'=HYPERLINK(1)"


def test_exports_need_export_reports_and_refusals_are_audited(
    gathered: Network, tmp_path: Path
) -> None:
    for user in ("olga", "admin"):
        session = gathered.session(COORDINATOR, user)
        try:
            with pytest.raises(PermissionDenied):
                coordinator.export_htcds(session, CallLogFilter(), tmp_path / "x.csv")
            with pytest.raises(PermissionDenied):
                coordinator.export_ctdc(session, CallLogFilter(), tmp_path / "y.csv")
            assert audit.recent(session.db, 1)[0].action == AuditAction.PERMISSION_DENIED
        finally:
            session.close()
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "y.csv").exists()


# --- CTDC ---------------------------------------------------------------------------------


def _released_combinations(rows: list[dict[str, str]]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(r.values()) for r in rows)


def test_k_anonymity_on_skewed_data() -> None:
    """Many rare combinations: every released combination has at least k rows, blanking
    comes before dropping, and common rows pass unchanged."""
    chance = random.Random(8)
    common = ("2026", "KG-SEZIM", "female", "18-20", "KG", "ForcedLabour", "1" + "0" * 15, "RU")
    rows = [("case", common)] * 40
    for _ in range(300):
        rows.append(
            (
                chance.choice(["case", "contact"]),
                (
                    chance.choice(["2024", "2025", "2026"]),
                    chance.choice(["KG-SEZIM", "KZ-SANA", "KG-COORD"]),
                    chance.choice(["female", "male", "other", ""]),
                    chance.choice(list(standards.CTDC_AGE_BANDS)),
                    chance.choice(["KG", "KZ", "UZ", "TJ", "RU", "TM", ""]),
                    chance.choice(["ForcedLabour", "SexualExploitation", "DebtBondage;Other", ""]),
                    "".join(chance.choice("01") for _ in range(16)),
                    chance.choice(["RU", "KZ", "TR", "AE", ""]),
                ),
            )
        )
    for k in (2, 5, 11):
        result = standards.k_anonymise(rows, k)
        groups = Counter(result.rows)
        assert groups and min(groups.values()) >= k
        assert groups[("case", common)] >= 40
        assert len(result.rows) + result.dropped == len(rows)
        assert result.blanked > 0
    before = Counter((kind, values) for kind, values in rows)
    assert min(before.values()) < 11  # the data was skewed indeed


def _skewed_calls(session: Session, count: int) -> None:
    """``count`` calls with cases: most alike, a few with rare values."""
    chance = random.Random(11)
    for i in range(count):
        rare = i % 4 == 0
        call = record_call(session, phone=f"+996 555 00{i:04d}", call_type="trafficking_concern")
        contacts.save_contact(session, replace(call, caller=Caller(sex="male", age_band="24-26")))
        _open_case(
            session, call,
            sex=chance.choice(["female", "male", "other"]) if rare else "female",
            age=chance.choice(["0-8", "48+", "30-38"]) if rare else "18-20",
            citizenship=chance.choice(["TJ", "UZ", "TM"]) if rare else "KG",
            exploitation=(chance.choice(["OrganRemoval", "ForcedBegging"]),) if rare
            else ("ForcedLabour",),
            control=("Isolation",) if rare else ("WithholdsDocuments",),
            country=chance.choice(["AE", "TR", None]) if rare else "RU",
        )  # fmt: skip


def test_ctdc_export_is_k_anonymous_and_carries_no_ids(gathered: Network, tmp_path: Path) -> None:
    here = gathered.session(COORDINATOR, "bakyt")
    _skewed_calls(here, 28)
    here.close()
    dana = gathered.session(COORDINATOR, "dana")
    try:
        result = coordinator.export_ctdc(dana, CallLogFilter(), tmp_path / "ctdc.csv")
        small = coordinator.export_ctdc(dana, CallLogFilter(), tmp_path / "ctdc3.csv", k=3)
        with pytest.raises(InvalidInput, match="k must be"):
            coordinator.export_ctdc(dana, CallLogFilter(), tmp_path / "bad.csv", k=1)
        exported = _exports(dana)
        secrets = [dana.installation.id, *dict(coordinator.sources(dana))]
    finally:
        dana.close()
    assert not (tmp_path / "bad.csv").exists()
    for path, k, outcome in (
        (tmp_path / "ctdc.csv", 11, result),
        (tmp_path / "ctdc3.csv", 3, small),
    ):
        rows = _read_csv(path)
        assert list(rows[0]) == list(standards.CTDC_HEADERS)
        assert len(rows) == outcome.rows
        groups = _released_combinations(rows)
        assert min(groups.values()) >= k, groups
        data = path.read_bytes()
        _no_canaries(data)
        text = data.decode("utf-8")
        assert "ps1:" not in text and not UUID.search(text)
        for secret in secrets:
            assert secret == LOCAL_SOURCE or secret not in text
    # 21 alike cases survive whole at k = 11; the rare ones are blanked or left out.
    rows = _read_csv(tmp_path / "ctdc.csv")
    alike = [
        r for r in rows
        if r["gender"] == "female" and r["ageBroad"] == "18-20" and r["citizenship"] == "KG"
        and r["typeOfExploitConcatenated"] == "ForcedLabour"
        and r["meansOfControlWithholdsDocuments"] == "1" and r["CountryOfExploitation"] == "RU"
    ]  # fmt: skip
    assert len(alike) >= 21
    assert result.blanked > 0
    assert not any(r["ageBroad"] == "0-8" for r in rows)  # a rare value never shows at k = 11
    assert small.rows >= result.rows
    assert {"count": result.rows, "format": "ctdc-csv", "period": "..", "privacy_level": "k11"} in (
        exported
    )


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def coordinator_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """``hotline coordinator`` in the parser (as hotline.cli registers it; added here if the
    parser does not have it yet)."""
    from hotline import cli, cli_coordinator

    original = cli.build_parser

    def build() -> argparse.ArgumentParser:
        parser = original()
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if "coordinator" in commands.choices:
            return parser

        def command(
            parent: Any, name: str, func: Callable[[argparse.Namespace], int], help_text: str
        ) -> argparse.ArgumentParser:
            sub: argparse.ArgumentParser = parent.add_parser(name, help=help_text)
            cli._common(sub, top=False)
            sub.set_defaults(func=func)
            return sub

        cli_coordinator.register(commands, command)
        return parser

    monkeypatch.setattr(cli, "build_parser", build)


def test_the_command_line_lists_sources_and_exports(
    gathered: Network, tmp_path: Path, capsys: pytest.CaptureFixture[str], coordinator_cli: None
) -> None:
    root = ["--data-dir", str(gathered.dir(COORDINATOR).root), "--user", "dana"]
    code, out, err = run(
        capsys, "coordinator", "sources", "--json", *root, password=PASSWORDS["dana"]
    )
    assert code == 0, err
    listed = json.loads(out)
    assert listed[0]["id"] == LOCAL_SOURCE and len(listed) == 3
    target = tmp_path / "kz.xlsx"
    code, out, err = run(
        capsys, "coordinator", "export", "--format", "htcds-xlsx", "--out", str(target),
        "--source", HOTLINE_B, "--source", "local", *root, password=PASSWORDS["dana"],
    )  # fmt: skip
    assert code == 0, err
    assert "Wrote 2 rows" in out
    book = openpyxl.load_workbook(target, read_only=True)
    organisations = sorted(r[3] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True))
    book.close()
    assert organisations == [COORDINATOR, HOTLINE_B]
    ctdc = tmp_path / "ctdc.csv"
    code, out, err = run(
        capsys, "coordinator", "export", "--format", "ctdc-csv", "--out", str(ctdc), "--k", "2",
        "--since", "2026-01-01", *root, password=PASSWORDS["dana"],
    )  # fmt: skip
    assert code == 0, err
    assert min(_released_combinations(_read_csv(ctdc)).values()) >= 2
    code, out, err = run(
        capsys, "coordinator", "export", "--format", "ctdc-csv", "--out", str(ctdc),
        *root, password=PASSWORDS["dana"],
    )  # fmt: skip
    assert code == 1 and "already exists" in err
    code, out, err = run(
        capsys, "coordinator", "export", "--format", "htcds-csv", "--out", str(tmp_path / "n.csv"),
        "--source", "KG-NOWHERE", *root, password=PASSWORDS["dana"],
    )  # fmt: skip
    assert code == 1 and "no source KG-NOWHERE" in err and not (tmp_path / "n.csv").exists()
    code, out, err = run(
        capsys, "coordinator", "export", "--format", "htcds-csv", "--out", str(tmp_path / "k.csv"),
        "--k", "5", *root, password=PASSWORDS["dana"],
    )  # fmt: skip
    assert code == 2 and "--k" in err


def test_the_documented_columns_are_the_exported_ones() -> None:
    text = (Path(__file__).parents[2] / "docs" / "coordinator.md").read_text("utf-8")
    htcds_part, ctdc_part = text.split("### CTDC-style")
    documented = re.findall(r"^\| `(\w+)` \| .* \| (ours|HTCDS \(to check\)) \|$", htcds_part, re.M)
    assert documented == [
        (name, "ours" if kind == standards.OURS else "HTCDS (to check)")
        for name, _source, kind in standards.HTCDS_COLUMNS
    ]
    assert all(
        name.startswith("hl_") == (kind == standards.OURS)
        for name, _source, kind in standards.HTCDS_COLUMNS
    )
    named = set(re.findall(r"^\| `(\w+)` \|", ctdc_part, re.M))
    assert named == {h for h in standards.CTDC_HEADERS[1:] if not h.startswith("meansOfControl")}
