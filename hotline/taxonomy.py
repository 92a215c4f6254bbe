"""Code lists (taxonomies) read from ``resources/taxonomies/*.json``.

The store and exports keep the stable code; people see the label translated with the
gettext context ``taxonomy:<list>`` (extracted by ``extract_labels`` below).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from hotline.errors import InvalidInput
from hotline.i18n import _, pgettext
from hotline.paths import resources_dir


@dataclass(frozen=True)
class Term:
    list_name: str
    code: str
    label: str  # English source text
    data: bool = True  # call types: whether the contact carries case data
    parent: str | None = None

    @property
    def text(self) -> str:
        return pgettext(f"taxonomy:{self.list_name}", self.label)


class Taxonomy:
    def __init__(self, lists: dict[str, tuple[Term, ...]]) -> None:
        self._lists = lists
        self._index = {(t.list_name, t.code): t for terms in lists.values() for t in terms}

    def terms(self, list_name: str) -> tuple[Term, ...]:
        return self._lists[list_name]

    def codes(self, list_name: str) -> tuple[str, ...]:
        return tuple(t.code for t in self._lists[list_name])

    def get(self, list_name: str, code: str) -> Term | None:
        return self._index.get((list_name, code))

    def label(self, list_name: str, code: str | None) -> str:
        if code is None:
            return ""
        term = self.get(list_name, code)
        return term.text if term else code

    def check(self, list_name: str, code: str | None, field: str) -> str | None:
        """Return ``code`` if it belongs to ``list_name`` (None allowed); else a clear error."""
        if code in (None, ""):
            return None
        assert code is not None
        if (list_name, code) not in self._index:
            raise InvalidInput(
                _("%(code)s is not a known value for %(field)s.") % {"code": code, "field": field}
            )
        return code

    def check_all(
        self, list_name: str, codes: Iterator[str] | tuple[str, ...], field: str
    ) -> tuple[str, ...]:
        checked = [self.check(list_name, c, field) for c in codes]
        return tuple(dict.fromkeys(c for c in checked if c))

    def children(self, list_name: str, parent: str | None) -> tuple[Term, ...]:
        return tuple(t for t in self._lists[list_name] if t.parent == parent)


def _flatten(list_name: str, items: list[dict[str, Any]], parent: str | None) -> list[Term]:
    terms: list[Term] = []
    for item in items:
        terms.append(
            Term(
                list_name=list_name,
                code=str(item["code"]),
                label=str(item["label"]),
                data=bool(item.get("data", True)),
                parent=parent,
            )
        )
        terms.extend(_flatten(list_name, item.get("children", []), str(item["code"])))
    return terms


def load_folder(folder: Path) -> Taxonomy:
    lists: dict[str, tuple[Term, ...]] = {}
    for path in sorted(folder.glob("*.json")):
        body = json.loads(path.read_text("utf-8"))
        for list_name, items in body["lists"].items():
            if list_name in lists:
                raise ValueError(f"{path}: list {list_name} defined twice")
            terms = _flatten(list_name, items, None)
            codes = [t.code for t in terms]
            if len(codes) != len(set(codes)):
                raise ValueError(f"{path}: duplicate code in {list_name}")
            lists[list_name] = tuple(terms)
    return Taxonomy(lists)


@cache
def taxonomy() -> Taxonomy:
    return load_folder(resources_dir() / "taxonomies")


def extract_labels(
    fileobj: BinaryIO, keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor: every label of a taxonomy file, with context ``taxonomy:<list>``."""
    body = json.loads(fileobj.read().decode("utf-8"))

    def walk(list_name: str, items: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
        for item in items:
            yield f"taxonomy:{list_name}", str(item["label"])
            yield from walk(list_name, item.get("children", []))

    for list_name, items in body["lists"].items():
        for context, label in walk(list_name, items):
            yield 0, "pgettext", (context, label), []
