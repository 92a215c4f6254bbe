"""The monthly report PDF: a month of calls of known content, read back from the PDF in
English and Russian; fonts embedded, every letter in the font; only supervisors and
coordinators; audited once; nothing written outside the chosen file."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import PermissionDenied
from hotline.i18n import set_language
from hotline.model.call_log import CallLogFilter
from hotline.model.contact import Caller, FollowUp, RouteEvent
from hotline.model.organisation import Organisation
from hotline.model.statistics import Dimension, Period
from hotline.paths import DataDir
from hotline.phones import parse_phone
from hotline.reports import charts
from hotline.reports.monthly import build_monthly_report, write_monthly_report
from hotline.services import cases, contacts, directory, referrals, reviews
from hotline.services.session import Session
from hotline.slips import FONT
from hotline.statistics_labels import label
from tests.conftest import sign_in

OCTOBER = Period.month(2026, 10)
LONG_REGION = "Gʻuzor tumani, Qashqadaryo viloyati, juda uzoq qishloqdagi mahalla nomi bilan"


@dataclass(frozen=True)
class Group:
    """``count`` contacts alike: what they are, who called, from where, about what."""

    count: int
    call_type: str
    sex: str | None = None
    age: str | None = None
    language: str | None = None
    country: str | None = None
    region: str = ""
    topics: tuple[str, ...] = ()
    risk: str | None = None


# 26 contacts with data and 4 without, in October 2026.
GROUPS = (
    Group(10, "consultation", "female", "18-20", "ru", "KG", "Чүй облусу", ("WORK.RULES",), "low"),
    Group(6, "trafficking_concern", "female", "21-23", "ky", "RU", "Ош облусу",
          ("TRAF.SUSPECTED", "WORK.OFFER"), "high"),
    Group(5, "consultation", "male", "30-38", "uz", "KZ", "Қарағанды облысы", ("DOC.LOST",),
          "medium"),
    Group(3, "missing_person", "male", "48+", "tg", "TJ", "Хуҷанд, Ғафуров", ("MISSING.ABROAD",),
          "urgent"),
    Group(2, "consultation", None, None, "uz", "UZ", LONG_REGION),
    Group(2, "silent"),
    Group(1, "prank"),
    Group(1, "wrong_number"),
)  # fmt: skip


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30), dt.UTC)


def save(session: Session, day: dt.date, **changes: object) -> str:
    contact = replace(contacts.new_contact(session), started_at=at(day), **changes)  # type: ignore[arg-type]
    return contacts.save_contact(session, contact).id


def seed(session: Session) -> None:
    """October as GROUPS says, with cases, referrals, reviews and follow-ups; a little of
    September (the month before) and one call in November that must not count."""
    ids: list[str] = []
    number = 0
    for group in GROUPS:
        for index in range(group.count):
            number += 1
            phone = None
            if group.country is not None and group.region != LONG_REGION:
                # The first three trafficking concerns come from one number: a repeat caller.
                repeat = group.call_type == "trafficking_concern" and index < 3
                phone = parse_phone(f"+996 555 100 {100 if repeat else number:03d}", "KG")
            ids.append(
                save(
                    session,
                    dt.date(2026, 10, 1 + number % 28),
                    call_type=group.call_type,
                    caller=Caller(
                        sex=group.sex,
                        age_band=group.age,
                        country=group.country,
                        region=group.region,
                    ),
                    call_language=group.language,
                    phone=phone,
                    topics=group.topics,
                    risk_level=group.risk,
                )
            )
    today = dt.date.today()
    first = contacts.save_contact(  # done before its date: on time
        session,
        replace(
            contacts.get_contact(session, ids[0]),
            follow_up=FollowUp(date=today + dt.timedelta(days=30), done=True),
        ),
    )
    assert first.follow_up.done_on is not None
    for index, done in ((1, True), (2, False)):  # due 10 October: done late; overdue
        contacts.save_contact(
            session,
            replace(
                contacts.get_contact(session, ids[index]),
                follow_up=FollowUp(date=dt.date(2026, 10, 10), done=done),
            ),
        )
    trafficking = ids[10:12]
    for contact_id, kind, country in zip(
        trafficking, ("ForcedLabour", "SexualExploitation"), ("RU", "KZ"), strict=True
    ):
        case = cases.create_case_from_contact(session, contact_id)
        cases.save_case(
            session,
            replace(case, exploitation_types=(kind,),
                    route=(RouteEvent("Exploitation", country=country),)),
        )  # fmt: skip
    org = directory.save(
        session, Organisation(id="org-m", version=0, name="Shelter (test)", services=("shelter",))
    )
    accepted = referrals.refer(session, trafficking[0], org.id, "shelter", consent=True)
    referrals.set_outcome(session, accepted, "accepted")
    referrals.refer(session, trafficking[1], org.id, "shelter", consent=True)
    referrals.refer(session, ids[16], org.id, "legal", consent=True)
    for contact_id in ids[:4]:
        reviews.save_review(session, contact_id, {"greeting": "met"}, "")
    for day in (3, 4, 5):
        save(session, dt.date(2026, 9, day), call_type="consultation",
             caller=Caller(sex="female", country="KG"))  # fmt: skip
    for day in (6, 7):
        save(session, dt.date(2026, 9, day), call_type="silent")
    save(session, dt.date(2026, 11, 2), call_type="consultation", caller=Caller(country="KG"))


@pytest.fixture
def bakyt(data_dir: DataDir) -> Iterator[Session]:
    session = sign_in(data_dir, "bakyt")
    seed(session)
    yield session
    session.close()


@pytest.fixture
def own_tempdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A temporary directory of this test alone (others' files cannot blur the listing)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    assert tempfile.gettempdir() == str(folder)
    return folder


def text_of(pdf: bytes) -> str:
    """The text of every page, spacing flattened (table cells end up one space apart)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def test_report_in_english_has_the_figures_of_the_month(bakyt: Session) -> None:
    pdf = build_monthly_report(bakyt, OCTOBER)
    text = text_of(pdf)
    for needle in (
        "Monthly report", "Тест", "Бишкек", "October 2026", "September 2026",
        # headline figures, October then September
        "Contacts 30 5", "Contacts with data (not silent, prank or test calls) 26 3",
        "Callers (different phone numbers) 22 0", "Repeat callers (two or more contacts) 1 0",
        "High or urgent risk 9 0", "Referrals 3 0", "Contacts reviewed 4 0",
        "Follow-ups done on time 1 0", "Follow-ups done late 1 0", "Follow-ups overdue 1 0",
        # call type counts every contact; the rest only contacts with data
        "Consultation 17 57%", "Trafficking concern 6 20%", "Prank call 1 3%", "Total 30",
        "Work and migration 16 62%", "Documents 5 19%", "Not recorded 2 8%", "Total 26",
        "Female 16 62%", "Male 8 31%", "18–20 10 38%", "48 and older 3 12%",
        "Kyrgyzstan 10 38%", "Tajikistan 3 12%", "Чүй облусу 10 38%", "Хуҷанд, Ғафуров 3 12%",
        LONG_REGION,
        # cases by country and type of exploitation; referrals by service and outcome
        "Russia 1 50%", "Forced labour 1 50%", "Shelter 2 67%", "Legal aid 1 33%",
        "Accepted by the service 1 33%", "Not known yet 2 67%",
        # cross tables: region × sex (female, male, not recorded, total)
        "Чүй облусу 10 0 0 10", "Қарағанды облысы 0 5 0 5", "Total 16 8 2 26",
        "What is counted", "Page 1 of ",
    ):  # fmt: skip
        assert needle in text, needle
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert f"Page {pages} of {pages}" in text
    assert "Nothing to show" not in text


