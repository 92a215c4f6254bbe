"""Dates, numbers, durations, language and country names from CLDR (Babel), in the
current interface language. Never hand-written tables."""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel import Locale, UnknownLocaleError, dates, numbers

from hotline.collation import sort_key
from hotline.i18n import SOURCE_LANGUAGE, UI_LANGUAGES, current_language, ngettext

# Countries that matter to Central Asian hotlines come first in every picker: the region,
# then the main destinations of labour migration named in the seeds.
PRIORITY_COUNTRIES: tuple[str, ...] = (
    "KG", "KZ", "UZ", "TJ", "TM", "RU", "TR", "AE", "KR", "CN", "AF", "AZ", "GE", "UA",
    "BY", "DE", "PL", "US", "GB", "IL", "SA", "JP", "IR", "IN", "PK",
)  # fmt: skip
# CLDR writes Uzbek oʻ/gʻ with U+2018 in places; Uzbek spelling uses U+02BB.
_UZ_LATIN_APOSTROPHES = str.maketrans({"\u2018": "\u02bb", "\u2019": "\u02bb"})
# CLDR territories that are not countries a person lives in.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ"})


@cache
def babel_locale(language: str | None = None) -> Locale:
    """``uz_Latn`` → Locale('uz', script='Latn'); an unknown id falls back to English."""
    try:
        return Locale.parse(language or current_language())
    except (ValueError, LookupError, UnknownLocaleError):
        return Locale.parse(SOURCE_LANGUAGE)


def _locale(language: str | None) -> Locale:
    return babel_locale(language or current_language())


def format_date(value: dt.date, style: str = "medium", language: str | None = None) -> str:
    return dates.format_date(value, format=style, locale=_locale(language))


def format_time(
    value: dt.time | dt.datetime, style: str = "short", language: str | None = None
) -> str:
    return dates.format_time(value, format=style, locale=_locale(language))


def format_datetime(value: dt.datetime, style: str = "medium", language: str | None = None) -> str:
    return dates.format_datetime(value, format=style, locale=_locale(language))


def format_number(value: int | float, language: str | None = None) -> str:
    return numbers.format_decimal(value, locale=_locale(language))


def format_percent(value: float, language: str | None = None) -> str:
    return numbers.format_percent(value, locale=_locale(language))


def format_duration(seconds: float, language: str | None = None) -> str:
    """A call length as people say it: '2 minutes', '1 hour' (CLDR units, rounded).

    CLDR has no duration units for some languages (Tajik): there our own catalogue speaks.
    """
    locale = _locale(language)
    if "long" in locale._data["unit_patterns"].get("duration-minute", {}):
        return dates.format_timedelta(dt.timedelta(seconds=seconds), threshold=1.0, locale=locale)
    value = abs(seconds)
    if value >= 86400:
        n = round(value / 86400)
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    if value >= 3600:
        n = round(value / 3600)
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    if value >= 60:
        n = round(value / 60)
        return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
    n = round(value)
    return ngettext("%(n)d second", "%(n)d seconds", n) % {"n": n}


def format_clock_duration(seconds: float) -> str:
    """A running call timer: 4:05 or 1:02:03 (digits and colons read the same everywhere)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def language_name(code: str, in_language: str | None = None) -> str:
    """The name of language ``code``; by default in that language itself (for pickers)."""
    target = babel_locale(code)
    shown_in = babel_locale(in_language) if in_language else target
    name = target.get_display_name(shown_in) or code
    if shown_in.language == "uz" and shown_in.script != "Cyrl":
        name = name.translate(_UZ_LATIN_APOSTROPHES)
    return name[:1].upper() + name[1:]


def ui_language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in UI_LANGUAGES]


def country_name(code: str, language: str | None = None) -> str:
    names = _locale(language).territories
    return str(names.get(code) or babel_locale("en").territories.get(code, code))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for every country: the priority list first, then the rest by name."""
    lang = language or current_language()
    locale = _locale(lang)
    fix = _UZ_LATIN_APOSTROPHES if locale.language == "uz" and locale.script != "Cyrl" else None
    names = {
        code: str(name).translate(fix) if fix else str(name)
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    first = [(code, names.get(code, code)) for code in PRIORITY_COUNTRIES]
    key = sort_key(lang)
    rest = sorted(
        ((code, name) for code, name in names.items() if code not in PRIORITY_COUNTRIES),
        key=lambda item: key(item[1]),
    )
    return first + rest
