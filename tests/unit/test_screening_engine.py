"""The screening engine: conditions, scoring paths, the child rule, validation errors."""

from __future__ import annotations

import pytest

from hotline.errors import InvalidInput
from hotline.screening import conditions
from hotline.screening.engine import evaluate, reason_text
from hotline.screening.script import LANGUAGES, Script, ScriptError, parse_script


def t(text: str) -> str:
    """An inline TOML table with ``text`` in every language."""
    return "{ " + ", ".join(f'{lang} = "{text} [{lang}]"' for lang in LANGUAGES) + " }"


SCRIPT = f"""
format = 1
id = "test-script"
version = 2
title = {t("Test script")}
description = {t("For the engine tests")}

[thresholds]
low = 1
medium = 4
high = 8

[[indicators]]
code = "RECRUITED"
category = "recruitment"
weight = 2
elements = ["act"]
text = {t("Recruited for work abroad")}

[[indicators]]
code = "DOCS_TAKEN"
category = "control"
weight = 3
elements = ["means"]
htcds = "vic_MethodsOfControl.WithholdsDocuments"
text = {t("Documents taken")}

[[indicators]]
code = "FORCED_WORK"
category = "exploitation"
weight = 3
elements = ["purpose"]
htcds = "vic_TypeOfExploitation.ForcedLabour"
text = {t("Forced to work")}

[[indicators]]
code = "POOR"
category = "vulnerability"
weight = 1
text = {t("Poverty")}

[[sections]]
id = "about"
title = {t("About the person")}

[[sections.questions]]
id = "age"
type = "number"
text = {t("How old is the person?")}
[[sections.questions.ranges]]
max = 17
effect = {{ flags = ["minor"] }}

[[sections.questions]]
id = "abroad"
type = "yesno"
text = {t("Was the person recruited for work abroad?")}
answers.yes = {{ indicators = ["RECRUITED"] }}

[[sections.questions]]
id = "docs"
type = "yesno"
show_if = 'abroad == "yes"'
text = {t("Are the documents with someone else?")}
answers.yes = {{ indicators = ["DOCS_TAKEN"], services = ["documents", "consular"] }}

[[sections.questions]]
id = "work"
type = "multi"
show_if = 'abroad == "yes"'
text = {t("What is the person made to do?")}
[[sections.questions.options]]
id = "forced"
text = {t("Work without pay and cannot leave")}
effect = {{ indicators = ["FORCED_WORK"] }}
[[sections.questions.options]]
id = "normal"
text = {t("Ordinary paid work")}

[[sections.questions]]
id = "money"
type = "single"
text = {t("How is the family doing for money?")}
[[sections.questions.options]]
id = "poor"
text = {t("Hardly enough to eat")}
effect = {{ indicators = ["POOR"] }}
[[sections.questions.options]]
id = "fine"
text = {t("Enough")}

[[sections.questions]]
id = "danger"
type = "yesno"
text = {t("Is the person in danger right now?")}
answers.yes = {{ flags = ["danger"], services = ["police"] }}

[[sections.questions]]
id = "notes"
type = "text"
text = {t("Anything else?")}

[[rules]]
level = "urgent"
when = 'flag("danger")'
reason = {t("The person is in immediate danger")}
actions = [{t("Ask whether the person can talk safely")}]
services = ["police", "shelter"]

[[rules]]
level = "high"
when = "act() and means() and purpose()"
reason = {t("Act, means and purpose are all present")}

[[rules]]
level = "high"
when = 'flag("minor") and act() and purpose()'
reason = {t("A child: act and purpose are enough")}
"""


@pytest.fixture(scope="module")
def script() -> Script:
    return parse_script(SCRIPT, "test.toml")


def test_nothing_answered(script: Script) -> None:
    result = evaluate(script, {})
    assert result.visible == ("age", "abroad", "money", "danger", "notes")
    assert result.level == "none"
    assert result.reasons == ()


def test_conditions_show_follow_up_questions(script: Script) -> None:
    assert "docs" in evaluate(script, {"abroad": "yes"}).visible
    assert "docs" not in evaluate(script, {"abroad": "no"}).visible
    # An answer to a hidden question does not count.
    result = evaluate(script, {"abroad": "no", "docs": "yes"})
    assert [i.code for i in result.indicators] == []


