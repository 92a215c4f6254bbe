"""Contacts as JSON: for the CLI (`hotline contact add --json`), drafts and the version
history. The schema is documented in docs/contact-json.md."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hotline import validation
from hotline.errors import InvalidInput
from hotline.i18n import _, ngettext
from hotline.model.contact import Caller, Consent, Contact, FollowUp, Screening
from hotline.phones import WITHHELD, Phone, PhoneKind, parse_phone
from hotline.taxonomy import taxonomy

SCHEMA_VERSION = 1


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def phone_to_dict(phone: Phone | None) -> dict[str, Any] | None:
    if phone is None:
        return None
    return {
        "typed": phone.typed,
        "e164": phone.e164,
        "kind": phone.kind.value,
        "country": phone.country,
    }


def contact_to_dict(contact: Contact) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "id": contact.id,
        "version": contact.version,
        "reference": contact.reference,
        "site": contact.site,
        "operator": contact.operator,
        "started_at": _iso(contact.started_at),
        "ended_at": _iso(contact.ended_at),
        "duration_seconds": contact.duration_seconds,
        "channel": contact.channel,
        "call_type": contact.call_type,
        "caller": {
            "relationship": contact.caller.relationship,
            "sex": contact.caller.sex,
            "age_band": contact.caller.age_band,
            "citizenship": contact.caller.citizenship,
            "country": contact.caller.country,
            "region": contact.caller.region,
            "name": contact.caller.name,
        },
        "call_language": contact.call_language,
        "phone": phone_to_dict(contact.phone),
        "topics": list(contact.topics),
        "summary": contact.summary,
        "notes": contact.notes,
        "actions": list(contact.actions),
        "consent": {
            "keep_data": contact.consent.keep_data,
            "refer": contact.consent.refer,
            "share": contact.consent.share,
        },
        "follow_up": {
            "date": _iso(contact.follow_up.date),
            "reason": contact.follow_up.reason,
            "done": contact.follow_up.done,
            "done_on": _iso(contact.follow_up.done_on),
        },
        "minor": contact.minor,
        "danger": contact.danger,
        "risk_level": contact.risk_level,
        "case_id": contact.case_id,
        "screenings": [
            {
                "script_id": s.script_id,
                "script_version": s.script_version,
                "answers": s.answers,
                "level": s.level,
                "indicators": list(s.indicators),
                "flags": list(s.flags),
            }
            for s in contact.screenings
        ],
        "created_at": contact.created_at,
        "created_by": contact.created_by,
        "updated_at": contact.updated_at,
        "updated_by": contact.updated_by,
    }


# --- reading what people and scripts send ------------------------------------------------


def _bad(field: str, detail: str) -> InvalidInput:
    return InvalidInput(_("%(field)s: %(problem)s") % {"field": field, "problem": detail})


def _text(
    data: dict[str, Any], key: str, field: str, limit: int = 20_000, *, single_line: bool = True
) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _bad(field, _("expected text"))
    problem = validation.text_problem(value, single_line=single_line)
    if problem is not None:
        raise _bad(field, problem)
    if len(value) > limit:
        raise _bad(
            field,
            ngettext(
                "too long (at most %(n)d character)", "too long (at most %(n)d characters)", limit
            )
            % {"n": limit},
        )
    return value


def _flag(data: dict[str, Any], key: str, field: str, *, optional: bool = False) -> bool | None:
    value = data.get(key)
    if value is None:
        return None if optional else False
    if not isinstance(value, bool):
        raise _bad(field, _("expected true or false"))
    return value


def _when(value: Any, field: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise _bad(field, _("not a date and time like 2026-11-22T14:05")) from error
    if parsed.tzinfo is None:
        raise _bad(field, _("the time zone is missing (e.g. +06:00)"))
    if not validation.year_in_range(parsed.year):
        raise _bad(field, validation.date_range_problem())
    return parsed.astimezone(dt.UTC)


def _day(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise _bad(field, _("not a date like 2026-11-29")) from error
    if not validation.year_in_range(day.year):
        raise _bad(field, validation.date_range_problem())
    return day


def _country(value: Any, field: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return validation.country(str(value))
    except InvalidInput as error:
        raise _bad(field, error.message) from error


def _code(list_name: str, value: Any, field: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _bad(field, _("expected a code"))
    return taxonomy().check(list_name, value, field)


def _codes(list_name: str, value: Any, field: str) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(field, _("expected a list of codes"))
    return taxonomy().check_all(list_name, tuple(value), field)


def _phone(value: Any, home_country: str) -> Phone | None:
    if value in (None, ""):
        return None
    if isinstance(value, dict):
        value = value.get("typed") or value.get("e164") or ""
        if not value:
            return None
    if not isinstance(value, str):
        raise _bad("phone", _("expected a phone number as text"))
    if value.strip().lower() == "withheld":
        return WITHHELD
    return parse_phone(value, home_country)


def _section(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise _bad(key, _("expected an object"))
    return value


def contact_fields_from_dict(data: dict[str, Any], home_country: str) -> dict[str, Any]:
    """Validate a JSON object and return the Contact fields it sets (codes checked)."""
    if not isinstance(data, dict):
        raise InvalidInput(_("A contact must be a JSON object."))
    caller = _section(data, "caller")
    consent = _section(data, "consent")
    follow = _section(data, "follow_up")
    fields: dict[str, Any] = {
        "channel": _code("channels", data.get("channel") or "phone", "channel") or "phone",
        "call_type": _code("call_types", data.get("call_type"), "call_type"),
        "caller": Caller(
            relationship=_code("relationships", caller.get("relationship"), "caller.relationship"),
            sex=_code("sexes", caller.get("sex"), "caller.sex"),
            age_band=_code("age_bands", caller.get("age_band"), "caller.age_band"),
            citizenship=_country(caller.get("citizenship"), "caller.citizenship"),
            country=_country(caller.get("country"), "caller.country"),
            region=_text(caller, "region", "caller.region", 200),
            name=_text(caller, "name", "caller.name", 200),
        ),
        "call_language": _code("call_languages", data.get("call_language"), "call_language"),
        "phone": _phone(data.get("phone"), home_country),
        "topics": _codes("topics", data.get("topics"), "topics"),
        "summary": _text(data, "summary", "summary", 2000),
        "notes": _text(data, "notes", "notes", single_line=False),
        "actions": _codes("actions", data.get("actions"), "actions"),
        "consent": Consent(
            keep_data=_flag(consent, "keep_data", "consent.keep_data", optional=True),
            refer=_flag(consent, "refer", "consent.refer", optional=True),
            share=_flag(consent, "share", "consent.share", optional=True),
        ),
        "follow_up": FollowUp(
            date=_day(follow.get("date"), "follow_up.date"),
            reason=_text(follow, "reason", "follow_up.reason", 500, single_line=False),
            done=bool(_flag(follow, "done", "follow_up.done")),
        ),
        "minor": bool(_flag(data, "minor", "minor")),
        "danger": bool(_flag(data, "danger", "danger")),
    }
    started = _when(data.get("started_at"), "started_at")
    if started is not None:
        fields["started_at"] = started
    ended = _when(data.get("ended_at"), "ended_at")
    if ended is not None:
        fields["ended_at"] = ended
    if "case_id" in data and data["case_id"] is not None:
        fields["case_id"] = _text(data, "case_id", "case_id", 64)
    return fields


def check_texts(contact: Contact) -> None:
    """Raise InvalidInput naming the first free-text field that cannot be stored (control
    characters, a line break in a one-line field, a broken character); for every way in,
    the call form included."""
    fields = (
        (contact.caller.name, _("Caller's name"), True),
        (contact.caller.region, _("Region"), True),
        (contact.summary, _("Summary"), True),
        (contact.notes, _("Notes"), False),
        (contact.follow_up.reason, _("Reason for the follow-up"), False),
    )
    for value, label, single_line in fields:
        validation.checked_text(value, label, single_line=single_line)
    if contact.phone is not None:
        validation.checked_text(contact.phone.typed, _("Phone number"))


def phone_from_dict(data: dict[str, Any] | None) -> Phone | None:
    """Restore a stored phone (from a draft or a version) without parsing it again."""
    if not data:
        return None
    return Phone(
        typed=str(data.get("typed", "")),
        e164=data.get("e164"),
        kind=PhoneKind(data.get("kind", PhoneKind.OTHER.value)),
        country=data.get("country"),
    )


def _stored_when(value: Any) -> dt.datetime | None:
    return None if not value else dt.datetime.fromisoformat(str(value))


def contact_from_dict(data: dict[str, Any]) -> Contact:
    """The inverse of ``contact_to_dict``, for data this program wrote itself (drafts,
    versions). Input from people or other programs goes through
    ``contact_fields_from_dict`` instead."""
    caller = data.get("caller") or {}
    consent = data.get("consent") or {}
    follow = data.get("follow_up") or {}
    started = _stored_when(data.get("started_at"))
    return Contact(
        id=str(data["id"]),
        version=int(data.get("version", 0)),
        reference=str(data.get("reference", "")),
        site=str(data.get("site", "")),
        operator=str(data.get("operator", "")),
        started_at=started or dt.datetime.now(dt.UTC).replace(microsecond=0),
        ended_at=_stored_when(data.get("ended_at")),
        channel=str(data.get("channel") or "phone"),
        call_type=data.get("call_type"),
        caller=Caller(
            relationship=caller.get("relationship"),
            sex=caller.get("sex"),
            age_band=caller.get("age_band"),
            citizenship=caller.get("citizenship"),
            country=caller.get("country"),
            region=str(caller.get("region") or ""),
            name=str(caller.get("name") or ""),
        ),
        call_language=data.get("call_language"),
        phone=phone_from_dict(data.get("phone")),
        topics=tuple(data.get("topics") or ()),
        summary=str(data.get("summary") or ""),
        notes=str(data.get("notes") or ""),
        actions=tuple(data.get("actions") or ()),
        consent=Consent(
            keep_data=consent.get("keep_data"),
            refer=consent.get("refer"),
            share=consent.get("share"),
        ),
        follow_up=FollowUp(
            date=None if not follow.get("date") else dt.date.fromisoformat(follow["date"]),
            reason=str(follow.get("reason") or ""),
            done=bool(follow.get("done", False)),
            done_on=None if not follow.get("done_on") else dt.date.fromisoformat(follow["done_on"]),
        ),
        minor=bool(data.get("minor", False)),
        danger=bool(data.get("danger", False)),
        risk_level=data.get("risk_level"),
        case_id=data.get("case_id"),
        screenings=tuple(
            Screening(
                script_id=str(s["script_id"]),
                script_version=int(s["script_version"]),
                answers=dict(s.get("answers") or {}),
                level=str(s.get("level") or "none"),
                indicators=tuple(s.get("indicators") or ()),
                flags=tuple(s.get("flags") or ()),
            )
            for s in data.get("screenings") or ()
        ),
        created_at=str(data.get("created_at") or ""),
        created_by=str(data.get("created_by") or ""),
        updated_at=str(data.get("updated_at") or ""),
        updated_by=str(data.get("updated_by") or ""),
    )
