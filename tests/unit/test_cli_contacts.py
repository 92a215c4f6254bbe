"""`hotline contact add|show|list|import` as a script uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotline.paths import DataDir
from tests.conftest import PASSWORDS
from tests.unit.test_cli import run

CALL = {
    "started_at": "2026-11-20T09:15:00+06:00",
    "ended_at": "2026-11-20T09:27:30+06:00",
    "channel": "phone",
    "call_type": "missing_person",
    "caller": {"relationship": "relative", "sex": "female", "age_band": "39-47",
               "citizenship": "KG", "country": "KG", "region": "Баткен"},
    "call_language": "ky",
    "phone": "0555 123 456",
    "topics": ["MISSING.ABROAD"],
    "summary": "Уулу Казандан кайткан жок",
    "notes": "Апасы чалды. Телефону өчүк.",
    "consent": {"keep_data": True, "refer": True, "share": False},
    "follow_up": {"date": "2026-11-27", "reason": "Кайра чалуу"},
}  # fmt: skip


def common(data_dir: DataDir) -> list[str]:
    return ["--data-dir", str(data_dir.root), "--user", "olga"]


def olga(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run(capsys, *argv, password=PASSWORDS["olga"])


def test_add_show_and_list_by_any_phone_format(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path
) -> None:
    source = tmp_path / "call.json"
    source.write_text(json.dumps(CALL, ensure_ascii=False), "utf-8")
    code, out, err = olga(capsys, "contact", "add", "--json", str(source), *common(data_dir))
    assert code == 0, err
    (added,) = json.loads(out)
    code, out, err = olga(
        capsys, "contact", "show", added["reference"], "--json", *common(data_dir)
    )
    assert code == 0, err
    shown = json.loads(out)
    assert shown["notes"] == CALL["notes"]
    assert shown["phone"]["e164"] == "+996555123456"
    assert shown["phone"]["typed"] == "0555 123 456"
    assert shown["duration_seconds"] == 750
    for number in ("+996555123456", "0555-12-34-56", "996 555 123 456"):
        code, out, _err = olga(
            capsys, "contact", "list", "--phone", number, "--json", *common(data_dir)
        )
        assert [c["id"] for c in json.loads(out)] == [added["id"]], number
    code, out, _err = olga(
        capsys, "contact", "list", "--since", "2026-11-21", "--json", *common(data_dir)
    )
    assert json.loads(out) == []


def test_add_rejects_bad_codes_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path
) -> None:
    source = tmp_path / "calls.json"
    source.write_text(json.dumps([CALL, {**CALL, "topics": ["NOT.A.TOPIC"]}]), "utf-8")
    code, _out, err = olga(capsys, "contact", "add", "--json", str(source), *common(data_dir))
    assert code == 1
    assert "NOT.A.TOPIC" in err
    code, out, _err = olga(capsys, "contact", "list", "--json", *common(data_dir))
    assert json.loads(out) == []


HEADER = ";".join(
    ["date", "time", "phone", "call_type", "caller_sex", "caller_country", "topics", "notes",
     "consent_share", "duration_minutes"]
)  # fmt: skip
JOURNAL = (
    HEADER
    + """
21.11.2026;10:05;0555 123 456;consultation;female;RU;WORK.OFFER;Вакансия в Стамбуле;нет;7
2026-11-21;11:30;+996 700 111 222;missing_person;male;KG;MISSING.ABROAD;Oʻgʻli yoʻqolgan;да;
"""
)


def test_import_journal_all_rows(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path
) -> None:
    journal = tmp_path / "journal.csv"
    journal.write_text(JOURNAL, "utf-8")
    code, out, err = olga(
        capsys, "contact", "import", str(journal), "--utc-offset", "+06:00", *common(data_dir)
    )
    assert code == 0, err
    assert "2" in out
    code, out, _err = olga(capsys, "contact", "list", "--json", *common(data_dir))
    listed = json.loads(out)
    assert len(listed) == 2
    assert {c["started_at"] for c in listed} == {
        "2026-11-21T04:05:00+00:00",
        "2026-11-21T05:30:00+00:00",
    }


def test_import_reports_bad_lines_and_imports_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path
) -> None:
    bad = JOURNAL + "32.13.2026;;0555 12;consultation;;;;;;\n2026-11-22;;;nonsense;;;;;;\n"
    journal = tmp_path / "journal.csv"
    journal.write_bytes(bad.encode("cp1251", errors="replace"))
    code, _out, err = olga(capsys, "contact", "import", str(journal), *common(data_dir))
    assert code == 1
    assert "nothing was imported" in err
    assert "line 4" in err
    assert "line 5" in err
    code, out, _err = olga(capsys, "contact", "list", "--json", *common(data_dir))
    assert json.loads(out) == []
