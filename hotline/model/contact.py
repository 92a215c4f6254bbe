"""A contact is one call or visit; a person is the one at risk; a case groups contacts
about that person. Codes come from ``resources/taxonomies``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hotline.phones import Phone

UNSAVED = 0


@dataclass(frozen=True)
class Caller:
    relationship: str | None = None  # taxonomy "relationships"
    sex: str | None = None
    age_band: str | None = None
    citizenship: str | None = None  # ISO country code
    country: str | None = None  # where the caller is now
    region: str = ""
    name: str = ""  # kept only with consent to keep personal data


@dataclass(frozen=True)
class Consent:
    """Per purpose; None means the question was not asked (yet)."""

    keep_data: bool | None = None
    refer: bool | None = None
    share: bool | None = None


@dataclass(frozen=True)
class FollowUp:
    date: dt.date | None = None
    reason: str = ""
    done: bool = False
    done_on: dt.date | None = None  # set by the service the day "done" is first ticked


@dataclass(frozen=True)
class Screening:
    """The answers to one screening script, with the script version they belong to."""

    script_id: str
    script_version: int
    answers: dict[str, Any] = field(default_factory=dict, hash=False)
    level: str = "none"
    indicators: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    id: str
    version: int
    reference: str
    site: str
    operator: str
    started_at: dt.datetime
    ended_at: dt.datetime | None = None
    channel: str = "phone"
    call_type: str | None = None
    caller: Caller = field(default_factory=Caller)
    call_language: str | None = None
    phone: Phone | None = None
    topics: tuple[str, ...] = ()
    summary: str = ""
    notes: str = ""
    actions: tuple[str, ...] = ()
    consent: Consent = field(default_factory=Consent)
    follow_up: FollowUp = field(default_factory=FollowUp)
    minor: bool = False
    danger: bool = False
    risk_level: str | None = None
    case_id: str | None = None
    screenings: tuple[Screening, ...] = ()
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""

    @property
    def saved(self) -> bool:
        return self.version > UNSAVED

    @property
    def duration_seconds(self) -> int | None:
        if self.ended_at is None:
            return None
        return max(0, int((self.ended_at - self.started_at).total_seconds()))


@dataclass(frozen=True)
class ContactSummary:
    """One row of a contact list: enough to recognise the call, nothing more."""

    id: str
    reference: str
    started_at: dt.datetime
    operator: str
    channel: str
    call_type: str | None
    risk_level: str | None
    case_id: str | None
    case_reference: str | None
    case_status: str | None
    follow_up_date: dt.date | None
    follow_up_done: bool
    phone_display: str


@dataclass(frozen=True)
class Person:
    id: str
    version: int
    name: str = ""
    sex: str | None = None
    age_band: str | None = None
    citizenship: str | None = None
    home_country: str | None = None
    home_region: str = ""
    notes: str = ""


@dataclass(frozen=True)
class RouteEvent:
    kind: str  # Recruitment, Transit, Exploitation
    country: str | None = None
    place: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Case:
    id: str
    version: int
    reference: str
    person_id: str
    status: str = "Active"
    trafficking_status: str = "Unknown"
    trafficking_decided_by: str | None = None
    exploitation_types: tuple[str, ...] = ()
    control_methods: tuple[str, ...] = ()
    perpetrator_roles: tuple[str, ...] = ()
    legal_qualification: str = ""
    route: tuple[RouteEvent, ...] = ()
    opened_at: str = ""
    closed_at: str | None = None


@dataclass(frozen=True)
class VersionInfo:
    version: int
    saved_at: str
    saved_by: str
    changed: tuple[str, ...]  # names of the fields that changed from the version before
