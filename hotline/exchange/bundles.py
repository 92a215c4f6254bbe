"""Update bundles: the coordinator signs screening scripts and referral directory entries;
its hotlines install them. Described in docs/update-bundles.md.

A bundle is the one-file container of :mod:`hotline.exchange.envelope` (kind ``BUNDLE``):
a signed manifest and a zlib-compressed JSON payload in clear (scripts and directory
entries are not secret; the signature covers the payload through its SHA-256). Every
bundle of a publisher has a number one above its previous one.

A hotline installs a bundle only if it is signed by a *recipient* partner (the coordinator
whose card is registered here, the one this installation sends its batches to), only if its
number is above the last one installed from that coordinator, and only once every script
and entry in it has been validated; then all of it is applied in one transaction.

Taxonomies are not carried: their labels reach people through the translated catalogues,
which only a program release brings (see the documentation).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from hotline import audit, training
from hotline.audit import AuditAction
from hotline.errors import BatchRejected, InvalidInput
from hotline.exchange import envelope
from hotline.exchange.envelope import Kind, Sealed
from hotline.exchange.partners import RECIPIENT, my_identity
from hotline.exchange.records import SHA256_FORM, UUID_FORM, Reader
from hotline.fsutil import durable_replace
from hotline.i18n import _
from hotline.model.organisation import Organisation
from hotline.roles import Action, allowed
from hotline.screening.script import Script, ScriptError, parse_script
from hotline.services import directory, screening
from hotline.services.session import Session, utc_now
from hotline.store.connection import Database
from hotline.store.repositories import exchange as exchange_repo
from hotline.store.repositories import organisations as org_repo
from hotline.store.repositories import screenings as scripts_repo
from hotline.store.repositories.exchange import Partner

MANIFEST_FORMAT = "hotline-update"
CONTENT_FORMAT = "hotline-update-content"
SCHEMA_VERSION = 1
BUNDLE_SUFFIX = ".hlupdate"
MAX_SCRIPTS = 100
MAX_SCRIPT_CHARS = 1_000_000
MAX_ORGANISATIONS = 20_000

_SCRIPT_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")

# Directory entry fields carried in a bundle: (name, kind, limit). Lists: (count, length).
_TEXT_FIELDS = (
    ("name", 300), ("type", 80), ("region", 300), ("city", 300), ("address", 1000),
    ("email", 300), ("hours", 500), ("cost", 500), ("notes", 20_000), ("source", 2000),
    ("verified_by", 300),
)  # fmt: skip
_LIST_FIELDS = (
    ("other_names", 50, 300), ("services", 100, 80), ("phones", 20, 60),
    ("languages", 30, 20), ("target_groups", 50, 80),
)  # fmt: skip
_ORG_FIELDS = frozenset(
    {"id", "seed_key", "country", "verified_on", "historical", "active"}
    | {name for name, _limit in _TEXT_FIELDS}
    | {name for name, _count, _limit in _LIST_FIELDS}
)


class _Reader(Reader):
    """The strict reader of the batch records, with messages that name an update bundle."""

    @staticmethod
    def error(where: str, problem: str) -> BatchRejected:
        return BatchRejected(
            _("The update bundle is not valid at %(place)s: %(problem)s.")
            % {"place": where, "problem": problem}
        )

    def obj(self, key: str) -> _Reader:
        return _Reader(self._get(key), f"{self.where}.{key}")

    def entries(self, key: str, limit: int) -> list[_Reader]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self.error(f"{self.where}.{key}", _("expected a list"))
        if len(value) > limit:
            raise self.error(f"{self.where}.{key}", _("too many entries"))
        return [_Reader(item, f"{self.where}.{key}[{i}]") for i, item in enumerate(value)]

    def texts(self, key: str, count: int, limit: int) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self.error(f"{self.where}.{key}", _("expected a list"))
        if len(value) > count:
            raise self.error(f"{self.where}.{key}", _("too many entries"))
        if not all(isinstance(v, str) for v in value):
            raise self.error(f"{self.where}.{key}", _("expected text"))
        if any(len(v) > limit for v in value):
            raise self.error(f"{self.where}.{key}", _("the text is too long"))
        return tuple(value)


# --- the bundle as read ---------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    publisher_id: str
    publisher_code: str
    publisher_fingerprint: str
    number: int
    created_at: str
    counts: dict[str, int]
    content_bytes: int
    payload_sha256: str


@dataclass(frozen=True)
class Content:
    scripts: tuple[Script, ...]
    organisations: tuple[Organisation, ...]  # validated; version 0 (the local one is used)


class State(StrEnum):
    NEW = "new"  # may be installed here
    INSTALLED = "installed"  # this very bundle is installed here
    OLDER = "older"  # a bundle with this number or a later one is installed here
    OWN = "own"  # signed by this installation


@dataclass(frozen=True)
class BundleInfo:
    """What a verified bundle holds, to show before installing it."""

    manifest: Manifest
    publisher: str  # "CODE · site" of the partner, or of this installation
    fingerprint: str
    content: Content
    state: State
    last_installed: int | None  # the last number installed here from this publisher

    @property
    def number(self) -> int:
        return self.manifest.number

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.manifest.counts)


class Status(StrEnum):
    INSTALLED = "installed"
    ALREADY = "already_installed"


@dataclass(frozen=True)
class InstallResult:
    status: Status
    bundle_id: str
    number: int
    publisher: Partner
    outcome: dict[str, int]


def read_manifest(data: dict[str, Any]) -> Manifest:
    r = _Reader(data, "manifest")
    if r.text("format", 40) != MANIFEST_FORMAT:
        raise r.error("manifest.format", _("not an update bundle"))
    schema = r.integer("schema_version", 0, 1000)
    if schema != SCHEMA_VERSION:
        raise BatchRejected(
            _(
                "The update bundle was written with content schema %(found)d; this program reads "
                "schema %(ours)d. Update Hotline Desk."
            )
            % {"found": schema, "ours": SCHEMA_VERSION}
        )
    publisher = r.obj("publisher")
    counts = r.obj("counts")
    return Manifest(
        bundle_id=r.text("bundle_id", 36, pattern=UUID_FORM),
        publisher_id=publisher.text("installation_id", 36, pattern=UUID_FORM),
        publisher_code=publisher.text("org_code", 40),
        publisher_fingerprint=publisher.text("fingerprint", 40),
        number=r.integer("number", 1, 10**9),
        created_at=str(r.moment("created_at")),
        counts={
            "scripts": counts.integer("scripts", 0, MAX_SCRIPTS),
            "organisations": counts.integer("organisations", 0, MAX_ORGANISATIONS),
        },
        content_bytes=r.integer("content_bytes", 0, envelope.MAX_CONTENT_BYTES),
        payload_sha256=r.text("payload_sha256", 64, pattern=SHA256_FORM),
    )


def _read_script(r: _Reader) -> Script:
    script_id = r.text("id", 80, pattern=_SCRIPT_ID)
    version = r.integer("version", 1, 10**6)
    source = r.text("source", MAX_SCRIPT_CHARS)
    try:
        script = parse_script(source, f"{script_id} v{version}")
    except ScriptError as error:
        raise BatchRejected(
            _("The screening script %(id)s version %(version)d in the bundle cannot be used:")
            % {"id": script_id, "version": version},
            hint="\n".join(error.problems[:30]),
        ) from error
    if script.id != script_id or script.version != version:
        raise r.error(r.where, _("the script's id or version differs from its source"))
    return script


def _read_organisation(r: _Reader, home_country: str) -> Organisation:
    unexpected = sorted(set(r.data) - _ORG_FIELDS)
    if unexpected:
        raise r.error(f"{r.where}.{unexpected[0]}", _("unexpected field"))
    values: dict[str, Any] = {name: r.text(name, limit) for name, limit in _TEXT_FIELDS}
    values.update({name: r.texts(name, count, limit) for name, count, limit in _LIST_FIELDS})
    org = Organisation(
        id=r.uuid("id"),
        version=0,
        seed_key=r.optional_text("seed_key", 80),
        country=r.country("country"),
        verified_on=r.day("verified_on"),
        historical=r.flag("historical"),
        active=r.flag("active"),
        **values,
    )
    try:
        return directory.validate(org, home_country)
    except InvalidInput as error:
        raise r.error(r.where, error.message.rstrip(".")) from error


def read_content(data: dict[str, Any], manifest: Manifest, home_country: str) -> Content:
    r = _Reader(data, "content")
    if r.text("format", 40) != CONTENT_FORMAT:
        raise r.error("content.format", _("not an update bundle"))
    if r.integer("schema", 0, 1000) != SCHEMA_VERSION:
        raise r.error("content.schema", _("not in the expected form"))
    scripts = tuple(_read_script(item) for item in r.entries("scripts", MAX_SCRIPTS))
    organisations = tuple(
        _read_organisation(item, home_country)
        for item in r.entries("organisations", MAX_ORGANISATIONS)
    )
    if len({(s.id, s.version) for s in scripts}) != len(scripts):
        raise r.error("content.scripts", _("a script version appears twice"))
    if len({o.id for o in organisations}) != len(organisations):
        raise r.error("content.organisations", _("an entry appears twice"))
    keys = [o.seed_key for o in organisations if o.seed_key]
    if len(set(keys)) != len(keys):
        raise r.error("content.organisations", _("an entry appears twice"))
    if manifest.counts != {"scripts": len(scripts), "organisations": len(organisations)}:
        raise BatchRejected(
            _("The update bundle holds a different number of items than its manifest says.")
        )
    return Content(scripts, organisations)


def _signer(session: Session, sealed: Sealed, manifest: Manifest) -> Partner | None:
    """The registered coordinator that signed the bundle (None: this installation did);
    refuses any other signer, and a signature that does not match."""
    if manifest.publisher_id == session.installation.id:
        envelope.verify(sealed, my_identity(session).signing_public)
        return None
    partner = exchange_repo.partner(session.db, manifest.publisher_id, RECIPIENT)
    if partner is None:
        raise BatchRejected(
            _(
                "This update bundle was signed by %(publisher)s, which is not this installation's "
                "coordinator. Only bundles signed by the coordinator whose card is registered "
                "here are installed; nothing was changed."
            )
            % {"publisher": manifest.publisher_code}
        )
    if not partner.active:
        raise BatchRejected(
            _("The coordinator %(name)s is disabled here; its update bundles are not installed.")
            % {"name": partner.label}
        )
    envelope.verify(sealed, partner.signing_key)
    if manifest.publisher_fingerprint != partner.fingerprint:
        raise BatchRejected(
            _(
                "The update bundle names a key %(found)s that is not the registered key of "
                "%(name)s; nothing was changed."
            )
            % {"found": manifest.publisher_fingerprint[:14], "name": partner.label}
        )
    return partner


def _open(session: Session, data: bytes) -> tuple[Manifest, Partner | None, Sealed]:
    sealed = envelope.read(data, Kind.BUNDLE)
    manifest = read_manifest(sealed.manifest)
    return manifest, _signer(session, sealed, manifest), sealed


def _content(session: Session, sealed: Sealed, manifest: Manifest) -> Content:
    raw = envelope.decompress(sealed.payload, manifest.content_bytes)
    return read_content(raw, manifest, session.installation.country)


# --- the bundle tables ----------------------------------------------------------------------


def _next_number(db: Database) -> int:
    value = db.scalar("SELECT max(number) FROM published_bundles")
    return 1 if value is None else int(value) + 1


def _last_installed(db: Database, publisher_id: str) -> int | None:
    value = db.scalar(
        "SELECT max(number) FROM installed_bundles WHERE publisher_id = ?", (publisher_id,)
    )
    return None if value is None else int(value)


def _installed_outcome(db: Database, bundle_id: str) -> dict[str, int] | None:
    value = db.scalar("SELECT outcome FROM installed_bundles WHERE bundle_id = ?", (bundle_id,))
    return None if value is None else dict(json.loads(value))


@dataclass(frozen=True)
class InstalledBundle:
    bundle_id: str
    publisher_id: str
    number: int
    bundle_created: str
    installed_at: str
    installed_by: str
    outcome: dict[str, int]


def installed_bundles(session: Session) -> list[InstalledBundle]:
    rows = session.db.query(
        "SELECT bundle_id, publisher_id, number, bundle_created, installed_at, installed_by,"
        " outcome FROM installed_bundles ORDER BY installed_at DESC, number DESC"
    )
    return [
        InstalledBundle(r[0], r[1], int(r[2]), r[3], r[4], r[5], json.loads(r[6])) for r in rows
    ]


# --- publishing -----------------------------------------------------------------------------


def _script_record(script: Script) -> dict[str, Any]:
    return {"id": script.id, "version": script.version, "source": script.source}


def _organisation_record(org: Organisation) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": org.id,
        "seed_key": org.seed_key,
        "country": org.country,
        "verified_on": org.verified_on,
        "historical": org.historical,
        "active": org.active,
    }
    record.update({name: getattr(org, name) for name, _limit in _TEXT_FIELDS})
    record.update({name: list(getattr(org, name)) for name, _c, _l in _LIST_FIELDS})
    return record


def suggested_name(session: Session) -> str:
    """A file name for the next bundle, e.g. KG-COORD-update-0003.hlupdate."""
    number = _next_number(session.db)
    return f"{session.installation.org_code}-update-{number:04d}{BUNDLE_SUFFIX}"


def publish(
    session: Session,
    path: Path,
    script_ids: tuple[str, ...] = (),
    organisation_ids: tuple[str, ...] = (),
    *,
    all_directory: bool = False,
) -> Path:
    """Sign a bundle with the newest version of each script named and the directory entries
    named (or all of them, inactive ones included so that a closing reaches the hotlines).
    The file appears at ``path`` only once it is complete and the bundle is recorded."""
    session.require(Action.PUBLISH_UPDATES)
    training.refuse(session, _("an update bundle"))
    if not path.parent.is_dir():
        raise InvalidInput(
            _("The folder %(folder)s does not exist.") % {"folder": str(path.parent)}
        )
    scripts = [screening.get_script(session, sid) for sid in dict.fromkeys(script_ids)]
    directory.ensure_seeded(session)
    if all_directory:
        organisations = org_repo.search(
            session.db,
            org_repo.DirectoryQuery(include_inactive=True, limit=MAX_ORGANISATIONS),
        )
    else:
        organisations = [directory.get(session, oid) for oid in dict.fromkeys(organisation_ids)]
    if not scripts and not organisations:
        raise InvalidInput(
            _("An update bundle needs at least one screening script or directory entry.")
        )
    if len(scripts) > MAX_SCRIPTS or len(organisations) > MAX_ORGANISATIONS:
        raise InvalidInput(_("An update bundle cannot hold that many items."))
    identity = my_identity(session)
    inst = session.installation
    db = session.db
    content = {
        "format": CONTENT_FORMAT,
        "schema": SCHEMA_VERSION,
        "scripts": [_script_record(s) for s in scripts],
        "organisations": [_organisation_record(o) for o in organisations],
    }
    compressed, content_bytes = envelope.compress(content)
    counts = {"scripts": len(scripts), "organisations": len(organisations)}
    partial = path.with_name(path.name + ".partial")
    with db.transaction():
        number = _next_number(db)
        bundle_id = str(uuid.uuid4())
        manifest: dict[str, Any] = {
            "format": MANIFEST_FORMAT,
            "schema_version": SCHEMA_VERSION,
            "bundle_id": bundle_id,
            "publisher": {
                "installation_id": inst.id,
                "org_code": inst.org_code,
                "fingerprint": identity.fingerprint,
            },
            "number": number,
            "created_at": utc_now(),
            "content_bytes": content_bytes,
            "counts": counts,
        }
        data = envelope.seal(Kind.BUNDLE, manifest, compressed, identity.signing)
        try:
            with open(partial, "wb") as handle:
                handle.write(data)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise InvalidInput(
                _("The update bundle cannot be written to %(path)s: %(reason)s")
                % {"path": str(path), "reason": error.strerror or str(error)}
            ) from error
        try:
            db.execute(
                "INSERT INTO published_bundles (bundle_id, number, created_at, created_by,"
                " counts, payload_sha256) VALUES (?, ?, ?, ?, ?, ?)",
                (bundle_id, number, manifest["created_at"], session.user.username,
                 json.dumps(counts, sort_keys=True), hashlib.sha256(compressed).hexdigest()),
            )  # fmt: skip
            audit.record(
                db,
                session.user.username,
                AuditAction.UPDATE_PUBLISHED,
                "bundle",
                bundle_id,
                count=len(scripts) + len(organisations),
                sequence=number,
                fingerprint=identity.fingerprint,
            )
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    durable_replace(partial, path)
    return path


# --- inspecting and installing --------------------------------------------------------------


def _state(session: Session, manifest: Manifest, signer: Partner | None) -> State:
    if signer is None:
        return State.OWN
    if _installed_outcome(session.db, manifest.bundle_id) is not None:
        return State.INSTALLED
    last = _last_installed(session.db, manifest.publisher_id)
    return State.OLDER if last is not None and manifest.number <= last else State.NEW


def inspect(session: Session, path: Path) -> BundleInfo:
    """Verify a bundle (its form, its signer, its signature, all its content) and say what
    it holds; nothing is written."""
    if not allowed(session.user.role, Action.PUBLISH_UPDATES):
        session.require(Action.INSTALL_UPDATES)
    manifest, signer, sealed = _open(session, envelope.read_file(path, Kind.BUNDLE))
    content = _content(session, sealed, manifest)
    if signer is None:
        label = f"{session.installation.org_code} · {session.installation.site_name}"
        fingerprint = my_identity(session).fingerprint
    else:
        label, fingerprint = signer.label, signer.fingerprint
    return BundleInfo(
        manifest=manifest,
        publisher=label,
        fingerprint=fingerprint,
        content=content,
        state=_state(session, manifest, signer),
        last_installed=_last_installed(session.db, manifest.publisher_id),
    )


def _known_source(session: Session, script: Script) -> str | None:
    """The source already known here for this script id and version (stored or shipped)."""
    stored = scripts_repo.script_source(session.db, script.id, script.version)
    if stored is not None:
        return stored
    builtin = screening.builtin_scripts().get((script.id, script.version))
    return None if builtin is None else builtin.source


def _local_entry(db: Database, org: Organisation) -> Organisation | None:
    """The entry here that ``org`` updates: the same seed entry (seed entries have an id of
    their own in every installation), else the same id."""
    if org.seed_key:
        row = db.scalar("SELECT id FROM organisations WHERE seed_key = ?", (org.seed_key,))
        if row is not None:
            return org_repo.get(db, str(row))
    return org_repo.get(db, org.id)


def install(session: Session, path: Path) -> InstallResult:
    """Install a bundle signed by this installation's coordinator: every script version it
    holds (a new version is added; older ones stay for the calls screened with them) and
    every directory entry (added, or changed to the coordinator's version). All or nothing."""
    session.require(Action.INSTALL_UPDATES)
    try:
        return _install(session, path)
    except BatchRejected as error:
        audit.record(
            session.db,
            session.user.username,
            AuditAction.UPDATE_REJECTED,
            "bundle",
            None,
            reason=error.message[: audit.MAX_DETAIL_LENGTH],
        )
        raise


def _install(session: Session, path: Path) -> InstallResult:
    data = envelope.read_file(path, Kind.BUNDLE)
    manifest, signer, sealed = _open(session, data)
    if signer is None:
        raise BatchRejected(
            _(
                "This update bundle was signed by this installation; it is meant for the "
                "hotlines, not to be installed here."
            )
        )
    db = session.db
    done = _installed_outcome(db, manifest.bundle_id)
    if done is not None:
        return InstallResult(Status.ALREADY, manifest.bundle_id, manifest.number, signer, done)
    last = _last_installed(db, signer.installation_id)
    if last is not None and manifest.number <= last:
        raise BatchRejected(
            _(
                "This update bundle (number %(number)d from %(publisher)s) is older than the one "
                "installed here (number %(last)d); nothing was changed."
            )
            % {"number": manifest.number, "publisher": signer.label, "last": last}
        )
    content = _content(session, sealed, manifest)
    scripts_new: list[Script] = []
    for script in content.scripts:
        known = _known_source(session, script)
        if known is None:
            scripts_new.append(script)
        elif known != script.source:
            raise BatchRejected(
                _(
                    "Version %(version)d of the screening script %(id)s already exists here with "
                    "other content; the coordinator must raise its version. Nothing was changed."
                )
                % {"version": script.version, "id": script.id}
            )
    directory.ensure_seeded(session)
    stamp = utc_now()
    user = session.user.username
    outcome = {
        "scripts_added": len(scripts_new),
        "scripts_unchanged": len(content.scripts) - len(scripts_new),
        "organisations_added": 0,
        "organisations_updated": 0,
        "organisations_unchanged": 0,
    }
    with db.transaction():
        for script in scripts_new:
            scripts_repo.store_script(db, script.id, script.version, script.source, False,
                                      stamp, user)  # fmt: skip
            audit.record(
                db, user, AuditAction.RECORD_CREATED, "script", script.id, version=script.version
            )
        for incoming in content.organisations:
            local = _local_entry(db, incoming)
            if local is None:
                directory.save(session, incoming)
                outcome["organisations_added"] += 1
                continue
            wanted = replace(incoming, id=local.id, version=local.version)
            if wanted == local:
                outcome["organisations_unchanged"] += 1
                continue
            directory.save(session, wanted)
            outcome["organisations_updated"] += 1
        db.execute(
            "INSERT INTO installed_bundles (bundle_id, publisher_id, number, bundle_created,"
            " installed_at, installed_by, payload_sha256, outcome)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (manifest.bundle_id, signer.installation_id, manifest.number, manifest.created_at,
             stamp, user, manifest.payload_sha256, json.dumps(outcome, sort_keys=True)),
        )  # fmt: skip
        audit.record(
            db,
            user,
            AuditAction.UPDATE_INSTALLED,
            "bundle",
            manifest.bundle_id,
            count=len(content.scripts) + len(content.organisations),
            sequence=manifest.number,
            sender=signer.org_code,
            fingerprint=signer.fingerprint,
        )
    return InstallResult(Status.INSTALLED, manifest.bundle_id, manifest.number, signer, outcome)
