"""Screening answers are stored with the call and the script version they belong to."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from hotline.errors import KnownError, PermissionDenied
from hotline.paths import DataDir
from hotline.services import contacts, screening
from hotline.services.session import Session
from tests.conftest import sign_in
from tests.unit.test_screening_engine import SCRIPT


@pytest.fixture
def bakyt(data_dir: DataDir) -> Iterator[Session]:
    session = sign_in(data_dir, "bakyt")  # supervisor: records calls and installs scripts
    yield session
    session.close()


@pytest.fixture
def script_file(tmp_path: Path) -> Path:
    path = tmp_path / "test-script.toml"
    path.write_text(SCRIPT, "utf-8")
    return path


def test_answers_are_saved_with_the_script_version(bakyt: Session, script_file: Path) -> None:
    script = screening.install_script(bakyt, script_file)
    call = contacts.new_contact(bakyt)
    screened, result = screening.screen(
        call, script, {"abroad": "yes", "docs": "yes", "work": ["forced"]}
    )
    assert result.level == "high"
    saved = contacts.save_contact(bakyt, screened)
    again = contacts.get_contact(bakyt, saved.id)
    assert again.risk_level == "high"
    (record,) = again.screenings
    assert (record.script_id, record.script_version) == ("test-script", 2)
    assert record.answers == {"abroad": "yes", "docs": "yes", "work": ["forced"]}
    assert set(record.indicators) == {"RECRUITED", "DOCS_TAKEN", "FORCED_WORK"}
    # A newer version does not change how the old call is shown.
    newer = script_file.with_name("v3.toml")
    newer.write_text(SCRIPT.replace("version = 2", "version = 3"), "utf-8")
    screening.install_script(bakyt, newer)
    assert screening.get_script(bakyt, "test-script").version == 3
    assert screening.get_script(bakyt, "test-script", 2).source == SCRIPT


def test_same_version_with_other_content_is_refused(bakyt: Session, script_file: Path) -> None:
    screening.install_script(bakyt, script_file)
    screening.install_script(bakyt, script_file)  # the same file again is fine
    changed = script_file.with_name("changed.toml")
    changed.write_text(SCRIPT.replace("low = 1", "low = 2"), "utf-8")
    with pytest.raises(KnownError, match="raise the version"):
        screening.install_script(bakyt, changed)


def test_an_invalid_file_is_refused_with_its_problems(bakyt: Session, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(SCRIPT.replace('type = "multi"', 'type = "checkbox"'), "utf-8")
    with pytest.raises(KnownError) as error:
        screening.install_script(bakyt, bad)
    assert "sections[0].questions[3].type" in str(error.value)


def test_operators_cannot_install_scripts(data_dir: DataDir, script_file: Path) -> None:
    olga = sign_in(data_dir, "olga")
    with pytest.raises(PermissionDenied):
        screening.install_script(olga, script_file)
    olga.close()


def test_screening_again_replaces_the_answers(bakyt: Session, script_file: Path) -> None:
    script = screening.install_script(bakyt, script_file)
    call = contacts.new_contact(bakyt)
    first, _result = screening.screen(call, script, {"danger": "yes"})
    assert first.danger
    assert first.risk_level == "urgent"
    second, _result = screening.screen(replace(first, danger=False), script, {"money": "poor"})
    assert len(second.screenings) == 1
    assert second.risk_level == "low"
