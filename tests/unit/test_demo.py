"""The demo data generator: a realistic, reproducible data set written in bulk into a real
installation, consistent with what the services would write (search index, counters,
taxonomy codes), refused where real calls exist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotline import audit, cli
from hotline.audit import AuditAction
from hotline.demo import generator, phrases
from hotline.errors import KnownError
from hotline.model.call_log import CallLogFilter
from hotline.paths import DataDir
from hotline.services import call_log, contacts, maintenance, statistics
from hotline.services import session as session_service
from hotline.services.session import Session
from hotline.store import connection
from hotline.taxonomy import taxonomy
from tests.conftest import PASSWORDS, sign_in

COUNT = 3000


@pytest.fixture
def loaded(data_dir: DataDir) -> tuple[DataDir, generator.DemoResult]:
    admin = sign_in(data_dir, "admin")
    try:
        result = generator.load(admin, COUNT, seed=7, years=3)
    finally:
        admin.close()
    return data_dir, result


def _rows(session: Session, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in session.db.query(sql)]


def test_counts_distributions_and_consistency(
    loaded: tuple[DataDir, generator.DemoResult],
) -> None:
    data_dir, result = loaded
    session = sign_in(data_dir, "bakyt")
    try:
        db = session.db
        assert db.scalar("SELECT count(*) FROM contacts") == COUNT
        assert db.scalar("SELECT count(*) FROM contact_numbers") == COUNT
        assert result.cases > 10 and result.referrals > 100 and result.screenings > 100
        assert db.scalar("SELECT count(*) FROM cases") == result.cases
        assert db.scalar("SELECT count(*) FROM persons") == result.cases
        assert db.scalar("SELECT count(*) FROM referrals") == result.referrals
        assert db.scalar("SELECT count(*) FROM screenings") == result.screenings
        languages = {r[0] for r in _rows(session, "SELECT DISTINCT call_language FROM contacts")}
        assert set(phrases.LANGUAGES) <= languages
        topics = {r[0] for r in _rows(session, "SELECT DISTINCT topic FROM contact_topics")}
        assert topics and topics <= set(taxonomy().codes("topics"))
        for column, list_name in (
            ("call_type", "call_types"), ("risk_level", "risk_levels"),
            ("caller_age_band", "age_bands"), ("channel", "channels"),
        ):  # fmt: skip
            found = {r[0] for r in _rows(session, f"SELECT DISTINCT {column} FROM contacts")}  # noqa: S608
            assert found - {None} <= set(taxonomy().codes(list_name)), column
        # The topics column and the contact_topics table say the same.
        for cid, text in _rows(session, "SELECT id, topics FROM contacts LIMIT 300"):
            listed = {r[0] for r in db.query(
                "SELECT topic FROM contact_topics WHERE contact_id = ?", (cid,))}  # fmt: skip
            assert listed == set(json.loads(str(text)))
        # Repeat callers: numbers in E.164 that call again, some many times.
        repeats = _rows(
            session,
            "SELECT phone_key, count(*) FROM contacts WHERE phone_key IS NOT NULL"
            " GROUP BY phone_key HAVING count(*) > 1 ORDER BY count(*) DESC",
        )
        assert len(repeats) > 50 and int(str(repeats[0][1])) >= 10
        assert all(str(r[0]).startswith("+") and str(r[0])[1:].isdigit() for r in repeats)
        # Seasonal peaks: April (spring departures) busier than December.
        months: dict[str, int] = {
            str(month): int(str(count))
            for month, count in _rows(
                session, "SELECT substr(started_at, 6, 2), count(*) FROM contacts GROUP BY 1"
            )
        }
        assert int(str(months["04"])) > 1.4 * int(str(months["12"]))
        # Reference numbers continue after the demo: the counters were moved on.
        for name, value in _rows(session, "SELECT name, value FROM counters"):
            year = str(name).split("-")[1]
            used = db.scalar(
                "SELECT count(*) FROM contacts WHERE substr(started_at, 1, 4) = ?", (year,)
            ) if str(name).startswith("contact-") else None  # fmt: skip
            if used is not None:
                assert int(str(value)) == used
        # ONE audit entry for the whole load.
        loads = [r for r in audit.recent(db, 500) if r.action == AuditAction.DEMO_DATA_LOADED]
        assert len(loads) == 1 and json.loads(loads[0].details) == {"count": COUNT}
        assert (
            db.scalar(
                "SELECT count(*) FROM audit_log WHERE action = 'record.created'"
                " AND target_type = 'contact'"
            )
            == 0
        )
        # A demo call opens through the service, screenings and all.
        cid = str(db.scalar("SELECT contact_id FROM screenings LIMIT 1"))
        contact = contacts.get_contact(session, cid)
        assert contact.screenings and contact.risk_level == contact.screenings[0].level
    finally:
        session.close()


def test_search_statistics_and_integrity(loaded: tuple[DataDir, generator.DemoResult]) -> None:
    data_dir, _result = loaded
    session = sign_in(data_dir, "bakyt")
    try:
        db = session.db
        for word, language in (("паспорт", "ru"), ("pasport", "uz"), ("шиноснома", "tg")):
            expected = db.scalar(
                "SELECT count(*) FROM contacts WHERE summary LIKE ? OR notes LIKE ?",
                (f"%{word}%", f"%{word}%"),
            )
            found = call_log.query(session, CallLogFilter(text=word)).count()
            assert expected > 0 and found >= expected, (word, language)
        summary = statistics.summary(session, CallLogFilter())
        assert summary.contacts == COUNT
        assert 0 < summary.data_contacts < COUNT
        assert summary.repeat_callers > 0 and summary.referrals > 0
        report = maintenance.check(session)
        assert report.ok, report
    finally:
        session.close()


def test_same_seed_same_data(data_dir: DataDir, template: object, tmp_path: object) -> None:
    import shutil
    from pathlib import Path

    from tests.conftest import Template

    assert isinstance(template, Template) and isinstance(tmp_path, Path)
    dumps = []
    for name in ("a", "b"):
        root = tmp_path / name
        shutil.copytree(template.root, root)
        admin = sign_in(DataDir(root), "admin")
        try:
            generator.load(admin, 400, seed=11, years=2)
            dumps.append(
                _rows(
                    admin,
                    "SELECT id, reference, started_at, summary, notes,"
                    " topics, phone_key, risk_level FROM contacts ORDER BY id",
                )
            )
        finally:
            admin.close()
    assert dumps[0] == dumps[1] and len(dumps[0]) == 400


def test_refused_where_real_calls_exist(data_dir: DataDir) -> None:
    olga = sign_in(data_dir, "olga")
    try:
        contacts.save_contact(olga, contacts.new_contact(olga))
    finally:
        olga.close()
    admin = sign_in(data_dir, "admin")
    try:
        with pytest.raises(KnownError, match="1 real calls"):
            generator.load(admin, 50, seed=1)
        assert admin.db.scalar("SELECT count(*) FROM contacts") == 1
        generator.load(admin, 50, seed=1, force=True)
        assert admin.db.scalar("SELECT count(*) FROM contacts") == 51
        assert generator.real_calls(admin) == 1
        # Demo data on demo data is fine: no real call is mixed in.
    finally:
        admin.close()


def test_the_command_makes_an_installation_and_keeps_memory_security_for_real_ones(
    tmp_path: Path,
    data_dir: DataDir,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Into an existing installation: the usual connection settings.
    monkeypatch.setenv("HOTLINE_PASSWORD", PASSWORDS["admin"])
    args = ["demo", "--contacts", "20", "--data-dir", str(data_dir.root), "--user", "admin"]
    assert cli.main(args) == 0
    assert connection._memory_security
    # A new installation holds invented data only: loading may skip the memory wiping.
    fresh = DataDir(tmp_path / "fresh")
    monkeypatch.setenv("HOTLINE_PASSWORD", "demo pass 12345")
    assert cli.main(["demo", "--contacts", "30", "--data-dir", str(fresh.root)]) == 0
    assert not connection._memory_security
    out = capsys.readouterr().out
    assert "Created a demo installation" in out and "Wrote 30 demo calls" in out
    session = session_service.login(fresh, "aigerim", "demo pass 12345")
    try:
        assert session.db.scalar("SELECT count(*) FROM contacts") == 30
    finally:
        session.close()
