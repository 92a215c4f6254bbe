from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Installation:
    """The organisation profile of one installation (one hotline site)."""

    id: str
    org_code: str
    org_name: str
    country: str
    site_name: str
    created_at: str
