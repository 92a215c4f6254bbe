"""Choose an application font that has every letter of the seven interface languages.

Kazakh, Kyrgyz, Tajik and Uzbek need Cyrillic letters beyond Russian and the Uzbek
modifier letter ʻ (U+02BB). Qt falls back glyph by glyph, but mixed fonts inside one word
look broken, so we prefer one font that covers them all: the bundled DejaVu Sans if
``resources/fonts/`` has it, otherwise a system font that passes the same check.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

log = logging.getLogger(__name__)

# Letters that Russian-only fonts lack: Kazakh, Kyrgyz, Tajik, Uzbek (Cyrillic and Latin).
EXTRA_LETTERS = "ңөүәғқұһіӣӯҳҷўҚҢӨҮӘҒҰҺІӢӮҲҶЎ\u02bb"
PREFERRED_FAMILIES = ("DejaVu Sans", "Noto Sans", "Segoe UI", "Arial", "Liberation Sans")
MIN_POINT_SIZE = 10


def fonts_dir() -> Path:
    """``resources/fonts`` beside the packages, or inside a PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources" / "fonts"


def load_bundled_fonts(folder: Path) -> list[str]:
    """Register ``DejaVuSans*.ttf`` from ``folder``; the families loaded (none if absent)."""
    families: list[str] = []
    if not folder.is_dir():
        return families
    for path in sorted(folder.glob("DejaVuSans*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    return families


def covers(font: QFont, text: str = EXTRA_LETTERS) -> bool:
    metrics = QFontMetrics(font)
    return all(metrics.inFontUcs4(ord(ch)) for ch in text)


def choose_font(default: QFont, folder: Path | None = None) -> QFont:
    """The font to use everywhere: bundled, else the default if it covers, else a system one."""
    bundled = load_bundled_fonts(fonts_dir() if folder is None else folder)
    size = max(default.pointSize(), MIN_POINT_SIZE)
    candidates = [f for f in PREFERRED_FAMILIES if f in bundled]
    if not candidates:
        if covers(default):
            font = QFont(default)
            font.setPointSize(size)
            return font
        installed = set(QFontDatabase.families())
        candidates = [f for f in PREFERRED_FAMILIES if f in installed]
    for family in candidates:
        font = QFont(family, size)
        if covers(font):
            return font
    log.info("no font covers all interface letters; relying on Qt's glyph fallback")
    font = QFont(default)
    font.setPointSize(size)
    return font
