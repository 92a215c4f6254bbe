"""CSV and XLSX exports of statistics tables and of the call list, read back with the csv
module and openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from hotline import audit
from hotline.errors import InvalidInput, KnownError, PermissionDenied
from hotline.model.call_log import CallLogFilter
from hotline.model.contact import Caller, FollowUp
from hotline.model.statistics import Dimension
from hotline.paths import DataDir
from hotline.phones import parse_phone
from hotline.reports.spreadsheet import (
    MAX_SHEET_NAME,
    csv_bytes,
    neutral,
    sheet_names,
    write_csv,
    write_xlsx,
)
from hotline.reports.tables import Table, breakdown_table
from hotline.services import call_log, reports, statistics
from hotline.services.session import Session
from hotline.statistics_labels import label
from hotline.store.repositories import contacts
from tests.conftest import sign_in
from tests.unit.reports_support import seed_calls

CANARIES = {
    "name": "CANARY-NAME-Айгүл",
    "notes": "CANARY-NOTES апасы",
    "summary": '=HYPERLINK("http://x","CANARY-SUMMARY")',
    "region": "CANARY-REGION",
    "follow_up_reason": "CANARY-REASON",
}
CANARY_PHONE = "0555 987 654"  # kept as +996555987654


@pytest.fixture
def bakyt(data_dir: DataDir) -> Iterator[Session]:
    session = sign_in(data_dir, "bakyt")
    yield session
    session.close()


@pytest.fixture
def dana(data_dir: DataDir) -> Iterator[Session]:
    session = sign_in(data_dir, "dana")
    yield session
    session.close()


def seed_with_canaries(session: Session, count: int = 12) -> None:
    made = seed_calls(session, count)
    with session.db.transaction():
        for contact in made:
            changed = replace(
                contact,
                version=2,
                caller=Caller(
                    sex="female", age_band="18-20", country="KG",
                    region=CANARIES["region"], name=CANARIES["name"],
                ),
                phone=parse_phone(CANARY_PHONE, "KG"),
                summary=CANARIES["summary"],
                notes=CANARIES["notes"],
                follow_up=FollowUp(
                    date=contact.started_at.date(), reason=CANARIES["follow_up_reason"]
                ),
            )  # fmt: skip
            assert contacts.update(session.db, changed, True)


def xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(package.read(n).decode("utf-8") for n in package.namelist())


def last_audit(session: Session) -> tuple[str, dict[str, object]]:
    row = audit.recent(session.db, 1)[0]
    return row.action, json.loads(row.details)


def test_statistics_workbook_has_a_sheet_per_table_with_numbers(
    bakyt: Session, tmp_path: Path
) -> None:
    seed_calls(bakyt, 30)
    target = tmp_path / "figures.xlsx"
    dimensions = [Dimension.CALL_TYPE, Dimension.CALLER_SEX, Dimension.TOPIC]
    assert reports.export_statistics(bakyt, CallLogFilter(), target, "xlsx", dimensions) == 4
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Summary", "Call type", "Caller's sex", "Topic"]
    summary = statistics.summary(bakyt, CallLogFilter())
    sheet = book["Summary"]
    assert [c.value for c in sheet[1]] == ["Figure", "Count"]
    assert all(c.font.b for c in sheet[1])
    assert sheet["B2"].value == summary.contacts == 30
    assert sheet["B2"].data_type == "n"
    found = statistics.breakdown(bakyt, CallLogFilter(), Dimension.CALL_TYPE)
    sheet = book["Call type"]
    assert [c.value for c in sheet[1]] == ["Call type", "Count", "Share (%)"]
    rows = {r[0]: (r[1], r[2]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    for cell in found.cells:
        count, share = rows[label(Dimension.CALL_TYPE, cell.code)]
        assert count == cell.count
        assert share == pytest.approx(100 * cell.count / found.total, abs=0.05)
    assert rows["Total"][0] == found.total == 30
    action, details = last_audit(bakyt)
    assert action == "report.exported"
    assert details["format"] == "xlsx"
    assert details["columns"] == "summary,call_type,caller_sex,topic"


def test_statistics_csv_holds_one_table(bakyt: Session, tmp_path: Path) -> None:
    seed_calls(bakyt, 20)
    target = tmp_path / "types.csv"
    reports.export_statistics(bakyt, CallLogFilter(), target, "csv", [Dimension.CALL_TYPE])
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Call type", "Count", "Share (%)"]
    assert rows[-1][:2] == ["Total", "20"]
    with pytest.raises(InvalidInput, match="one table"):
        reports.export_statistics(
            bakyt, CallLogFilter(), tmp_path / "two.csv", "csv",
            [Dimension.CALL_TYPE, Dimension.TOPIC],
        )  # fmt: skip
    assert not (tmp_path / "two.csv").exists()
    reports.export_statistics(bakyt, CallLogFilter(), tmp_path / "summary.csv", "csv", [])
    summary = list(csv.reader(io.StringIO((tmp_path / "summary.csv").read_text("utf-8-sig"))))
    assert summary[1] == ["Contacts", "20"]


def test_formula_text_is_neutralised_and_never_a_formula(tmp_path: Path) -> None:
    table = Table(
        "=Sheet", ("Text", "Number"),
        (
            ("=1+1", 1),
            ("+cmd|' /C calc'!A0", 2.5),
            ("-2+3+cmd|' /C calc'!A0", -3),
            ("@SUM(A1)", None),
            ("\tTAB", 0),
            ("\rCR", 0),
            ("-5", 0),
            ("+996 555 123 456", 0),
            ("a\x01b <&> \"q\"", 0),
            ("Ошибка", 0),
        ),
    )  # fmt: skip
    write_xlsx([table], tmp_path / "t.xlsx")
    assert "<f>" not in xlsx_text(tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert sheet is not None
    values = [(c.value, c.data_type) for c in sheet["A"][1:]]
    assert values == [
        ("'=1+1", "s"),
        ("'+cmd|' /C calc'!A0", "s"),
        ("'-2+3+cmd|' /C calc'!A0", "s"),
        ("'@SUM(A1)", "s"),
        ("'\tTAB", "s"),
        ("'\rCR", "s"),
        ("-5", "s"),
        ("+996 555 123 456", "s"),
        ('ab <&> "q"', "s"),
        ("Ошибка", "s"),
    ]
    assert [c.value for c in sheet["B"][1:4]] == [1, 2.5, -3]
    assert sheet["B5"].value is None
    write_csv(table, tmp_path / "t.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:6]] == [
        "'=1+1", "'+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)", "'\tTAB",
    ]  # fmt: skip
    assert rows[4][1] == ""
    assert rows[2][1] == "2.5"


def test_neutral_keeps_plain_text_and_numbers() -> None:
    assert neutral("Бишкек") == "Бишкек"
    assert neutral("") == ""
    assert neutral("+996 312 623 344; 189") == "+996 312 623 344; 189"
    assert neutral("-") == "'-"
    assert neutral("=") == "'="


def test_several_tables_in_one_csv_each_under_its_title() -> None:
    tables = [
        Table("First", ("A", "B"), (("x", 1),)),
        Table("=Second", ("C",), (("y",),)),
    ]
    raw = csv_bytes(tables)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [["First"], ["A", "B"], ["x", "1"], [], ["'=Second"], ["C"], ["y"]]


def test_sheet_names_are_valid_short_and_unique() -> None:
    names = sheet_names(
        [
            "Caller's country / region [all]: *?",
            "A" * 40,
            "A" * 40,
            "a" * 40,
            "",
            "History",
            "'quoted'",
        ]
    )
    assert names[0] == "Caller's country region all"
    assert names[1] == "A" * 31
    assert names[2] == "A" * 27 + " (2)"
    assert names[3] == "a" * 27 + " (3)"
    assert names[4] == "Sheet5"
    assert names[5] == "History 1"
    assert names[6] == "quoted"
    assert all(len(n) <= MAX_SHEET_NAME for n in names)
    assert len({n.casefold() for n in names}) == len(names)


def test_workbook_with_clashing_titles_opens(tmp_path: Path) -> None:
    tables = [Table("Topic × Caller's sex: a very long title indeed", ("x",), ((1,),))] * 3
    write_xlsx(tables, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert len(set(book.sheetnames)) == 3


def test_default_call_list_has_no_identifying_data(dana: Session, tmp_path: Path) -> None:
    seed_with_canaries(dana)
    for fmt in reports.FORMATS:
        target = tmp_path / f"calls.{fmt}"
        assert reports.export_call_list(dana, CallLogFilter(), target, fmt) == 12
        text = xlsx_text(target) if fmt == "xlsx" else target.read_text("utf-8-sig")
        for canary in ("CANARY", "Айгүл", "апасы", "987", "Ош"):
            assert canary not in text, (fmt, canary)
        action, details = last_audit(dana)
        assert action == "report.exported"
        assert details["count"] == 12
        assert details["columns"] == ",".join(reports.DEFAULT_COLUMNS)
        assert "CANARY" not in json.dumps(details)
    book = openpyxl.load_workbook(tmp_path / "calls.xlsx")
    sheet = book["Calls"]
    headers = [c.value for c in sheet[1]]
    assert headers == [reports.COLUMN_TITLES[c] for c in reports.DEFAULT_COLUMNS]
    first = dict(zip(headers, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert first["Reference"] == "KG-TEST-26-00000"
    assert first["Call type"] == "Consultation"
    assert first["Caller's country"] == "KG"
    assert first["Caller's sex"] == "Female"
    assert first["Channel"] == "Messenger or chat"
    assert first["Reviewed"] == "no"


def test_extra_columns_are_refused_to_a_coordinator_and_audited(
    dana: Session, tmp_path: Path
) -> None:
    seed_with_canaries(dana, 3)
    target = tmp_path / "calls.csv"
    with pytest.raises(PermissionDenied):
        reports.export_call_list(dana, CallLogFilter(), target, "csv", ("phone",))
    assert not target.exists()
    assert not (tmp_path / "calls.csv.tmp").exists()
    action, details = last_audit(dana)
    assert action == "permission.denied"
    assert details == {"denied_action": "export_identifying"}
    with pytest.raises(InvalidInput, match="no extra column"):
        reports.export_call_list(dana, CallLogFilter(), target, "csv", ("reference",))


def test_a_supervisor_chooses_extra_columns(bakyt: Session, tmp_path: Path) -> None:
    seed_with_canaries(bakyt, 3)
    target = tmp_path / "calls.xlsx"
    extras = ("notes", "phone", "name", "summary")
    reports.export_call_list(bakyt, CallLogFilter(), target, "xlsx", extras)
    sheet = openpyxl.load_workbook(target)["Calls"]
    headers = [c.value for c in sheet[1]]
    assert headers[-4:] == ["Caller's name", "Phone number", "Summary", "Notes"]
    row = dict(zip(headers, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert row["Caller's name"] == CANARIES["name"]
    assert row["Phone number"] == "+996 555 987 654"
    assert row["Notes"] == CANARIES["notes"]
    assert row["Summary"] == "'" + CANARIES["summary"]  # neutralised, and not a formula
    assert sheet.cell(2, headers.index("Summary") + 1).data_type == "s"
    action, details = last_audit(bakyt)
    assert action == "report.exported"
    assert details["columns"] == ",".join(
        (*reports.DEFAULT_COLUMNS, "name", "phone", "summary", "notes")
    )
    assert "CANARY" not in json.dumps(details)


def test_every_column_code_fits_in_the_audit_log() -> None:
    every = reports.call_list_columns(reports.IDENTIFYING_COLUMNS)
    assert reports.codes_detail(every) == ",".join(every)
    long = tuple(d.value for d in Dimension) * 2
    cut = reports.codes_detail(long)
    assert len(cut) <= audit.MAX_DETAIL_LENGTH
    assert cut.startswith("day,week,month,") and cut.rsplit(",", 1)[1].startswith("+")


def test_a_long_call_list_is_complete_and_in_order(bakyt: Session, tmp_path: Path) -> None:
    made = seed_calls(bakyt, 5 * call_log.PAGE_SIZE + 37, step=dt.timedelta(minutes=7))
    expected = [c.reference for c in sorted(made, key=lambda c: c.started_at)]
    for fmt in reports.FORMATS:
        target = tmp_path / f"all.{fmt}"
        assert reports.export_call_list(bakyt, CallLogFilter(), target, fmt) == len(made)
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))[1:]
            references = [r[0] for r in rows]
        else:
            book = openpyxl.load_workbook(target, read_only=True)
            references = [r[0] for r in book["Calls"].iter_rows(min_row=2, values_only=True)]
            book.close()
        assert references == expected, fmt
    # A filter narrows the export as it narrows the log.
    only = CallLogFilter(call_types=("missing_person",))
    count = reports.export_call_list(bakyt, only, tmp_path / "some.csv", "csv")
    assert (
        count
        == call_log.query(bakyt, only).count()
        == sum(c.call_type == "missing_person" for c in made)
    )


def test_breakdown_table_orders_age_bands_by_the_taxonomy(bakyt: Session) -> None:
    seed_calls(bakyt, 30)
    found = statistics.breakdown(bakyt, CallLogFilter(), Dimension.CALLER_AGE)
    table = breakdown_table(found)
    labels = [r[0] for r in table.rows]
    assert labels[:3] == ["18–20", "30–38", "48 and older"]
    assert labels[-1] == "Total"


def test_an_unwritable_target_is_a_known_error(bakyt: Session, tmp_path: Path) -> None:
    seed_calls(bakyt, 3)
    out = tmp_path / "out"
    out.mkdir()
    for fmt in reports.FORMATS:
        target = out / "missing-folder" / f"calls.{fmt}"
        with pytest.raises(KnownError, match="Cannot write"):
            reports.export_call_list(bakyt, CallLogFilter(), target, fmt)
    assert list(out.iterdir()) == []
    assert last_audit(bakyt)[0] != "report.exported"
