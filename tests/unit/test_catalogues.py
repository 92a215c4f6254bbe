"""Every catalogue is complete, compiles, keeps its placeholders and has CLDR plurals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from hotline.i18n import PLURAL_FORMS, TRANSLATED_LANGUAGES, load_translations, set_language

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "lazy": None,
            "lazy_p": ((1, "c"), 2)}  # fmt: skip
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}")
QT_OWN = ("ky", "uz_Latn", "uz_Cyrl", "tg")


def load(lang: str, domain: str = "hotline") -> Catalog:
    path = LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"
    assert path.exists(), f"missing catalogue {path}"
    with open(path, "rb") as handle:
        return read_po(handle, locale=lang)


def source_messages() -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    method_map = [("**.py", "python"), ("**.json", "hotline.taxonomy.extract_labels")]
    for folder in ("hotline", "ui", "resources/taxonomies"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map=method_map, keywords=KEYWORDS
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            found.add((context, msgid))
    return found


def messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def ids(message: Message) -> tuple[str, ...]:
    value = message.id
    return tuple(value) if isinstance(value, tuple | list) else (str(value),)


def strings(message: Message) -> tuple[str, ...]:
    value = message.string
    return tuple(value) if isinstance(value, tuple | list) else (str(value or ""),)


def msgid_text(message: Message) -> str:
    return ids(message)[0]


@pytest.fixture(scope="module")
def sources() -> set[tuple[str | None, str]]:
    return source_messages()


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_catalogue_covers_every_source_string(
    lang: str, sources: set[tuple[str | None, str]]
) -> None:
    present = {(m.context, msgid_text(m)) for m in messages(load(lang))}
    missing = sorted(sources - present, key=str)
    assert not missing, f"{lang}: run `make update-catalogues` and translate: {missing[:10]}"


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(lang: str) -> None:
    catalog = load(lang)
    untranslated = []
    fuzzy = []
    for message in messages(catalog):
        if not all(text.strip() for text in strings(message)):
            untranslated.append(msgid_text(message))
        if message.fuzzy:
            fuzzy.append(msgid_text(message))
    assert not untranslated, f"{lang}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{lang}: fuzzy entries {fuzzy[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_placeholders_match(lang: str) -> None:
    problems = []
    for message in messages(load(lang)):
        expected = sorted(set(PLACEHOLDER.findall(ids(message)[-1])))
        for text in strings(message):
            if text and sorted(set(PLACEHOLDER.findall(text))) != expected:
                problems.append((msgid_text(message), text))
    assert not problems, f"{lang}: {problems[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_plural_header_follows_cldr(lang: str) -> None:
    catalog = load(lang)
    assert catalog.plural_forms == PLURAL_FORMS[lang]
    nplurals = int(PLURAL_FORMS[lang].split(";")[0].split("=")[1])
    for message in messages(catalog):
        if len(ids(message)) > 1:
            assert len(strings(message)) == nplurals, msgid_text(message)


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_catalogue_compiles_cleanly(lang: str) -> None:
    catalog = load(lang)
    errors = [(m.id, problems) for m, problems in catalog.check()]
    assert not errors, errors[:5]
    assert (LOCALES / lang / "LC_MESSAGES" / "hotline.mo").exists(), "run make compile-catalogues"


def test_russian_plurals_choose_one_few_many() -> None:
    translations = load_translations("ru")
    forms = {
        n: translations.ngettext("%(n)d minute", "%(n)d minutes", n) for n in (1, 3, 5, 21, 11)
    }
    assert forms[1] == forms[21]
    assert len({forms[1], forms[3], forms[5]}) == 3
    assert forms[11] == forms[5]


def test_uzbek_latin_uses_the_turned_comma() -> None:
    wrong = re.compile(r"[OoGg]['‘’`ʼ]")
    bad = [text for m in messages(load("uz_Latn")) for text in strings(m) if wrong.search(text)]
    assert not bad, bad[:5]


@pytest.mark.parametrize("lang", QT_OWN)
def test_qt_catalogues_are_complete(lang: str) -> None:
    catalog = load(lang, "qtbase")
    assert catalog.plural_forms == PLURAL_FORMS[lang]
    empty = [m.id for m in messages(catalog) if not all(strings(m)) or m.fuzzy]
    assert not empty, empty[:5]
    assert len(messages(catalog)) >= 20


def test_switching_language_changes_messages() -> None:
    from hotline.i18n import _

    set_language("ru")
    russian = _("The user name or the password is not correct.")
    set_language("en")
    assert russian != "The user name or the password is not correct."
    assert re.search("[а-яё]", russian)
