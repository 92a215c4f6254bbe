"""The screening script for suspected trafficking or exploitation happening now
(resources/scripts/trafficking-now.toml) against testimonies and cases from the seeds
(/work/shared/seeds/), screened as a trained hotline consultant would screen the call."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from hotline.screening.engine import evaluate
from hotline.screening.script import LANGUAGES, Script, load_script_file
from tests.unit.screening_support import codes, htcds, reasons

SCRIPT_FILE = Path(__file__).resolve().parents[2] / "resources" / "scripts" / "trafficking-now.toml"


@pytest.fixture(scope="module")
def script() -> Script:
    return load_script_file(SCRIPT_FILE)


def test_the_script_loads(script: Script) -> None:
    assert script.id == "trafficking-now"
    assert script.version == 1
    assert 12 <= len(script.questions) <= 25
    assert 2 <= len(script.sections) <= 5
    # Safety first: can the caller talk, and is anyone in danger right now.
    assert [q.id for q in script.questions][:2] == ["talk_safe", "danger"]


def test_aktobe_car_service_worker(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~213): "the police in Aktobe, Kazakhstan, opened
    a case against the group of Kazakhstanis who owned a car service and a café and exploited
    citizens of Uzbekistan there ... Men were exploited as laborers ... the victims were
    recruited and delivered to the exploitation site by some recruiters in Karakalpakstan."
    The same report (line ~105) quotes an employer of Karakalpak workers in Kazakhstan: "we take
    their passports ... it is enough to feed them once a day ... To pay them? Why should we?
    ... we would just inform the police and they would fine and deport them". A debt imposed
    for spoiled goods and worked off is the scheme of the Taraz testimony in the same seed
    ("required to pay off the price of the spoiled fish ... I could work-off this debt").
    A worker at the car service calls while still there, not in immediate danger."""
    answers: dict[str, Any] = {
        "talk_safe": "yes",
        "danger": "no",
        "age": 24,
        "where": "abroad",
        "recruited": "offer",
        "promised": "yes",
        "sold": "no",
        "work": ["labour"],
        "refuse": "no",
        "pay": "none",
        "conditions": ["hours", "food"],
        "docs": "other",
        "leave": "no",
        "locked": "no",
        "debt": "fixed",
        "work_off": "yes",
        "threats": ["police"],
        "violence": ["none"],
        "wants": "leave",
        "health": "no",
    }
    result = evaluate(script, answers)
    assert result.level == "high"
    assert codes(result) == {
        "RECRUITED",
        "DECEIVED",
        "FORCED_LABOUR",
        "WAGES_WITHHELD",
        "EXCESSIVE_HOURS",
        "LITTLE_FOOD",
        "DOCS_TAKEN",
        "CANNOT_LEAVE",
        "DEBT",
        "DEBT_BONDAGE",
        "THREAT_POLICE",
    }
    assert any("Act, means and purpose" in r for r in reasons(result))
    assert {
        "vic_TypeOfExploitation.ForcedLabour",
        "vic_TypeOfExploitation.DebtBondage",
        "vic_MethodsOfControl.WithholdsDocuments",
        "vic_MethodsOfControl.TakesEarnings",
        "vic_MethodsOfControl.ThreatOfLawEnforcement",
    } <= htcds(result)
    assert {"consular", "legal", "documents", "return", "shelter"} <= set(result.services)
    # Held, but nobody said the person is in danger now and no violence was named.
    assert not result.urgent


