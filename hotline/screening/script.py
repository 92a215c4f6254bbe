"""Screening scripts: the data format (TOML, documented in docs/scripts.md), loading and
validation with errors that name the line or the field."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline.i18n import UI_LANGUAGES, current_language
from hotline.screening import conditions
from hotline.screening.conditions import Condition
from hotline.taxonomy import taxonomy

FORMAT = 1
LANGUAGES = UI_LANGUAGES
LEVELS = ("none", "low", "medium", "high", "urgent")
QUESTION_TYPES = ("yesno", "single", "multi", "number", "text")
YESNO = ("yes", "no", "unknown")
FLAGS = ("danger", "minor")
CATEGORIES = (
    "recruitment", "deception", "travel", "control", "exploitation", "vulnerability",
    "child", "missing", "need",
)  # fmt: skip
ELEMENTS = ("act", "means", "purpose")
HTCDS_FIELDS = ("vic_MethodsOfControl", "vic_TypeOfExploitation")


class ScriptError(ValueError):
    """A script file that cannot be used; ``problems`` names each line or field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Text(dict[str, str]):
    """A text in every interface language."""

    def get_text(self, language: str | None = None) -> str:
        lang = language or current_language()
        return self.get(lang) or self.get("en", "")


@dataclass(frozen=True)
class Effect:
    indicators: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    id: str
    text: Text
    effect: Effect


@dataclass(frozen=True)
class NumberRange:
    min: float | None
    max: float | None
    effect: Effect

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    type: str
    text: Text
    help: Text | None
    options: tuple[Option, ...]
    answers: Mapping[str, Effect]  # yes/no/unknown for yesno questions
    ranges: tuple[NumberRange, ...]
    show_if: Condition | None


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Indicator:
    code: str
    category: str
    weight: int
    text: Text
    elements: tuple[str, ...]
    htcds_field: str | None
    htcds_value: str | None


@dataclass(frozen=True)
class Rule:
    level: str
    when: Condition
    reason: Text
    actions: tuple[Text, ...]
    services: tuple[str, ...]


@dataclass(frozen=True)
class Script:
    id: str
    version: int
    title: Text
    description: Text
    sections: tuple[Section, ...]
    indicators: Mapping[str, Indicator]
    rules: tuple[Rule, ...]
    thresholds: Mapping[str, int]  # low / medium / high: minimum points
    source: str

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


