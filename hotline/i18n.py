"""Translation entry points for core and UI alike (gettext catalogues built with Babel).

Every user-visible string goes through ``_``, ``ngettext`` or ``pgettext``. Labels defined
at module level use ``N_`` (mark only, translate where shown) or ``lazy`` (a string-like
object that translates itself each time it is turned into text). Switching language
(``set_language``) notifies listeners, so an open window can relabel itself.
"""

from __future__ import annotations

import gettext as _gettext
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

DOMAIN = "hotline"
SOURCE_LANGUAGE = "en"
UI_LANGUAGES: tuple[str, ...] = ("en", "ru", "ky", "kk", "uz_Latn", "uz_Cyrl", "tg")
TRANSLATED_LANGUAGES: tuple[str, ...] = UI_LANGUAGES[1:]

# Plural-Forms header of each catalogue, from CLDR. Russian: one/few/many (CLDR's "other"
# covers only fractions, which ngettext never receives). Kyrgyz, Kazakh and Uzbek: one/other.
# Tajik: CLDR defines no plural categories, so a single form.
PLURAL_FORMS: dict[str, str] = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "ky": "nplurals=2; plural=(n != 1);",
    "kk": "nplurals=2; plural=(n != 1);",
    "uz_Latn": "nplurals=2; plural=(n != 1);",
    "uz_Cyrl": "nplurals=2; plural=(n != 1);",
    "tg": "nplurals=1; plural=0;",
}

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_current = SOURCE_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def locales_dir() -> Path:
    """Compiled catalogues: ``locales/`` beside the packages, or inside a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "locales"
    return Path(__file__).resolve().parent.parent / "locales"


def catalogue_path(language: str, domain: str = DOMAIN) -> Path:
    return locales_dir() / language / "LC_MESSAGES" / f"{domain}.mo"


def load_translations(language: str, domain: str = DOMAIN) -> _gettext.NullTranslations:
    """The compiled catalogue of ``language``; English (no-op) if there is none."""
    path = catalogue_path(language, domain)
    if language == SOURCE_LANGUAGE or not path.exists():
        return _gettext.NullTranslations()
    with open(path, "rb") as handle:
        return _gettext.GNUTranslations(handle)


def set_language(language: str) -> None:
    """Switch every later ``_`` call to ``language`` and tell the listeners."""
    if language not in UI_LANGUAGES:
        language = SOURCE_LANGUAGE
    install(load_translations(language), language)


def install(translations: _gettext.NullTranslations, language: str) -> None:
    """Use ``translations`` from now on (tests install a pseudo-locale this way)."""
    global _translations, _current
    _translations = translations
    _current = language
    for listener in list(_listeners):
        listener(language)


def current_language() -> str:
    return _current


def add_listener(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)


def remove_listener(listener: Callable[[str], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it now."""
    return message


class LazyString:
    """A module-level label that is translated whenever it is shown."""

    __slots__ = ("_context", "_message")

    def __init__(self, message: str, context: str | None = None) -> None:
        self._message = message
        self._context = context

    def __str__(self) -> str:
        if self._context is None:
            return _(self._message)
        return pgettext(self._context, self._message)

    def __repr__(self) -> str:
        return f"lazy({self._message!r})"

    def __mod__(self, values: object) -> str:
        return str(self) % values

    @property
    def source(self) -> str:
        return self._message


def lazy(message: str) -> LazyString:
    return LazyString(message)


def lazy_p(context: str, message: str) -> LazyString:
    return LazyString(message, context)


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """Map LANGUAGE / LC_ALL / LC_MESSAGES / LANG (e.g. ``uz_UZ@cyrillic``) to a UI language."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        for candidate in value.split(":"):
            found = normalize_language(candidate)
            if found:
                return found
    return SOURCE_LANGUAGE


def normalize_language(tag: str) -> str | None:
    """``ru_RU.UTF-8`` → ``ru``; ``uz@cyrillic``/``uz-Cyrl`` → ``uz_Cyrl``; unknown → None."""
    tag = tag.strip()
    if not tag or tag in ("C", "POSIX"):
        return None
    base, _sep, modifier = tag.partition("@")
    base = base.split(".")[0].replace("-", "_")
    parts = base.split("_")
    lang = parts[0].lower()
    if lang == "uz":
        cyrillic = modifier.lower() == "cyrillic" or "Cyrl" in parts[1:]
        return "uz_Cyrl" if cyrillic else "uz_Latn"
    return lang if lang in UI_LANGUAGES else None
