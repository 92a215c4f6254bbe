"""Words for the codes the statistics count, in the interface language."""

from __future__ import annotations

import datetime as dt

from babel import dates

from hotline.formatting import babel_locale, country_name, format_date
from hotline.i18n import _, current_language
from hotline.model.statistics import Dimension, Unit
from hotline.taxonomy import taxonomy

# Dimensions whose codes come from a taxonomy list.
_LISTS: dict[Dimension, str] = {
    Dimension.CALL_TYPE: "call_types",
    Dimension.CHANNEL: "channels",
    Dimension.TOPIC: "topics",
    Dimension.SUBTOPIC: "topics",
    Dimension.CALLER_SEX: "sexes",
    Dimension.CALLER_AGE: "age_bands",
    Dimension.RELATIONSHIP: "relationships",
    Dimension.LANGUAGE: "call_languages",
    Dimension.RISK_LEVEL: "risk_levels",
    Dimension.EXPLOITATION_TYPE: "exploitation_types",
    Dimension.REFERRAL_SERVICE: "service_types",
    Dimension.REFERRAL_OUTCOME: "referral_outcomes",
}


def unit_heading(unit: Unit) -> str:
    """What a count counts: contacts, cases or referrals."""
    return {
        Unit.CONTACTS: _("Contacts"),
        Unit.CASES: _("Cases"),
        Unit.REFERRALS: _("Referrals"),
    }[unit]


def not_recorded() -> str:
    return _("Not recorded")


def label(dimension: Dimension, code: str | None) -> str:
    if code is None:
        return not_recorded()
    if dimension in _LISTS:
        return taxonomy().label(_LISTS[dimension], code)
    if dimension in (Dimension.CALLER_COUNTRY, Dimension.DESTINATION_COUNTRY):
        return country_name(code)
    if dimension is Dimension.DAY:
        return format_date(dt.date.fromisoformat(code), "short")
    if dimension is Dimension.MONTH:
        first = dt.date.fromisoformat(code + "-01")
        return dates.format_date(first, "LLLL y", locale=babel_locale(current_language()))
    if dimension is Dimension.WEEK:
        year, week = code.split("-W")
        return _("Week %(week)d, %(year)d") % {"week": int(week), "year": int(year)}
    return code


def codes_in_order(dimension: Dimension) -> tuple[str, ...]:
    """The taxonomy's own order (age bands young to old, risk levels low to high), for
    dimensions where that order means something; empty otherwise."""
    if dimension in (Dimension.CALLER_AGE, Dimension.RISK_LEVEL, Dimension.CALLER_SEX):
        return taxonomy().codes(_LISTS[dimension])
    return ()