def test_report_in_russian_speaks_russian(bakyt: Session) -> None:
    set_language("ru")
    text = text_of(build_monthly_report(bakyt, OCTOBER))
    for needle in (
        "Тест", "Октябрь 2026", "Сентябрь 2026", "Киргизия 10 38 %", "Таджикистан 3 12 %",
        "Россия 1 50 %", "Қарағанды облысы 0 5 0 5", "Хуҷанд, Ғафуров", LONG_REGION,
        f"{label(Dimension.CALL_TYPE, 'consultation')} 17 57 %",
        f"{label(Dimension.CALLER_SEX, 'female')} 16 62 %",
    ):  # fmt: skip
        assert needle in text, needle
    assert "Kyrgyzstan" not in text
    assert "October" not in text


def test_fonts_are_embedded_and_hold_every_letter(bakyt: Session) -> None:
    pdf = build_monthly_report(bakyt, OCTOBER)
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert names == {"DejaVuSans", "DejaVuSans-Bold"}
    glyphs = pdfmetrics.getFont(FONT).face.charToGlyph
    letters = set(text_of(pdf)) - {" "}
    assert {"ʻ", "ҷ", "Ғ", "Қ", "ү"} <= letters
    assert {c for c in letters if ord(c) not in glyphs} == set()