class _Reader:
    """Walks the parsed TOML, collecting every problem with the path where it is."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def text(self, value: Any, path: str) -> Text:
        if not isinstance(value, dict):
            self.fail(path, "expected a table of texts, one per language (en, ru, ky …)")
            return Text()
        result = Text()
        for lang in LANGUAGES:
            item = value.get(lang)
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{path}.{lang}", "missing text")
            else:
                result[lang] = item.strip()
        for extra in set(value) - set(LANGUAGES):
            self.fail(f"{path}.{extra}", "unknown language")
        return result

    def ident(self, value: Any, path: str) -> str:
        if (
            not isinstance(value, str)
            or not value.replace("_", "").isalnum()
            or not value[:1].isalpha()
        ):
            self.fail(path, "expected an identifier (letters, digits, _; starting with a letter)")
            return ""
        return value

    def codes(self, value: Any, path: str, allowed: tuple[str, ...] | set[str]) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(path, "expected a list of codes")
            return ()
        for i, code in enumerate(value):
            if code not in allowed:
                self.fail(f"{path}[{i}]", f"unknown code {code!r}")
        return tuple(value)

    def condition(self, value: Any, path: str) -> Condition | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(path, "expected a condition as text")
            return None
        try:
            return conditions.parse(value)
        except conditions.ConditionError as error:
            self.fail(path, str(error))
            return None


def _effect(r: _Reader, data: Any, path: str, indicator_codes: set[str]) -> Effect:
    if data is None:
        return Effect()
    if not isinstance(data, dict):
        r.fail(path, "expected a table with indicators, flags, services")
        return Effect()
    for key in set(data) - {"indicators", "flags", "services"}:
        r.fail(f"{path}.{key}", "unknown field")
    services = set(taxonomy().codes("service_types"))
    return Effect(
        indicators=r.codes(data.get("indicators"), f"{path}.indicators", indicator_codes),
        flags=r.codes(data.get("flags"), f"{path}.flags", set(FLAGS)),
        services=r.codes(data.get("services"), f"{path}.services", services),
    )


def _indicators(r: _Reader, items: Any) -> dict[str, Indicator]:
    result: dict[str, Indicator] = {}
    if not isinstance(items, list) or not items:
        r.fail("indicators", "expected at least one [[indicators]] entry")
        return result
    for i, data in enumerate(items):
        path = f"indicators[{i}]"
        code = data.get("code")
        if not isinstance(code, str) or not code.replace("_", "").isalnum() or not code.isupper():
            r.fail(f"{path}.code", "expected an upper-case code such as DOCS_TAKEN")
            continue
        if code in result:
            r.fail(f"{path}.code", f"{code} is defined twice")
        category = data.get("category")
        if category not in CATEGORIES:
            r.fail(f"{path}.category", f"expected one of {', '.join(CATEGORIES)}")
        weight = data.get("weight", 1)
        if not isinstance(weight, int) or not 0 <= weight <= 10:
            r.fail(f"{path}.weight", "expected a whole number from 0 to 10")
            weight = 0
        htcds = data.get("htcds")
        field_name = value = None
        if htcds is not None:
            if (
                not isinstance(htcds, str)
                or "." not in htcds
                or htcds.split(".")[0] not in HTCDS_FIELDS
            ):
                r.fail(
                    f"{path}.htcds",
                    "expected vic_MethodsOfControl.<Value> or vic_TypeOfExploitation.<Value>",
                )
            else:
                field_name, value = htcds.split(".", 1)
        result[code] = Indicator(
            code=code,
            category=str(category),
            weight=weight,
            text=r.text(data.get("text"), f"{path}.text"),
            elements=r.codes(data.get("elements"), f"{path}.elements", set(ELEMENTS)),
            htcds_field=field_name,
            htcds_value=value,
        )
    return result


def _question(
    r: _Reader, data: dict[str, Any], path: str, section: str, codes: set[str], known: set[str]
) -> Question:
    qid = r.ident(data.get("id"), f"{path}.id")
    qtype = data.get("type")
    if qtype not in QUESTION_TYPES:
        r.fail(f"{path}.type", f"expected one of {', '.join(QUESTION_TYPES)}")
    options: list[Option] = []
    if qtype in ("single", "multi"):
        raw = data.get("options")
        if not isinstance(raw, list) or len(raw) < 2:
            r.fail(f"{path}.options", "a choice question needs at least two options")
            raw = []
        seen: set[str] = set()
        for j, opt in enumerate(raw):
            opath = f"{path}.options[{j}]"
            oid = r.ident(opt.get("id"), f"{opath}.id")
            if oid in seen:
                r.fail(f"{opath}.id", f"option {oid} appears twice")
            seen.add(oid)
            options.append(
                Option(
                    oid,
                    r.text(opt.get("text"), f"{opath}.text"),
                    _effect(r, opt.get("effect"), f"{opath}.effect", codes),
                )
            )
    answers: dict[str, Effect] = {}
    if qtype == "yesno":
        raw_answers = data.get("answers") or {}
        for key in set(raw_answers) - set(YESNO):
            r.fail(f"{path}.answers.{key}", "expected yes, no or unknown")
        answers = {k: _effect(r, raw_answers.get(k), f"{path}.answers.{k}", codes) for k in YESNO}
    ranges: list[NumberRange] = []
    if qtype == "number":
        for j, item in enumerate(data.get("ranges") or []):
            rpath = f"{path}.ranges[{j}]"
            low, high = item.get("min"), item.get("max")
            if not all(v is None or isinstance(v, int | float) for v in (low, high)):
                r.fail(rpath, "min and max must be numbers")
                continue
            ranges.append(
                NumberRange(low, high, _effect(r, item.get("effect"), f"{rpath}.effect", codes))
            )
    show_if = r.condition(data.get("show_if"), f"{path}.show_if")
    if show_if is not None:
        for name in sorted(show_if.names() - known):
            r.fail(f"{path}.show_if", f"{name} is not a question asked before this one")
    help_text = r.text(data["help"], f"{path}.help") if "help" in data else None
    return Question(
        id=qid,
        section=section,
        type=str(qtype),
        text=r.text(data.get("text"), f"{path}.text"),
        help=help_text,
        options=tuple(options),
        answers=answers,
        ranges=tuple(ranges),
        show_if=show_if,
    )


def parse_script(source: str, origin: str = "<script>") -> Script:
    """Read and validate a script; raise ScriptError naming every problem."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise ScriptError([f"{origin}: {error}"]) from error
    r = _Reader()
    if data.get("format") != FORMAT:
        r.fail("format", f"expected format = {FORMAT}")
    script_id = data.get("id")
    if not isinstance(script_id, str) or not script_id.replace("-", "").replace("_", "").isalnum():
        r.fail("id", "expected an id such as job-offer")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        r.fail("version", "expected a whole number from 1")
    indicators = _indicators(r, data.get("indicators"))
    codes = set(indicators)
    sections: list[Section] = []
    known: set[str] = set()
    for i, sdata in enumerate(data.get("sections") or []):
        spath = f"sections[{i}]"
        sid = r.ident(sdata.get("id"), f"{spath}.id")
        questions = []
        for j, qdata in enumerate(sdata.get("questions") or []):
            question = _question(r, qdata, f"{spath}.questions[{j}]", sid, codes, known)
            if question.id in known:
                r.fail(f"{spath}.questions[{j}].id", f"question {question.id} appears twice")
            known.add(question.id)
            questions.append(question)
        if not questions:
            r.fail(spath, "a section needs at least one question")
        sections.append(
            Section(sid, r.text(sdata.get("title"), f"{spath}.title"), tuple(questions))
        )
    if not sections:
        r.fail("sections", "expected at least one [[sections]] entry")
    rules: list[Rule] = []
    for i, rdata in enumerate(data.get("rules") or []):
        rpath = f"rules[{i}]"
        level = rdata.get("level")
        if level not in LEVELS[1:]:
            r.fail(f"{rpath}.level", f"expected one of {', '.join(LEVELS[1:])}")
        when = r.condition(rdata.get("when"), f"{rpath}.when")
        if when is not None:
            for name in sorted(when.names() - known):
                r.fail(f"{rpath}.when", f"{name} is not a question of this script")
        rules.append(
            Rule(
                level=str(level),
                when=when or conditions.parse("False"),
                reason=r.text(rdata.get("reason"), f"{rpath}.reason"),
                actions=tuple(
                    r.text(a, f"{rpath}.actions[{k}]")
                    for k, a in enumerate(rdata.get("actions") or [])
                ),
                services=r.codes(
                    rdata.get("services"),
                    f"{rpath}.services",
                    set(taxonomy().codes("service_types")),
                ),
            )
        )
    thresholds = data.get("thresholds") or {}
    if set(thresholds) != {"low", "medium", "high"} or not all(
        isinstance(v, int) and v > 0 for v in thresholds.values()
    ):
        r.fail("thresholds", "expected low, medium and high as positive whole numbers of points")
    elif not thresholds["low"] <= thresholds["medium"] <= thresholds["high"]:
        r.fail("thresholds", "expected low ≤ medium ≤ high")
    _check_function_arguments(r, rules, sections, indicators)
    title = r.text(data.get("title"), "title")
    description = r.text(data.get("description"), "description")
    if r.problems:
        raise ScriptError([f"{origin}: {p}" for p in r.problems])
    return Script(
        id=str(script_id),
        version=int(version or 0),
        title=title,
        description=description,
        sections=tuple(sections),
        indicators=indicators,
        rules=tuple(rules),
        thresholds=dict(thresholds),
        source=source,
    )


def _check_function_arguments(
    r: _Reader, rules: list[Rule], sections: list[Section], indicators: Mapping[str, Indicator]
) -> None:
    """has("X") must name an indicator, category("x") a category, flag("x") a flag."""
    import ast

    expected = {"has": set(indicators), "category": set(CATEGORIES), "flag": set(FLAGS)}
    located = [(f"rules[{i}].when", rule.when) for i, rule in enumerate(rules)]
    located += [
        (f"question {q.id}.show_if", q.show_if) for s in sections for q in s.questions if q.show_if
    ]
    for path, condition in located:
        for node in ast.walk(condition.tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                allowed = expected.get(node.func.id)
                if allowed is None:
                    continue
                for arg in node.args:
                    if not isinstance(arg, ast.Constant) or arg.value not in allowed:
                        r.fail(path, f"{node.func.id}() needs one of: {', '.join(sorted(allowed))}")


def load_script_file(path: Path) -> Script:
    try:
        source = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScriptError([f"{path}: cannot read: {error}"]) from error
    return parse_script(source, str(path))