@pytest.mark.parametrize(
    ("answers", "level", "points"),
    [
        ({"money": "poor"}, "low", 1),
        ({"abroad": "yes", "money": "poor"}, "low", 3),
        ({"abroad": "yes", "docs": "yes"}, "medium", 5),
        ({"abroad": "yes", "docs": "yes", "money": "poor"}, "medium", 6),
    ],
)
def test_points_give_low_and_medium(
    script: Script, answers: dict[str, object], level: str, points: int
) -> None:
    result = evaluate(script, answers)
    assert result.level == level
    assert result.score == points
    assert result.reasons[0].points == points
    assert str(points) in reason_text(result.reasons[0], "en")


def test_act_means_purpose_is_high(script: Script) -> None:
    result = evaluate(script, {"abroad": "yes", "docs": "yes", "work": ["forced"]})
    assert result.level == "high"
    assert {i.code for i in result.indicators} == {"RECRUITED", "DOCS_TAKEN", "FORCED_WORK"}
    texts = [reason_text(r, "ru") for r in result.reasons]
    assert "Act, means and purpose are all present [ru]" in texts
    assert result.services == ("documents", "consular")
    htcds = {(i.htcds_field, i.htcds_value) for i in result.indicators if i.htcds_field}
    assert ("vic_TypeOfExploitation", "ForcedLabour") in htcds


def test_for_a_child_act_and_purpose_are_enough(script: Script) -> None:
    adult = evaluate(script, {"age": 25, "abroad": "yes", "work": ["forced"]})
    assert adult.level == "medium"
    child = evaluate(script, {"age": 15, "abroad": "yes", "work": ["forced"]})
    assert child.level == "high"
    assert "minor" in child.flags
    assert any("A child" in reason_text(r, "en") for r in child.reasons)


def test_danger_is_urgent_whatever_the_points(script: Script) -> None:
    result = evaluate(script, {"danger": "yes"})
    assert result.urgent
    assert result.reasons[0].level == "urgent"
    assert [a.get_text("ky") for a in result.actions] == [
        "Ask whether the person can talk safely [ky]"
    ]
    assert result.services == ("police", "shelter")


def test_bad_answers_are_named(script: Script) -> None:
    with pytest.raises(InvalidInput, match="abroad"):
        evaluate(script, {"abroad": "maybe"})
    with pytest.raises(InvalidInput, match="age"):
        evaluate(script, {"age": "fifteen"})
    with pytest.raises(InvalidInput, match="nope"):
        evaluate(script, {"nope": "yes"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('code = "POOR"', 'code = "poor"'), "indicators[3].code"),
        (
            ('weight = 3\nelements = ["means"]', 'weight = 30\nelements = ["means"]'),
            "indicators[1].weight",
        ),
        (
            ("show_if = 'abroad == \"yes\"'", "show_if = 'later == \"yes\"'"),
            "later is not a question asked before",
        ),
        (("when = 'flag(\"danger\")'", "when = 'flag(\"dangerous\")'"), "flag() needs one of"),
        (("when = 'flag(\"danger\")'", "when = '__import__(\"os\")'"), "unknown function"),
        (('type = "multi"', 'type = "checkbox"'), "sections[0].questions[3].type"),
        (
            ('services = ["documents", "consular"]', 'services = ["documents", "magic"]'),
            "unknown code 'magic'",
        ),
        (("medium = 4", "medium = 40"), "thresholds"),
        (('ky = "Test script [ky]", ', ""), "title.ky: missing text"),
        (("version = 2", 'version = "two"'), "version"),
        (("[[rules]]", "[[rules]"), "line"),
    ],
)
def test_invalid_scripts_name_the_line_or_field(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in SCRIPT
    with pytest.raises(ScriptError) as error:
        parse_script(SCRIPT.replace(old, new, 1), "test.toml")
    assert message in str(error.value)


def test_conditions_are_sandboxed() -> None:
    for source in ("__import__('os').system('true')", "a.b", "x[0]", "lambda: 1", "(yield)"):
        with pytest.raises(conditions.ConditionError):
            conditions.parse(source)
    parsed = conditions.parse('q in ("a", "b") and not has("X")')
    evaluator = conditions.Evaluator({"q": "a"}, {"has": lambda code: False})
    assert evaluator(parsed)
