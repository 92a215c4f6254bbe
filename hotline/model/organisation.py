from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Organisation:
    """An entry of the referral directory."""

    id: str
    version: int
    name: str
    type: str = "NGO"
    other_names: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    country: str | None = None
    region: str = ""
    city: str = ""
    address: str = ""
    phones: tuple[str, ...] = ()
    email: str = ""
    hours: str = ""
    languages: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    cost: str = ""
    notes: str = ""
    source: str = ""
    verified_on: str | None = None
    verified_by: str = ""
    historical: bool = False
    active: bool = True
    seed_key: str | None = None


@dataclass(frozen=True)
class Referral:
    """A contact referred to a service of the directory."""

    id: str
    version: int
    contact_id: str
    organisation_id: str
    service: str
    reason: str
    consent: bool
    no_consent_reason: str
    referred_on: str  # ISO date
    reference: str
    outcome: str = "unknown"
    reminder_on: str | None = None
