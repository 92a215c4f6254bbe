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
