"""Dates, numbers, durations, names and alphabetical order in each interface language."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.collation import sort_key
from hotline.formatting import (
    PRIORITY_COUNTRIES,
    country_choices,
    country_name,
    format_clock_duration,
    format_date,
    format_duration,
    format_number,
    language_name,
    ui_language_choices,
)
from hotline.i18n import UI_LANGUAGES, normalize_language, set_language

DAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "November 22, 2026"), ("ru", "22 ноября 2026 г."), ("kk", "2026 ж. 22 қараша")],
)
def test_dates_follow_cldr(lang: str, expected: str) -> None:
    # CLDR puts no-break spaces where a line must not wrap.
    assert format_date(DAY, "long", lang).replace("\u202f", " ").replace("\xa0", " ") == expected


def test_numbers_use_the_local_separators() -> None:
    assert format_number(1234567.5, "en") == "1,234,567.5"
    assert format_number(1234567.5, "ru") == "1\xa0234\xa0567,5"


def test_durations_in_every_language() -> None:
    assert format_duration(125, "ru") == "2 минуты"
    assert format_duration(125, "ky") == "2 мүнөт"
    set_language("tg")  # CLDR has no duration units for Tajik: our catalogue speaks
    tajik = format_duration(125)
    set_language("en")
    assert tajik != "2 minutes"
    assert "2" in tajik
    assert format_clock_duration(65) == "1:05"
    assert format_clock_duration(3725) == "1:02:05"


def test_language_names_in_their_own_language() -> None:
    names = dict(ui_language_choices())
    assert list(names) == list(UI_LANGUAGES)
    assert names["ru"] == "Русский"
    assert names["ky"] == "Кыргызча"
    assert names["tg"] == "Тоҷикӣ"
    assert "\u2018" not in names["uz_Latn"]
    assert language_name("pseudo") == "English"  # unknown codes fall back, never crash


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_country_picker_puts_the_region_first(lang: str) -> None:
    choices = country_choices(lang)
    codes = [code for code, _name in choices]
    assert codes[: len(PRIORITY_COUNTRIES)] == list(PRIORITY_COUNTRIES)
    assert len(codes) == len(set(codes)) > 200
    assert "ZZ" not in codes
    rest = [name for _code, name in choices[len(PRIORITY_COUNTRIES) :]]
    key = sort_key(lang)
    assert rest == sorted(rest, key=key)


def test_country_names_are_translated() -> None:
    assert country_name("KG", "ru") == "Киргизия"
    assert country_name("KG", "ky") == "Кыргызстан"
    assert country_name("KG", "uz_Latn") == "Qirgʻiziston"


def test_alphabets_put_local_letters_in_place() -> None:
    assert sorted(["Ыссык", "Ңа", "Өмүр", "Ош", "Нарын"], key=sort_key("ky")) == [
        "Нарын", "Ңа", "Ош", "Өмүр", "Ыссык",
    ]  # fmt: skip
    assert sorted(["Қодир", "Ясин", "Ўктам"], key=sort_key("uz_Cyrl")) == [
        "Ясин", "Ўктам", "Қодир",
    ]  # fmt: skip
    assert sorted(["Shoira", "Zafar", "Oʻlmas", "Sardor"], key=sort_key("uz_Latn")) == [
        "Sardor", "Zafar", "Oʻlmas", "Shoira",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("ru_RU.UTF-8", "ru"), ("uz_UZ@cyrillic", "uz_Cyrl"), ("uz-Latn", "uz_Latn"),
     ("kk_KZ", "kk"), ("C", None), ("de_DE", None)],
)  # fmt: skip
def test_locale_tags(tag: str, expected: str | None) -> None:
    assert normalize_language(tag) == expected
