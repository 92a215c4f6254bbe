"""What the statistics count, and the tables they produce."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from hotline.i18n import N_, _


class Unit(StrEnum):
    CONTACTS = "contacts"
    CASES = "cases"
    REFERRALS = "referrals"


class Dimension(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    CALL_TYPE = "call_type"
    CHANNEL = "channel"
    OPERATOR = "operator"
    TOPIC = "topic"
    SUBTOPIC = "subtopic"
    CALLER_SEX = "caller_sex"
    CALLER_AGE = "caller_age_band"
    RELATIONSHIP = "relationship"
    LANGUAGE = "call_language"
    CALLER_COUNTRY = "caller_country"
    CALLER_REGION = "caller_region"
    RISK_LEVEL = "risk_level"
    DESTINATION_COUNTRY = "destination_country"
    EXPLOITATION_TYPE = "exploitation_type"
    REFERRAL_SERVICE = "referral_service"
    REFERRAL_OUTCOME = "referral_outcome"

    @property
    def heading(self) -> str:
        return _(DIMENSION_TITLES[self])

    @property
    def is_period(self) -> bool:
        return self in (Dimension.DAY, Dimension.WEEK, Dimension.MONTH)

    @property
    def unit(self) -> Unit:
        if self in (Dimension.DESTINATION_COUNTRY, Dimension.EXPLOITATION_TYPE):
            return Unit.CASES
        if self in (Dimension.REFERRAL_SERVICE, Dimension.REFERRAL_OUTCOME):
            return Unit.REFERRALS
        return Unit.CONTACTS

    @property
    def data_only(self) -> bool:
        """Whether silent, prank and other non-data contacts are left out: they say nothing
        about a caller, so they count only by period, call type, channel and operator."""
        return self not in (
            Dimension.DAY,
            Dimension.WEEK,
            Dimension.MONTH,
            Dimension.CALL_TYPE,
            Dimension.CHANNEL,
            Dimension.OPERATOR,
        )


DIMENSION_TITLES: dict[Dimension, str] = {
    Dimension.DAY: N_("By day"),
    Dimension.WEEK: N_("By week"),
    Dimension.MONTH: N_("By month"),
    Dimension.CALL_TYPE: N_("Call type"),
    Dimension.CHANNEL: N_("Channel"),
    Dimension.OPERATOR: N_("Operator"),
    Dimension.TOPIC: N_("Topic"),
    Dimension.SUBTOPIC: N_("Subtopic"),
    Dimension.CALLER_SEX: N_("Caller's sex"),
    Dimension.CALLER_AGE: N_("Caller's age"),
    Dimension.RELATIONSHIP: N_("Who called"),
    Dimension.LANGUAGE: N_("Language of the call"),
    Dimension.CALLER_COUNTRY: N_("Caller's country"),
    Dimension.CALLER_REGION: N_("Caller's region"),
    Dimension.RISK_LEVEL: N_("Risk level"),
    Dimension.DESTINATION_COUNTRY: N_("Country of exploitation"),
    Dimension.EXPLOITATION_TYPE: N_("Type of exploitation"),
    Dimension.REFERRAL_SERVICE: N_("Referrals by service"),
    Dimension.REFERRAL_OUTCOME: N_("Referrals by outcome"),
}


@dataclass(frozen=True)
class Cell:
    code: str | None  # None: not recorded
    count: int


@dataclass(frozen=True)
class Breakdown:
    """Counts of one dimension over the selected contacts (or their cases or referrals).
    A contact with several topics counts once under each; ``total`` counts it once."""

    dimension: Dimension
    cells: tuple[Cell, ...]
    total: int

    def count(self, code: str | None) -> int:
        return sum(c.count for c in self.cells if c.code == code)


@dataclass(frozen=True)
class CrossTab:
    """Counts of ``rows`` × ``columns`` (for example topic × caller's sex)."""

    rows: Dimension
    columns: Dimension
    counts: dict[tuple[str | None, str | None], int]

    def row_codes(self) -> list[str | None]:
        return _ordered({r for r, _c in self.counts})

    def column_codes(self) -> list[str | None]:
        return _ordered({c for _r, c in self.counts})

    def get(self, row: str | None, column: str | None) -> int:
        return self.counts.get((row, column), 0)


def _ordered(codes: set[str | None]) -> list[str | None]:
    return sorted(codes, key=lambda c: (c is None, c or ""))


@dataclass(frozen=True)
class Summary:
    """The headline figures of a selection."""

    contacts: int
    data_contacts: int
    callers: int  # distinct phone numbers among data contacts
    repeat_callers: int  # of those, numbers with two or more contacts in the selection
    repeat_contacts: int  # contacts from repeat callers
    high_risk: int  # risk level high or urgent
    referrals: int
    reviewed: int
    follow_ups: int  # contacts with a follow-up date
    follow_ups_on_time: int  # done on or before the date
    follow_ups_late: int  # done after the date
    follow_ups_overdue: int  # not done and the date has passed
    follow_ups_open: int  # not done, date today or later


@dataclass(frozen=True)
class Period:
    """Local days, both ends included."""

    first: dt.date
    last: dt.date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - dt.timedelta(days=1))

    def previous_month(self) -> Period:
        before = self.first - dt.timedelta(days=1)
        return Period.month(before.year, before.month)
