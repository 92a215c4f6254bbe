"""Create, update and compile the gettext catalogues in locales/ (used by the Makefile).

    python scripts/catalogues.py update    # merge locales/hotline.pot into every .po
    python scripts/catalogues.py compile   # .po -> .mo (fails on a broken catalogue)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
TEMPLATE = LOCALES / "hotline.pot"
DOMAIN = "hotline"
# Directory name -> the Babel locale used for plural rules and headers.
LANGUAGES = {
    "ru": "ru",
    "ky": "ky",
    "kk": "kk",
    "uz_Latn": "uz_Latn",
    "uz_Cyrl": "uz_Cyrl",
    "tg": "tg",
}


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def update() -> None:
    with open(TEMPLATE, "rb") as handle:
        template = read_po(handle)
    for lang, babel_locale in LANGUAGES.items():
        path = po_path(lang)
        if path.exists():
            with open(path, "rb") as handle:
                catalog = read_po(handle, locale=babel_locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=babel_locale, domain=DOMAIN, project="hotline-desk")
        catalog.update(template, no_fuzzy_matching=True)
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=100, ignore_obsolete=True)
        print(f"updated {path.relative_to(ROOT)}")


def compile_all() -> int:
    failures = 0
    for lang, babel_locale in LANGUAGES.items():
        path = po_path(lang)
        if not path.exists():
            continue
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=babel_locale)
        errors = list(catalog.check())
        for message, problems in errors:
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
