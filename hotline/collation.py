"""Alphabetical order as a reader of each language expects it.

Plain code-point order puts the letters ң ө ү ә ғ қ ұ һ і ӣ ӯ ҳ ҷ after я, and Uzbek oʻ/gʻ
nowhere sensible. Each alphabet here is the official order; letters not listed sort after
the listed ones by code point, and case is ignored.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

_RU = "а б в г д е ё ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я"
_ALPHABETS: dict[str, str] = {
    "ru": _RU,
    "ky": "а б в г д е ё ж з и й к л м н ң о ө п р с т у ү ф х ц ч ш щ ъ ы ь э ю я",
    "kk": "а ә б в г ғ д е ё ж з и й к қ л м н ң о ө п р с т у ұ ү ф х һ ц ч ш щ ъ ы і ь э ю я",
    "tg": "а б в г ғ д е ё ж з и ӣ й к қ л м н о п р с т у ӯ ф х ҳ ч ҷ ш ъ э ю я",
    "uz_Cyrl": "а б в г д е ё ж з и й к л м н о п р с т у ф х ц ч ш ъ ь э ю я ў қ ғ ҳ",
    "uz_Latn": "a b d e f g h i j k l m n o p q r s t u v x y z oʻ gʻ sh ch ng",
    "en": "a b c d e f g h i j k l m n o p q r s t u v w x y z",
}
_UZ_APOSTROPHES = str.maketrans({"'": "ʻ", "‘": "ʻ", "’": "ʻ", "`": "ʻ", "ʼ": "ʻ"})


_LATIN_SCRIPT = frozenset({"uz_Latn", "en"})


def _ranks(language: str) -> tuple[dict[str, int], int]:
    """Rank of each letter: the language's alphabet, then the other script's letters."""
    own = _ALPHABETS.get(language, _ALPHABETS["ru"]).split()
    other = (_RU if language in _LATIN_SCRIPT else _ALPHABETS["en"]).split()
    letters = own + [c for c in other if c not in own]
    ranks = {letter: i for i, letter in enumerate(letters)}
    return ranks, len(letters)


def sort_key(language: str) -> Callable[[str], tuple[int, ...]]:
    """A key function for ``sorted`` that follows ``language``'s alphabet."""
    ranks, after = _ranks(language)
    longest = max(len(k) for k in ranks)

    def key(text: str) -> tuple[int, ...]:
        value = unicodedata.normalize("NFC", text.casefold())
        if language == "uz_Latn":
            value = value.translate(_UZ_APOSTROPHES)
        out: list[int] = []
        i = 0
        while i < len(value):
            for size in range(longest, 0, -1):
                piece = value[i : i + size]
                if piece in ranks:
                    out.append(ranks[piece])
                    i += size
                    break
            else:
                char = value[i]
                out.append(-1 if not char.isalnum() else after + ord(char))
                i += 1
        return tuple(out)

    return key