def test_aktobe_underage_girl_at_the_cafe(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~213), the same Aktobe case: "women suffered both
    from labor and sexual exploitation. There was one underage person among the exploited
    women, and she got pregnant in the result of the series of rapes." A woman from the café
    calls about the girl. A child in ongoing sexual exploitation is an emergency, and for a
    child act and purpose are enough."""
    answers: dict[str, Any] = {
        "talk_safe": "yes",
        "danger": "unknown",
        "age": 16,
        "where": "abroad",
        "recruited": "offer",
        "work": ["labour", "sex"],
        "violence": ["sexual"],
        "health": "yes",
    }
    result = evaluate(script, answers)
    assert result.level == "urgent"
    assert "minor" in result.flags
    assert codes(result) == {
        "CHILD",
        "RECRUITED",
        "SEXUAL_EXPLOITATION",
        "SEXUAL_VIOLENCE",
        "HEALTH_NEED",
    }
    texts = reasons(result)
    assert "A child is being sexually abused or exploited." in texts
    assert any(r.startswith("A child: act and purpose are enough") for r in texts)
    assert "vic_TypeOfExploitation.SexualExploitation" in htcds(result)
    assert {"police", "medical", "psychological"} <= set(result.services)
    assert any("112" in a.get_text("en") and "102" in a.get_text("en") for a in result.actions)


def test_naryn_human_collateral_in_china(script: Script) -> None:
    """Seed 004_26e1a966f9fe4236.txt (line ~384): "the tradition of leaving a relative or
    friend as collateral for goods bought from Chinese businessmen developed ... this human
    collateral usually lived in fair conditions, but accommodation and food expenses were
    added to the debt that the trader owed. Oftentimes, the passport of the person held was
    taken, thus restricting his or her mobility and prohibiting them from crossing the border
    and returning to Kyrgyzstan." (line ~732): they "may be considered victims of human
    trafficking regardless of whether or not they consenting to being human collateral."
    A relative in Naryn calls: the trader went bankrupt and the person is still in China."""
    answers: dict[str, Any] = {
        "talk_safe": "yes",
        "danger": "no",
        "age": 32,
        "where": "abroad",
        "recruited": "collateral",
        "sold": "no",
        "work": ["none"],
        "conditions": ["none"],
        "docs": "other",
        "leave": "no",
        "locked": "no",
        "debt": "growing",
        "work_off": "no",
        "threats": ["none"],
        "violence": ["none"],
        "wants": "leave",
    }
    result = evaluate(script, answers)
    assert result.level == "high"
    assert codes(result) == {"HUMAN_COLLATERAL", "DOCS_TAKEN", "CANNOT_LEAVE", "DEBT_GROWING"}
    # No work is asked about pay.
    assert "pay" not in result.visible
    texts = reasons(result)
    assert any("held as collateral" in r for r in texts)
    assert any("Act, means and purpose" in r for r in texts)
    assert {
        "vic_TypeOfExploitation.HumanCollateral",
        "vic_MethodsOfControl.DebtBondage",
        "vic_MethodsOfControl.RestrictsMovement",
    } <= htcds(result)
    assert {"consular", "return", "documents", "legal"} <= set(result.services)
    # Fair conditions and the person's own agreement do not lower it.
    assert not result.urgent


def test_tobacco_farm_children_left_for_the_mothers_debt(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~74): "When I was 15 and my sister was 14, our
    mother said we all move to Kazakhstan to harvest tobacco there ... She didn't return. The
    farmer said he borrowed her money to buy the clothes for us, and now we had to work off
    the debt ... the hired workers received some money and left, but we didn't. The farmer
    said he couldn't let us go because we are underage and police would arrest us"."""
    answers: dict[str, Any] = {
        "talk_safe": "yes",
        "danger": "no",
        "age": 15,
        "where": "abroad",
        "recruited": "collateral",
        "work": ["labour", "domestic"],
        "refuse": "no",
        "refuse_home": "no",
        "pay": "none",
        "docs": "unknown",
        "leave": "no",
        "locked": "no",
        "debt": "fixed",
        "work_off": "yes",
        "threats": ["police"],
        "violence": ["none"],
    }
    result = evaluate(script, answers)
    assert result.level == "high"
    assert "minor" in result.flags
    assert codes(result) == {
        "CHILD",
        "HUMAN_COLLATERAL",
        "FORCED_LABOUR",
        "DOMESTIC_SERVITUDE",
        "WAGES_WITHHELD",
        "CANNOT_LEAVE",
        "DEBT",
        "DEBT_BONDAGE",
        "THREAT_POLICE",
    }
    assert any(r.startswith("A child: act and purpose are enough") for r in reasons(result))
    assert {
        "vic_TypeOfExploitation.ForcedLabour",
        "vic_TypeOfExploitation.DomesticServitude",
    } <= htcds(result)


def test_for_a_begging_child_act_and_purpose_are_enough(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~93): "There are also evidences of exploitation
    of underage individuals in forced begging". A neighbour reports a 12-year-old brought to
    the city by a man and made to beg; nothing is known yet about how the child is held. The
    same answers for an adult stay medium: without a means it is not yet trafficking."""
    answers: dict[str, Any] = {
        "danger": "no",
        "where": "country",
        "recruited": "offer",
        "work": ["begging"],
    }
    child = evaluate(script, {**answers, "age": 12})
    assert child.level == "high"
    assert codes(child) == {"CHILD", "RECRUITED", "FORCED_BEGGING"}
    assert "vic_TypeOfExploitation.ForcedBegging" in htcds(child)
    adult = evaluate(script, {**answers, "age": 30})
    assert adult.level == "medium"
    assert codes(adult) == {"RECRUITED", "FORCED_BEGGING"}


def test_dubai_locked_in_with_a_debt_and_forced_into_prostitution(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~80): "Her sister ... took our passports to
    register us ... she brought us to an apartment and left, having locked us. In a few hours
    she returned with a man and said he was our owner and we had to pay off him our debt for
    the UAE visas, and air tickets, and the goods ... 10,000 US dollars ... we had to pay off
    our debts working as prostitutes"."""
    answers: dict[str, Any] = {
        "talk_safe": "no",
        "danger": "no",
        "age": 19,
        "where": "abroad",
        "recruited": "offer",
        "promised": "yes",
        "sold": "yes",
        "work": ["sex"],
        "docs": "other",
        "leave": "no",
        "locked": "yes",
        "debt": "fixed",
        "work_off": "yes",
    }
    result = evaluate(script, answers)
    assert result.level == "high"
    assert codes(result) == {
        "TALK_UNSAFE",
        "RECRUITED",
        "DECEIVED",
        "SOLD",
        "SEXUAL_EXPLOITATION",
        "DOCS_TAKEN",
        "CANNOT_LEAVE",
        "LOCKED_GUARDED",
        "DEBT",
        "DEBT_BONDAGE",
    }
    texts = reasons(result)
    assert "The person cannot talk freely now." in texts
    assert "The person has been sold or handed over like property." in texts
    assert any("yes/no" in a.get_text("en") for a in result.actions)


