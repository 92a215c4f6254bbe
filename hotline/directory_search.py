"""Folding text so that search ignores case, diacritics and the script: "Сезим" finds
"Sezim", "Джалал-Абад" finds "Jalal-Abad" and "Djalal-Abad"."""

from __future__ import annotations

import unicodedata

# Cyrillic letters of ru, ky, kk, uz, tg to a plain Latin spelling.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia", "ң": "n", "ө": "o", "ү": "u",
    "ә": "a", "ғ": "g", "қ": "k", "ұ": "u", "һ": "h", "і": "i", "ӣ": "i", "ӯ": "u", "ҳ": "h",
    "ҷ": "j", "ў": "u",
}  # fmt: skip
# Latin spellings of the same sounds, reduced to one form (longest first).
_LATIN = (
    ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ts", "c"),
    ("yu", "iu"), ("ya", "ia"), ("yo", "e"), ("x", "h"), ("q", "k"), ("y", "i"), ("w", "v"),
)  # fmt: skip


_APOSTROPHES = str.maketrans("", "", "ʻʼ'’‘`")


def fold(text: str) -> str:
    """Lowercase, strip diacritics and apostrophes, transliterate, keep letters and digits."""
    lowered = text.casefold().translate(_APOSTROPHES)
    spelled = "".join(_CYRILLIC.get(ch, ch) for ch in lowered)
    decomposed = unicodedata.normalize("NFKD", spelled)
    plain = "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))
    for variant, canonical in _LATIN:
        plain = plain.replace(variant, canonical)
    return plain
