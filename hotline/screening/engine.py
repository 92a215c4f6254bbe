"""Given a script and answers: which questions show, which indicators fire, the risk
level and the reasons for it, suggested actions and service types. Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hotline.errors import InvalidInput
from hotline.i18n import _, ngettext
from hotline.screening.conditions import Evaluator
from hotline.screening.script import LEVELS, YESNO, Effect, Indicator, Question, Script, Text


@dataclass(frozen=True)
class Reason:
    level: str
    text: Text  # in every language, from the script
    indicators: tuple[str, ...] = ()
    points: int | None = None  # set for the reason that comes from the points total


@dataclass(frozen=True)
class Result:
    visible: tuple[str, ...]
    answered: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    flags: tuple[str, ...]
    score: int
    level: str
    reasons: tuple[Reason, ...]
    actions: tuple[Text, ...]
    services: tuple[str, ...]

    @property
    def urgent(self) -> bool:
        return self.level == "urgent"


class _State:
    """What is known so far while walking the script in order."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.answers: dict[str, Any] = {}
        self.indicators: dict[str, Indicator] = {}
        self.flags: list[str] = []
        self.services: list[str] = []

    def apply(self, effect: Effect) -> None:
        for code in effect.indicators:
            self.indicators.setdefault(code, self.script.indicators[code])
        self.flags.extend(f for f in effect.flags if f not in self.flags)
        self.services.extend(s for s in effect.services if s not in self.services)

    def score(self) -> int:
        return sum(i.weight for i in self.indicators.values())

    def has_element(self, element: str) -> bool:
        return any(element in i.elements for i in self.indicators.values())

    def evaluator(self) -> Evaluator:
        return Evaluator(
            self.answers,
            {
                "answer": lambda qid: self.answers.get(qid),
                "answered": lambda qid: qid in self.answers,
                "has": lambda code: code in self.indicators,
                "flag": lambda name: name in self.flags,
                "category": lambda name: sum(
                    1 for i in self.indicators.values() if i.category == name
                ),
                "score": self.score,
                "act": lambda: self.has_element("act"),
                "means": lambda: self.has_element("means"),
                "purpose": lambda: self.has_element("purpose"),
            },
        )


def _check_answer(question: Question, value: Any) -> Any:
    """The answer in canonical form; InvalidInput naming the question if it does not fit."""
    bad = InvalidInput(
        _("The answer to %(question)s is not one of its choices.") % {"question": question.id}
    )
    if question.type == "yesno":
        if value not in YESNO:
            raise bad
        return value
    if question.type == "single":
        if value not in {o.id for o in question.options}:
            raise bad
        return value
    if question.type == "multi":
        ids = {o.id for o in question.options}
        if not isinstance(value, list | tuple) or not set(value) <= ids:
            raise bad
        return tuple(v for v in (o.id for o in question.options) if v in value)
    if question.type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(
                _("The answer to %(question)s must be a number.") % {"question": question.id}
            )
        return value
    if not isinstance(value, str):
        raise InvalidInput(
            _("The answer to %(question)s must be text.") % {"question": question.id}
        )
    return value


def _effects(question: Question, value: Any) -> list[Effect]:
    if question.type == "yesno":
        return [question.answers[value]]
    if question.type == "single":
        return [o.effect for o in question.options if o.id == value]
    if question.type == "multi":
        return [o.effect for o in question.options if o.id in value]
    if question.type == "number":
        return [r.effect for r in question.ranges if r.contains(float(value))]
    return []


def _rank(level: str) -> int:
    return LEVELS.index(level)


def evaluate(script: Script, answers: Mapping[str, Any]) -> Result:
    """Walk the script in order: a question counts only if it is visible given the
    answers before it. Unknown question ids in ``answers`` are an error."""
    unknown = set(answers) - {q.id for q in script.questions}
    if unknown:
        raise InvalidInput(
            _("These answers belong to no question of the script: %(ids)s")
            % {"ids": ", ".join(sorted(unknown))}
        )
    state = _State(script)
    visible: list[str] = []
    for question in script.questions:
        if question.show_if is not None and not state.evaluator()(question.show_if):
            continue
        visible.append(question.id)
        if question.id not in answers or answers[question.id] in (None, ""):
            continue
        value = _check_answer(question, answers[question.id])
        state.answers[question.id] = value
        for effect in _effects(question, value):
            state.apply(effect)

    score = state.score()
    level = "none"
    reasons: list[Reason] = []
    thresholds = script.thresholds
    for name in ("high", "medium", "low"):
        if score >= thresholds[name]:
            level = name
            reasons.append(
                Reason(
                    level=name,
                    text=Text(),
                    indicators=tuple(state.indicators),
                    points=score,
                )
            )
            break
    actions: list[Text] = []
    services = list(state.services)
    evaluate_condition = state.evaluator()
    for rule in script.rules:
        if evaluate_condition(rule.when):
            reasons.append(Reason(level=rule.level, text=rule.reason))
            if _rank(rule.level) > _rank(level):
                level = rule.level
            actions.extend(rule.actions)
            services.extend(s for s in rule.services if s not in services)
    reasons.sort(key=lambda r: -_rank(r.level))
    return Result(
        visible=tuple(visible),
        answered=tuple(state.answers),
        indicators=tuple(state.indicators.values()),
        flags=tuple(state.flags),
        score=score,
        level=level,
        reasons=tuple(reasons),
        actions=tuple(actions),
        services=tuple(services),
    )


def reason_text(reason: Reason, language: str | None = None) -> str:
    """A reason as one sentence in the interface language."""
    if reason.points is None:
        return reason.text.get_text(language)
    return ngettext(
        "The indicators found add up to %(n)d point.",
        "The indicators found add up to %(n)d points.",
        reason.points,
    ) % {"n": reason.points}
