"""Checks on values people type at set-up and in user management."""

from __future__ import annotations

import re
import unicodedata

from babel import Locale

from hotline.errors import InvalidInput
from hotline.i18n import _, ngettext

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
_ORG_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")


def username(text: str) -> str:
    name = text.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInput(
            _(
                "A user name has 2 to 32 characters: Latin letters, digits, dot, hyphen or "
                "underscore, and starts with a letter."
            )
        )
    return name


def display_name(text: str, fallback: str) -> str:
    name = " ".join(text.split())
    checked_text(name, _("Full name"))
    if len(name) > 100:
        raise InvalidInput(_("The full name is too long (at most 100 characters)."))
    return name or fallback


def password(text: str, user: str) -> str:
    # NFC so that the same letters typed on different keyboards give the same password.
    value = unicodedata.normalize("NFC", text)
    if len(value) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            ngettext(
                "The password is too short: use at least %(n)d character.",
                "The password is too short: use at least %(n)d characters.",
                MIN_PASSWORD_LENGTH,
            )
            % {"n": MIN_PASSWORD_LENGTH}
        )
    if len(value) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(_("The password is too long."))
    if value.strip().lower() == user.lower():
        raise InvalidInput(_("The password must not be the user name."))
    return value


def org_code(text: str) -> str:
    code = text.strip().upper()
    if not _ORG_CODE.match(code):
        raise InvalidInput(
            _(
                "The organisation code has 2 to 32 characters: Latin letters, digits and "
                "hyphens, for example KG-SEZIM."
            )
        )
    return code


def required_text(text: str, what: str, limit: int = 200) -> str:
    value = " ".join(text.split())
    checked_text(value, what)
    if not value:
        raise InvalidInput(_("Please fill in: %(field)s.") % {"field": what})
    if len(value) > limit:
        raise InvalidInput(
            ngettext(
                "Too long: %(field)s (at most %(n)d character).",
                "Too long: %(field)s (at most %(n)d characters).",
                limit,
            )
            % {"field": what, "n": limit}
        )
    return value


def country(code: str) -> str:
    value = code.strip().upper()
    territories = Locale("en").territories
    if len(value) != 2 or not value.isalpha() or value not in territories:
        raise InvalidInput(
            _("%(code)s is not a known country code (use two letters, e.g. KG).") % {"code": code}
        )
    return value


# --- free text: what a field may hold -------------------------------------------------------
# Names, notes and addresses keep every letter people type, emoji, right-to-left marks,
# zero-width joiners and combining accents included. What is refused, everywhere the same
# way: NUL and the other control characters (terminal colour codes, bells...), line breaks in
# one-line fields, and lone surrogates (half of a character pair, which cannot be written).

FIRST_YEAR = 1990
LAST_YEAR = 2099
_MULTI_LINE_ALLOWED = frozenset("\n\r\t")


def text_problem(value: str, *, single_line: bool = True) -> str | None:
    """A translated description of what is wrong with ``value``, or None."""
    for char in value:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return _("contains a broken character; please type it again")
        if unicodedata.category(char) == "Cc":
            if char in "\r\n" and single_line:
                return _("must be a single line")
            if single_line or char not in _MULTI_LINE_ALLOWED:
                return _("contains an invisible control character; please remove it")
    return None


def checked_text(value: str, field: str, *, single_line: bool = True) -> str:
    """``value`` unchanged, or InvalidInput naming ``field`` and the problem."""
    problem = text_problem(value, single_line=single_line)
    if problem is not None:
        raise InvalidInput(_("%(field)s: %(problem)s") % {"field": field, "problem": problem})
    return value


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def date_range_problem() -> str:
    return _("the date must be between %(first)d and %(last)d") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }
