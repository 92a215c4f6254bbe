"""Known, reproducible call records for the call-log and statistics tests: generated from a
seeded random source, written in one transaction through the repositories, and kept in
Python so that every expected figure can be computed here independently of the SQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import pytest

from hotline import clock
from hotline.directory_search import fold
from hotline.model.call_log import CallLogFilter, ReviewState, ShareConsent
from hotline.model.contact import Caller, Case, Consent, Contact, FollowUp, Person, RouteEvent
from hotline.model.organisation import Organisation, Referral
from hotline.model.review import Review
from hotline.paths import DataDir
from hotline.phones import Phone, PhoneKind
from hotline.services.session import Session
from hotline.store.connection import Database
from hotline.store.repositories import cases as cases_repo
from hotline.store.repositories import contacts as contacts_repo
from hotline.store.repositories import organisations as organisations_repo
from hotline.store.repositories import referrals as referrals_repo
from hotline.store.repositories import reviews as reviews_repo
from tests.conftest import Template, sign_in

OFFSET_MINUTES = 360  # Bishkek, UTC+6, no summer time
LOCAL = dt.timezone(dt.timedelta(minutes=OFFSET_MINUTES))
TODAY = dt.date(2026, 4, 10)
FIRST_DAY = dt.date(2026, 1, 1)
LAST_DAY = dt.date(2026, 3, 31)
# Days no call falls on: a whole ISO week (2026-W07) and three single days.
EMPTY_DAYS = frozenset(
    [dt.date(2026, 2, 9) + dt.timedelta(days=d) for d in range(7)]
    + [dt.date(2026, 1, 7), dt.date(2026, 3, 3), dt.date(2026, 3, 17)]
)
# Local times on the edges of a local day (UTC+6: before 06:00 the UTC date is the day before).
EDGE_TIMES = (
    dt.time(0, 0, 0),
    dt.time(0, 0, 1),
    dt.time(5, 59, 59),
    dt.time(6, 0, 0),
    dt.time(23, 59, 59),
)
# Calls just outside the three months, for the period boundaries.
OUTSIDE = (
    dt.datetime(2025, 12, 31, 23, 59, 59, tzinfo=LOCAL),
    dt.datetime(2026, 4, 1, 0, 0, 0, tzinfo=LOCAL),
)

OPERATORS = ("olga", "bakyt", "aigerim", "timur", "zarina")
CHANNELS = ("phone", "phone", "phone", "phone", "messenger", "walk_in", "outgoing_follow_up")
NON_DATA_TYPES = frozenset({"silent", "prank", "wrong_number", "hang_up", "test"})
CALL_TYPES: tuple[tuple[str | None, int], ...] = (
    ("consultation", 30),
    ("trafficking_concern", 20),
    ("missing_person", 8),
    ("other_violence", 6),
    ("follow_up", 8),
    ("other", 5),
    (None, 5),
    ("silent", 8),
    ("prank", 5),
    ("wrong_number", 3),
    ("hang_up", 2),
    ("test", 1),
)
SEXES = ("female", "male", "other", "unknown", None)
AGE_BANDS = ("0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+", None)
RELATIONSHIPS = ("self", "relative", "friend", "professional", "anonymous", "other", None)
LANGUAGES = ("ky", "kk", "uz", "tg", "ru", "tk", "en", "other")
COUNTRIES = ("KG", "KG", "KG", "KZ", "UZ", "RU", "TJ", None)
REGIONS = (
    "Чүй облусу",
    "Ош облусу",
    "Бишкек",
    " Бишкек ",
    "Жалал-Абад облусу",
    "Нарын",
    "Toshkent viloyati",
    "Алматы облысы",
    "Москва",
    "",
    "   ",
)
RISK_LEVELS = ("none", "low", "medium", "high", "urgent", None)
TOPICS = {
    "DOC": ("DOC.LOST", "DOC.TAKEN", "DOC.CITIZENSHIP", "DOC.REGISTRATION"),
    "WORK": ("WORK.OFFER", "WORK.LEGAL", "WORK.RULES", "WORK.WAGES"),
    "MISSING": ("MISSING.ABROAD", "MISSING.HOME"),
    "TRAF": ("TRAF.SUSPECTED", "TRAF.ESCAPED", "TRAF.COLLATERAL", "TRAF.CHILD"),
    "HELP": ("HELP.SHELTER", "HELP.MATERIAL", "HELP.MEDICAL", "HELP.PSYCH", "HELP.LEGAL"),
    "FAMILY": ("FAMILY.MARRIAGE", "FAMILY.VIOLENCE", "FAMILY.FORCED"),
    "RETURN": ("RETURN.REPATRIATION", "RETURN.REINTEGRATION"),
    "OTHER": ("OTHER.INFO", "OTHER.OTHER"),
}
EXPLOITATION_TYPES = ("SexualExploitation", "ForcedLabour", "DomesticServitude", "DebtBondage")
DESTINATIONS = ("RU", "KZ", "TR", "AE", None)
SERVICES = ("shelter", "medical", "legal", "return", "documents", "psychological")
OUTCOMES = ("unknown", "reached", "accepted", "declined")
ORGANISATION_ID = "org-supervision-test"
STAMP = "2026-04-10T08:00:00+00:00"


@dataclass
class Seeded:
    contacts: list[Contact] = field(default_factory=list)
    cases: dict[str, Case] = field(default_factory=dict)
    referrals: list[Referral] = field(default_factory=list)
    reviews: dict[str, Review] = field(default_factory=dict)  # by contact id
    _by_contact: dict[str, list[Referral]] = field(default_factory=dict, repr=False)

    def is_data(self, contact: Contact) -> bool:
        return contact.call_type not in NON_DATA_TYPES

    def referrals_of(self, contact_id: str) -> list[Referral]:
        if len(self._by_contact) != len({r.contact_id for r in self.referrals}):
            self._by_contact.clear()
            for r in self.referrals:
                self._by_contact.setdefault(r.contact_id, []).append(r)
        return self._by_contact.get(contact_id, [])


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _days() -> list[dt.date]:
    count = (LAST_DAY - FIRST_DAY).days + 1
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range(count)]
    return [d for d in days if d not in EMPTY_DAYS]


def _started(rng: random.Random, i: int, days: list[dt.date]) -> dt.datetime:
    if i < len(OUTSIDE):
        local = OUTSIDE[i]
    else:
        day = rng.choice(days)
        if i % 7 == 0:
            at = EDGE_TIMES[(i // 7) % len(EDGE_TIMES)]
        else:
            at = dt.time(rng.randrange(24), rng.randrange(60), rng.randrange(60))
        local = dt.datetime.combine(day, at, LOCAL)
    return local.astimezone(dt.UTC)


def _topics(rng: random.Random) -> tuple[str, ...]:
    how = rng.randrange(10)
    main = rng.choice(sorted(TOPICS))
    sub = rng.choice(TOPICS[main])
    if how < 2:
        return ()
    if how < 4:
        return (main,)
    if how < 7:
        return (sub,)
    if how == 7:
        return (main, sub)  # counted once under the main topic
    if how == 8:
        others = [s for s in TOPICS[main] if s != sub]
        return (sub, rng.choice(others)) if others else (sub,)
    other = rng.choice(sorted(set(TOPICS) - {main}))
    return (sub, rng.choice(TOPICS[other]))


def _phone(rng: random.Random, i: int) -> Phone | None:
    how = rng.randrange(20)
    if how < 9:  # a pool of numbers that call again
        number = f"+99670{rng.randrange(350):07d}"
        return Phone(number, number, PhoneKind.MOBILE, "KG")
    if how < 16:
        number = f"+99655{i:07d}"
        return Phone(number, number, PhoneKind.MOBILE, "KG")
    if how == 16:
        return Phone("189", None, PhoneKind.SHORT, "KG")
    if how == 17:
        return Phone("", None, PhoneKind.WITHHELD, None)
    return None


def _follow_up(rng: random.Random, day: dt.date) -> FollowUp:
    how = rng.randrange(20)
    if how < 13:
        return FollowUp()
    date = day + dt.timedelta(days=rng.randrange(25))
    if how < 15:  # done on or before the day
        return FollowUp(date, "call back", True, date - dt.timedelta(days=rng.randrange(3)))
    if how < 17:  # done late
        return FollowUp(date, "call back", True, date + dt.timedelta(days=1 + rng.randrange(4)))
    return FollowUp(date, "call back", False)


def generate(count: int, seed: int) -> Seeded:
    """``count`` contacts with their cases, referrals and reviews."""
    rng = random.Random(seed)
    days = _days()
    types = [t for t, _w in CALL_TYPES]
    weights = [w for _t, w in CALL_TYPES]
    data = Seeded()
    for i in range(count):
        started = _started(rng, i, days)
        local_day = started.astimezone(LOCAL).date()
        data.contacts.append(
            Contact(
                id=_uuid(rng),
                version=1,
                reference=f"KG-TEST-26-{i:05d}",
                site="Бишкек",
                operator=rng.choice(OPERATORS),
                started_at=started,
                ended_at=started + dt.timedelta(seconds=rng.randrange(30, 1800)),
                channel=rng.choice(CHANNELS),
                call_type=rng.choices(types, weights)[0],
                caller=Caller(
                    relationship=rng.choice(RELATIONSHIPS),
                    sex=SEXES[i % len(SEXES)],
                    age_band=rng.choice(AGE_BANDS),
                    country=rng.choice(COUNTRIES),
                    region=rng.choice(REGIONS),
                ),
                call_language=None if i % 17 == 3 else LANGUAGES[i % len(LANGUAGES)],
                phone=_phone(rng, i),
                topics=_topics(rng),
                consent=Consent(share=rng.choice((True, False, None))),
                follow_up=_follow_up(rng, local_day),
                risk_level=rng.choice(RISK_LEVELS),
                created_at=STAMP,
                created_by="bakyt",
                updated_at=STAMP,
                updated_by="bakyt",
            )
        )
    _add_cases(rng, data, count // 25)
    _add_referrals(rng, data, count // 8)
    _add_reviews(rng, data)
    return data


def _add_cases(rng: random.Random, data: Seeded, count: int) -> None:
    free = list(range(len(data.contacts)))
    rng.shuffle(free)
    for j in range(count):
        route = [RouteEvent("Recruitment", "KG")]
        for _n in range(rng.randrange(3)):  # none, one or two places of exploitation
            route.append(RouteEvent("Exploitation", rng.choice(DESTINATIONS)))
        if rng.randrange(4) == 0:
            route.append(RouteEvent("Transit", "KZ"))
        case = Case(
            id=_uuid(rng),
            version=1,
            reference=f"KG-TEST-K26-{j:04d}",
            person_id=_uuid(rng),
            exploitation_types=tuple(rng.sample(EXPLOITATION_TYPES, rng.randrange(3))),
            route=tuple(route),
            opened_at=STAMP,
        )
        data.cases[case.id] = case
        for _n in range(1 + rng.randrange(4)):  # one to four calls about the same case
            index = free.pop()
            data.contacts[index] = replace(data.contacts[index], case_id=case.id)


def _add_referrals(rng: random.Random, data: Seeded, count: int) -> None:
    numbers: dict[str, int] = {}
    for _n in range(count):
        contact = rng.choice(data.contacts)
        numbers[contact.id] = numbers.get(contact.id, 0) + 1
        data.referrals.append(
            Referral(
                id=_uuid(rng),
                version=1,
                contact_id=contact.id,
                organisation_id=ORGANISATION_ID,
                service=rng.choice(SERVICES),
                reason="",
                consent=True,
                no_consent_reason="",
                referred_on=contact.started_at.date().isoformat(),
                reference=f"{contact.reference}-R{numbers[contact.id]}",
                outcome=rng.choice(OUTCOMES),
            )
        )


def _add_reviews(rng: random.Random, data: Seeded) -> None:
    for contact in data.contacts:
        if rng.randrange(10) < 3:
            data.reviews[contact.id] = Review(
                id=_uuid(rng),
                version=1,
                contact_id=contact.id,
                operator=contact.operator,
                reviewer="bakyt",
                rubric={"greeting": "met"},
                reviewed_at=STAMP,
                created_at=STAMP,
                created_by="bakyt",
                updated_at=STAMP,
                updated_by="bakyt",
            )


def insert(db: Database, data: Seeded) -> None:
    """Everything in one transaction, through the repositories."""
    with db.transaction():
        organisations_repo.save(
            db,
            Organisation(id=ORGANISATION_ID, version=1, name="Test shelter", services=SERVICES),
            STAMP,
            "bakyt",
        )
        for case in data.cases.values():
            cases_repo.insert_person(db, Person(case.person_id, 1), STAMP, "bakyt")
            cases_repo.insert_case(db, case, STAMP, "bakyt")
        for contact in data.contacts:
            contacts_repo.insert(db, contact, data.is_data(contact))
        for referral in data.referrals:
            referrals_repo.insert(db, referral, STAMP, "bakyt")
        for review in data.reviews.values():
            reviews_repo.insert(db, review)


def local_day(contact: Contact) -> dt.date:
    return contact.started_at.astimezone(LOCAL).date()


def matches(data: Seeded, c: Contact, f: CallLogFilter, today: dt.date = TODAY) -> bool:
    """What ``f`` selects, written out in Python (the text search excepted)."""
    day = local_day(c)
    follow = c.follow_up
    share = {
        ShareConsent.GIVEN: True,
        ShareConsent.REFUSED: False,
        ShareConsent.NOT_ASKED: None,
    }
    checks = (
        f.since is None or day >= f.since,
        f.until is None or day <= f.until,
        not f.operators or c.operator in f.operators,
        not f.call_types or c.call_type in f.call_types,
        not f.topics or any(t == x or t.startswith(x + ".") for t in c.topics for x in f.topics),
        not f.risk_levels or c.risk_level in f.risk_levels,
        not f.languages or c.call_language in f.languages,
        not f.caller_countries or c.caller.country in f.caller_countries,
        not f.caller_region.strip() or fold(f.caller_region) in fold(c.caller.region),
        f.share_consent is None or c.consent.share is share[f.share_consent],
        f.review is None or (c.id in data.reviews) == (f.review is ReviewState.REVIEWED),
        not f.follow_up_due
        or (not follow.done and follow.date is not None and follow.date <= today),
    )
    return all(checks)


def selected(data: Seeded, f: CallLogFilter, today: dt.date = TODAY) -> list[Contact]:
    return [c for c in data.contacts if matches(data, c, f, today)]


@contextlib.contextmanager
def seeded_supervisor(
    template: Template, tmp_path_factory: pytest.TempPathFactory, count: int, seed: int
) -> Iterator[tuple[Session, Seeded]]:
    """A copy of the template installation holding ``count`` generated records, with the
    clock in Bishkek on TODAY, and supervisor "bakyt" signed in."""
    root = tmp_path_factory.mktemp("supervision") / "data"
    shutil.copytree(template.root, root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "utc_offset_minutes", lambda: OFFSET_MINUTES)
        patch.setattr(clock, "local_today", lambda: TODAY)
        session = sign_in(DataDir(root), "bakyt")
        try:
            data = generate(count, seed=seed)
            insert(session.db, data)
            yield session, data
        finally:
            session.close()
