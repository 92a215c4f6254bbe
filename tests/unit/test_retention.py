"""Retention: old calls lose names, phones and free text everywhere the database keeps them
(rows, saved versions, drafts, the search index), statistics still count them, the run is
audited without values, and after VACUUM the values are gone from the file itself: every
page of the database (free pages included) and of its write-ahead log is decrypted here
with the key and searched, in UTF-8 and UTF-16, beside a control of recent calls whose
values must still be found."""

from __future__ import annotations

import datetime as dt
import json
import time
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from hotline.errors import InvalidInput, KnownError, PermissionDenied
from hotline.exchange import importing, receipts
from hotline.exchange.records import Privacy
from hotline.model.call_log import CallLogFilter
from hotline.model.contact import Caller, Consent, FollowUp, Person, RouteEvent, Screening
from hotline.model.organisation import Organisation
from hotline.paths import DataDir
from hotline.phones import parse_phone
from hotline.services import cases, contacts, directory, referrals, retention, statistics
from hotline.services.session import Session
from hotline.store.connection import PAGE_SIZE
from tests.conftest import PASSWORDS, sign_in
from tests.unit.exchange_support import COORDINATOR, HOTLINE_A, Network, record_call, send

TODAY = dt.date.today()
OLD = dt.datetime.now(dt.UTC) - dt.timedelta(days=500)
RECENT = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
POLICY = retention.Policy(months=12)
RESERVE = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC at the end of every page


def _canaries(tag: str) -> dict[str, str]:
    """One unique value per field that retention removes (Cyrillic and Latin)."""
    mark = uuid.uuid4().hex[:10]
    words = {
        "name": f"Канарейкина{tag}{mark}",
        "region": f"Regionqx{tag}{mark}",
        "summary": f"Сводкащ{tag}{mark}",
        "summary_v1": f"Первоначальноеж{tag}{mark}",
        "notes": f"Notesqz{tag}{mark}",
        "follow": f"Перезвонитьъ{tag}{mark}",
        "answer": f"Ответэ{tag}{mark}",
        "reason": f"Reasonqv{tag}{mark}",
        "no_consent": f"Безсогласияю{tag}{mark}",
        "person": f"Личностьё{tag}{mark}",
        "person_notes": f"Personnotesqj{tag}{mark}",
        "home": f"Родинаы{tag}{mark}",
        "place": f"Placeqk{tag}{mark}",
        "draft": f"Черновикщ{tag}{mark}",
    }
    return words


def _phone(n: int) -> str:
    return f"+996 555 {n:03d} {n * 7 % 1000:03d}"


def _call(
    session: Session, org_id: str, words: dict[str, str], started: dt.datetime, n: int
) -> str:
    """A call holding every kind of removable value, saved twice (two versions), with a
    screening, two referrals, a case with a person and a route, and a draft."""
    base = contacts.new_contact(session)
    call = contacts.save_contact(
        session,
        replace(
            base,
            started_at=started,
            call_type="consultation",
            caller=Caller(
                relationship="self", sex="female", name=words["name"], region=words["region"]
            ),
            phone=parse_phone(_phone(n), "KG"),
            topics=("WORK",),
            summary=words["summary_v1"],
            notes=words["notes"],
            consent=Consent(keep_data=True, refer=True, share=True),
            follow_up=FollowUp(date=TODAY, reason=words["follow"]),
            screenings=(
                Screening("job-offer", 1, {"employer": words["answer"]}, "high", ("I1",), ()),
            ),
        ),
    )
    call = contacts.save_contact(session, replace(call, summary=words["summary"]))
    referrals.refer(session, call.id, org_id, "shelter", consent=True, reason=words["reason"])
    referrals.refer(
        session, call.id, org_id, "shelter", consent=False, no_consent_reason=words["no_consent"]
    )
    person = Person(
        id=str(uuid.uuid4()), version=1, name=words["person"], notes=words["person_notes"],
        home_region=words["home"],
    )  # fmt: skip
    case = cases.create_case_from_contact(session, call.id, person)
    cases.save_case(
        session, replace(case, route=(RouteEvent(kind="Recruitment", place=words["place"]),))
    )
    contacts.save_draft(session, str(uuid.uuid4()), call.id, {"summary": words["draft"]})
    return call.id


# --- reading the file as it is on disk ----------------------------------------------------