def test_guarded_site_in_an_unknown_country(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~64): "a stranger came to our house accompanied by
    our makhalla leader and offered me a job in Russia ... they put us in a small unheated
    house ... They took our passports to register us and we never had the passports back.
    The construction site was guarded by men with guns and terrible big dogs... I didn't know
    if this was Kazakhstan or Russia." High on what is known; urgent once the caller says the
    person is in danger now, with the emergency numbers in every language."""
    answers: dict[str, Any] = {
        "talk_safe": "yes",
        "danger": "no",
        "age": 19,
        "where": "unknown",
        "recruited": "offer",
        "work": ["labour"],
        "refuse": "unknown",
        "pay": "unknown",
        "conditions": ["housing"],
        "docs": "other",
        "leave": "no",
        "locked": "yes",
    }
    result = evaluate(script, answers)
    assert result.level == "high"
    assert codes(result) == {
        "RECRUITED",
        "UNKNOWN_PLACE",
        "BAD_HOUSING",
        "DOCS_TAKEN",
        "CANNOT_LEAVE",
        "LOCKED_GUARDED",
    }
    assert result.score >= script.thresholds["high"]

    danger = evaluate(script, {**answers, "danger": "yes"})
    assert danger.urgent
    assert danger.reasons[0].text.get_text("en") == "The person is in danger now."
    assert {"police", "shelter", "medical"} <= set(danger.services)
    for lang in LANGUAGES:
        actions = [a.get_text(lang) for a in danger.actions]
        assert any("112" in a and "102" in a for a in actions), lang


def test_spanish_farm_held_and_beaten_is_urgent(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~68): "we will enter the country with tourist
    visas ... They took our passports to arrange the work permits ... It was a big farm over
    high fence. They spoke only Spanish and we didn't understand a word ... we must pick up
    fruit there. When my friend started arguing that we arrived to work on a factory they beat
    us badly ... They were eight and we were only three". The caller does not say "danger",
    but a person held and beaten is in immediate danger."""
    answers: dict[str, Any] = {
        "talk_safe": "yes",
        "danger": "no",
        "age": 30,
        "where": "abroad",
        "recruited": "agency",
        "promised": "yes",
        "work": ["labour"],
        "refuse": "no",
        "conditions": ["language"],
        "docs": "other",
        "leave": "no",
        "locked": "yes",
        "violence": ["beaten", "others"],
    }
    result = evaluate(script, answers)
    assert result.level == "urgent"
    assert codes(result) == {
        "RECRUITED",
        "DECEIVED",
        "FORCED_LABOUR",
        "LANGUAGE",
        "DOCS_TAKEN",
        "CANNOT_LEAVE",
        "LOCKED_GUARDED",
        "BEATEN",
        "VIOLENCE_SEEN",
    }
    assert reasons(result)[0].startswith("The person is held and violence is used")
    assert {"interpreter", "medical", "police"} <= set(result.services)


def test_licensed_firm_then_sold_from_owner_to_owner(script: Script) -> None:
    """Seed 004_26e1a966f9fe4236.txt (line ~698): the Migration Service "assured them that
    the firm had a license for employment abroad. However, that was not a guarantee of their
    safety. In the country of destination, they had an owner, and were sold several times
    from owner to owner. None of their 'employers' recognized the contract"."""
    answers: dict[str, Any] = {
        "danger": "no",
        "where": "abroad",
        "recruited": "agency",
        "promised": "yes",
        "sold": "yes",
        "leave": "no",
    }
    result = evaluate(script, answers)
    assert result.level == "high"
    assert codes(result) == {"RECRUITED", "DECEIVED", "SOLD", "CANNOT_LEAVE"}
    assert "The person has been sold or handed over like property." in reasons(result)
    # The operator is told that a licence is no guarantee, in every language.
    help_text = script.question("recruited").help
    assert help_text is not None
    assert "no guarantee" in help_text.get_text("en")
    assert all(help_text.get_text(lang) for lang in LANGUAGES)


