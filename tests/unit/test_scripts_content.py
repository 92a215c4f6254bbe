"""The shipped screening scripts: valid, complete in seven languages, no English left."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline.screening.script import LANGUAGES, Script, Text
from hotline.services.screening import builtin_scripts

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {"job-offer", "trafficking-now", "missing-person", "child-at-risk", "returnee-needs"}
CYRILLIC = ("ru", "ky", "kk", "uz_Cyrl", "tg")
LATIN_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
# Latin words that may stay in Cyrillic text: names of apps, organisations, places.
ALLOWED_LATIN = {
    "WhatsApp",
    "Telegram",
    "Viber",
    "Skype",
    "Imo",
    "IMO",
    "Facebook",
    "Instagram",
    "Odnoklassniki",
    "SIM",
}
ENGLISH_WORDS = re.compile(r"\b(the|and|you|your|with|that|this|what|where|have)\b", re.IGNORECASE)
LEFTOVERS = re.compile(r"TODO|FIXME|XXX|\{|\}|%\(|\[(en|ru|ky|kk|uz_Latn|uz_Cyrl|tg)\]")


def texts(script: Script) -> Iterator[tuple[str, Text]]:
    yield "title", script.title
    yield "description", script.description
    for section in script.sections:
        yield f"section {section.id}", section.title
        for q in section.questions:
            yield f"question {q.id}", q.text
            if q.help:
                yield f"question {q.id} help", q.help
            for option in q.options:
                yield f"option {q.id}.{option.id}", option.text
    for code, indicator in script.indicators.items():
        yield f"indicator {code}", indicator.text
    for i, rule in enumerate(script.rules):
        yield f"rule {i}", rule.reason
        for j, action in enumerate(rule.actions):
            yield f"rule {i} action {j}", action


def test_all_five_scripts_are_shipped() -> None:
    assert {script_id for script_id, _version in builtin_scripts()} >= EXPECTED


@pytest.mark.parametrize("key", sorted(builtin_scripts()), ids=lambda k: f"{k[0]}-v{k[1]}")
def test_every_text_in_every_language(key: tuple[str, int]) -> None:
    script = builtin_scripts()[key]
    problems = []
    for where, text in texts(script):
        for lang in LANGUAGES:
            value = text.get(lang, "")
            if not value.strip() or LEFTOVERS.search(value):
                problems.append(f"{where} [{lang}]: {value!r}")
            if lang != "en" and value == text["en"]:
                problems.append(f"{where} [{lang}] is the English text")
            if lang in CYRILLIC:
                if not re.search("[а-яёА-ЯЁ]", value):
                    problems.append(f"{where} [{lang}] has no Cyrillic: {value!r}")
                stray = set(LATIN_WORD.findall(value)) - ALLOWED_LATIN
                if stray:
                    problems.append(f"{where} [{lang}] has Latin words {sorted(stray)}")
            if lang == "uz_Latn":
                if ENGLISH_WORDS.search(value):
                    problems.append(f"{where} [uz_Latn] looks English: {value!r}")
                if re.search(r"[OoGg]['‘’`]", value):
                    problems.append(f"{where} [uz_Latn] needs ʻ (U+02BB): {value!r}")
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("key", sorted(builtin_scripts()), ids=lambda k: f"{k[0]}-v{k[1]}")
def test_every_script_can_reach_urgent(key: tuple[str, int]) -> None:
    script = builtin_scripts()[key]
    assert any(rule.level == "urgent" for rule in script.rules)


def test_cli_check_and_run(tmp_path: Path) -> None:
    script = ROOT / "resources" / "scripts" / "trafficking-now.toml"
    if not script.exists():
        pytest.skip("script not shipped yet")
    hotline = Path(sys.executable).with_name("hotline")
    done = subprocess.run(
        [str(hotline), "script", "check", str(script)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    answers = tmp_path / "answers.json"
    answers.write_text("{}", "utf-8")
    done = subprocess.run(
        [str(hotline), "script", "run", "trafficking-now", "--answers", str(answers), "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["level"] == "none"
    assert result["visible"]
    broken = tmp_path / "broken.toml"
    broken.write_text(script.read_text("utf-8").replace("format = 1", "format = 9"), "utf-8")
    done = subprocess.run(
        [str(hotline), "script", "check", str(broken)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "format" in done.stderr
