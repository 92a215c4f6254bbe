"""Create, update and compile the gettext catalogues in locales/ (used by the Makefile).

    python scripts/catalogues.py update    # merge the templates into every .po
    python scripts/catalogues.py compile   # .po -> .mo; exits 1 on a broken catalogue

Two domains: ``hotline`` (our strings, every language) and ``qtbase`` (Qt's own strings,
only for the languages Qt ships no translation for).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline.i18n import PLURAL_FORMS, TRANSLATED_LANGUAGES  # noqa: E402

LOCALES = ROOT / "locales"
# Qt ships qtbase_ru.qm and qtbase_kk.qm; the other languages get our own catalogue.
QT_OWN_LANGUAGES = ("ky", "uz_Latn", "uz_Cyrl", "tg")
DOMAINS = {"hotline": TRANSLATED_LANGUAGES, "qtbase": QT_OWN_LANGUAGES}


def po_path(lang: str, domain: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"


def _read(path: Path, lang: str) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=lang, domain=path.stem)


def _set_plural_header(catalog: Catalog, lang: str) -> None:
    catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[lang])]


def update() -> None:
    for domain, languages in DOMAINS.items():
        template_path = LOCALES / f"{domain}.pot"
        if not template_path.exists():
            continue
        with open(template_path, "rb") as handle:
            template = read_po(handle)
        for lang in languages:
            path = po_path(lang, domain)
            if path.exists():
                catalog = _read(path, lang)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                catalog = Catalog(locale=lang, domain=domain, project="hotline-desk")
            _set_plural_header(catalog, lang)
            catalog.update(template, no_fuzzy_matching=True)
            _set_plural_header(catalog, lang)
            catalog.fuzzy = False  # the header is maintained, not a guess
            catalog.language_team = f"{lang} <hotline-desk translators>"
            catalog.last_translator = "Hotline Desk contributors"
            with open(path, "wb") as handle:
                write_po(handle, catalog, width=100, ignore_obsolete=True)
            print(f"updated {path.relative_to(ROOT)}")


def compile_all() -> int:
    failures = 0
    for domain, languages in DOMAINS.items():
        for lang in languages:
            path = po_path(lang, domain)
            if not path.exists():
                continue
            catalog = _read(path, lang)
            for message, problems in catalog.check():
                for problem in problems:
                    print(f"{path}:{message.lineno}: {problem}", file=sys.stderr)
                    failures += 1
            with open(path.with_suffix(".mo"), "wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        update()
        return 0
    if argv == ["compile"]:
        return compile_all()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
