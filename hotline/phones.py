"""Phone numbers as operators type them: E.164, national and old domestic "8 …" forms of
KG KZ UZ TJ TM RU, and short codes such as 189.

What was typed is always kept beside the normalised form; ``match_key`` gives one key per
caller whatever the format, so a repeat caller is recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from hotline.errors import InvalidInput
from hotline.formatting import country_name
from hotline.i18n import _, current_language

REGION_COUNTRIES: tuple[str, ...] = ("KG", "KZ", "UZ", "TJ", "TM", "RU")
MIN_SHORT_CODE_DIGITS = 3
MAX_SHORT_CODE_DIGITS = 6
_ALLOWED = re.compile(r"^[+0-9 ()\-./]*$")


class PhoneKind(StrEnum):
    MOBILE = "mobile"
    FIXED = "fixed"
    TOLL_FREE = "toll_free"
    SHORT = "short"
    OTHER = "other"
    WITHHELD = "withheld"
    UNRECOGNISED = "unrecognised"  # kept exactly as typed; the operator may correct it later


@dataclass(frozen=True)
class Phone:
    typed: str
    e164: str | None  # None for short codes and withheld numbers
    kind: PhoneKind
    country: str | None  # ISO code of the number's country

    @property
    def match_key(self) -> str | None:
        """One key per caller whatever the format; None when there is nothing to match."""
        if self.kind is PhoneKind.WITHHELD:
            return None
        if self.e164:
            return self.e164
        if self.kind is PhoneKind.UNRECOGNISED:
            digits = digits_of(self.typed)
            return f"raw:{digits}" if digits else None
        return f"short:{self.country}:{digits_of(self.typed)}"

    def display(self) -> str:
        if self.kind is PhoneKind.WITHHELD:
            return _("Number withheld")
        if self.kind is PhoneKind.UNRECOGNISED:
            return self.typed.strip()
        if self.e164:
            parsed = phonenumbers.parse(self.e164)
            return phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
        return digits_of(self.typed)

    def description(self, language: str | None = None) -> str:
        """Country, and where known region and mobile operator, for the call form."""
        lang = language or current_language()
        if self.kind is PhoneKind.WITHHELD:
            return _("Number withheld")
        if self.kind is PhoneKind.UNRECOGNISED:
            return _("Number not recognised")
        if self.kind is PhoneKind.SHORT or not self.e164:
            return _("Short number (%(country)s)") % {
                "country": country_name(self.country or "", lang)
            }
        # The region and carrier tables are large: loaded the first time a number is described.
        from phonenumbers import carrier, geocoder

        number = phonenumbers.parse(self.e164)
        parts = [country_name(self.country or "", lang)]
        geo_lang = _geo_language(lang)
        region = geocoder.description_for_number(number, geo_lang)
        if region and region != geocoder.country_name_for_number(number, geo_lang):
            parts.append(region)
        operator = carrier.name_for_number(number, "en")
        if operator:
            parts.append(operator)
        return ", ".join(parts)


WITHHELD = Phone(typed="", e164=None, kind=PhoneKind.WITHHELD, country=None)


def unrecognised(typed: str) -> Phone:
    """What the operator typed when it is not a valid number: kept, never thrown away."""
    return Phone(typed=typed, e164=None, kind=PhoneKind.UNRECOGNISED, country=None)


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


_KINDS = {
    PhoneNumberType.MOBILE: PhoneKind.MOBILE,
    PhoneNumberType.FIXED_LINE: PhoneKind.FIXED,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: PhoneKind.MOBILE,
    PhoneNumberType.TOLL_FREE: PhoneKind.TOLL_FREE,
}


def _valid(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _candidates(text: str, home: str) -> list[phonenumbers.PhoneNumber]:
    """Valid readings of ``text``: as typed in the home country, then old trunk-8 forms,
    then as a national number of another country of the region."""
    found = _valid(text, home)
    if found:
        return [found]
    digits = digits_of(text)
    if digits.startswith("8") and not text.strip().startswith("+"):
        # Uzbekistan and Tajikistan dropped the domestic "8" prefix; people still type it.
        found = _valid(digits[1:], home)
        if found:
            return [found]
    others = [_valid(text, r) for r in REGION_COUNTRIES if r != home]
    unique = {phonenumbers.format_number(n, PhoneNumberFormat.E164): n for n in others if n}
    return list(unique.values())


def parse_phone(typed: str, home_country: str) -> Phone:
    """Read what the operator typed; raise ``InvalidInput`` with a clear message if it is
    not a number. ``home_country`` is the hotline's country (the default region)."""
    text = typed.strip()
    if not text:
        raise InvalidInput(_("Type a phone number, or choose “Number withheld”."))
    if not _ALLOWED.match(text):
        raise InvalidInput(
            _("A phone number may contain only digits, spaces, +, brackets and hyphens.")
        )
    digits = digits_of(text)
    # Short codes (189, 112, 1414) never start with the trunk prefix 0 or with +.
    is_short = MIN_SHORT_CODE_DIGITS <= len(digits) <= MAX_SHORT_CODE_DIGITS
    if is_short and not text.startswith(("+", "0")):
        return Phone(typed=typed, e164=None, kind=PhoneKind.SHORT, country=home_country)
    readings = _candidates(text, home_country)
    if len(readings) != 1:
        if readings:
            raise InvalidInput(
                _(
                    "%(number)s could be a number in several countries; type it with + and the "
                    "country code."
                )
                % {"number": text}
            )
        raise InvalidInput(
            _(
                "%(number)s is not a valid phone number (country: %(country)s). Check the "
                "digits, or type it with + and the country code."
            )
            % {"number": text, "country": country_name(home_country)}
        )
    number = readings[0]
    return Phone(
        typed=typed,
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        kind=_KINDS.get(phonenumbers.number_type(number), PhoneKind.OTHER),
        country=phonenumbers.region_code_for_number(number),
    )


def _geo_language(language: str) -> str:
    return "ru" if language in ("ru", "ky", "kk", "uz_Cyrl", "tg") else "en"


def format_as_you_type(typed: str, home_country: str) -> str:
    """Group the digits as the operator types (``0555 123 456``, ``+996 555 123 456``)."""
    formatter = phonenumbers.AsYouTypeFormatter(home_country)
    result = typed
    for char in typed:
        if char.isdigit() or char == "+":
            result = formatter.input_digit(char)
    return result