def _decrypt_page(key: bytes, page: bytes, first: bool) -> bytes:
    iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + 16]
    body = page[16 if first else 0 : PAGE_SIZE - RESERVE]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def _plaintext_of_files(data_dir: DataDir, key: bytes) -> tuple[bytes, int]:
    """Every page of the database file and every frame of its WAL, decrypted; with the
    number of pages read."""
    parts: list[bytes] = []
    raw = data_dir.database.read_bytes()
    assert len(raw) % PAGE_SIZE == 0
    for number in range(len(raw) // PAGE_SIZE):
        page = raw[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
        parts.append(_decrypt_page(key, page, number == 0))
    pages = len(parts)
    wal = data_dir.database.with_name(data_dir.database.name + "-wal")
    if wal.exists():
        data = wal.read_bytes()
        frame = 24 + PAGE_SIZE
        for offset in range(32, len(data) - frame + 1, frame):
            number = int.from_bytes(data[offset : offset + 4], "big")
            parts.append(_decrypt_page(key, data[offset + 24 : offset + frame], number == 1))
    shm = data_dir.database.with_name(data_dir.database.name + "-shm")
    if shm.exists():
        parts.append(shm.read_bytes())
    return b"".join(parts), pages


def _found(blob: bytes, value: str) -> bool:
    return any(value.encode(codec) in blob for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _all_text(session: Session) -> str:
    """SELECT of every column of every table (virtual tables' shadows included)."""
    db = session.db
    chunks: list[str] = []
    tables = [r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        if table == "contact_text":
            continue  # contentless: read through its shadow tables
        for row in db.query(f'SELECT * FROM "{table}"'):  # noqa: S608 - names from the schema
            for value in row:
                if isinstance(value, bytes):
                    chunks.append(value.decode("utf-8", "replace"))
                elif value is not None:
                    chunks.append(str(value))
    return "\n".join(chunks)


def _index_terms(session: Session) -> set[str]:
    db = session.db
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING fts5vocab(main, contact_text, 'row')"
    )
    terms = {str(r[0]) for r in db.query("SELECT term FROM temp.terms")}
    db.execute("DROP TABLE temp.terms")
    return terms


def _trigrams(value: str) -> set[str]:
    decomposed = unicodedata.normalize("NFD", value.casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return {folded[i : i + 3] for i in range(len(folded) - 2)}


def _matches(session: Session, value: str) -> int:
    return int(
        session.db.scalar(
            "SELECT count(*) FROM contact_text WHERE contact_text MATCH ?", (f'"{value}"',)
        )
    )


# --- the tests ----------------------------------------------------------------------------


@pytest.fixture
def admin_session(data_dir: DataDir) -> Iterator[Session]:
    session = sign_in(data_dir, "admin")
    yield session
    if not session.db.closed:
        session.close()


def test_the_policy_is_off_until_set_and_its_changes_are_audited(admin_session: Session) -> None:
    assert retention.get_policy(admin_session) == retention.Policy()
    assert retention.preview(admin_session, retention.Policy()).calls == 0
    for months in (0, -3, 601):
        with pytest.raises(InvalidInput):
            retention.set_policy(admin_session, retention.Policy(months=months))
    with pytest.raises(InvalidInput, match="Retention is off"):
        retention.apply(admin_session, retention.Policy())
    retention.set_policy(admin_session, retention.Policy(months=18, only_acknowledged=True))
    assert retention.get_policy(admin_session) == retention.Policy(18, True)
    details = admin_session.db.scalar(
        "SELECT details FROM audit_log WHERE action = 'retention.policy_set'"
    )
    assert json.loads(details) == {"months": 18, "acknowledged_only": True}


def test_only_administrators(data_dir: DataDir) -> None:
    session = sign_in(data_dir, "bakyt")
    try:
        with pytest.raises(PermissionDenied):
            retention.preview(session, POLICY)
    finally:
        session.close()


def test_cutoff_takes_whole_calendar_months() -> None:
    assert retention.cutoff(POLICY, dt.date(2026, 4, 10)) == dt.date(2025, 4, 1)
    assert retention.cutoff(retention.Policy(1), dt.date(2026, 1, 31)) == dt.date(2025, 12, 1)
    assert retention.cutoff(retention.Policy(), dt.date(2026, 1, 31)) is None


def test_removed_values_are_gone_from_every_copy_and_from_the_file(data_dir: DataDir) -> None:
    bakyt = sign_in(data_dir, "bakyt")
    org = directory.save(
        bakyt,
        Organisation(id="org-ret", version=0, name="Shelter (retention)", services=("shelter",)),
    )
    old = [_canaries(f"old{i}") for i in range(2)]
    new = [_canaries(f"new{i}") for i in range(2)]
    # The two old calls and one recent call come from one number: a repeat caller.
    old_ids = [
        _call(bakyt, org.id, words, OLD + dt.timedelta(hours=i), 1) for i, words in enumerate(old)
    ]
    new_ids = [_call(bakyt, org.id, words, RECENT, 1 + i) for i, words in enumerate(new)]
    # A draft of a new call, never saved, left a year and a half ago.
    bakyt.db.execute(
        "INSERT INTO drafts (id, owner, contact_id, updated_at, data) VALUES (?, ?, NULL, ?, ?)",
        ("stale", "bakyt", OLD.isoformat(), json.dumps({"summary": old[0]["draft"] + "x"})),
    )
    period = CallLogFilter(
        since=(OLD - dt.timedelta(days=2)).date(), until=(OLD + dt.timedelta(days=2)).date()
    )
    before = statistics.summary(bakyt, period)
    assert (before.contacts, before.callers, before.repeat_callers) == (2, 1, 1)
    bakyt.close()

    admin = sign_in(data_dir, "admin")
    counts = retention.preview(admin, POLICY)
    assert counts.calls == 2
    assert (
        counts.persons == 2
        and counts.cases == 2
        and counts.referrals == 4
        and counts.screenings == 2
    )
    assert counts.drafts == 3  # the two calls' drafts and the stale one
    assert counts.versions == 2 * (3 + 1 + 1)  # 3 of the call, the person, case v2
    with pytest.raises(KnownError, match="changed since the preview"):
        retention.apply(admin, POLICY, expected_calls=5)
    size_before = data_dir.database.stat().st_size
    done = retention.apply(admin, POLICY, expected_calls=counts.calls)
    assert done.calls == 2 and done.free_pages == 0
    assert int(admin.db.scalar("PRAGMA freelist_count")) == 0
    assert retention.preview(admin, POLICY).nothing  # a second run finds nothing left

    # Every value of every table, as SQL sees it.
    text = _all_text(admin)
    for words in old:
        assert [v for v in words.values() if v in text] == []
    for words in new:
        assert [k for k, v in words.items() if k != "summary_v1" and v not in text] == []
    # The search index: a removed value is not found, and no term is left in the index but
    # those of the recent calls' text (trigrams, case and diacritics folded).
    for words in old:
        assert _matches(admin, words["summary"]) == _matches(admin, words["notes"]) == 0
    assert _matches(admin, new[0]["summary"]) == _matches(admin, new[1]["notes"]) == 1
    kept = set().union(*(_trigrams(w[f]) for w in new for f in ("summary", "notes")))
    terms = _index_terms(admin)
    assert terms and terms <= kept
    # The audit entry has counts and the cutoff, never a value.
    details = json.loads(
        admin.db.scalar("SELECT details FROM audit_log WHERE action = 'retention.applied'")
    )
    assert details["count"] == 2 and details["period"].startswith("..")
    assert details["months"] == 12 and details["acknowledged_only"] is False
    key = admin.key
    admin.close()

    # The file itself: every page decrypted, free pages and the WAL included.
    blob, pages = _plaintext_of_files(data_dir, key)
    assert pages == data_dir.database.stat().st_size // PAGE_SIZE
    assert data_dir.database.stat().st_size <= size_before
    for words in old:
        hits = [k for k, v in words.items() if _found(blob, v)]
        assert hits == []
    for words in new:  # the control: decryption works and recent calls are untouched
        assert _found(blob, words["name"]) and _found(blob, words["notes"])
        assert _found(blob, words["person"]) and _found(blob, words["answer"])

    # Statistics still count the old calls, with their codes, and the repeat caller.
    bakyt = sign_in(data_dir, "bakyt")
    try:
        after = statistics.summary(bakyt, period)
        assert (after.contacts, after.callers, after.repeat_callers) == (2, 1, 1)
        assert after.high_risk == before.high_risk and after.referrals == before.referrals
        call = contacts.get_contact(bakyt, old_ids[0])
        assert call.caller.name == "" and call.phone is None and call.summary == ""
        assert call.topics == ("WORK",) and call.screenings[0].indicators == ("I1",)
        assert contacts.get_contact(bakyt, new_ids[0]).caller.name == new[0]["name"]
        assert {d.contact_id for d in contacts.drafts(bakyt)} == set(new_ids)
    finally:
        bakyt.close()


def test_only_calls_whose_batch_was_acknowledged(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    first = [record_call(hotline, started=OLD, name=f"Первый{i}") for i in range(2)]
    time.sleep(1.05)  # stamps have one-second steps: a batch of the same second does not count
    batch = send(hotline, network, Privacy.PSEUDONYMOUS)
    late = record_call(hotline, started=OLD, name="Поздний")  # old, but sent later
    time.sleep(1.05)
    second = send(hotline, network, Privacy.PSEUDONYMOUS)
    unshared = record_call(hotline, started=OLD, share=False, name="Несогласный")
    hotline.close()

    coordinator = network.session(COORDINATOR, "dana")
    importing.import_file(coordinator, batch.path)
    importing.import_file(coordinator, second.path)
    receipt = receipts.write_receipt(coordinator, batch.batch.batch_id, network.root)
    coordinator.close()

    admin = network.session(HOTLINE_A, "admin")
    strict = retention.Policy(months=12, only_acknowledged=True)
    before = retention.preview(admin, strict)
    assert (before.calls, before.waiting) == (0, 4)
    assert retention.preview(admin, POLICY).calls == 4  # by age alone
    admin.close()

    hotline = network.session(HOTLINE_A, "bakyt")
    receipts.read_receipt(hotline, receipt)
    hotline.close()
    admin = network.session(HOTLINE_A, "admin")
    counts = retention.preview(admin, strict)
    # The two calls of the acknowledged batch; the late one waits for its receipt, the one
    # never shared waits for ever (documented).
    assert (counts.calls, counts.waiting) == (2, 2)
    retention.apply(admin, strict, expected_calls=2)
    names = {r[0] for r in admin.db.query("SELECT caller_name FROM contacts")}
    assert names == {"", late.caller.name, unshared.caller.name}
    assert {first[0].id, first[1].id} == {
        r[0] for r in admin.db.query("SELECT id FROM contacts WHERE caller_name = ''")
    }
    admin.close()

    # At the coordinator, received calls go by age: they were never its own to send.
    coordinator_admin = network.session(COORDINATOR, "admin")
    try:
        assert retention.preview(coordinator_admin, strict).calls == 3
    finally:
        coordinator_admin.close()


def _cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: DataDir,
    *argv: str,
) -> tuple[int, str]:  # fmt: skip
    """Run ``hotline retention …`` as the administrator."""
    from hotline import cli

    capsys.readouterr()
    monkeypatch.setenv("HOTLINE_PASSWORD", PASSWORDS["admin"])
    code = cli.main(["retention", *argv, "--data-dir", str(data_dir.root), "--user", "admin"])
    out, err = capsys.readouterr()
    return code, out + err


def test_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: DataDir
) -> None:
    from hotline import cli_retention

    bakyt = sign_in(data_dir, "bakyt")
    old = record_call(bakyt, started=OLD, name="Старый Абонент")
    bakyt.close()
    code, out = _cli(capsys, monkeypatch, data_dir, "show")
    assert code == 0 and "Retention is off" in out
    code, out = _cli(capsys, monkeypatch, data_dir, "set", "--months", "0")
    assert code == 1 and "at least 1 month" in out
    code, out = _cli(capsys, monkeypatch, data_dir, "set", "--months", "12")
    assert code == 0 and "older than 12 whole months" in out and "confirmed" not in out
    assert "confirmed" in cli_retention.policy_text(retention.Policy(12, only_acknowledged=True))
    code, out = _cli(capsys, monkeypatch, data_dir, "preview")
    assert code == 0 and "1 call would lose personal data." in out
    code, out = _cli(capsys, monkeypatch, data_dir, "apply")
    assert code == 0 and "Nothing was changed" in out
    code, out = _cli(capsys, monkeypatch, data_dir, "apply", "--yes")
    assert code == 0 and "Removed personal data from 1 call;" in out
    assert "Старый" not in out
    admin = sign_in(data_dir, "admin")
    try:
        assert admin.db.scalar("SELECT caller_name FROM contacts WHERE id = ?", (old.id,)) == ""
    finally:
        admin.close()
