"""Wrong input through the command line and the services: overlong fields, control
characters, broken characters, impossible or far-away dates, malformed CSV. Each is either
refused with a clear message naming the field, or stored exactly as given; a refusal leaves
no row and no audit entry behind.

Policy (docs/security.md, "wrong input"): names, notes and addresses keep every letter
people type (emoji, right-to-left marks, zero-width joiners, combining accents); NUL and the
other control characters are refused everywhere, line breaks are refused in one-line fields,
lone surrogates are refused; codes, user names and phone numbers take only their own
characters; dates are between 1990 and 2099.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from hotline.errors import InvalidInput, KnownError
from hotline.model.contact_json import contact_to_dict
from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services import contacts, directory, users
from hotline.services.session import Session
from tests.conftest import PASSWORDS, sign_in
from tests.unit.test_cli import run

CALL: dict[str, Any] = {
    "started_at": "2026-11-20T09:15:00+06:00",
    "channel": "phone",
    "call_type": "missing_person",
    "caller": {"region": "Баткен"},
    "summary": "Уулу кайткан жок",
    "notes": "Апасы чалды.",
}
# Legitimate text that must come back exactly as it went in.
FAITHFUL = {
    "rtl": "\u202eАйгүл\u200f",
    "zero_width": "Ай\u200bгүл\u200d",
    "emoji": "👩\u200d👩\u200d👧 𝒜𝓁𝒾 😀",
    "combining": "e\u0301 Ж\u0308 a\u0323\u0302",
    "arabic": "\u0645\u0631\u062d\u0628\u0627 \u200fok",
}
CONTROL = {
    "nul": "a\x00b",
    "bell": "a\x07b",
    "ansi": "\x1b[31mred\x1b[0m",
    "c1": "a\x85b",
    "surrogate": "a\ud800b",
}
RECORD_ACTIONS = ("record.created", "record.edited", "user.added")


def state(session: Session) -> dict[str, int]:
    """Row counts that an accepted write changes, and the audit entries it adds (read through
    an open session: every check sees the latest committed state)."""
    counts = {
        table: int(session.db.scalar(f"SELECT count(*) FROM {table}"))  # noqa: S608
        for table in ("contacts", "record_versions", "organisations", "users")
    }
    marks = ",".join("?" * len(RECORD_ACTIONS))
    counts["audit"] = int(
        session.db.scalar(
            f"SELECT count(*) FROM audit_log WHERE action IN ({marks})",  # noqa: S608
            RECORD_ACTIONS,
        )
    )
    return counts


def common(data_dir: DataDir, user: str = "olga") -> list[str]:
    return ["--data-dir", str(data_dir.root), "--user", user]


def as_user(capsys: pytest.CaptureFixture[str], user: str, *argv: str) -> tuple[int, str, str]:
    return run(capsys, *argv, password=PASSWORDS[user])


def add_call(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path, call: Any
) -> tuple[int, str, str]:
    source = tmp_path / "call.json"
    # ensure_ascii keeps lone surrogates writable as \ud800 escapes, as a script may send.
    source.write_text(json.dumps(call), "utf-8")
    return as_user(capsys, "olga", "contact", "add", "--json", str(source), *common(data_dir))


def with_field(path: str, value: Any) -> dict[str, Any]:
    call = json.loads(json.dumps(CALL))
    section, _dot, key = path.rpartition(".")
    (call.setdefault(section, {}) if section else call)[key] = value
    return dict(call)


def show(capsys: pytest.CaptureFixture[str], data_dir: DataDir, reference: str) -> Any:
    code, out, err = as_user(
        capsys, "olga", "contact", "show", reference, "--json", *common(data_dir)
    )
    assert code == 0, err
    return json.loads(out)


# --- hotline contact add --json ------------------------------------------------------------


@pytest.mark.parametrize("field", ["caller.name", "notes", "summary"])
def test_contact_add_keeps_legitimate_text_exactly(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path, field: str
) -> None:
    text = " | ".join(FAITHFUL.values())
    code, out, err = add_call(capsys, data_dir, tmp_path, with_field(field, text))
    assert code == 0, err
    (added,) = json.loads(out)
    shown = show(capsys, data_dir, added["reference"])
    section, _dot, key = field.rpartition(".")
    assert (shown[section] if section else shown)[key] == text
    # The stored version (history) keeps it too, and searching the phone-less list works.
    session = sign_in(data_dir, "olga")
    try:
        stored = contacts.get_contact(session, added["id"])
        assert contact_to_dict(stored) == shown | {"schema": shown["schema"]}
    finally:
        session.close()


@pytest.mark.parametrize(
    ("field", "kind"),
    [("notes", kind) for kind in sorted(CONTROL)]
    + [("caller.name", "ansi"), ("caller.region", "nul"), ("follow_up.reason", "surrogate")],
)
def test_contact_add_refuses_control_and_broken_characters(
    admin: Session,
    capsys: pytest.CaptureFixture[str],
    data_dir: DataDir,
    tmp_path: Path,
    field: str,
    kind: str,
) -> None:
    before = state(admin)
    code, out, err = add_call(capsys, data_dir, tmp_path, with_field(field, CONTROL[kind]))
    assert code == 1, out
    assert "Internal error" not in err
    assert err.startswith(f"Error: {field}: ")
    assert state(admin) == before


@pytest.mark.parametrize("field", ["caller.name", "caller.region", "summary"])
def test_line_breaks_refused_in_one_line_fields_kept_in_notes(
    admin: Session,
    capsys: pytest.CaptureFixture[str],
    data_dir: DataDir,
    tmp_path: Path,
    field: str,
) -> None:
    before = state(admin)
    code, _out, err = add_call(capsys, data_dir, tmp_path, with_field(field, "first\r\nsecond"))
    assert code == 1
    assert f"{field}: must be a single line" in err
    assert state(admin) == before
    notes = "first line\r\nsecond line\n\tindented"
    code, out, err = add_call(capsys, data_dir, tmp_path, with_field("notes", notes))
    assert code == 0, err
    assert show(capsys, data_dir, json.loads(out)[0]["reference"])["notes"] == notes


BAD_VALUES = [
    ("follow_up.date", "2026-02-30", "not a date like"),
    ("follow_up.date", "31/12/2026", "not a date like"),
    ("follow_up.date", "9999-12-31", "between 1990 and 2099"),
    ("follow_up.date", "0001-01-01", "between 1990 and 2099"),
    ("started_at", "2026-02-30T10:00:00+06:00", "not a date and time"),
    ("started_at", "2026-11-20T10:00:00", "time zone is missing"),
    ("started_at", "9999-12-31T23:59:59-12:00", "between 1990 and 2099"),
    ("started_at", "0001-01-01T00:00:00+14:00", "between 1990 and 2099"),
    ("ended_at", "3000-01-01T00:00:00+00:00", "between 1990 and 2099"),
    ("caller.name", "я" * 201, "too long (at most 200 characters)"),
    ("summary", "x" * 2001, "too long (at most 2000 characters)"),
    ("notes", "n" * 20_001, "too long (at most 20000 characters)"),
    ("caller.name", 42, "expected text"),
    ("case_id", "no-such-case", "there is no case"),
    ("case_id", "a\x00", "control character"),
]


@pytest.mark.parametrize("case", [0, 6, 13])
def test_contact_add_refuses_bad_dates_and_sizes(
    admin: Session, capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path, case: int
) -> None:
    field, value, message = BAD_VALUES[case]
    before = state(admin)
    code, _out, err = add_call(capsys, data_dir, tmp_path, with_field(field, value))
    assert code == 1
    assert f"{field}: " in err and message in err, err
    assert "Internal error" not in err
    assert state(admin) == before


def test_every_bad_date_and_size_is_named(data_dir: DataDir) -> None:
    """The whole list through the service the CLI uses (one sign-in for speed)."""
    session = sign_in(data_dir, "olga")
    try:
        for field, value, message in BAD_VALUES:
            with pytest.raises(InvalidInput) as raised:
                contacts.contact_from_json(session, with_field(field, value))
            assert raised.value.message.startswith(f"{field}: "), raised.value.message
            assert message in raised.value.message
    finally:
        session.close()


@pytest.mark.parametrize(
    "phone", ["0555\x00123456", "0555 123 456 📞", "\u202e0555 123 456", "0555\r\n123456"]
)
def test_phone_takes_only_phone_characters(
    admin: Session,
    capsys: pytest.CaptureFixture[str],
    data_dir: DataDir,
    tmp_path: Path,
    phone: str,
) -> None:
    before = state(admin)
    code, _out, err = add_call(capsys, data_dir, tmp_path, with_field("phone", phone))
    assert code == 1
    assert "phone number" in err
    assert state(admin) == before


def test_one_bad_call_in_a_list_stores_none(
    admin: Session, capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path
) -> None:
    before = state(admin)
    calls = [CALL, CALL, with_field("notes", "ok\x00")]
    code, _out, err = add_call(capsys, data_dir, tmp_path, calls)
    assert code == 1 and "notes:" in err
    assert state(admin) == before


def test_the_service_refuses_what_the_form_could_send(data_dir: DataDir) -> None:
    """The call form builds a Contact itself, without the JSON checks: save_contact checks
    its free text too (this is what catches a NUL pasted into the notes)."""
    session = sign_in(data_dir, "olga")
    base = contacts.new_contact(session)
    for changed, label in [
        (replace(base, notes="a\x00b"), "Notes"),
        (replace(base, summary="\x1b[31mred"), "Summary"),
    ]:
        with pytest.raises(InvalidInput, match=label):
            contacts.save_contact(session, changed)
    assert session.db.scalar("SELECT count(*) FROM contacts") == 0
    session.close()


# --- user names and full names --------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["olga\x00x", "\u202eadmin", "a\x1b[31m", "ab\ncd", "айгүл", "😀x"]
)
def test_user_add_refuses_odd_user_names(
    admin: Session,
    capsys: pytest.CaptureFixture[str],
    data_dir: DataDir,
    name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOTLINE_NEW_PASSWORD", "a new password 1")
    before = state(admin)
    code, _out, err = run(
        capsys, "user", "add", name, "--role", "operator", *common(data_dir, "admin")
    )
    assert code == 1
    assert "A user name has 2 to 32 characters" in err
    assert state(admin) == before


@pytest.mark.parametrize("kind", sorted(set(CONTROL) - {"c1"}))  # U+0085 is a line break
def test_user_full_name_refuses_control_characters(admin: Session, kind: str) -> None:
    before = admin.db.scalar("SELECT count(*) FROM users")
    with pytest.raises(InvalidInput, match="Full name"):
        users.add_user(admin, "newone", Role.OPERATOR, "a new password 1", CONTROL[kind])
    assert admin.db.scalar("SELECT count(*) FROM users") == before


def test_user_full_name_keeps_letters_emoji_and_marks(admin: Session) -> None:
    name = "Айгүл 👩\u200d👩\u200d👧 \u202eКасымова\u200f e\u0301"
    user = users.add_user(admin, "newone", Role.OPERATOR, "a new password 1", name)
    assert user.display_name == name
    (stored,) = [u for u in users.list_users(admin) if u.username == "newone"]
    assert stored.display_name == name


def test_user_full_name_line_break_becomes_a_space(admin: Session) -> None:
    user = users.add_user(admin, "newone", Role.OPERATOR, "a new password 1", "Ай\r\nгү\x85л")
    assert user.display_name == "Ай гү л"


# --- --since and --until -------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2026-02-30", "31/12/2026"])
@pytest.mark.parametrize(
    ("user", "argv"),
    [
        ("olga", ("contact", "list")),
        ("bakyt", ("stats",)),
    ],
)
def test_since_refuses_impossible_dates(
    capsys: pytest.CaptureFixture[str],
    data_dir: DataDir,
    user: str,
    argv: tuple[str, ...],
    day: str,
) -> None:
    code, _out, err = as_user(capsys, user, *argv, "--since", day, *common(data_dir, user))
    assert code == 2
    assert "--since takes a date like 2026-11-01" in err


@pytest.mark.parametrize("option", ["--since", "--until"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_statistics_far_dates_are_a_clear_error(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, option: str, day: str
) -> None:
    code, _out, err = as_user(capsys, "bakyt", "stats", option, day, *common(data_dir, "bakyt"))
    assert code == 1, err
    assert "between 1990 and 2099" in err
    assert "Internal error" not in err


# --- hotline contact import ----------------------------------------------------------------

JOURNAL_HEADER = "date;time;phone;call_type;caller_sex;summary;notes"
GOOD_ROW = "21.11.2026;10:05;0555 123 456;consultation;female;Вакансия;Апасы чалды"


def import_journal(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path, raw: bytes
) -> tuple[int, str, str]:
    journal = tmp_path / "journal.csv"
    journal.write_bytes(raw)
    return as_user(
        capsys, "olga", "contact", "import", str(journal), "--utc-offset", "+06:00",
        *common(data_dir),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param(
            (GOOD_ROW + "\n" + GOOD_ROW + "\n").encode(), "first line must name", id="no-header"
        ),
        pytest.param(
            (JOURNAL_HEADER.replace(";", "|") + "\n" + GOOD_ROW.replace(";", "|") + "\n").encode(),
            "first line must name",
            id="wrong-delimiter",
        ),
        pytest.param(
            (JOURNAL_HEADER + "\n" + GOOD_ROW + ';"never closed\n' + GOOD_ROW + "\n").encode(),
            "",
            id="unterminated-quote",
        ),
        pytest.param(
            (JOURNAL_HEADER + "\n" + GOOD_ROW.replace("Апасы", "x" * 10_000_000) + "\n").encode(),
            "",
            id="10MB-line",
        ),
        pytest.param(
            (JOURNAL_HEADER + "\n" + GOOD_ROW + "\x00\x07\n").encode(),
            "control character",
            id="nul-in-notes",
        ),
        pytest.param(
            (JOURNAL_HEADER + "\n" + GOOD_ROW + "\n").encode() + b"\x81\x98\x98;;\n",
            "",
            id="undecodable",
        ),
        pytest.param(
            (JOURNAL_HEADER + "\n2026-02-30;10:05;;consultation;;;\n").encode(),
            "not a date",
            id="feb-30",
        ),
        pytest.param(
            (JOURNAL_HEADER + "\n31.12.9999;10:05;;consultation;;;\n").encode(),
            "between 1990 and 2099",
            id="far-future",
        ),
        pytest.param(
            (JOURNAL_HEADER + "\n;10:05;;consultation;;;\n").encode(),
            "not a date",
            id="empty-date",
        ),
        pytest.param(b"", "first line must name", id="empty-file"),
    ],
)
def test_contact_import_refuses_malformed_journals_whole(
    admin: Session,
    capsys: pytest.CaptureFixture[str],
    data_dir: DataDir,
    tmp_path: Path,
    raw: bytes,
    message: str,
) -> None:
    before = state(admin)
    code, _out, err = import_journal(capsys, data_dir, tmp_path, raw)
    assert code == 1
    assert "Internal error" not in err, err
    assert err.startswith("Error: ")
    assert message in err, err[:500]
    assert state(admin) == before


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1251"]
)
def test_contact_import_reads_every_bom_and_windows_cyrillic(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path, encoding: str
) -> None:
    text = JOURNAL_HEADER + "\n" + GOOD_ROW + "\n"
    if encoding.endswith("-bom"):
        codec = encoding.removesuffix("-bom")
        raw = ("\ufeff" + text).encode(codec)
    else:
        raw = text.encode(encoding)
    code, _out, err = import_journal(capsys, data_dir, tmp_path, raw)
    assert code == 0, err
    code, out, _err = as_user(capsys, "olga", "contact", "list", "--json", *common(data_dir))
    (listed,) = json.loads(out)
    assert show(capsys, data_dir, listed["reference"])["notes"] == "Апасы чалды"


def test_latin1_journal_is_either_read_or_refused_never_half(
    admin: Session, capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path
) -> None:
    row = "21.11.2026;10:05;0555 123 456;consultation;female;Café;Zürich ½ ©"
    raw = (JOURNAL_HEADER + "\n" + row + "\n").encode("latin-1")
    before = state(admin)
    code, _out, err = import_journal(capsys, data_dir, tmp_path, raw)
    assert "Internal error" not in err
    # Latin-1 bytes are valid Windows-1251 (read as Cyrillic look-alikes): one call, or none.
    after = state(admin)
    assert after["contacts"] - before["contacts"] == (1 if code == 0 else 0)


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")']


def test_formula_text_is_stored_faithfully_and_neutralised_in_the_export(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path
) -> None:
    rows = [f'2026-11-21;10:0{i};;consultation;;"{f.replace(chr(34), 2 * chr(34))}";n'
            for i, f in enumerate(FORMULAS)]  # fmt: skip
    code, _out, err = import_journal(
        capsys, data_dir, tmp_path, (JOURNAL_HEADER + "\n" + "\n".join(rows) + "\n").encode()
    )
    assert code == 0, err
    session = sign_in(data_dir, "olga")
    try:
        listed = contacts.list_contacts(session, contacts.ListQuery())
        summaries = {contacts.get_contact(session, c.id).summary for c in listed}
    finally:
        session.close()
    assert summaries == set(FORMULAS)
    out = tmp_path / "calls.csv"
    code, _o, err = as_user(
        capsys, "bakyt", "calls", "export", "--out", str(out), "--with", "summary",
        *common(data_dir, "bakyt"),
    )  # fmt: skip
    assert code == 0, err
    cells = [cell for row in csv.reader(io.StringIO(out.read_text("utf-8-sig"))) for cell in row]
    for formula in FORMULAS:
        assert formula not in cells
        assert "'" + formula in cells


# --- hotline directory import --------------------------------------------------------------

DIRECTORY_HEADER = "name,type,country,phones,notes,verified_on"


def import_directory(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path, raw: bytes
) -> tuple[int, str, str]:
    source = tmp_path / "directory.csv"
    source.write_bytes(raw)
    return as_user(capsys, "bakyt", "directory", "import", str(source), *common(data_dir, "bakyt"))


@pytest.fixture
def seeded(data_dir: DataDir) -> DataDir:
    session = sign_in(data_dir, "bakyt")
    try:
        directory.ensure_seeded(session)
    finally:
        session.close()
    return data_dir


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param(b"Sezim,NGO,KG\n", "first line must name", id="no-header"),
        pytest.param(
            (DIRECTORY_HEADER.replace(",", ";") + "\nSezim;NGO;KG;;;\n").encode(),
            "first line must name",
            id="wrong-delimiter",
        ),
        pytest.param(
            (DIRECTORY_HEADER + '\nSezim,NGO,KG,,"never closed\nOther,NGO,KG,,,\n').encode(),
            "",
            id="unterminated-quote",
        ),
        pytest.param(
            (DIRECTORY_HEADER + "\nSezim,NGO,KG,," + "x" * 10_000_000 + ",\n").encode(),
            "",
            id="10MB-line",
        ),
        pytest.param(
            (DIRECTORY_HEADER + "\nSe\x00zim,NGO,KG,,,\n").encode(),
            "name: contains an invisible control character",
            id="nul-in-name",
        ),
        pytest.param(
            (DIRECTORY_HEADER + "\n\x1b[31mSezim,NGO,KG,,,\n").encode(),
            "control character",
            id="ansi-in-name",
        ),
        pytest.param(
            (DIRECTORY_HEADER + '\n"Se\nzim",NGO,KG,,,\n').encode(),
            "name: must be a single line",
            id="newline-in-name",
        ),
        pytest.param(
            (DIRECTORY_HEADER + "\nSezim,NGO,KG,,,2026-02-30\n").encode(),
            "verified_on: not a date",
            id="feb-30",
        ),
        pytest.param(
            (DIRECTORY_HEADER + "\nSezim,NGO,KG,,,9999-01-01\n").encode(),
            "between 1990 and 2099",
            id="far-future",
        ),
        pytest.param(
            (DIRECTORY_HEADER + "\n" + "S" * 301 + ",NGO,KG,,,\n").encode(),
            "Too long: name",
            id="overlong-name",
        ),
        pytest.param(
            (DIRECTORY_HEADER + "\nSezim,NGO,KG,0555 📞,,\n").encode(),
            "phone number",
            id="emoji-phone",
        ),
        pytest.param("name,type\nCafé,NGO\n".encode("latin-1"), "Cannot read", id="latin-1"),
        pytest.param(b"", "first line must name", id="empty-file"),
    ],
)
def test_directory_import_refuses_malformed_files_whole(
    admin: Session,
    capsys: pytest.CaptureFixture[str],
    seeded: DataDir,
    tmp_path: Path,
    raw: bytes,
    message: str,
) -> None:
    before = state(admin)
    code, _out, err = import_directory(capsys, seeded, tmp_path, raw)
    assert code == 1
    assert "Internal error" not in err, err
    assert message in err, err[:500]
    assert state(admin) == before


@pytest.mark.parametrize("bom", ["utf-8", "utf-8-sig"])
def test_directory_import_keeps_names_exactly_and_export_neutralises_formulas(
    capsys: pytest.CaptureFixture[str], seeded: DataDir, tmp_path: Path, bom: str
) -> None:
    name = "Сезим 👩\u200d👧 \u202eالأمل\u200f e\u0301"
    rows = [[name, "NGO", "KG", "0312 66 33 44", "Заметка\r\nвторая строка", "2026-11-01"]]
    rows += [[formula, "NGO", "KG", "", "", ""] for formula in FORMULAS]
    text = io.StringIO()
    csv.writer(text).writerows([DIRECTORY_HEADER.split(","), *rows])
    code, _out, err = import_directory(capsys, seeded, tmp_path, text.getvalue().encode(bom))
    assert code == 0, err
    session = sign_in(seeded, "bakyt")
    try:
        found = {org.name: org for org in directory.search(session)}
        # The CLI reads text with universal newlines: the line break comes back as \n.
        assert found[name].notes == "Заметка\nвторая строка"
        assert set(FORMULAS) <= set(found)
        exported = directory.export_csv(session)
    finally:
        session.close()
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert name in cells
    for formula in FORMULAS:
        assert formula not in cells
        assert "'" + formula in cells


def test_directory_service_refuses_control_characters_in_every_text_field(
    data_dir: DataDir,
) -> None:
    from hotline.model.organisation import Organisation

    session = sign_in(data_dir, "bakyt")
    try:
        base = Organisation(id="x", version=0, name="Sezim")
        before = session.db.scalar("SELECT count(*) FROM organisations")
        for column in ("name", "region", "city", "address", "email", "hours", "cost", "source"):
            org = replace(base, **{column: "bad\x00value"})  # type: ignore[arg-type]
            with pytest.raises(KnownError, match=column):
                directory.save(session, org)
        org = replace(base, other_names=("ok", "bad\x07"))
        with pytest.raises(KnownError, match="other_names"):
            directory.save(session, org)
        assert session.db.scalar("SELECT count(*) FROM organisations") == before
    finally:
        session.close()


def test_nul_never_reaches_the_database_through_any_writer(admin: Session) -> None:
    """The round trip the NUL policy protects: SQLite stores a NUL but LIKE, instr() and
    the C API truncate at it in places. Refusing it at every entry keeps the column clean."""
    assert admin.db.scalar("SELECT count(*) FROM contacts WHERE instr(notes, char(0)) > 0") == 0
    olga = sign_in(admin.data_dir, "olga")
    try:
        with pytest.raises(InvalidInput):
            contacts.contact_from_json(olga, with_field("notes", "x\x00y"))
    finally:
        olga.close()
    with pytest.raises(InvalidInput):
        users.add_user(admin, "nulname", Role.OPERATOR, "a new password 1", "x\x00y")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30"])
def test_contact_list_refuses_a_date_out_of_range_as_a_usage_error(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, day: str
) -> None:
    code, _out, err = run(
        capsys, "contact", "list", "--since", day, "--data-dir", str(data_dir.root),
        "--user", "olga", password=PASSWORDS["olga"],
    )  # fmt: skip
    assert code == 2 and "--since takes a date like" in err
