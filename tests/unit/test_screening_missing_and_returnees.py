"""The screening scripts for a missing person (resources/scripts/missing-person.toml) and for a
returnee's needs (resources/scripts/returnee-needs.toml) against testimonies and findings from
the seeds (/work/shared/seeds/), screened as a trained hotline consultant would screen the call.

In missing-person the level is the risk to the missing person; in returnee-needs it is how
urgent the needs are (a bed tonight, a doctor today, threats, charges), with the UN Protocol
assessment added by the rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hotline.screening.engine import evaluate
from hotline.screening.script import LANGUAGES, Script, load_script_file
from tests.unit.screening_support import actions, codes, htcds, reasons

SCRIPTS = Path(__file__).resolve().parents[2] / "resources" / "scripts"


@pytest.fixture(scope="module")
def missing() -> Script:
    return load_script_file(SCRIPTS / "missing-person.toml")


@pytest.fixture(scope="module")
def returnee() -> Script:
    return load_script_file(SCRIPTS / "returnee-needs.toml")


# --- the scripts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "script_id"),
    [("missing-person.toml", "missing-person"), ("returnee-needs.toml", "returnee-needs")],
)
def test_the_scripts_load(name: str, script_id: str) -> None:
    script = load_script_file(SCRIPTS / name)
    assert script.id == script_id
    assert script.version == 1
    assert 12 <= len(script.questions) <= 25
    assert 2 <= len(script.sections) <= 5
    # The immediate-danger question comes first.
    assert script.questions[0].id == "danger_now"
    assert any(rule.level == "urgent" for rule in script.rules)


def test_returnee_needs_are_scored_as_needs(returnee: Script) -> None:
    needs = [i for i in returnee.indicators.values() if i.category == "need"]
    assert len(needs) >= 15
    assert all(not i.elements and i.htcds_field is None for i in needs)


def test_a_licence_is_never_presented_as_safe(missing: Script) -> None:
    """Seed 004 (line ~698): the Migration Service "assured them that the firm had a license
    for employment abroad. However, that was not a guarantee of their safety"."""
    question = missing.question("recruiter")
    assert question.help is not None
    assert "does not make a firm safe" in question.help["en"]
    agency = next(o for o in question.options if o.id == "agency")
    assert agency.effect.indicators == ("RECRUITED",)


@pytest.mark.parametrize("name", ["missing-person.toml", "returnee-needs.toml"])
def test_urgent_steps_give_the_emergency_numbers_in_every_language(name: str) -> None:
    script = load_script_file(SCRIPTS / name)
    danger = next(rule for rule in script.rules if rule.when.source == 'flag("danger")')
    assert danger.level == "urgent"
    assert "talk safely" in danger.actions[0]["en"]
    assert "call back" in danger.actions[0]["en"]
    for lang in LANGUAGES:
        steps = " ".join(a[lang] for a in danger.actions)
        assert "112" in steps and "102" in steps, lang


# --- missing person ------------------------------------------------------------------------


