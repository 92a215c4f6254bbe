"""Every picture and relative link of the user guide (docs/guide/**/*.md) points to a file
that exists, and every heading anchor a link names exists in its page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#+\s+(.*)$", re.MULTILINE)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
FENCE = re.compile(r"```.*?```", re.DOTALL)
PAGES = sorted(GUIDE.rglob("*.md"))


def anchors(page: Path) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    found = set()
    for title in HEADING.findall(text):
        slug = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


def targets(page: Path) -> list[str]:
    text = FENCE.sub("", COMMENT.sub("", page.read_text(encoding="utf-8")))
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t)]


def test_the_guide_has_pages_and_pictures() -> None:
    assert (GUIDE / "en" / "README.md").exists()
    assert any(target.endswith(".png") for page in PAGES for target in targets(page))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(GUIDE)))
def test_every_link_and_picture_exists(page: Path) -> None:
    missing = []
    for target in targets(page):
        path, _hash, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists() or (anchor and file.suffix == ".md" and anchor not in anchors(file)):
            missing.append(target)
    assert not missing, f"{page.relative_to(GUIDE)} points to missing files or anchors: {missing}"
