"""Write a realistic synthetic data set into an installation, fast.

Rows go in with ``executemany`` in large transactions, bypassing the per-call service (which
writes one audit entry and one version snapshot per save). What the services would write is
kept: contact_topics, screenings with the source of their script, cases with their person,
referrals to directory entries, reviews, the reference counters, and the full-text index
(filled by the contacts' own triggers). Not written: ``record_versions`` snapshots (the
history view of a demo call is empty) and per-record audit entries; the whole load is ONE
audit entry (``demo.loaded``). See docs/performance.md, "Demo data".
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from hotline import audit, clock
from hotline.audit import AuditAction
from hotline.demo import phrases
from hotline.errors import KnownError
from hotline.i18n import _
from hotline.roles import Action
from hotline.screening.engine import evaluate
from hotline.screening.script import YESNO, Script
from hotline.services import directory, screening
from hotline.services.session import Session
from hotline.store.repositories import contacts as contacts_repo
from hotline.store.repositories import settings as settings_repo
from hotline.taxonomy import taxonomy

DEMO_SETTING = "demo.contacts"  # how many contacts of this installation are demo data
BATCH = 10_000

CALL_TYPES: tuple[tuple[str, int], ...] = (
    ("consultation", 30), ("trafficking_concern", 14), ("missing_person", 6),
    ("other_violence", 5), ("follow_up", 8), ("other", 5), ("silent", 10), ("prank", 6),
    ("wrong_number", 4), ("hang_up", 6), ("test", 1),
)  # fmt: skip
TOPICS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "consultation": ("WORK.LEGAL", "WORK.RULES", "WORK.OFFER", "DOC.REGISTRATION",
                     "DOC.CITIZENSHIP", "DOC.LOST", "OTHER.INFO", "RETURN.REINTEGRATION", "WORK"),
    "trafficking_concern": ("TRAF.SUSPECTED", "TRAF.ESCAPED", "WORK.WAGES", "DOC.TAKEN",
                            "TRAF.CHILD", "TRAF.COLLATERAL", "WORK.OFFER", "TRAF"),
    "missing_person": ("MISSING.ABROAD", "MISSING.HOME", "MISSING"),
    "other_violence": ("FAMILY.VIOLENCE", "FAMILY.FORCED", "FAMILY.MARRIAGE", "FAMILY"),
    "follow_up": ("HELP.SHELTER", "HELP.LEGAL", "HELP.PSYCH", "HELP.MEDICAL", "HELP.MATERIAL",
                  "RETURN.REPATRIATION"),
    "other": ("OTHER.OTHER", "OTHER.INFO", "HELP"),
}  # fmt: skip
# Caller countries and, for each, the call languages heard and the regions named.
COUNTRIES: tuple[tuple[str, int], ...] = (("KG", 60), ("UZ", 12), ("TJ", 10), ("KZ", 9), ("RU", 9))
LANGUAGES_BY_COUNTRY: dict[str, tuple[tuple[str, int], ...]] = {
    "KG": (("ky", 55), ("ru", 38), ("uz", 7)),
    "UZ": (("uz", 80), ("ru", 20)),
    "TJ": (("tg", 80), ("ru", 20)),
    "KZ": (("kk", 60), ("ru", 40)),
    "RU": (("ru", 70), ("ky", 15), ("uz", 10), ("tg", 5)),
}
REGIONS: dict[str, tuple[str, ...]] = {
    "KG": ("Бишкек", "Ош облусу", "Чүй облусу", "Жалал-Абад облусу", "Баткен облусу", "Нарын"),
    "UZ": ("Toshkent", "Fargʻona viloyati", "Andijon viloyati", "Samarqand viloyati"),
    "TJ": ("Душанбе", "Вилояти Суғд", "Вилояти Хатлон"),
    "KZ": ("Алматы", "Түркістан облысы", "Астана"),
    "RU": ("Москва", "Свердловская область", "Новосибирская область"),
}
PHONE_PREFIX = {"KG": ("+99670", 7), "UZ": ("+99890", 7), "TJ": ("+99291", 7),
                "KZ": ("+7701", 7), "RU": ("+7916", 7)}  # fmt: skip
SEXES: tuple[tuple[str | None, int], ...] = (
    ("female", 58),
    ("male", 36),
    ("other", 1),
    ("unknown", 4),
    (None, 1),
)
AGE_BANDS: tuple[tuple[str | None, int], ...] = (
    ("0-8", 1), ("9-17", 5), ("18-20", 9), ("21-23", 12), ("24-26", 13), ("27-29", 12),
    ("30-38", 22), ("39-47", 13), ("48+", 8), ("unknown", 4), (None, 1),
)  # fmt: skip
RELATIONSHIPS: tuple[tuple[str, int], ...] = (
    ("self", 50), ("relative", 30), ("friend", 8), ("professional", 5), ("anonymous", 6),
    ("other", 1),
)  # fmt: skip
CHANNELS: tuple[tuple[str, int], ...] = (
    ("phone", 80),
    ("messenger", 12),
    ("walk_in", 4),
    ("outgoing_follow_up", 4),
)
RISKS: tuple[tuple[str, int], ...] = (
    ("none", 50),
    ("low", 25),
    ("medium", 15),
    ("high", 8),
    ("urgent", 2),
)
# Calls by month: labour migration departures in spring, harvest work in late summer.
MONTH_WEIGHTS = (6, 6, 10, 12, 11, 8, 7, 10, 11, 9, 6, 5)
# Calls by local hour of the day.
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 9, 10, 10, 9, 8, 7, 6, 5, 4, 2, 1)
SERVICES: tuple[tuple[str, int], ...] = (
    ("legal", 20), ("shelter", 12), ("psychological", 12), ("documents", 12), ("return", 10),
    ("consular", 10), ("medical", 8), ("reintegration", 6), ("police", 5), ("financial", 5),
)  # fmt: skip
OUTCOMES: tuple[tuple[str, int], ...] = (
    ("unknown", 35),
    ("reached", 25),
    ("accepted", 30),
    ("declined", 10),
)
EXPLOITATION = ("ForcedLabour", "SexualExploitation", "DomesticServitude", "DebtBondage",
                "ForcedMarriage", "ForcedBegging")  # fmt: skip
CONTROL = ("WithholdsDocuments", "DebtBondage", "TakesEarnings", "RestrictsMovement",
           "ThreatsOfViolence", "FalsePromises", "Isolation", "ExcessiveWorkingHours")  # fmt: skip
DESTINATIONS = ("RU", "RU", "RU", "KZ", "TR", "AE", "KR")
REVIEW_CRITERIA = ("greeting", "consent", "screening", "referral", "notes", "follow_up")
SCRIPT_BY_TYPE = {
    "trafficking_concern": ("trafficking-now", "job-offer"),
    "missing_person": ("missing-person",),
    "consultation": ("job-offer", "returnee-needs"),
    "follow_up": ("returnee-needs",),
}
MINOR_BANDS = frozenset({"0-8", "9-17"})
LEVEL_ORDER = ("none", "low", "medium", "high", "urgent")

_CONTACT_INSERT = contacts_repo._INSERT  # the repository's own statement: same columns


@dataclass(frozen=True)
class DemoResult:
    contacts: int
    cases: int
    referrals: int
    screenings: int
    reviews: int
    seconds: float


@dataclass
class _Caller:
    phone: str
    typed: str
    country: str
    language: str
    sex: str | None
    age_band: str | None
    region: str
    case_id: str | None = None


@dataclass
class _Batch:
    persons: list[tuple[Any, ...]] = field(default_factory=list)
    cases: list[tuple[Any, ...]] = field(default_factory=list)
    contacts: list[tuple[Any, ...]] = field(default_factory=list)
    topics: list[tuple[str, str]] = field(default_factory=list)
    screenings: list[tuple[Any, ...]] = field(default_factory=list)
    referrals: list[tuple[Any, ...]] = field(default_factory=list)
    reviews: list[tuple[Any, ...]] = field(default_factory=list)


def _weighted(pairs: Sequence[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    values = [v for v, _w in pairs]
    cum: list[int] = []
    total = 0
    for _v, w in pairs:
        total += w
        cum.append(total)
    return values, cum


class _Pick:
    """Weighted choice from a fixed table, fast (bisect over cumulative weights)."""

    def __init__(self, rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> None:
        self._values, self._cum = _weighted(pairs)
        self._total = self._cum[-1]
        self._rng = rng

    def __call__(self) -> Any:
        return self._values[bisect.bisect_right(self._cum, self._rng.random() * self._total)]


def real_calls(session: Session) -> int:
    """Contacts of this installation that the demo loader did not write."""
    demo = int(settings_repo.get(session.db, DEMO_SETTING) or 0)
    total = int(session.db.scalar("SELECT count(*) FROM contacts"))
    return max(0, total - demo)


@cache
def _screening_pool(script_id: str, seed: int) -> tuple[tuple[Any, ...], ...]:
    """Sixty-four plausible screenings of one script: random answers, evaluated by the
    engine (so levels, indicators and flags are what a real call would give)."""
    script = _builtin(script_id)
    rng = random.Random(f"{seed}:{script_id}")  # noqa: S311 (invented data, not secrets)
    pool = []
    for _n in range(64):
        answers: dict[str, Any] = {}
        lean = rng.random()  # some calls answer "yes" to much, most to little
        for q in script.questions:
            if q.type == "yesno":
                answers[q.id] = "yes" if rng.random() < lean * 0.6 else rng.choice(YESNO[1:])
            elif q.type == "single" and q.options:
                answers[q.id] = rng.choice(q.options).id
            elif q.type == "multi" and q.options:
                k = rng.randrange(min(3, len(q.options)) + 1)
                answers[q.id] = [o.id for o in rng.sample(q.options, k)]
            elif q.type == "number":
                answers[q.id] = rng.randrange(0, 60)
        result = evaluate(script, answers)
        kept = {k: v for k, v in answers.items() if k in result.answered}
        pool.append(
            (
                script.id,
                script.version,
                json.dumps(kept, ensure_ascii=False),
                result.level,
                json.dumps([i.code for i in result.indicators]),
                json.dumps(list(result.flags)),
                result.flags,
            )
        )
    return tuple(pool)


def _builtin(script_id: str) -> Script:
    newest = [s for (sid, _v), s in screening.builtin_scripts().items() if sid == script_id]
    return max(newest, key=lambda s: s.version)


def _iso(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat()


def _start_times(
    rng: random.Random, count: int, years: int, offset: int, today: dt.date
) -> list[int]:
    """``count`` call start times (UTC epoch seconds), sorted, over ``years`` years up to
    yesterday (the same seed gives the same times all day), with the seasonal and daily
    pattern of MONTH_WEIGHTS and HOUR_WEIGHTS."""
    first = today.replace(year=today.year - years) + dt.timedelta(days=1)
    days = [first + dt.timedelta(days=d) for d in range((today - first).days)]  # to yesterday
    weights = [MONTH_WEIGHTS[d.month - 1] * (6 if d.weekday() == 6 else 10) for d in days]
    epoch = dt.date(1970, 1, 1)
    bases = [(d - epoch).days * 86400 - offset * 60 for d in days]
    picked = rng.choices(bases, weights=weights, k=count)
    hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=count)
    times = [b + h * 3600 + rng.randrange(3600) for b, h in zip(picked, hours, strict=True)]
    times.sort()
    return times


class _Generator:
    def __init__(self, session: Session, count: int, seed: int, years: int) -> None:
        self.session = session
        self.db = session.db
        self.rng = rng = random.Random(seed)  # noqa: S311 (invented data, not secrets)
        self.seed = seed
        self.org = session.installation.org_code
        self.site = session.installation.site_name
        self.today = clock.local_today()
        self.offset = clock.utc_offset_minutes()
        epoch = dt.date(1970, 1, 1)
        self.cap = (self.today - epoch).days * 86400 - self.offset * 60  # today, 00:00
        self.times = _start_times(rng, count, years, self.offset, self.today)
        users = self.db.query("SELECT username, role FROM users WHERE active = 1 ORDER BY username")
        self.operators = [u[0] for u in users if u[1] in ("operator", "supervisor")]
        self.supervisors = [u[0] for u in users if u[1] == "supervisor"] or self.operators
        if not self.operators:
            raise KnownError(
                _("This installation has no operator or supervisor account to record calls."),
                hint=_("Add an operator account first, then load the demo data again."),
            )
        self.call_type = _Pick(rng, CALL_TYPES)
        self.country = _Pick(rng, COUNTRIES)
        self.language = {c: _Pick(rng, p) for c, p in LANGUAGES_BY_COUNTRY.items()}
        self.sex = _Pick(rng, SEXES)
        self.age = _Pick(rng, AGE_BANDS)
        self.relationship = _Pick(rng, RELATIONSHIPS)
        self.channel = _Pick(rng, CHANNELS)
        self.risk = _Pick(rng, RISKS)
        self.service = _Pick(rng, SERVICES)
        self.outcome = _Pick(rng, OUTCOMES)
        data = taxonomy()
        self.is_data = {c: (data.get("call_types", c) or _never()).data for c, _w in CALL_TYPES}
        self.providers = self._providers()
        self.pool = [self._new_caller() for _n in range(max(50, count // 12))]
        self.counters = {r[0]: int(r[1]) for r in self.db.query("SELECT name, value FROM counters")}
        self.scripts_used: set[str] = set()
        self.referral_count = self.case_count = self.screening_count = self.review_count = 0

    def _providers(self) -> dict[str, list[str]]:
        rows = self.db.query(
            "SELECT s.service, o.id FROM organisation_services s JOIN organisations o"
            " ON o.id = s.organisation_id WHERE o.active = 1"
            " ORDER BY s.service, o.id"
        )
        found: dict[str, list[str]] = {}
        for service, org in rows:
            found.setdefault(service, []).append(org)
        return found

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _new_caller(self, unique: int | None = None) -> _Caller:
        rng = self.rng
        country = self.country()
        prefix, digits = PHONE_PREFIX[country]
        number = f"{prefix}{rng.randrange(10**digits):0{digits}d}"
        typed = "0" + number[4:] if country == "KG" else number
        return _Caller(
            phone=number,
            typed=typed,
            country=country,
            language=self.language[country](),
            sex=self.sex(),
            age_band=self.age(),
            region=rng.choice(REGIONS[country]),
        )

    def _caller(self) -> _Caller | None:
        """A repeat caller from the pool (skewed: a few call very often), a new number,
        or nobody known (withheld, walk-in)."""
        r = self.rng.random()
        if r < 0.38:
            return self.pool[int(len(self.pool) * self.rng.random() ** 2.5)]
        if r < 0.9:
            return self._new_caller()
        return None

    def _next(self, name: str) -> int:
        value = self.counters.get(name, 0) + 1
        self.counters[name] = value
        return value

    def _texts(self, language: str) -> tuple[str, str]:
        rng = self.rng
        summary = rng.choice(phrases.SUMMARIES[language]).format(
            city=rng.choice(phrases.CITIES[language]),
            months=rng.randrange(1, 13),
            amount=rng.randrange(5, 300) * 1000,
        )
        notes = " ".join(rng.sample(phrases.NOTES[language], rng.randrange(2, 6)))
        if rng.random() < 0.002:
            notes += " " + rng.choice(phrases.RARE) + "."
        return summary, notes

    def contact(self, index: int, batch: _Batch) -> None:
        rng = self.rng
        started_ts = self.times[index]
        call_type = self.call_type()
        data = self.is_data[call_type]
        caller = self._caller()
        if caller is None:
            country: str | None = self.country()
            language = self.language[country or "KG"]()
            sex, age, region = self.sex(), self.age(), ""
        else:
            country, language = caller.country, caller.language
            sex, age, region = caller.sex, caller.age_band, caller.region
        duration = rng.randrange(120, 1800) if data else rng.randrange(3, 60)
        started = _iso(started_ts)
        ended = _iso(started_ts + duration)
        year = started[:4]
        reference = f"{self.org}-{year[2:]}-{self._next('contact-' + year):05d}"
        operator = rng.choice(self.operators)
        contact_id = self._uuid()
        local_day = dt.date(1970, 1, 1) + dt.timedelta(
            days=(started_ts + self.offset * 60) // 86400
        )
        topics: list[str] = []
        summary = notes = ""
        risk: str | None = None
        minor = int(age in MINOR_BANDS)
        danger = 0
        case_id = None
        actions: list[str] = []
        follow_date = follow_done_on = None
        follow_done = 0
        consent_keep = consent_refer = consent_share = None
        if data:
            pool = TOPICS_BY_TYPE[call_type]
            topics = [rng.choice(pool)]
            if rng.random() < 0.25:
                other = rng.choice(pool)
                if other != topics[0]:
                    topics.append(other)
            summary, notes = self._texts(language)
            risk = self.risk()
            if call_type in ("trafficking_concern", "missing_person") and risk == "none":
                risk = "low"
            scripts = SCRIPT_BY_TYPE.get(call_type)
            chance = 0.5 if call_type in ("trafficking_concern", "missing_person") else 0.1
            if minor and data and rng.random() < 0.5:
                scripts = ("child-at-risk",)
                chance = 1.0
            if scripts and rng.random() < chance:
                script_id = rng.choice(scripts)
                s = rng.choice(_screening_pool(script_id, self.seed))
                batch.screenings.append((contact_id, *s[:6]))
                self.scripts_used.add(script_id)
                self.screening_count += 1
                risk = s[3]
                minor = minor or int("minor" in s[6])
                danger = int("danger" in s[6])
            danger = danger or int(risk == "urgent")
            consent_keep = int(rng.random() < 0.7)
            consent_share = rng.choice((1, 1, 0, None))
            actions = ["information"]
            if call_type in ("trafficking_concern", "missing_person") and rng.random() < 0.15:
                case_id = caller.case_id if caller is not None else None
                if case_id is None:
                    case_id = self._case(batch, started, country, sex, age, region, operator)
                    if caller is not None:
                        caller.case_id = case_id
            elif call_type == "follow_up" and caller is not None:
                case_id = caller.case_id
            level = LEVEL_ORDER.index(risk)
            if (level >= 2 and rng.random() < 0.5) or rng.random() < 0.05:
                consent_refer = int(rng.random() < 0.93)
                self._referral(
                    batch, contact_id, reference, local_day, consent_refer, operator, ended
                )
                actions.append("referred")
            if level >= 3:
                actions.append(rng.choice(("supervisor", "police", "emergency")))
            if rng.random() < 0.12 or level >= 3:
                follow_date = local_day + dt.timedelta(days=rng.randrange(1, 11))
                actions.append("follow_up")
                if follow_date < self.today and rng.random() < 0.85:
                    follow_done = 1
                    late = follow_date + dt.timedelta(days=rng.randrange(-1, 4))
                    follow_done_on = min(late, self.today).isoformat()
            if self.supervisors and rng.random() < 0.03:
                self._review(batch, contact_id, operator, started_ts)
            for t in topics:
                batch.topics.append((contact_id, t))
        elif call_type == "prank" and rng.random() < 0.3:
            summary = {"ru": "Розыгрыш.", "ky": "Тамаша чалуу.", "uz": "Hazil qoʻngʻiroq.",
                       "tg": "Занги шӯхӣ.", "kk": "Әзіл қоңырау."}[language]  # fmt: skip
        batch.contacts.append(
            (
                contact_id, 1, reference, self.site, operator, started, ended, duration,
                self.channel(), call_type, int(data),
                self.relationship() if data else None,
                sex if data else None, age if data else None,
                country if data else None, country if data else None,
                region if data else "", "", language if data else None,
                "" if caller is None else caller.typed,
                None if caller is None else caller.phone,
                None if caller is None else "mobile",
                None if caller is None else caller.country,
                None if caller is None else caller.phone,
                json.dumps(topics), summary, notes, json.dumps(actions),
                consent_keep, consent_refer, consent_share,
                None if follow_date is None else follow_date.isoformat(),
                "" if follow_date is None else _("call back"),
                follow_done, minor, danger, risk, case_id, ended, operator, ended, operator,
                follow_done_on,
            )
        )  # fmt: skip

    def _case(
        self, batch: _Batch, stamp: str, country: str | None, sex: str | None,
        age: str | None, region: str, user: str,
    ) -> str:  # fmt: skip
        rng = self.rng
        person_id, case_id = self._uuid(), self._uuid()
        batch.persons.append(
            (person_id, 1, "", sex, age, country, country, region, "", stamp, user, stamp, user)
        )
        route = [{"kind": "Recruitment", "country": country, "place": "", "date": None}]
        for _n in range(rng.randrange(1, 3)):
            route.append(
                {"kind": "Exploitation", "country": rng.choice(DESTINATIONS), "place": "",
                 "date": None}
            )  # fmt: skip
        status = rng.choice(("Active", "Active", "FollowUp", "Closed", "ClosedReferred"))
        year = stamp[:4]
        batch.cases.append(
            (
                case_id, 1, f"{self.org}-K{year[2:]}-{self._next('case-' + year):04d}",
                person_id, status, rng.choice(("Possible", "Possible", "Actual", "Unknown")),
                None, json.dumps(rng.sample(EXPLOITATION, rng.randrange(1, 3))),
                json.dumps(rng.sample(CONTROL, rng.randrange(0, 4))), "[]", "",
                json.dumps(route, ensure_ascii=False), stamp,
                stamp if status.startswith("Closed") else None, stamp, user, stamp, user,
            )
        )  # fmt: skip
        self.case_count += 1
        return case_id

    def _referral(
        self, batch: _Batch, contact_id: str, reference: str, day: dt.date, consent: int,
        user: str, stamp: str,
    ) -> None:  # fmt: skip
        service = self.service()
        orgs = self.providers.get(service)
        if not orgs:
            return
        outcome = self.outcome()
        reminder = (day + dt.timedelta(days=7)).isoformat() if outcome == "unknown" else None
        batch.referrals.append(
            (
                self._uuid(), 1, contact_id, self.rng.choice(orgs), service, "", consent,
                "" if consent else _("The caller did not want to be referred."),
                day.isoformat(), f"{reference}-R1", outcome, reminder, stamp, user, stamp, user,
            )
        )  # fmt: skip
        self.referral_count += 1

    def _review(self, batch: _Batch, contact_id: str, operator: str, started_ts: int) -> None:
        rng = self.rng
        at = _iso(min(started_ts + rng.randrange(3600, 5 * 86400), self.cap))
        rubric = {c: rng.choice(("met", "met", "met", "not_met", "not_applicable"))
                  for c in REVIEW_CRITERIA}  # fmt: skip
        reviewer = rng.choice(self.supervisors)
        batch.reviews.append(
            (self._uuid(), 1, contact_id, operator, reviewer, json.dumps(rubric), "", at,
             at if rng.random() < 0.7 else None, at, reviewer, at, reviewer)
        )  # fmt: skip
        self.review_count += 1


def _never() -> Any:
    raise AssertionError("a call type of CALL_TYPES is missing from the taxonomy")


def _write(session: Session, batch: _Batch, demo_total: int) -> None:
    db = session.db
    with db.transaction():
        db.executemany(
            "INSERT INTO persons (id, version, name, sex, age_band, citizenship, home_country,"
            " home_region, notes, created_at, created_by, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            batch.persons,
        )
        db.executemany(
            "INSERT INTO cases (id, version, reference, person_id, status, trafficking_status,"
            " trafficking_decided_by, exploitation_types, control_methods, perpetrator_roles,"
            " legal_qualification, route, opened_at, closed_at, created_at, created_by,"
            " updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            batch.cases,
        )
        # The index trigger does per row what two set-wise statements do faster.
        with contacts_repo.text_indexed_afterwards(db):
            db.executemany(_CONTACT_INSERT, batch.contacts)
        db.executemany("INSERT INTO contact_topics (contact_id, topic) VALUES (?, ?)", batch.topics)
        db.executemany(
            "INSERT INTO screenings (contact_id, script_id, script_version, answers, level,"
            " indicators, flags) VALUES (?, ?, ?, ?, ?, ?, ?)",
            batch.screenings,
        )
        db.executemany(
            "INSERT INTO referrals (id, version, contact_id, organisation_id, service, reason,"
            " consent, no_consent_reason, referred_on, reference, outcome, reminder_on,"
            " created_at, created_by, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            batch.referrals,
        )
        db.executemany(
            "INSERT INTO reviews (id, version, contact_id, operator, reviewer, rubric, comment,"
            " reviewed_at, seen_at, created_at, created_by, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            batch.reviews,
        )
        settings_repo.put(db, DEMO_SETTING, str(demo_total))


def load(
    session: Session,
    count: int,
    *,
    seed: int = 1,
    years: int = 5,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> DemoResult:
    """Add ``count`` demo contacts (with cases, referrals, screenings, reviews) to the
    installation of ``session`` (an administrator's). Refused where real calls exist,
    unless ``force``."""
    session.require(Action.RESTORE)
    if count < 1:
        raise KnownError(_("Give a number of demo calls above zero."))
    real = real_calls(session)
    if real and not force:
        raise KnownError(
            _("This installation already holds %(count)d real calls; demo data will not be "
              "mixed into them.") % {"count": real},
            hint=_("Load demo data into a new, empty data folder. Only if this installation "
                   "is a copy for training, add --force."),
        )  # fmt: skip
    began = time.perf_counter()
    directory.ensure_seeded(session)
    gen = _Generator(session, count, seed, years)
    demo_total = int(settings_repo.get(session.db, DEMO_SETTING) or 0)
    db = session.db
    done = 0
    while done < count:
        batch = _Batch()
        end = min(count, done + BATCH)
        for i in range(done, end):
            gen.contact(i, batch)
        demo_total += end - done
        _write(session, batch, demo_total)
        done = end
        if progress is not None:
            progress(done)
    with db.transaction():
        for name, value in gen.counters.items():
            db.execute(
                "INSERT INTO counters (name, value) VALUES (?, ?)"
                " ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)",
                (name, value),
            )
        for script_id in sorted(gen.scripts_used):
            script = _builtin(script_id)
            db.execute(
                "INSERT INTO scripts (id, version, source, builtin, installed_at, installed_by)"
                " VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT(id, version) DO NOTHING",
                (script.id, script.version, script.source, _iso(int(time.time())),
                 session.user.username),
            )  # fmt: skip
        audit.record(db, session.user.username, AuditAction.DEMO_DATA_LOADED, count=count)
    return DemoResult(
        contacts=count,
        cases=gen.case_count,
        referrals=gen.referral_count,
        screenings=gen.screening_count,
        reviews=gen.review_count,
        seconds=time.perf_counter() - began,
    )
