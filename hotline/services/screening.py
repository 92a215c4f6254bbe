"""Screening during a call: the installed scripts, answering, and keeping every script
version a call was screened with."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import InvalidInput, KnownError
from hotline.i18n import _
from hotline.model.contact import Contact, Screening
from hotline.paths import resources_dir
from hotline.roles import Action
from hotline.screening.engine import Result, evaluate
from hotline.screening.script import LEVELS, Script, ScriptError, load_script_file, parse_script
from hotline.services.session import Session, utc_now
from hotline.store.repositories import screenings as repo


@cache
def builtin_scripts() -> dict[tuple[str, int], Script]:
    """The scripts shipped in resources/scripts (validated; a broken one is a bug)."""
    found: dict[tuple[str, int], Script] = {}
    for path in sorted((resources_dir() / "scripts").glob("*.toml")):
        script = load_script_file(path)
        found[(script.id, script.version)] = script
    return found


@dataclass(frozen=True)
class ScriptInfo:
    id: str
    version: int
    title: str
    builtin: bool
    current: bool  # the version offered for new calls


def available(session: Session | None = None) -> list[ScriptInfo]:
    """Every script version known here; the newest of each id is offered for new calls."""
    versions: dict[tuple[str, int], tuple[Script, bool]] = {
        key: (script, True) for key, script in builtin_scripts().items()
    }
    if session is not None:
        for script_id, version, builtin, _at in repo.installed(session.db):
            if (script_id, version) not in versions:
                versions[(script_id, version)] = (_stored(session, script_id, version), builtin)
    newest: dict[str, int] = {}
    for script_id, version in versions:
        newest[script_id] = max(version, newest.get(script_id, 0))
    return [
        ScriptInfo(sid, ver, script.title.get_text(), builtin, newest[sid] == ver)
        for (sid, ver), (script, builtin) in sorted(versions.items())
    ]


@functools.lru_cache(maxsize=64)
def _parsed(source: str, origin: str) -> Script:
    """A stored script, parsed once per text: reading one takes about 50 ms, and every new
    call lists the questions of every script (a changed script is another text)."""
    return parse_script(source, origin)


def _stored(session: Session, script_id: str, version: int) -> Script:
    source = repo.script_source(session.db, script_id, version)
    if source is None:
        raise KnownError(
            _("The screening script %(id)s version %(version)d is not installed.")
            % {"id": script_id, "version": version}
        )
    return _parsed(source, f"{script_id} v{version}")


def get_script(session: Session | None, script_id: str, version: int | None = None) -> Script:
    """A script by id: the given version (for an old call) or the newest."""
    if version is None:
        candidates = [i for i in available(session) if i.id == script_id and i.current]
        if not candidates:
            raise KnownError(_("There is no screening script %(id)s.") % {"id": script_id})
        version = candidates[0].version
    builtin = builtin_scripts().get((script_id, version))
    if session is not None:
        source = repo.script_source(session.db, script_id, version)
        if source is not None:
            return _parsed(source, f"{script_id} v{version}")
    if builtin is None:
        raise KnownError(
            _("The screening script %(id)s version %(version)d is not installed.")
            % {"id": script_id, "version": version}
        )
    return builtin


def screen(contact: Contact, script: Script, answers: dict[str, Any]) -> tuple[Contact, Result]:
    """Evaluate ``answers`` and put the screening on the (unsaved) contact; the contact's
    risk level becomes the highest of its screenings."""
    result = evaluate(script, answers)
    record = Screening(
        script_id=script.id,
        script_version=script.version,
        answers={k: v for k, v in answers.items() if k in result.answered},
        level=result.level,
        indicators=tuple(i.code for i in result.indicators),
        flags=result.flags,
    )
    others = tuple(s for s in contact.screenings if s.script_id != script.id)
    screenings = (*others, record)
    updated = replace(
        contact,
        screenings=screenings,
        risk_level=highest_level(screenings),
        minor=contact.minor or "minor" in result.flags,
        danger=contact.danger or "danger" in result.flags,
    )
    return updated, result


def highest_level(screenings: tuple[Screening, ...]) -> str | None:
    if not screenings:
        return None
    return max((s.level for s in screenings), key=LEVELS.index)


def keep_scripts_of(session: Session, contact: Contact) -> None:
    """Store the source of every script version the contact was screened with."""
    for item in contact.screenings:
        if repo.script_source(session.db, item.script_id, item.script_version) is not None:
            continue
        script = builtin_scripts().get((item.script_id, item.script_version))
        if script is None:
            raise InvalidInput(
                _("The screening script %(id)s version %(version)d is not installed.")
                % {"id": item.script_id, "version": item.script_version}
            )
        repo.store_script(
            session.db, script.id, script.version, script.source, True, utc_now(),
            session.user.username,
        )  # fmt: skip


def install_script(session: Session, path: Path) -> Script:
    """Load a script file (validated). An existing id+version with other content is refused:
    raise the version instead; older versions stay for the calls screened with them."""
    session.require(Action.MANAGE_SCRIPTS)
    try:
        script = load_script_file(path)
    except ScriptError as error:
        raise KnownError(
            _("The script cannot be used:"), hint="\n".join(error.problems[:30])
        ) from error
    existing = repo.script_source(session.db, script.id, script.version)
    builtin = builtin_scripts().get((script.id, script.version))
    known = existing or (builtin.source if builtin else None)
    if known is not None and known != script.source:
        raise KnownError(
            _("Version %(version)d of %(id)s already exists with other content; raise the version.")
            % {"version": script.version, "id": script.id}
        )
    with session.db.transaction():
        repo.store_script(
            session.db, script.id, script.version, script.source, False, utc_now(),
            session.user.username,
        )  # fmt: skip
        audit.record(
            session.db, session.user.username, AuditAction.RECORD_CREATED, "script",
            script.id, version=script.version,
        )  # fmt: skip
    return script
