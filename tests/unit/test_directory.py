"""The referral directory: search across scripts and spellings, editing rights, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from hotline import audit
from hotline.errors import InvalidInput, KnownError, PermissionDenied
from hotline.model.organisation import Organisation
from hotline.paths import DataDir
from hotline.services import directory
from hotline.services.session import Session
from tests.conftest import sign_in


@pytest.fixture
def bakyt(data_dir: DataDir) -> Iterator[Session]:
    session = sign_in(data_dir, "bakyt")  # supervisor: may edit the directory
    yield session
    session.close()


def entry(**changes: object) -> Organisation:
    base = Organisation(
        id="org-test-1",
        version=0,
        name="Crisis Centre Sezim (test)",
        type="NGO",
        other_names=("Кризисный центр «Сезим» (тест)",),
        services=("shelter", "psychological"),
        country="KG",
        region="Jalal-Abad",
        city="Jalal-Abad",
        phones=("189", "+996 312 62 33 44"),
        languages=("ky", "ru"),
        target_groups=("women",),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_search_ignores_case_accents_and_script(bakyt: Session) -> None:
    directory.save(bakyt, entry())
    for text in ("Сезим (тест)", "sezim (TEST)", "Джалал-Абад", "Djalal-Abad", "jalal abad"):
        names = [o.name for o in directory.search(bakyt, text)]
        assert "Crisis Centre Sezim (test)" in names, text
    assert directory.search(bakyt, "Бишкек Сезим (тест)") == []


def test_filters_by_need_place_language_and_group(bakyt: Session) -> None:
    directory.save(bakyt, entry())
    other = entry(
        id="org-test-2", name="Legal aid Almaty (test)", services=("legal",), country="KZ",
        city="Almaty", phones=(), languages=("kk",), target_groups=("migrants",), other_names=(),
    )  # fmt: skip
    directory.save(bakyt, other)

    def names(**criteria: str) -> set[str]:
        return {o.name for o in directory.search(bakyt, "(test)", **criteria)}  # type: ignore[arg-type]

    assert names(service="shelter") == {"Crisis Centre Sezim (test)"}
    assert names(country="kz") == {"Legal aid Almaty (test)"}
    assert names(language="ky") == {"Crisis Centre Sezim (test)"}
    assert names(target_group="migrants") == {"Legal aid Almaty (test)"}


def test_editing_needs_the_right_role_and_is_audited(bakyt: Session, data_dir: DataDir) -> None:
    olga = sign_in(data_dir, "olga")
    with pytest.raises(PermissionDenied):
        directory.save(olga, entry())
    assert directory.search(olga, "Sezim (test)") == []  # reading is for everyone
    olga.close()
    saved = directory.save(bakyt, entry())
    changed = directory.save(bakyt, replace(saved, hours="9–18"))
    assert changed.version == 2
    with pytest.raises(KnownError, match="Someone else changed"):
        directory.save(bakyt, replace(saved, hours="24/7"))
    actions = [(r.action, r.target_type) for r in audit.recent(bakyt.db, 10)]
    assert ("record.edited", "organisation") in actions
    assert ("record.created", "organisation") in actions


def test_phones_are_validated_and_formatted(bakyt: Session) -> None:
    saved = directory.save(bakyt, entry(phones=("189", "0312 62 33 44")))
    assert saved.phones == ("189", "+996 312 623 344")
    with pytest.raises(InvalidInput, match="not a valid phone number"):
        directory.save(bakyt, entry(phones=("0312 62",)))
    with pytest.raises(InvalidInput, match="not a known value"):
        directory.save(bakyt, entry(services=("magic",)))


def test_csv_round_trip_all_or_nothing_and_no_formulas(bakyt: Session) -> None:
    directory.save(bakyt, entry(notes="=HYPERLINK('x')"))
    exported = directory.export_csv(bakyt)
    rows = list(csv.DictReader(io.StringIO(exported)))
    mine = next(r for r in rows if r["id"] == "org-test-1")
    assert mine["notes"].startswith("'=")  # neutralised for spreadsheets
    assert mine["services"] == "shelter; psychological"
    rows_before = len(directory.search(bakyt, include_inactive=True))
    bad = (
        "name,type,services,country,phones\n"
        "Good one (test),NGO,shelter,KG,189\n"  # line 2: fine
        ",NGO,shelter,KG,\n"  # line 3: no name
        "Bad service (test),NGO,magic,KG,\n"  # line 4: unknown service
        "Bad phone (test),NGO,shelter,KG,0312 62\n"  # line 5: not a number
    )
    with pytest.raises(KnownError, match="nothing was imported") as error:
        directory.import_csv(bakyt, bad)
    hint = error.value.hint
    assert "line 3" in hint
    assert "line 4" in hint
    assert "line 5" in hint
    assert "line 2" not in hint
    assert len(directory.search(bakyt, include_inactive=True)) == rows_before
    good = "name,type,services,country,city,phones\nNew shelter (test),NGO,shelter,KG,Osh,189\n"
    assert directory.import_csv(bakyt, good) == 1
    assert [o.city for o in directory.search(bakyt, "New shelter (test)")] == ["Osh"]


def test_seed_entries_are_historical_and_sourced(bakyt: Session) -> None:
    if not directory.seed_file().exists():
        pytest.skip("no seed file")
    found = directory.search(bakyt)
    assert len(found) >= 10
    assert all(o.historical and o.verified_on is None and o.source for o in found)
    assert directory.ensure_seeded(bakyt) == 0  # only once


def test_cli_search_export_import(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, tmp_path: Path
) -> None:
    import json

    from tests.conftest import PASSWORDS
    from tests.unit.test_cli import run

    common = ["--data-dir", str(data_dir.root), "--user", "bakyt"]
    source = tmp_path / "in.csv"
    source.write_text("name,services,country,city,phones\nКризисный центр Тест,shelter,KG,Ош,189\n")
    code, _out, err = run(
        capsys, "directory", "import", str(source), *common, password=PASSWORDS["bakyt"]
    )
    assert code == 0, err
    code, out, err = run(
        capsys, "directory", "search", "Krizisnii centr test", "--service", "shelter", "--json",
        *common, password=PASSWORDS["bakyt"],
    )  # fmt: skip
    assert code == 0, err
    assert [o["city"] for o in json.loads(out)] == ["Ош"]
    target = tmp_path / "out.csv"
    code, _out, err = run(
        capsys, "directory", "export", str(target), *common, password=PASSWORDS["bakyt"]
    )
    assert code == 0, err
    assert "Кризисный центр Тест" in target.read_text("utf-8")


def test_seed_is_found_across_scripts_and_spellings(bakyt: Session) -> None:
    if not directory.seed_file().exists():
        pytest.skip("no seed file")
    sezim = {o.name for o in directory.search(bakyt, "Сезим")}
    assert sezim
    assert sezim == {o.name for o in directory.search(bakyt, "Sezim")}
    assert directory.search(bakyt, "Джалал-Абад") == directory.search(bakyt, "Jalal-Abad")
    assert directory.search(bakyt, "Jalal-Abad")
    assert directory.search(bakyt, country="RU")  # destination partners