def test_son_missing_in_russia_after_leaving_with_a_recruiter(missing: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~64): "When a stranger came to our house
    accompanied by our makhalla leader and offered me a job in Russia, I was happy ... They
    took our passports to register us and we never had the passports back. The construction
    site was guarded by men with guns and terrible big dogs". Seed 004 (line ~666): "relatives
    are searching for their children who are missing abroad"; (line ~656) "40 residents of one
    village had gone to work in Kazakhstan and were missing".
    A mother calls: her son left for a construction job in Russia with a stranger vouched for
    by the makhalla leader, a brigade leader took the group there, the passports stayed with
    the recruiter; no news for two months; in the last short call he could not speak freely,
    said he is not paid and cannot leave. Act + means + purpose: high, not urgent (no sign of
    danger to life right now), search through the police and the consulate."""
    answers: dict[str, Any] = {
        "danger_now": "unknown",
        "age": 24,
        "where": "abroad",
        "place": "Russia, a construction site near Chelyabinsk",
        "purpose": "work",
        "last_contact": "months",
        "recruiter": "stranger",
        "escort": "yes",
        "offer": ["high_pay"],
        "documents": "held",
        "debt": "unknown",
        "employer_info": "",
        "contact_signs": ["supervised", "not_paid", "cannot_leave"],
        "forced_to": ["unpaid_work"],
        "threat_family": "no",
        "police_report": "no",
        "consulate": "no",
    }
    result = evaluate(missing, answers)
    assert result.level == "high"
    assert codes(result) == {
        "RECRUITED",
        "ESCORTED",
        "HIGH_PAY",
        "DOCS_WITHHELD",
        "NO_CONTACT_MONTH",
        "SUPERVISED_CALLS",
        "NOT_PAID",
        "CANNOT_LEAVE",
        "FORCED_LABOUR",
    }
    assert any("Act, means and purpose" in r for r in reasons(result))
    assert any("more than a month" in r for r in reasons(result))
    assert {"vic_MethodsOfControl.WithholdsDocuments", "vic_TypeOfExploitation.ForcedLabour"} <= (
        htcds(result)
    )
    assert {"police", "consular", "documents", "return"} <= set(result.services)
    assert "danger" not in result.flags


def test_teenage_girl_missing_in_the_capital_after_a_waitress_offer(missing: Script) -> None:
    """Seed 004_26e1a966f9fe4236.txt (line ~323): "Aida had organized a system of kidnapping
    under-aged girls from Djajal-Abad, forced them to be prostitutes"; (line ~728) "under-aged
    girls from rural regions of Kyrgyzstan forced to work as prostitutes in the capital";
    (line ~547) "recruitment of young women to work as dancers and waitresses ... had become
    common practice". A father calls: his 16-year-old daughter went to Bishkek with a woman
    who offered her work as a waitress; two weeks without news; the last time a stranger
    answered her phone, and before that she sounded afraid. Nothing is known yet about what
    she is made to do, so the child rule act + purpose cannot fire: a missing child is high
    all the same, and the police must be told today."""
    answers: dict[str, Any] = {
        "danger_now": "unknown",
        "age": 16,
        "where": "in_country",
        "purpose": "work",
        "last_contact": "weeks",
        "recruiter": "stranger",
        "escort": "yes",
        "offer": ["risky_job"],
        "documents": "unknown",
        "contact_signs": ["someone_else", "afraid"],
        "forced_to": ["nothing"],
        "threat_family": "no",
        "police_report": "no",
    }
    result = evaluate(missing, answers)
    assert result.level == "high"
    assert "minor" in result.flags
    assert codes(result) == {
        "MISSING_CHILD",
        "RECRUITED",
        "ESCORTED",
        "RISKY_JOB",
        "NO_CONTACT_WEEKS",
        "PHONE_BY_OTHER",
        "SOUNDED_AFRAID",
    }
    assert "A missing child." in reasons(result)
    assert "three days" in actions(result)
    assert "consulate" not in result.visible  # not abroad
    assert "police" in result.services


def test_seasonal_worker_in_kazakhstan_not_heard_from_for_weeks(missing: Script) -> None:
    """Seed 004_26e1a966f9fe4236.txt (line ~497): "it is a common practice for residents of
    the region to search for permanent or seasonal work in neighboring rayons of Kazakhstan".
    A wife calls: her husband went on his own to farm work in Kazakhstan, has his passport,
    owes nobody; he has not called for two weeks and she heard nothing worrying before. No
    trafficking indicator: low, with advice on reporting him missing and on the consulate."""
    answers: dict[str, Any] = {
        "danger_now": "no",
        "age": 35,
        "where": "abroad",
        "purpose": "work",
        "last_contact": "weeks",
        "recruiter": "self",
        "escort": "no",
        "offer": ["none"],
        "documents": "with_person",
        "debt": "no",
        "contact_signs": ["none"],
        "forced_to": ["nothing"],
        "threat_family": "no",
        "police_report": "no",
        "consulate": "no",
    }
    result = evaluate(missing, answers)
    assert result.level == "low"
    assert codes(result) == {"NO_CONTACT_WEEKS"}
    assert result.score == 1
    assert set(result.services) == {"police", "consular"}
    assert "The family has not yet reported the person missing to the police." in reasons(result)


def test_sister_locked_in_a_flat_in_dubai_is_urgent(missing: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~76-80): a woman offered "a job like sales persons in
    a big shopping mall in Dubai"; her sister "took our passports to register us ... brought us
    to an apartment and left, having locked us ... the amount of the debt for each of us was
    10,000 US dollars ... we had to pay off our debts working as prostitutes". A brother calls:
    his sister phoned yesterday in a whisper from a locked flat. Immediate danger: urgent, with
    the immediate steps."""
    answers: dict[str, Any] = {
        "danger_now": "yes",
        "age": 19,
        "where": "abroad",
        "purpose": "work",
        "last_contact": "days",
        "recruiter": "acquaintance",
        "escort": "yes",
        "documents": "held",
        "debt": "yes",
        "contact_signs": ["cannot_leave", "job_changed", "money_asked"],
        "forced_to": ["sex"],
    }
    result = evaluate(missing, answers)
    assert result.urgent
    assert result.reasons[0].level == "urgent"
    assert {
        "RECRUITED",
        "DOCS_WITHHELD",
        "DEBT",
        "CANNOT_LEAVE",
        "JOB_SWITCHED",
        "SEXUAL_EXPLOITATION",
    } <= codes(result)
    assert "vic_TypeOfExploitation.SexualExploitation" in htcds(result)
    steps = actions(result)
    assert "talk safely" in steps and "112" in steps and "102" in steps
    assert "112" in actions(result, "tg") and "102" in actions(result, "uz_Latn")
    assert {"police", "consular", "return"} <= set(result.services)