def test_taraz_market_seller_in_domestic_servitude(script: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~54): "all my fish spoiled. The owner of the shop
    said this was my fault and required to pay off the price ... he said I could work-off
    this debt ... we lived in a barn ... He said I can work for his family as a domestic
    servant ... my son lived in the house while I lived in the barn. They didn't allow me to
    see him. When I tried to enter the house to see my son the host beat me ... with expired
    Soviet passport"."""
    answers: dict[str, Any] = {
        "talk_safe": "yes",
        "danger": "no",
        "age": 28,
        "where": "country",
        "recruited": "offer",
        "work": ["domestic"],
        "refuse_home": "no",
        "pay": "none",
        "conditions": ["housing", "child"],
        "docs": "none",
        "leave": "no",
        "locked": "no",
        "debt": "fixed",
        "work_off": "yes",
        "violence": ["beaten"],
    }
    result = evaluate(script, answers)
    assert result.level == "high"
    assert codes(result) == {
        "RECRUITED",
        "DOMESTIC_SERVITUDE",
        "WAGES_WITHHELD",
        "BAD_HOUSING",
        "CHILD_SEPARATED",
        "NO_DOCS",
        "CANNOT_LEAVE",
        "DEBT",
        "DEBT_BONDAGE",
        "BEATEN",
    }
    assert "vic_TypeOfExploitation.DomesticServitude" in htcds(result)
    assert "refuse" not in result.visible
    # Beaten, but not locked in: high, not urgent unless the caller says so.
    assert not result.urgent


def test_passport_held_for_the_bus_fare_is_medium(script: Script) -> None:
    """Seed 004_26e1a966f9fe4236.txt (line ~238): jobseekers from Osh "immediately incur a
    debt with the bus drivers or recruiters loaning them this money and taking their
    passports as collateral. Upon arrival ... the driver and/or recruiter receive money from
    the employer ... handing over the passports and transferring the debt". A migrant at a
    building site calls: paid, free to leave, but the passport is with the employer and the
    fare is owed. Serious signs of control, no exploitation yet: medium."""
    answers: dict[str, Any] = {
        "talk_safe": "yes",
        "danger": "no",
        "age": 27,
        "where": "abroad",
        "recruited": "offer",
        "promised": "no",
        "sold": "no",
        "work": ["labour"],
        "refuse": "yes",
        "pay": "agreed",
        "conditions": ["none"],
        "docs": "other",
        "leave": "yes",
        "debt": "fixed",
        "work_off": "no",
        "threats": ["none"],
        "violence": ["none"],
    }
    result = evaluate(script, answers)
    assert result.level == "medium"
    assert codes(result) == {"RECRUITED", "DOCS_TAKEN", "DEBT"}
    assert "locked" not in result.visible
    assert "documents" in result.services


def test_late_wages_only_is_low(script: Script) -> None:
    """Seed 002_d9804aec869c77b7.txt (line ~217): the Sana Sezim hotline "consulted on ...
    registration issues with the migration police, questions related to legal employment in
    Kazakhstan". A migrant who found the job alone, keeps the passport and can leave, is paid
    late: a labour-rights question, not trafficking."""
    answers: dict[str, Any] = {
        "talk_safe": "yes",
        "danger": "no",
        "age": 35,
        "where": "abroad",
        "recruited": "own",
        "sold": "no",
        "work": ["labour"],
        "refuse": "yes",
        "pay": "less",
        "conditions": ["none"],
        "docs": "self",
        "leave": "yes",
        "debt": "no",
        "threats": ["none"],
        "violence": ["none"],
        "wants": "advice",
    }
    result = evaluate(script, answers)
    assert result.level == "low"
    assert codes(result) == {"UNDERPAID"}
    assert "promised" not in result.visible
    assert result.services == ("consular", "hotline")


def test_uzbek_latin_and_cyrillic_texts(script: Script) -> None:
    """oʻ gʻ with U+02BB, the tutuq belgisi with U+02BC; no Latin in the Cyrillic texts."""
    found = []
    for q in script.questions:
        found += [q.text, *(o.text for o in q.options)]
        if q.help:
            found.append(q.help)
    found += [i.text for i in script.indicators.values()]
    for rule in script.rules:
        found += [rule.reason, *rule.actions]
    for text in found:
        assert not re.search(r"['‘’`]", text["uz_Latn"]), text["uz_Latn"]
        for lang in ("ru", "ky", "kk", "uz_Cyrl", "tg"):
            assert not re.search("[A-Za-z]", text[lang]), (lang, text[lang])
    assert any("oʻ" in t["uz_Latn"] or "gʻ" in t["uz_Latn"] for t in found)