def test_an_empty_month_says_so(bakyt: Session) -> None:
    text = text_of(build_monthly_report(bakyt, Period.month(2026, 1)))
    assert "Contacts 0 0" in text
    assert "Nothing to show for this period." in text


def test_a_filter_narrows_the_report_and_says_so(bakyt: Session) -> None:
    pdf = build_monthly_report(bakyt, OCTOBER, filter=CallLogFilter(caller_countries=("KZ",)))
    text = text_of(pdf)
    assert "Contacts 5 0" in text
    assert "Only the contacts that match the chosen call-log filter are counted." in text


def test_audited_once_with_period_and_count(bakyt: Session) -> None:
    build_monthly_report(bakyt, OCTOBER)
    entries = [e for e in audit.recent(bakyt.db, 50) if e.action == AuditAction.REPORT_EXPORTED]
    assert len(entries) == 1
    assert json.loads(entries[0].details) == {
        "count": 30, "format": "pdf", "period": "2026-10-01..2026-10-31",
    }  # fmt: skip


def test_operator_is_refused_and_the_refusal_audited(data_dir: DataDir) -> None:
    olga = sign_in(data_dir, "olga")
    try:
        with pytest.raises(PermissionDenied):
            build_monthly_report(olga, OCTOBER)
        last = audit.recent(olga.db, 1)[0]
        assert last.action == AuditAction.PERMISSION_DENIED
        assert json.loads(last.details) == {"denied_action": "export_reports"}
        assert not any(e.action == AuditAction.REPORT_EXPORTED for e in audit.recent(olga.db, 50))
    finally:
        olga.close()


def test_coordinator_may_export(data_dir: DataDir) -> None:
    dana = sign_in(data_dir, "dana")
    try:
        assert build_monthly_report(dana, OCTOBER).startswith(b"%PDF")
    finally:
        dana.close()


def test_written_only_to_the_target(bakyt: Session, own_tempdir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    target = folder / "october.pdf"
    before = sorted(os.listdir(own_tempdir))
    write_monthly_report(bakyt, OCTOBER, target)
    assert sorted(os.listdir(own_tempdir)) == before
    assert os.listdir(folder) == ["october.pdf"]
    assert "Contacts 30 5" in text_of(target.read_bytes())


def test_long_chart_labels_wrap_within_their_width() -> None:
    width = 40.0
    for text in (LONG_REGION, "Ғафуров" * 12, "short"):
        lines = charts.wrap_label(text, width)
        assert 1 <= len(lines) <= charts.MAX_LABEL_LINES
        assert all(stringWidth(line, FONT, charts.LABEL_SIZE) <= width for line in lines)
    assert charts.wrap_label("short", width) == ["short"]
    assert charts.wrap_label(LONG_REGION, width)[-1].endswith("…")