def test_nothing_answered_is_no_risk(missing: Script, returnee: Script) -> None:
    assert evaluate(missing, {}).level == "none"
    assert evaluate(returnee, {}).level == "none"


# --- returnee needs ------------------------------------------------------------------------


def test_woman_back_from_the_uae_needs_documents_medical_and_psychological_help(
    returnee: Script,
) -> None:
    """Seed 004_26e1a966f9fe4236.txt (line ~686): "1 girl was returned from Arab Emirates, where
    she was exploited in sex industry"; (line ~702) after return "respondents were in need of
    medical, psychological, and legal assistance, and the majority also needed temporary
    refuge". Seed 001 (line ~915): women wait "for return certificates to be issued by the
    Consular Service".
    She stays with an aunt, came back on a return certificate, wants a medical check, sleeps
    badly and is afraid, has not told her family, is short of money and wants a job. A presumed
    victim of trafficking with several needs: high, and every need gets its service."""
    answers: dict[str, Any] = {
        "danger_now": "no",
        "sleep_tonight": "relatives",
        "age": 22,
        "returned_from": "uae",
        "recruited": "yes",
        "what_happened": ["docs_taken", "not_free", "debt", "sex"],
        "medical_now": "no",
        "medical_care": "yes",
        "psych": "yes",
        "self_harm": "no",
        "threats": "no",
        "debt_demands": "no",
        "documents": "return_cert",
        "questioned": "no",
        "criminal_case": "no",
        "family": "not_told",
        "children": "no",
        "money": "barely",
        "work_help": "yes",
        "going_again": "no",
    }
    result = evaluate(returnee, answers)
    assert result.level == "high"
    assert codes(result) == {
        "RECRUITED",
        "DOCS_TAKEN",
        "RESTRICTED",
        "DEBT_BONDAGE",
        "SEXUAL_EXPLOITATION",
        "MEDICAL_CARE",
        "PSYCH_SUPPORT",
        "NO_ID",
        "LOW_MONEY",
        "WANTS_WORK",
    }
    assert any(r.startswith("Presumed victim of trafficking") for r in reasons(result))
    assert {
        "documents",
        "medical",
        "psychological",
        "legal",
        "financial",
        "reintegration",
    } <= set(result.services)
    assert "International Organization for Migration" in actions(result)


