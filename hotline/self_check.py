"""``hotline-desk --self-check``: prove that an installed copy of the program works.

Meant for the IT volunteer after an installation (and for the frozen bundle in CI): every
check uses the real components on throwaway data in a temporary folder, never the user's
data folder. This module holds the checks that need no Qt; ``ui.self_check`` adds the
Qt ones and prints the report.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
import tempfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hotline import keys
from hotline.errors import AuthenticationFailed, DatabaseUnreadable, KnownError
from hotline.i18n import TRANSLATED_LANGUAGES, _, catalogue_path, load_translations
from hotline.model.organisation import Organisation
from hotline.paths import DataDir, resources_dir
from hotline.services import session as session_service
from hotline.services import setup
from hotline.slips import SlipRequest, render_slip
from hotline.store.connection import SQLITE_PLAIN_HEADER, open_encrypted
from hotline.store.repositories import installation as installation_repo
from hotline.taxonomy import taxonomy

# A check gets its own empty scratch folder and returns a short detail, or raises.
Check = Callable[[Path], str]

ORG_NAME = "Центр «Проверка» — Ишеним"  # Russian and Kyrgyz letters (ш, ң below)
SITE_NAME = "Бишкек, Түндүк"
ADMIN = "selfcheck"
ADMIN_PASSWORD = "self check 2024 ok"
# Languages whose Qt strings come from our own qtbase catalogue (Qt ships none).
OWN_QT_CATALOGUES = ("ky", "uz_Latn", "uz_Cyrl", "tg")


class CheckFailed(Exception):
    """A check found something wrong; the message says what."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        status = "ok  " if self.ok else "FAIL"
        return f"{status} {self.name}: {self.detail}"


def run_checks(checks: Sequence[tuple[str, Check]], workdir: Path) -> list[CheckResult]:
    """Run every check (a failure does not stop the others), each in its own sub-folder."""
    results: list[CheckResult] = []
    for index, (name, check) in enumerate(checks):
        scratch = workdir / f"{index:02d}-{name}"
        scratch.mkdir(parents=True)
        try:
            detail = check(scratch)
        except CheckFailed as error:
            results.append(CheckResult(name, False, str(error)))
        except KnownError as error:
            results.append(CheckResult(name, False, error.message))
        except Exception as error:
            results.append(CheckResult(name, False, f"{type(error).__name__}: {error}"))
        else:
            results.append(CheckResult(name, True, detail))
    return results


def run_in_temporary_folder(checks: Sequence[tuple[str, Check]]) -> list[CheckResult]:
    """``run_checks`` in a fresh temporary folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="hotline-self-check-") as folder:
        return run_checks(checks, Path(folder))


def check_resources(scratch: Path) -> str:
    """The shipped data: fonts, code lists, screening scripts, directory seed."""
    root = resources_dir()
    needed = [
        root / "fonts" / "DejaVuSans.ttf",
        root / "fonts" / "DejaVuSans-Bold.ttf",
        root / "directory" / "seed.json",
    ]
    missing = [str(path) for path in needed if not path.is_file()]
    scripts = sorted((root / "scripts").glob("*.toml"))
    if not scripts:
        missing.append(str(root / "scripts" / "*.toml"))
    if missing:
        raise CheckFailed(_("missing: %(files)s") % {"files": ", ".join(missing)})
    lists = taxonomy()  # parses and validates every code list
    if lists.get("service_types", "shelter") is None:
        raise CheckFailed(_("the code lists have no service type “shelter”"))
    return _("%(count)d screening scripts and the code lists in %(path)s") % {
        "count": len(scripts),
        "path": root,
    }


def check_encrypted_database(scratch: Path) -> str:
    """A real installation: create, close, reopen with the password, read back, refuse."""
    data_dir = DataDir(scratch / "data")
    result = setup.initialize(
        data_dir,
        setup.SetupRequest(
            org_code="KG-CHECK",
            org_name=ORG_NAME,
            country="KG",
            site_name=SITE_NAME,
            admin_username=ADMIN,
            admin_password=ADMIN_PASSWORD,
        ),
    )
    result.session.close()
    with open(data_dir.database, "rb") as handle:
        if handle.read(16) == SQLITE_PLAIN_HEADER:
            raise CheckFailed(_("the database file was written unencrypted"))

    session = session_service.login(data_dir, ADMIN, ADMIN_PASSWORD)
    try:
        profile = installation_repo.get(session.db)
    finally:
        session.close()
    if profile is None or (profile.org_name, profile.site_name) != (ORG_NAME, SITE_NAME):
        raise CheckFailed(_("the reopened database did not give back what was written"))

    try:
        session_service.login(data_dir, ADMIN, ADMIN_PASSWORD + "x")
    except AuthenticationFailed:
        pass
    else:
        raise CheckFailed(_("a wrong password was accepted"))
    try:
        open_encrypted(data_dir.database, keys.new_database_key()).close()
    except DatabaseUnreadable:
        pass
    else:
        raise CheckFailed(_("a wrong database key was accepted"))
    return _("created, reopened and read back; a wrong password and a wrong key were refused")


def _cmap_codepoints(pdf: bytes) -> set[int]:
    """The characters that the PDF's embedded fonts map (their ToUnicode tables)."""
    found: set[int] = set()
    for match in re.finditer(rb"/Length (\d+)\s*>>\s*stream\r?\n", pdf):
        start = match.end()
        try:
            data = zlib.decompress(pdf[start : start + int(match.group(1))])
        except zlib.error:
            continue
        if b"begincmap" in data:
            found.update(
                int(code, 16) for code in re.findall(rb"<[0-9A-F]{2}> <([0-9A-F]{4})>", data)
            )
    return found


