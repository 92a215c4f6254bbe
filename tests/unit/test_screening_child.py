"""The "child at risk" screening script: scenarios from the seed testimonies.

Each scenario is a call a consultant could get, built from a seed in ../shared/seeds/ and
quoted in its docstring. The child rule of the UN Protocol (seed 003; seed 001: "Exploitation
of a child is trafficking, even in the absence of any illegal means") is checked: for a
person under 18, act + purpose is high risk without any means.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from hotline.screening.engine import Result, evaluate
from hotline.screening.script import LANGUAGES, Script, Text, load_script_file
from tests.unit.screening_support import codes, reasons

SCRIPT_FILE = Path(__file__).parents[2] / "resources" / "scripts" / "child-at-risk.toml"
CHILD_RULE = "A child: act and purpose are enough"
TRIAD_RULE = "Act, means and purpose of trafficking are all present"


@pytest.fixture(scope="module")
def script() -> Script:
    return load_script_file(SCRIPT_FILE)


def elements(result: Result) -> set[str]:
    return {e for i in result.indicators for e in i.elements}


def has_reason(result: Result, start: str) -> bool:
    return any(text.startswith(start) for text in reasons(result))


def test_the_script_loads(script: Script) -> None:
    assert (script.id, script.version) == ("child-at-risk", 1)
    assert [s.id for s in script.sections] == ["about", "offer", "travel", "situation", "help"]
    assert 12 <= len(script.questions) <= 25
    # The immediate-danger question comes early, before anything else is asked in detail.
    assert [q.id for q in script.questions][:3] == ["caller", "danger", "age"]
    # The minor flag comes from the age question, for ages up to 17.
    assert evaluate(script, {"age": 17}).flags == ("minor",)
    assert evaluate(script, {"age": 18}).flags == ()


# --- The child rule: act + purpose, no means --------------------------------------------------

DANCER = {
    "caller": "parent",
    "danger": "no",
    "age": 15,
    "whereabouts": "home",
    "school": "yes",
    "caregiver": "parents",
    "documents": "yes",
    "offer": ["work"],
    "job_kind": ["entertainment"],
    "who_offered": ["acquaintance"],
    "offer_signs": ["none"],
    "handed_over": "no",
    "taken_away": "planned",
    "who_with": "outsider",
    "border": ["none"],
}


def test_girl_of_15_offered_work_as_a_dancer_abroad(script: Script) -> None:
    """Seed 004_26e1a966f9fe4236.txt (Tokmak roundtable): "recruitment of young women to
    work as dancers and waitresses abroad had become common practice in Tokmak and
    surrounding rayons ... These women were children of relatives and friends." Seed
    001_302ca85d5f157d7b.txt: sex trafficking "targets primarily young women and girls".

    A mother calls: a family friend offers her 15-year-old daughter work as a dancer in the
    Emirates and will take her there. Nothing has gone wrong yet, no means are visible.
    """
    result = evaluate(script, DANCER)
    assert codes(result) == {"WORK_OFFER", "ENTERTAINMENT_OFFER", "TRUSTED_RECRUITER", "TAKEN_AWAY"}
    assert "means" not in elements(result)
    assert result.score == 9  # medium by points alone ...
    assert result.level == "high"  # ... high because she is a child
    assert has_reason(result, CHILD_RULE)
    assert not has_reason(result, TRIAD_RULE)

    # The same offer to a woman of 22: act and purpose without means stay medium.
    adult = evaluate(script, {**DANCER, "age": 22})
    assert adult.level == "medium"
    assert not has_reason(adult, CHILD_RULE)


def test_child_handed_over_by_a_guardian_to_work_in_a_strange_house(script: Script) -> None:
    """Seed 001_302ca85d5f157d7b.txt: "many rural mothers are [said to be] so desperate that
    they are willing to consign their children to traffickers without understanding the
    consequences of their actions." Seed 000_fa9b57731bfef90f.txt: "Cases of underage
    individuals, both boys and girls, sold by their parents or guardians ... were also
    reported."

    A teacher calls: a 12-year-old pupil stopped coming to school; her guardian gave her to
    a family in the city "to be raised", and she cleans and minds their children there.
    No money, debt, threats or locks are mentioned: act and purpose only.
    """
    answers = {
        "caller": "professional",
        "danger": "no",
        "age": 12,
        "whereabouts": "elsewhere",
        "school": "no",
        "caregiver": "employer",
        "offer": ["none"],
        "handed_over": "given",
        "taken_away": "town",
        "who_with": "outsider",
        "work": ["domestic"],
        "control": ["none"],
    }
    result = evaluate(script, answers)
    assert codes(result) == {
        "OUT_OF_SCHOOL", "LIVES_WITH_EMPLOYER", "GIVEN_AWAY", "TAKEN_AWAY",
        "DOMESTIC_SERVITUDE",
    }  # fmt: skip
    assert "means" not in elements(result)
    assert result.level == "high"
    assert has_reason(result, CHILD_RULE)
    htcds = {(i.htcds_field, i.htcds_value) for i in result.indicators if i.htcds_field}
    assert htcds == {("vic_TypeOfExploitation", "DomesticServitude")}


TOBACCO_OFFER = {
    "caller": "parent",
    "danger": "no",
    "age": 16,
    "whereabouts": "home",
    "school": "yes",
    "caregiver": "parents",
    "documents": "yes",
    "offer": ["work"],
    "job_kind": ["hazardous"],
    "who_offered": ["acquaintance", "respected"],
    "offer_signs": ["none"],
    "handed_over": "no",
    "taken_away": "planned",
    "who_with": "outsider",
    "border": ["none"],
}


def test_teenager_offered_tobacco_work_in_kazakhstan_by_a_neighbour(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt: "When a stranger came to our house accompanied by our
    makhalla leader and offered me a job in Russia, I was happy...". Seed
    004_26e1a966f9fe4236.txt: "labor of migrants from these rayons is actively used on
    tobacco plantations in Kazakhstan".

    A mother calls: a neighbour, vouched for by the makhalla leader, will take her 16-year-old
    son to work on a tobacco farm in Kazakhstan for the season.
    """
    result = evaluate(script, TOBACCO_OFFER)
    assert codes(result) == {"WORK_OFFER", "HAZARDOUS_OFFER", "TRUSTED_RECRUITER", "TAKEN_AWAY"}
    assert "means" not in elements(result)
    assert result.level == "high"
    assert has_reason(result, CHILD_RULE)

    adult = evaluate(script, {**TOBACCO_OFFER, "age": 25})
    assert adult.level == "medium"