def test_returnee_threatened_by_the_recruiter_is_high(returnee: Script) -> None:
    """Seed 002_d9804aec869c77b7.txt (line ~709) lists among the lawyers' challenges "The
    security of trafficked persons and their attorneys (intimidation and threats by
    traffickers)". Seed 000 (line ~213-219): in the Aktobe car-service case the workers were
    "recruited ... by some recruiters in Karakalpakstan" and "many victims (totally 13) agreed
    to cooperate with law enforcement". A man back home, a witness in the case, says the
    recruiter's people threaten his family and demand the "debt". The threats make it high on
    their own; he also needs a lawyer and protection during the trial."""
    answers: dict[str, Any] = {
        "danger_now": "no",
        "sleep_tonight": "home",
        "age": 28,
        "returned_from": "kazakhstan",
        "threats": "yes",
        "debt_demands": "yes",
        "documents": "yes",
        "questioned": "no",
        "criminal_case": "yes",
        "family": "supports",
    }
    result = evaluate(returnee, answers)
    assert result.level == "high"
    assert codes(result) == {"RECRUITER_THREATS", "DEBT_DEMANDS", "IN_CRIMINAL_CASE"}
    assert result.score == 9
    assert "Threats from the recruiter or their people." in reasons(result)
    assert "safety plan" in actions(result)
    assert {"legal", "police", "shelter", "psychological"} <= set(result.services)
    # Without the threats the same call is only medium.
    calmer = evaluate(returnee, {**answers, "threats": "no"})
    assert calmer.level == "medium"


