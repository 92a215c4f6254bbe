"""What the call log and the statistics select: one filter, saved by name as JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any

from hotline.errors import InvalidInput
from hotline.i18n import _


class ReviewState(StrEnum):
    REVIEWED = "reviewed"
    NOT_REVIEWED = "not_reviewed"


# The source meaning "recorded at this installation" (records imported from others carry
# the installation id of where they were recorded).
LOCAL_SOURCE = "local"


class ShareConsent(StrEnum):
    """The caller's consent to share their data with the coordinating NGO."""

    GIVEN = "given"
    REFUSED = "refused"
    NOT_ASKED = "not_asked"


# Columns of the call log a user may sort on (code -> what it shows).
SORT_COLUMNS = (
    "started_at",
    "reference",
    "operator",
    "call_type",
    "risk_level",
    "call_language",
    "caller_country",
    "follow_up_date",
    "reviewed",
)


@dataclass(frozen=True)
class CallLogFilter:
    """Every field narrows the selection; an empty field does not. Dates are local days,
    both ends included."""

    since: dt.date | None = None
    until: dt.date | None = None
    operators: tuple[str, ...] = ()
    call_types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # a main topic also selects its subtopics
    risk_levels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    caller_countries: tuple[str, ...] = ()
    caller_region: str = ""  # part of the region's name, any case
    share_consent: ShareConsent | None = None
    review: ReviewState | None = None
    follow_up_due: bool = False  # follow-up not done and its date today or earlier
    text: str = ""  # words searched in summaries and notes
    sources: tuple[str, ...] = ()  # installation ids of origin; LOCAL_SOURCE: recorded here

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise InvalidInput(_("The first day of the period is after its last day."))

    @property
    def empty(self) -> bool:
        return self == CallLogFilter()

    def with_period(self, since: dt.date | None, until: dt.date | None) -> CallLogFilter:
        return replace(self, since=since, until=until)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", (), False):
                continue
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, StrEnum):
                value = value.value
            data[f.name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CallLogFilter:
        """The inverse of ``to_dict``; raises InvalidInput on anything malformed."""
        try:
            return cls(
                since=_day(data.get("since")),
                until=_day(data.get("until")),
                operators=_codes(data.get("operators")),
                call_types=_codes(data.get("call_types")),
                topics=_codes(data.get("topics")),
                risk_levels=_codes(data.get("risk_levels")),
                languages=_codes(data.get("languages")),
                caller_countries=_codes(data.get("caller_countries")),
                caller_region=str(data.get("caller_region", "")),
                share_consent=None
                if data.get("share_consent") is None
                else ShareConsent(data["share_consent"]),
                review=None if data.get("review") is None else ReviewState(data["review"]),
                follow_up_due=bool(data.get("follow_up_due", False)),
                text=str(data.get("text", "")),
                sources=_codes(data.get("sources")),
            )
        except (TypeError, ValueError) as error:
            raise InvalidInput(_("This saved filter cannot be read.")) from error


def _day(value: Any) -> dt.date | None:
    return None if value in (None, "") else dt.date.fromisoformat(str(value))


def _codes(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("a list of codes")
    return tuple(value)


@dataclass(frozen=True)
class Sort:
    column: str = "started_at"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.column not in SORT_COLUMNS:
            raise InvalidInput(_("The call log cannot be sorted on %(column)s.") % {
                "column": self.column
            })  # fmt: skip


@dataclass(frozen=True)
class CallLogRow:
    """One line of the call log: codes and short facts; no caller's words."""

    id: str
    reference: str
    started_at: dt.datetime
    operator: str
    call_type: str | None
    topics: tuple[str, ...]
    risk_level: str | None
    call_language: str | None
    caller_country: str | None
    caller_region: str
    share_consent: bool | None
    follow_up_date: dt.date | None
    follow_up_done: bool
    reviewed: bool
    sort_key: tuple[Any, str]  # where the next page starts (keyset paging)


@dataclass(frozen=True)
class SavedFilter:
    name: str
    filter: CallLogFilter
    saved_at: str
