"""Write locales/qtbase.pot: the strings of Qt's own widgets our windows show.

Qt ships translations of these for Russian and Kazakh only (qtbase_ru.qm, qtbase_kk.qm);
for Kyrgyz, Uzbek and Tajik we translate them in locales/<lang>/LC_MESSAGES/qtbase.po,
which ui/qt_translation.py serves to Qt. Each (context, text) pair is checked against
Qt's Russian catalogue, so a typo here cannot go unnoticed.

    python scripts/qt_strings.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent

QT_STRINGS: dict[str, tuple[str, ...]] = {
    # Standard dialog buttons (QDialogButtonBox, QMessageBox).
    "QPlatformTheme": (
        "OK", "Save", "Save All", "Open", "&Yes", "Yes to &All", "&No", "N&o to All",
        "Abort", "Retry", "Ignore", "Close", "Cancel", "Discard", "Help", "Apply", "Reset",
        "Restore Defaults",
    ),
    "QWizard": ("< &Back", "&Next >", "&Finish", "Cancel", "Help"),
    # Context menus of text fields.
    "QLineEdit": ("&Undo", "&Redo", "Cu&t", "&Copy", "&Paste", "Delete", "Select All"),
    "QWidgetTextControl": (
        "&Undo", "&Redo", "Cu&t", "&Copy", "&Paste", "Delete", "Select All",
    ),
    "QAbstractSpinBox": ("&Select All", "&Step up", "Step &down"),
    "QMessageBox": ("Show Details...", "Hide Details..."),
    "QFileDialog": (
        "Look in:", "File &name:", "Files of type:", "&Open", "&Save", "Open", "Save As",
        "Back", "Forward", "Parent Directory", "Create New Folder", "New Folder",
        "List View", "Detail View", "All Files (*)", "Directory:", "&Choose",
    ),
}  # fmt: skip


def check_against_qt() -> list[tuple[str, str]]:
    """Pairs Qt's Russian catalogue does not know (a typo, or a string Qt dropped)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_ru", folder):
        raise SystemExit(f"qtbase_ru.qm not found in {folder}")
    return [
        (context, text)
        for context, texts in QT_STRINGS.items()
        for text in texts
        if not translator.translate(context, text)
    ]


def main() -> int:
    unknown = check_against_qt()
    if unknown:
        print(f"Qt does not know these strings: {unknown}", file=sys.stderr)
        return 1
    catalog = Catalog(project="hotline-desk", domain="qtbase")
    for context, texts in QT_STRINGS.items():
        for text in texts:
            catalog.add(text, context=context)
    with open(ROOT / "locales" / "qtbase.pot", "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    print("wrote locales/qtbase.pot")
    return 0


if __name__ == "__main__":
    sys.exit(main())
