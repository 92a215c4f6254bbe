"""Batch content: records as versioned JSON (docs/batch-format.md), made from the store at
one of the privacy levels, and validated in full when read.

Codes are the store's codes, which follow HTCDS where HTCDS has a value (sex, age bands,
trafficking status, exploitation types, means of control, route events); the HTCDS
column for every field is listed in docs/batch-format.md.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from hashlib import sha256
from typing import Any

from hotline.errors import BatchRejected, InvalidInput
from hotline.i18n import _
from hotline.model.contact import Case, Contact, Person
from hotline.model.contact_json import contact_to_dict
from hotline.model.organisation import Organisation, Referral
from hotline.phones import PhoneKind
from hotline.store.repositories.cases import route_to_json
from hotline.taxonomy import taxonomy

CONTENT_FORMAT = "hotline-batch-content"
SCHEMA_VERSION = 1
MAX_RECORDS = 200_000


class Privacy(StrEnum):
    FULL = "full"
    PSEUDONYMOUS = "pseudonymous"
    AGGREGATE = "aggregate"


def pseudonym(key: bytes, kind: str, value: str) -> str:
    """A keyed hash: equal for equal values under one key, meaningless without it."""
    return "ps1:" + hmac.new(key, f"{kind}|{value}".encode(), sha256).hexdigest()[:32]


def _name_key(name: str) -> str:
    """A name folded for linking: case, accents, spacing and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join(sorted(letters.split()))


# --- making records ---------------------------------------------------------------------


def referral_record(
    referral: Referral, organisation: Organisation | None, privacy: Privacy
) -> dict[str, Any]:
    full = privacy is Privacy.FULL
    return {
        "id": referral.id,
        "version": referral.version,
        "organisation": {
            "id": referral.organisation_id,
            "seed_key": None if organisation is None else organisation.seed_key,
            "name": "" if organisation is None else organisation.name,
            "type": "NGO" if organisation is None else organisation.type,
            "country": None if organisation is None else organisation.country,
        },
        "service": referral.service,
        "reason": referral.reason if full else "",
        "consent": referral.consent,
        "no_consent_reason": referral.no_consent_reason if full else "",
        "referred_on": referral.referred_on,
        "reference": referral.reference,
        "outcome": referral.outcome,
        "reminder_on": referral.reminder_on,
    }


def contact_record(
    contact: Contact,
    origin: str,
    referrals: list[dict[str, Any]],
    privacy: Privacy,
    key: bytes,
) -> dict[str, Any]:
    data = contact_to_dict(contact)
    data.pop("schema", None)
    data["origin"] = origin
    data["referrals"] = referrals
    data["phone_pseudonym"] = None
    data["created_at"] = contact.created_at
    data["updated_at"] = contact.updated_at
    if privacy is not Privacy.FULL:
        for screening in data.get("screenings", []):
            screening.pop("answers", None)
    if privacy is Privacy.PSEUDONYMOUS:
        if contact.phone is not None and contact.phone.match_key:
            data["phone_pseudonym"] = pseudonym(key, "phone", contact.phone.match_key)
        data["phone"] = None
        data["caller"]["name"] = ""
        data["caller"]["region"] = ""
        data["summary"] = ""
        data["notes"] = ""
        data["follow_up"]["reason"] = ""
    return data


def person_record(person: Person, origin: str, privacy: Privacy, key: bytes) -> dict[str, Any]:
    full = privacy is Privacy.FULL
    name_key = _name_key(person.name)
    return {
        "id": person.id,
        "version": person.version,
        "origin": origin,
        "name": person.name if full else "",
        "name_pseudonym": pseudonym(key, "name", name_key) if name_key and not full else None,
        "sex": person.sex,
        "age_band": person.age_band,
        "citizenship": person.citizenship,
        "home_country": person.home_country,
        "home_region": person.home_region if full else "",
        "notes": person.notes if full else "",
    }


def case_record(case: Case, origin: str, privacy: Privacy) -> dict[str, Any]:
    route = json.loads(route_to_json(case.route))
    if privacy is not Privacy.FULL:
        for event in route:
            event["place"] = ""
    return {
        "id": case.id,
        "version": case.version,
        "origin": origin,
        "reference": case.reference,
        "person_id": case.person_id,
        "status": case.status,
        "trafficking_status": case.trafficking_status,
        "trafficking_decided_by": case.trafficking_decided_by,
        "exploitation_types": list(case.exploitation_types),
        "control_methods": list(case.control_methods),
        "perpetrator_roles": list(case.perpetrator_roles),
        "legal_qualification": case.legal_qualification,
        "route": route,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
    }