# --- With means too, and the other high paths ----------------------------------------------


def test_children_kept_on_a_tobacco_farm_to_work_off_a_debt(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt: "When I was 15 and my sister was 14, our mother said we
    all move to Kazakhstan to harvest tobacco there ... The farmer said he borrowed her money
    to buy the clothes for us, and now we had to work off the debt ... The farmer said he
    couldn't let us go because we are underage and police would arrest us".

    The girl herself calls from the farm, where she and her sister are still kept.
    """
    answers = {
        "caller": "child",
        "danger": "no",
        "age": 15,
        "whereabouts": "elsewhere",
        "school": "no",
        "caregiver": "employer",
        "documents": "unknown",
        "offer": ["none"],
        "handed_over": "unknown",
        "taken_away": "abroad",
        "who_with": "parent",
        "border": ["none"],
        "work": ["fields", "domestic"],
        "control": ["debt", "locked", "money"],
        "marriage": "no",
        "other_children": "yes",
    }
    result = evaluate(script, answers)
    assert codes(result) == {
        "OUT_OF_SCHOOL", "LIVES_WITH_EMPLOYER", "FAMILY_MIGRATION", "CHILD_LABOUR",
        "DOMESTIC_SERVITUDE", "DEBT", "LOCKED_IN", "EARNINGS_TAKEN", "OTHER_CHILDREN",
    }  # fmt: skip
    # A child who cannot leave the place where she is exploited: urgent, even though she
    # answered "no" to the danger question.
    assert result.level == "urgent"
    assert has_reason(result, TRIAD_RULE) and has_reason(result, CHILD_RULE)
    assert any("112" in a.get_text("ru") for a in result.actions)
    assert {"police", "consular", "return", "legal"} <= set(result.services)


def test_girl_sold_by_her_parents(script: Script) -> None:
    """Seed 001_302ca85d5f157d7b.txt: "many of these child prostitutes are sold to pimps by
    their parents, often for only a sack of flour."

    A neighbour calls: a 12-year-old girl was given to a man for flour; nothing more is known.
    The sale alone is high.
    """
    result = evaluate(
        script, {"caller": "relative", "age": 12, "whereabouts": "elsewhere", "handed_over": "sold"}
    )
    assert codes(result) == {"SOLD"}
    assert result.score < script.thresholds["high"]
    assert result.level == "high"
    assert "The child was sold or exchanged" in reasons(result)[0]
    assert "police" in result.services


def test_orphan_adopted_and_taken_abroad(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt: "A month later the teacher told me that I was adopted by
    that woman ... The foster-mother told me that we would go to Emirates together ... She
    said she sold my virginity to this man and I had to work-off the debt for my adoption".

    A social worker calls about a 14-year-old girl from a children's home, now abroad.
    """
    answers = {
        "caller": "professional",
        "age": 14,
        "whereabouts": "elsewhere",
        "caregiver": "institution",
        "offer": ["adoption"],
        "who_offered": ["stranger"],
        "taken_away": "abroad",
        "who_with": "parent",  # the adoptive mother is now the legal guardian
        "work": ["sexual"],
        "control": ["debt"],
    }
    result = evaluate(script, answers)
    assert {"ADOPTION_OFFER", "SEXUAL_EXPLOITATION", "DEBT", "NO_PARENTAL_CARE"} <= codes(result)
    assert has_reason(result, CHILD_RULE)
    assert {"medical", "psychological", "consular"} <= set(result.services)
    # Still abroad with the woman who sells her: urgent.
    assert result.level == "urgent"
    # Back in the country and at home (seed 004: "1 girl was returned from Arab Emirates,
    # where she was exploited in sex industry"): no longer urgent, still high.
    returned = evaluate(script, {**answers, "whereabouts": "home"})
    assert returned.level == "high"


def test_false_husband_and_older_passport(script: Script) -> None:
    """Seed 001_302ca85d5f157d7b.txt: "travel agents and pimps often recruit men in the NIS to
    assume the role of a husband or a brother to the trafficked woman" and passports "that
    show different dates of birth ... at least ten to fifteen years younger than the age
    recorded in their passports"."""
    result = evaluate(
        script,
        {
            **DANCER,
            "age": 16,
            "who_with": "fake_relative",
            "border": ["age_changed", "docs_held"],
        },
    )
    assert {"FAKE_RELATIVE", "AGE_FALSIFIED", "DOCS_HELD"} <= codes(result)
    assert result.level == "high"
    assert has_reason(result, TRIAD_RULE) and has_reason(result, CHILD_RULE)


# --- Lower levels: no act, or no purpose ---------------------------------------------------


def test_cotton_harvest_at_home_is_medium_not_high(script: Script) -> None:
    """Seed 001_302ca85d5f157d7b.txt: "school classes are often cancelled and children are sent
    to the fields to harvest cotton and tobacco." Child labour without anyone recruiting,
    moving or handing over the child: a referral to child protection, not trafficking."""
    answers = {
        "caller": "parent",
        "age": 13,
        "whereabouts": "home",
        "school": "no",
        "caregiver": "parents",
        "offer": ["none"],
        "handed_over": "no",
        "taken_away": "no",
        "work": ["fields"],
        "control": ["none"],
    }
    result = evaluate(script, answers)
    assert codes(result) == {"OUT_OF_SCHOOL", "CHILD_LABOUR"}
    assert "act" not in elements(result)
    assert result.level == "medium"
    assert has_reason(result, "The child is exploited or at risk")


def test_children_migrating_with_their_parents(script: Script) -> None:
    """Seed 004_26e1a966f9fe4236.txt: "If migrants travel with their families, their children
    do not attend schools. Instead they help their parents in the fields or work in local
    markets." A parent taking the child along is not an act of trafficking; medium."""
    answers = {
        "caller": "relative",
        "age": 11,
        "whereabouts": "elsewhere",
        "school": "no",
        "caregiver": "parents",
        "taken_away": "abroad",
        "who_with": "parent",
        "work": ["trade"],
    }
    result = evaluate(script, answers)
    assert codes(result) == {"OUT_OF_SCHOOL", "FAMILY_MIGRATION", "CHILD_LABOUR"}
    assert result.level == "medium"


def test_an_offer_to_a_child_with_no_purpose_known_is_medium(script: Script) -> None:
    """Seed 004_26e1a966f9fe4236.txt: a firm's licence "was not a guarantee of their
    safety". A licensed agency raises the points like any other recruiter, never lowers
    them."""
    answers = {"age": 16, "offer": ["work"], "job_kind": ["other"], "who_offered": ["agency"]}
    result = evaluate(script, answers)
    assert codes(result) == {"WORK_OFFER", "AGENCY_OR_AD"}
    assert result.level == "medium"
    assert any("licence" in a.get_text("en") for a in result.actions)
    agency = script.question("who_offered")
    assert agency.help is not None and "licence" in agency.help.get_text("en")


def test_nothing_found(script: Script) -> None:
    answers = {
        "caller": "parent",
        "danger": "no",
        "age": 14,
        "whereabouts": "home",
        "school": "yes",
        "caregiver": "parents",
        "documents": "yes",
        "offer": ["none"],
        "handed_over": "no",
        "taken_away": "no",
        "work": ["none"],
        "control": ["none"],
        "marriage": "no",
        "other_children": "no",
        "needs": ["information"],
    }
    result = evaluate(script, answers)
    assert result.level == "none"
    assert result.services == ("hotline",)


# --- Urgent ------------------------------------------------------------------------------------


def test_danger_is_urgent_with_concrete_steps(script: Script) -> None:
    result = evaluate(script, {"caller": "child", "danger": "yes", "age": 14})
    assert result.level == "urgent"
    assert result.reasons[0].level == "urgent"
    steps = [a.get_text("en") for a in result.actions]
    assert any("talk safely" in s for s in steps)
    assert any("call back" in s for s in steps)
    for lang in LANGUAGES:
        numbers = " ".join(a.get_text(lang) for a in result.actions)
        assert "112" in numbers and "102" in numbers, lang
    assert "police" in result.services


def test_bride_kidnapping_of_a_girl_still_away_is_urgent(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt lists "bride kidnapping" among practices similar to
    slavery; seed 004_26e1a966f9fe4236.txt: "Aida had organized a system of kidnapping
    under-aged girls from Djajal-Abad"."""
    answers: dict[str, Any] = {
        "caller": "parent",
        "age": 16,
        "whereabouts": "elsewhere",
        "marriage": "kidnapped",
    }
    result = evaluate(script, answers)
    assert "BRIDE_KIDNAPPING" in codes(result)
    assert result.level == "urgent"
    assert has_reason(result, TRIAD_RULE)
    back_home = evaluate(script, {**answers, "whereabouts": "home"})
    assert back_home.level == "high"


def test_arranged_marriage_of_a_child_is_high(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt: "marriages arranged by families, without the consent of
    the to be spouses but their parents or guardians only; kalym (payment for the bride)"."""
    result = evaluate(script, {"caller": "relative", "age": 15, "marriage": "arranged"})
    assert codes(result) == {"CHILD_MARRIAGE"}
    assert result.level == "high"
    assert has_reason(result, CHILD_RULE)


def test_a_missing_child_is_high(script: Script) -> None:
    result = evaluate(script, {"caller": "parent", "age": 13, "whereabouts": "missing"})
    assert result.level == "high"
    assert "police" in result.services


def test_marriage_is_not_asked_about_young_children(script: Script) -> None:
    assert "marriage" not in evaluate(script, {"age": 7}).visible
    assert "marriage" in evaluate(script, {"age": 12}).visible
    assert "marriage" in evaluate(script, {}).visible


# --- Texts ----------------------------------------------------------------------------------

CYRILLIC_LANGUAGES = ("ru", "ky", "kk", "uz_Cyrl", "tg")


def all_texts(script: Script) -> list[tuple[str, Text]]:
    found: list[tuple[str, Text]] = [("title", script.title), ("description", script.description)]
    found += [(code, i.text) for code, i in script.indicators.items()]
    for section in script.sections:
        found.append((section.id, section.title))
        for q in section.questions:
            found.append((q.id, q.text))
            if q.help:
                found.append((f"{q.id}.help", q.help))
            found += [(f"{q.id}.{o.id}", o.text) for o in q.options]
    for k, rule in enumerate(script.rules):
        found.append((f"rules[{k}]", rule.reason))
        found += [(f"rules[{k}].actions", a) for a in rule.actions]
    return found


def test_every_text_in_seven_languages_and_the_right_alphabet(script: Script) -> None:
    for where, text in all_texts(script):
        assert set(text) == set(LANGUAGES), where
        uz = text["uz_Latn"]
        assert not re.search(r"['‘’`]", uz), (where, uz)  # oʻ gʻ U+02BB, tutuq U+02BC
        assert not re.search(r"[А-Яа-яЁё]", uz), (where, uz)
        for lang in CYRILLIC_LANGUAGES:
            assert not re.search(r"[A-Za-z]", text[lang]), (where, lang, text[lang])
    source = SCRIPT_FILE.read_text("utf-8")
    assert "oʻ" in source and "gʻ" in source and "maʼlum" in source