def test_mother_with_no_safe_place_to_sleep_tonight_is_urgent(returnee: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~58): a woman kept as a domestic servant in a barn,
    apart from her son, beaten when she tried to see him: "When I managed to kidnap my son and
    to escape, I didn't know where to go. We slept on the streets and begged" ... "with expired
    Soviet passport" ... "He doesn't have documents". She calls with her son and nowhere to
    spend the night: urgent, a shelter before the call ends."""
    answers: dict[str, Any] = {
        "danger_now": "no",
        "sleep_tonight": "nowhere",
        "age": 30,
        "returned_from": "in_country",
        "recruited": "yes",
        "what_happened": ["debt", "not_free", "violence", "domestic"],
        "documents": "expired",
        "family": "no_family",
        "children": "yes",
        "children_needs": ["documents", "basics"],
        "money": "none",
    }
    result = evaluate(returnee, answers)
    assert result.urgent
    assert result.reasons[0].level == "urgent"
    assert "No safe place to sleep tonight." in reasons(result)
    assert {
        "NO_SAFE_PLACE",
        "NO_ID",
        "NO_FAMILY",
        "CHILD_NO_DOCS",
        "CHILD_BASIC",
        "NO_MONEY",
        "DOMESTIC_SERVITUDE",
    } <= codes(result)
    assert "vic_TypeOfExploitation.DomesticServitude" in htcds(result)
    assert "shelter" in actions(result)
    assert result.services[0] == "shelter"
    assert {"documents", "financial"} <= set(result.services)


def test_migrant_cheated_of_wages_on_a_tobacco_farm_is_medium(returnee: Script) -> None:
    """Seed 004_26e1a966f9fe4236.txt (line ~240): "labor migrants from Kyrgyzstan do not
    receive their full promised remuneration. After calculating travel expenses,
    accommodation, food, medical care or fees for equipment breakage, the amount remaining is
    generally not even enough to return"; (line ~702) "the most important is assistance in
    employment in their home country". A man recruited by a fellow villager came back from a
    tobacco farm in Kazakhstan with almost nothing, has no money for his family and wants
    work. No purpose element (he was paid, though cheated): not a trafficking case; his needs
    are real but not urgent: medium."""
    answers: dict[str, Any] = {
        "danger_now": "no",
        "sleep_tonight": "home",
        "age": 40,
        "returned_from": "kazakhstan",
        "recruited": "yes",
        "what_happened": ["wages_cheated"],
        "medical_now": "no",
        "medical_care": "no",
        "psych": "no",
        "threats": "no",
        "debt_demands": "no",
        "documents": "yes",
        "questioned": "no",
        "criminal_case": "no",
        "family": "supports",
        "children": "yes",
        "children_needs": ["nothing"],
        "money": "none",
        "work_help": "yes",
        "going_again": "no",
    }
    result = evaluate(returnee, answers)
    assert result.level == "medium"
    assert codes(result) == {"RECRUITED", "WAGES_CHEATED", "NO_MONEY", "WANTS_WORK"}
    assert result.score == 6
    assert not any("Presumed victim" in r for r in reasons(result))
    assert set(result.services) == {"legal", "financial", "reintegration"}


def test_woman_questioned_over_a_forged_passport_is_high(returnee: Script) -> None:
    """Seed 004_26e1a966f9fe4236.txt (line ~607): "women were arrested while crossing the border
    (at the airport, primarily returning for UAE) with forged documents, saying that their
    documents were taken from them while they were abroad ... In order to return home, they
    bought fake passports ... they can be charged with document forgery". Seed 001
    (line ~861-868): the forgery and border articles have no exception for victims. She has
    been called in by the border service: a lawyer before the next questioning, high."""
    answers: dict[str, Any] = {
        "danger_now": "no",
        "sleep_tonight": "home",
        "age": 24,
        "returned_from": "uae",
        "documents": "false_docs",
        "questioned": "yes",
    }
    result = evaluate(returnee, answers)
    assert result.level == "high"
    assert codes(result) == {"FALSE_DOCS", "NO_ID", "PROSECUTION_RISK"}
    assert "lawyer before the next questioning" in actions(result)
    assert "legal" in result.services
    # A false passport without questioning yet is still worth a lawyer: medium.
    assert evaluate(returnee, {**answers, "questioned": "no"}).level == "medium"


def test_children_kept_on_a_tobacco_farm_child_rule(returnee: Script) -> None:
    """Seed 000_fa9b57731bfef90f.txt (line ~74): "our mother said we all move to Kazakhstan to
    harvest tobacco ... She didn't return. The farmer said he borrowed her money to buy the
    clothes for us, and now we had to work off the debt ... He said we had to stay in the
    farm". A 15-year-old back home after that, no family to go to: for a child act + purpose is
    trafficking without any means, and a child without family care needs child protection."""
    answers: dict[str, Any] = {
        "danger_now": "no",
        "sleep_tonight": "relatives",
        "age": 15,
        "returned_from": "kazakhstan",
        "recruited": "yes",
        "what_happened": ["unpaid"],
        "family": "no_family",
    }
    result = evaluate(returnee, answers)
    assert result.level == "high"
    assert "minor" in result.flags
    assert {"RETURNEE_CHILD", "RECRUITED", "FORCED_LABOUR", "NO_FAMILY"} <= codes(result)
    texts = reasons(result)
    assert any(r.startswith("A child: recruitment") for r in texts)
    assert "A child without family care." in texts
    assert not any(r.startswith("Presumed victim") for r in texts)  # no means: child rule only
    # The same answers for an adult: act + purpose without means is not enough.
    adult = evaluate(returnee, {**answers, "age": 25})
    assert adult.level == "medium"


def test_thoughts_of_suicide_are_urgent(returnee: Script) -> None:
    """Seed 000 (line ~195) on victims "who have suffered from psychological torture";
    seed 002 (line ~751): "Without psychological support, the legal assistance is not
    sufficient". The follow-up question shows only after the person says they feel afraid or
    sad."""
    assert "self_harm" not in evaluate(returnee, {"psych": "no"}).visible
    result = evaluate(returnee, {"psych": "yes", "self_harm": "yes"})
    assert result.urgent
    assert {"PSYCH_SUPPORT", "SELF_HARM"} == codes(result)
    assert "psychologist today" in actions(result)
    assert result.services[:2] == ("psychological", "medical")