# --- validating records -----------------------------------------------------------------

UUID_FORM = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SHA256_FORM = re.compile(r"^[0-9a-f]{64}$")
_PSEUDONYM = re.compile(r"^ps1:[0-9a-f]{32}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_PHONE_KIND = re.compile("^(" + "|".join(kind.value for kind in PhoneKind) + ")$")


class Reader:
    """Reads one object of the content, naming the place of any problem in its error."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise self.error(where, _("expected an object"))
        self.data: dict[str, Any] = data
        self.where = where

    @staticmethod
    def error(where: str, problem: str) -> BatchRejected:
        return BatchRejected(
            _("The batch content is not valid at %(place)s: %(problem)s.")
            % {"place": where, "problem": problem}
        )

    def _get(self, key: str) -> Any:
        if key not in self.data:
            raise self.error(f"{self.where}.{key}", _("missing"))
        return self.data[key]

    def obj(self, key: str) -> Reader:
        return Reader(self._get(key), f"{self.where}.{key}")

    def text(self, key: str, limit: int, *, pattern: re.Pattern[str] | None = None) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise self.error(f"{self.where}.{key}", _("expected text"))
        if len(value) > limit:
            raise self.error(f"{self.where}.{key}", _("the text is too long"))
        if pattern is not None and not pattern.match(value):
            raise self.error(f"{self.where}.{key}", _("not in the expected form"))
        return value

    def optional_text(self, key: str, limit: int, pattern: re.Pattern[str] | None = None) -> Any:
        return None if self._get(key) is None else self.text(key, limit, pattern=pattern)

    def uuid(self, key: str) -> str:
        return self.text(key, 36, pattern=UUID_FORM)

    def integer(self, key: str, low: int = 0, high: int = 2**31) -> int:
        value = self._get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.error(f"{self.where}.{key}", _("expected a whole number in range"))
        return value

    def optional_integer(self, key: str, low: int = 0, high: int = 2**31) -> int | None:
        return None if self._get(key) is None else self.integer(key, low, high)

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise self.error(f"{self.where}.{key}", _("expected true or false"))
        return value

    def optional_flag(self, key: str) -> bool | None:
        return None if self._get(key) is None else self.flag(key)

    def code(self, list_name: str, key: str) -> str | None:
        value = self._get(key)
        if value is None:
            return None
        if not isinstance(value, str) or len(value) > 80:
            raise self.error(f"{self.where}.{key}", _("expected a code"))
        try:
            return taxonomy().check(list_name, value, key)
        except InvalidInput as error:
            raise self.error(f"{self.where}.{key}", _("unknown code")) from error

    def codes(self, list_name: str, key: str) -> list[str]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self.error(f"{self.where}.{key}", _("expected a list of codes"))
        if len(value) > 100:
            raise self.error(f"{self.where}.{key}", _("too many entries"))
        reader = Reader({str(i): v for i, v in enumerate(value)}, f"{self.where}.{key}")
        found = []
        for i in range(len(value)):
            code = reader.code(list_name, str(i))
            if code is None:
                raise self.error(f"{self.where}.{key}.{i}", _("expected a code"))
            found.append(code)
        return found

    def strings(self, key: str, limit: int) -> list[str]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self.error(f"{self.where}.{key}", _("expected a list of codes"))
        if len(value) > limit:
            raise self.error(f"{self.where}.{key}", _("too many entries"))
        if not all(isinstance(v, str) and 0 < len(v) <= 80 for v in value):
            raise self.error(f"{self.where}.{key}", _("expected a list of codes"))
        return value

    def items_raw(self, key: str, limit: int) -> list[int]:
        """A list of whole numbers (batch numbers)."""
        value = self._get(key)
        if not isinstance(value, list) or len(value) > limit:
            raise self.error(f"{self.where}.{key}", _("expected a list"))
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value):
            raise self.error(f"{self.where}.{key}", _("expected a whole number in range"))
        return value

    def country(self, key: str) -> str | None:
        return self.optional_text(key, 2, _COUNTRY)  # type: ignore[no-any-return]

    def moment(self, key: str, *, optional: bool = False) -> str | None:
        value = self._get(key)
        if value is None and optional:
            return None
        text = self.text(key, 40)
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError as error:
            raise self.error(f"{self.where}.{key}", _("not a date and time")) from error
        if parsed.tzinfo is None:
            raise self.error(f"{self.where}.{key}", _("the time zone is missing"))
        return text

    def day(self, key: str) -> str | None:
        value = self._get(key)
        if value is None:
            return None
        text = self.text(key, 10)
        try:
            dt.date.fromisoformat(text)
        except ValueError as error:
            raise self.error(f"{self.where}.{key}", _("not a date")) from error
        return text

    def items(self, key: str, limit: int) -> list[Reader]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self.error(f"{self.where}.{key}", _("expected a list"))
        if len(value) > limit:
            raise self.error(f"{self.where}.{key}", _("too many entries"))
        return [Reader(item, f"{self.where}.{key}[{i}]") for i, item in enumerate(value)]


SHORT = 200
LONG = 20_000


def check_contact(r: Reader, privacy: Privacy) -> None:
    pseudonymous = privacy is Privacy.PSEUDONYMOUS
    r.uuid("id")
    r.integer("version", 1)
    r.text("reference", 60)
    r.uuid("origin")
    r.text("site", SHORT)
    r.text("operator", 64)
    started = r.moment("started_at")
    ended = r.moment("ended_at", optional=True)
    if started and ended and dt.datetime.fromisoformat(ended) < dt.datetime.fromisoformat(started):
        raise r.error(f"{r.where}.ended_at", _("the call ends before it starts"))
    r.optional_integer("duration_seconds", 0, 10**7)
    r.code("channels", "channel")
    r.code("call_types", "call_type")
    caller = r.obj("caller")
    caller.code("relationships", "relationship")
    caller.code("sexes", "sex")
    caller.code("age_bands", "age_band")
    caller.country("citizenship")
    caller.country("country")
    caller.text("region", SHORT)
    caller.text("name", SHORT)
    r.code("call_languages", "call_language")
    phone = r.data.get("phone", None)
    if phone is not None:
        p = r.obj("phone")
        p.text("typed", 64)
        p.optional_text("e164", 20)
        p.text("kind", 20, pattern=_PHONE_KIND)
        p.country("country")
    r.optional_text("phone_pseudonym", 40, _PSEUDONYM)
    r.codes("topics", "topics")
    r.text("summary", 2000)
    r.text("notes", LONG)
    r.codes("actions", "actions")
    consent = r.obj("consent")
    for key in ("keep_data", "refer", "share"):
        consent.optional_flag(key)
    follow = r.obj("follow_up")
    follow.day("date")
    follow.text("reason", 500)
    follow.flag("done")
    follow.day("done_on")
    r.flag("minor")
    r.flag("danger")
    r.code("risk_levels", "risk_level")
    r.optional_text("case_id", 36, UUID_FORM)
    for s in r.items("screenings", 50):
        s.text("script_id", 80)
        s.integer("script_version", 1, 10**6)
        s.code("risk_levels", "level")
        if "answers" in s.data:
            if pseudonymous:
                raise s.error(f"{s.where}.answers", _("not allowed in a pseudonymous batch"))
            s.obj("answers")
        s.strings("indicators", 200)
        s.strings("flags", 10)
    for f in r.items("referrals", 100):
        f.uuid("id")
        f.integer("version", 1)
        org = f.obj("organisation")
        org.uuid("id")
        org.optional_text("seed_key", 120)
        org.text("name", SHORT)
        org.code("organisation_types", "type")
        org.country("country")
        f.code("service_types", "service")
        f.text("reason", 2000)
        f.flag("consent")
        f.text("no_consent_reason", 2000)
        f.day("referred_on")
        f.text("reference", 60)
        f.code("referral_outcomes", "outcome")
        f.day("reminder_on")
    r.moment("created_at")
    r.text("created_by", 64)
    r.moment("updated_at")
    r.text("updated_by", 64)
    if pseudonymous:
        _check_stripped(r)
    elif r.data.get("consent", {}).get("share") is not True:
        raise r.error(f"{r.where}.consent.share", _("the caller did not agree to share"))


def _check_stripped(r: Reader) -> None:
    """A pseudonymous record must not carry what the level leaves out."""
    leaks = [
        ("phone", r.data.get("phone") is not None),
        ("caller.name", bool(r.data["caller"]["name"])),
        ("caller.region", bool(r.data["caller"]["region"])),
        ("summary", bool(r.data["summary"])),
        ("notes", bool(r.data["notes"])),
        ("follow_up.reason", bool(r.data["follow_up"]["reason"])),
    ]
    for referral in r.data["referrals"]:
        leaks.append(("referrals.reason", bool(referral["reason"])))
        leaks.append(("referrals.no_consent_reason", bool(referral["no_consent_reason"])))
    for field, leaked in leaks:
        if leaked:
            raise r.error(f"{r.where}.{field}", _("not allowed in a pseudonymous batch"))


def check_person(r: Reader, privacy: Privacy) -> None:
    r.uuid("id")
    r.integer("version", 1)
    r.uuid("origin")
    r.text("name", SHORT)
    r.optional_text("name_pseudonym", 40, _PSEUDONYM)
    r.code("sexes", "sex")
    r.code("age_bands", "age_band")
    r.country("citizenship")
    r.country("home_country")
    r.text("home_region", SHORT)
    r.text("notes", LONG)
    if privacy is Privacy.PSEUDONYMOUS:
        for key in ("name", "home_region", "notes"):
            if r.data[key]:
                raise r.error(f"{r.where}.{key}", _("not allowed in a pseudonymous batch"))


def check_case(r: Reader, privacy: Privacy) -> None:
    r.uuid("id")
    r.integer("version", 1)
    r.uuid("origin")
    r.text("reference", 60)
    r.uuid("person_id")
    r.code("case_statuses", "status")
    r.code("trafficking_statuses", "trafficking_status")
    r.code("deciders", "trafficking_decided_by")
    r.codes("exploitation_types", "exploitation_types")
    r.codes("control_methods", "control_methods")
    r.codes("perpetrator_roles", "perpetrator_roles")
    r.text("legal_qualification", 500)
    for event in r.items("route", 50):
        event.code("route_events", "kind")
        event.country("country")
        event.text("place", SHORT)
        event.day("date")
        if privacy is Privacy.PSEUDONYMOUS and event.data["place"]:
            raise event.error(f"{event.where}.place", _("not allowed in a pseudonymous batch"))
    r.moment("opened_at")
    r.moment("closed_at", optional=True)


@dataclass(frozen=True)
class Content:
    privacy: Privacy
    contacts: list[dict[str, Any]]
    persons: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    aggregates: dict[str, Any] | None


def read_content(data: dict[str, Any], privacy: Privacy) -> Content:
    """Validate the whole decrypted content; raises BatchRejected naming the first problem."""
    r = Reader(data, "content")
    if r.text("format", 40) != CONTENT_FORMAT:
        raise r.error("content.format", _("not batch content"))
    if r.integer("schema", 0, 1000) != SCHEMA_VERSION:
        raise r.error("content.schema", _("a schema version this program does not read"))
    if r.text("privacy", 20) != privacy.value:
        raise r.error("content.privacy", _("does not match the manifest"))
    if privacy is Privacy.AGGREGATE:
        from hotline.exchange.aggregates import check_aggregates

        aggregates = check_aggregates(r.obj("aggregates"))
        return Content(privacy, [], [], [], aggregates)
    contacts = r.items("contacts", MAX_RECORDS)
    persons = r.items("persons", MAX_RECORDS)
    cases = r.items("cases", MAX_RECORDS)
    for item in contacts:
        check_contact(item, privacy)
    for item in persons:
        check_person(item, privacy)
    for item in cases:
        check_case(item, privacy)
    _check_unique(contacts, "contacts")
    _check_unique([f for c in contacts for f in c.items("referrals", 100)], "referrals")
    _check_unique(persons, "persons")
    _check_unique(cases, "cases")
    case_ids = {c.data["id"] for c in cases}
    person_ids = {p.data["id"] for p in persons}
    for item in cases:
        if item.data["person_id"] not in person_ids:
            raise item.error(f"{item.where}.person_id", _("names a person the batch lacks"))
    for item in contacts:
        if item.data["case_id"] is not None and item.data["case_id"] not in case_ids:
            raise item.error(f"{item.where}.case_id", _("names a case the batch lacks"))
    return Content(
        privacy,
        [c.data for c in contacts],
        [p.data for p in persons],
        [c.data for c in cases],
        None,
    )


def _check_unique(items: list[Reader], name: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.data["id"] in seen:
            raise item.error(f"{item.where}.id", _("the same record appears twice"))
        seen.add(item.data["id"])
