"""Translation entry points for core and UI alike.

Every user-visible string goes through ``_``, ``ngettext`` or ``pgettext``. Module-level
labels use ``N_`` (mark only) and are translated where shown.
"""

from __future__ import annotations

import gettext as _gettext
from pathlib import Path

DOMAIN = "hotline"
SOURCE_LANGUAGE = "en"
UI_LANGUAGES: tuple[str, ...] = ("en", "ru", "ky", "kk", "uz_Latn", "uz_Cyrl", "tg")

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_current = SOURCE_LANGUAGE


def locales_dir() -> Path:
    """Where compiled catalogues live: ``locales/`` next to the packages, or bundled."""
    return Path(__file__).resolve().parent.parent / "locales"


def set_language(language: str) -> None:
    """Switch every later ``_`` call to ``language`` (falls back to English)."""
    global _translations, _current
    _translations = load_translations(language)
    _current = language


def catalogue_path(language: str) -> Path:
    return locales_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def load_translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``language``; English (no-op) if there is none."""
    path = catalogue_path(language)
    if language == SOURCE_LANGUAGE or not path.exists():
        return _gettext.NullTranslations()
    with open(path, "rb") as handle:
        return _gettext.GNUTranslations(handle)


def current_language() -> str:
    return _current


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it now."""
    return message


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    """Map LANGUAGE / LC_ALL / LC_MESSAGES / LANG (e.g. ``uz_UZ@cyrillic``) to a UI language."""
    import os

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
