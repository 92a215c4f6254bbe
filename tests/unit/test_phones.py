"""Phone numbers as operators type them in the six countries of the region."""

from __future__ import annotations

import pytest

from hotline.errors import InvalidInput
from hotline.phones import PhoneKind, format_as_you_type, parse_phone

CASES = [
    # typed, hotline country, E.164, kind
    ("0555 123 456", "KG", "+996555123456", PhoneKind.MOBILE),
    ("+996 555 123 456", "KG", "+996555123456", PhoneKind.MOBILE),
    ("996555123456", "KG", "+996555123456", PhoneKind.MOBILE),
    ("0312 62-33-44", "KG", "+996312623344", PhoneKind.FIXED),
    ("8 777 123 4567", "KZ", "+77771234567", PhoneKind.MOBILE),
    ("+7 701 123 45 67", "KZ", "+77011234567", PhoneKind.MOBILE),
    ("8 (727) 212-34-56", "KZ", "+77272123456", PhoneKind.FIXED),
    ("8 800 080 0015", "KZ", "+78000800015", PhoneKind.TOLL_FREE),
    ("90 123 45 67", "UZ", "+998901234567", PhoneKind.MOBILE),
    ("8 90 123 45 67", "UZ", "+998901234567", PhoneKind.MOBILE),
    ("+998 71 123 45 67", "UZ", "+998711234567", PhoneKind.FIXED),
    ("93 123 4567", "TJ", "+992931234567", PhoneKind.MOBILE),
    ("8 372 21 12 34", "TJ", "+992372211234", PhoneKind.FIXED),
    ("8 65 123456", "TM", "+99365123456", PhoneKind.MOBILE),
    ("+993 12 450911", "TM", "+99312450911", PhoneKind.FIXED),
    ("8 916 123-45-67", "RU", "+79161234567", PhoneKind.MOBILE),
    ("+7 (495) 123-45-67", "RU", "+74951234567", PhoneKind.FIXED),
    # A Kazakh mobile typed in the domestic form at a Kyrgyz hotline.
    ("8 777 123 4567", "KG", "+77771234567", PhoneKind.MOBILE),
]


@pytest.mark.parametrize(("typed", "home", "e164", "kind"), CASES)
def test_accepted_forms(typed: str, home: str, e164: str, kind: PhoneKind) -> None:
    phone = parse_phone(typed, home)
    assert phone.e164 == e164
    assert phone.kind is kind
    assert phone.typed == typed  # what was typed is kept
    assert phone.match_key == e164


def test_the_same_caller_matches_in_any_format() -> None:
    keys = {
        parse_phone(t, "KG").match_key
        for t in ("0555 123 456", "+996555123456", "996 555 12 34 56")
    }
    assert keys == {"+996555123456"}


@pytest.mark.parametrize(("typed", "home"), [("189", "KG"), ("112", "RU"), ("1414", "KZ")])
def test_short_codes(typed: str, home: str) -> None:
    phone = parse_phone(typed, home)
    assert phone.kind is PhoneKind.SHORT
    assert phone.e164 is None
    assert phone.match_key == f"short:{home}:{typed}"
    assert home not in phone.description("en")  # the country's name, not its code


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type a phone number"),
        ("0555 12", "not a valid phone number"),
        ("12", "not a valid phone number"),
        ("+996 999 999 999 999", "not a valid phone number"),
        ("call me", "only digits"),
        ("0555-ABC", "only digits"),
    ],
)
def test_invalid_input_is_explained(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_phone(typed, "KG")


def test_description_names_country_region_and_operator() -> None:
    mobile = parse_phone("0555 123 456", "KG")
    assert mobile.description("ru").startswith("Киргизия")
    landline = parse_phone("0312 62 33 44", "KG")
    assert "Bishkek" in landline.description("en")


def test_as_you_type() -> None:
    assert format_as_you_type("0555123456", "KG") == "0555 123 456"
    assert format_as_you_type("+996555123456", "KG") == "+996 555 123 456"
    assert format_as_you_type("89161234567", "RU") == "8 916 123-45-67"


def test_an_unrecognised_number_is_kept_as_typed() -> None:
    from hotline.phones import unrecognised

    phone = unrecognised("0555 12")
    assert phone.kind is PhoneKind.UNRECOGNISED
    assert phone.display() == "0555 12"
    assert phone.match_key == "raw:055512"
    assert phone.description("en") == "Number not recognised"
