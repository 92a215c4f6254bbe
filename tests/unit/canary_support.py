"""Canaries for the leak scan, the scanner, and a writer to SIGKILL.

Every canary is a string that can only come from a record: scanning a file for it (in
UTF-8, UTF-16-LE and UTF-16-BE; Latin ones also lower- and upper-cased) tells whether a
record value is in that file in clear.

Run as ``python -m tests.unit.canary_support DATA_DIR`` (HOTLINE_PASSWORD in the
environment, the bakyt account): saves calls full of canaries in a loop, a draft before
each, printing ``saved N`` after each acknowledged save, until killed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

CANARIES: dict[str, str] = {
    "caller name": "Канарейкабек Қуанышұлы",
    "caller name 2": "Ўғилой Канарейкахон",
    "caller name latin": "Kanareykabek Oʻgʻilov",
    "phone": "+996709183274",
    "phone national": "709183274",
    "phone grouped": "709 183 274",
    "notes": "заметкаканарейка ҒҮӨ",
    "notes latin": "Kanarnotes Zebrafinch",
    "summary": "суммаканарейка ҢҺ",
    "follow-up reason": "перезвонканарейка Ұ",
    "person name": "Персонаканарейка Ҳўжаева",
    "person notes": "персонзаметкаканар Қ",
    "case qualification": "статьяканарейка ҚК",
    "route place": "Канарейкаград",
    "referral reason": "направлениеканарейка Ә",
    "referral no-consent reason": "безсогласияканарейка Ө",
    "draft": "черновикканарейка Ғ",
    "killed writer": "убитаяканарейка Ү",
}
LATIN = {"caller name latin", "notes latin"}
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def patterns() -> dict[bytes, str]:
    """Every byte pattern to look for, and the canary (its field) it stands for."""
    found: dict[bytes, str] = {}
    for field, text in CANARIES.items():
        variants = {text}
        if field in LATIN:
            variants |= {text.casefold(), text.upper(), text.split()[0], text.split()[1]}
        for variant in variants:
            for encoding in ENCODINGS:
                found[variant.encode(encoding)] = field
    return found


@dataclass
class ScanResult:
    files: int = 0
    bytes: int = 0
    hits: list[tuple[Path, str]] | None = None

    def __post_init__(self) -> None:
        self.hits = [] if self.hits is None else self.hits


def files_under(roots: Iterable[Path]) -> Iterator[Path]:
    seen: set[Path] = set()
    for root in roots:
        candidates = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in candidates:
            if path.is_file() and not path.is_symlink() and path.resolve() not in seen:
                seen.add(path.resolve())
                yield path


def scan(roots: Iterable[Path], excepted: Iterable[Path] = ()) -> ScanResult:
    """Scan every file under ``roots`` (``excepted`` files are skipped, by exact path)."""
    skip = {p.resolve() for p in excepted}
    table = patterns()
    result = ScanResult()
    assert result.hits is not None
    for path in files_under(roots):
        if path.resolve() in skip:
            continue
        data = path.read_bytes()
        result.files += 1
        result.bytes += len(data)
        for pattern, field in table.items():
            if pattern in data:
                result.hits.append((path, field))
    return result


def _writer(data_dir: Path) -> None:
    import datetime as dt

    from hotline.model.contact import Caller, Consent, FollowUp
    from hotline.paths import DataDir
    from hotline.phones import parse_phone
    from hotline.services import contacts
    from hotline.services.session import login

    session = login(DataDir(data_dir), "bakyt", os.environ["HOTLINE_PASSWORD"])
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        contact = contacts.new_contact(session)
        contacts.save_draft(session, f"draft-{n}", None, {"notes": CANARIES["draft"], "n": n})
        contact = replace(
            contact,
            call_type="consultation",
            caller=Caller(sex="female", name=CANARIES["caller name"], region="Ош"),
            phone=parse_phone(CANARIES["phone"], "KG"),
            summary=CANARIES["summary"],
            notes=f"{CANARIES['killed writer']} {n}",
            topics=("WORK",),
            consent=Consent(keep_data=True, share=True),
            follow_up=FollowUp(date=dt.date(2026, 1, 5), reason=CANARIES["follow-up reason"]),
        )
        contacts.save_contact(session, contact)
        print(f"saved {n}", flush=True)


if __name__ == "__main__":
    _writer(Path(sys.argv[1]))