def check_slip(scratch: Path) -> str:
    """A referral slip in Russian, with Cyrillic text drawn in the embedded bundled font."""
    org = Organisation(
        id="self-check",
        version=1,
        name=ORG_NAME,
        city="Бишкек",
        phones=("+996 312 000 000",),
        services=("shelter",),
    )
    pdf = render_slip(
        SlipRequest(org, "shelter", "SC-0001", "Горячая линия", "189", "ru", dt.date.today())
    )
    if not pdf.startswith(b"%PDF-"):
        raise CheckFailed(_("the slip is not a PDF file"))
    embedded = set(re.findall(rb"/BaseFont /[A-Z]{6}\+(DejaVuSans(?:-Bold)?)\b", pdf))
    if embedded != {b"DejaVuSans", b"DejaVuSans-Bold"} or b"/FontFile2" not in pdf:
        raise CheckFailed(_("the slip does not embed the bundled DejaVu Sans font"))
    letters = {ord(ch) for ch in ORG_NAME if "\u0400" <= ch <= "\u04ff"}
    missing = letters - _cmap_codepoints(pdf)
    if missing:
        raise CheckFailed(
            _("the slip's font lacks the letters %(letters)s")
            % {"letters": "".join(sorted(chr(c) for c in missing))}
        )
    (scratch / "slip.pdf").write_bytes(pdf)
    return _("%(size)d bytes, DejaVu Sans embedded, Cyrillic text present") % {"size": len(pdf)}


def check_translations(scratch: Path) -> str:
    """Every compiled catalogue is there; Russian actually translates."""
    missing = [
        str(catalogue_path(lang))
        for lang in TRANSLATED_LANGUAGES
        if not catalogue_path(lang).exists()
    ]
    missing += [
        str(catalogue_path(lang, "qtbase"))
        for lang in OWN_QT_CATALOGUES
        if not catalogue_path(lang, "qtbase").exists()
    ]
    if missing:
        raise CheckFailed(
            _("compiled catalogues missing: %(files)s") % {"files": ", ".join(missing)}
        )
    russian = load_translations("ru")
    if not isinstance(russian, gettext.GNUTranslations):
        raise CheckFailed(_("the Russian catalogue could not be loaded"))
    sample = russian.gettext("Referral slip")
    if sample == "Referral slip":
        raise CheckFailed(_("the Russian catalogue does not translate “Referral slip”"))
    return _("%(count)d languages; ru: “Referral slip” → “%(sample)s”") % {
        "count": len(TRANSLATED_LANGUAGES),
        "sample": sample,
    }


def core_checks() -> list[tuple[str, Check]]:
    return [
        ("resources", check_resources),
        ("encrypted-database", check_encrypted_database),
        ("referral-slip", check_slip),
        ("translations", check_translations),
    ]
