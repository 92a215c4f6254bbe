"""What "About Hotline Desk" and ``hotline about`` show: versions, this installation's files,
the last backup and the last batch sent and acknowledged.

Who sees what. Nothing here is record content: versions, sizes, counts, dates, paths of the
program's own files, the installation's id and public-key fingerprint (printed on its card
anyway). So every signed-in role sees the program, the installation and the backups (an
operator who sees "no backup for 9 days" can tell the administrator). The exchange part
(which partner got which batch, and when) is shown only to the roles that work with
exchange: those who may export batches or manage partners (supervisor, coordinator,
administrator); for an operator it is ``None``. Reading these figures is never audited and
never asks ``Session.require`` (a refusal would write a "permission denied" entry just for
opening About).

Opening About changes nothing: the exchange identity is read if it exists, never created.

:func:`plain_text` is for "Copy details" and support requests. It holds no personal data:
no call content, no phone numbers, no user names (only the signed-in role), and paths under
the home folder are written with ``~`` (a Windows home folder is named after the person).
The Qt version is added by the interface (the core never imports Qt), with
:func:`with_component`.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import shutil
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

from babel import dates, numbers

import hotline
from hotline.exchange import identity
from hotline.formatting import babel_locale, format_datetime
from hotline.i18n import _, current_language
from hotline.roles import Action, Role, allowed
from hotline.services import backup_schedule
from hotline.services.backup_schedule import Frequency
from hotline.services.session import Session
from hotline.store import migrations
from hotline.store.connection import Database

# A backup older than this, or none at all, is worth a calm warning.
BACKUP_WARN_AFTER = dt.timedelta(days=7)
# Python packages whose versions matter in a support request (distribution names).
PACKAGES = ("reportlab", "babel", "phonenumbers", "cryptography", "sqlcipher3")
DISTRIBUTION = "hotline-desk"


@dataclass(frozen=True)
class BackupStatus:
    last_at: dt.datetime | None  # aware; None: no backup known
    location: Path | None  # the newest backup file, else the folder; None: not recorded
    folder: Path | None  # the scheduled backups' folder
    folder_found: bool
    every: Frequency


@dataclass(frozen=True)
class BatchInfo:
    recipient: str  # the partner's organisation code and site
    sequence: int
    at: dt.datetime  # aware: made (sent) or acknowledged (receipt read)


@dataclass(frozen=True)
class ExchangeStatus:
    recipients: int  # active recipients registered here
    last_sent: BatchInfo | None
    last_acknowledged: BatchInfo | None
    waiting: int  # batches sent whose receipt has not been read


@dataclass(frozen=True)
class Diagnostics:
    app_version: str
    components: tuple[tuple[str, str], ...]  # (name, version): Python, SQLite, SQLCipher, …
    system: str
    role: Role
    org_code: str
    data_dir: Path
    database_bytes: int
    wal_bytes: int
    free_bytes: int | None
    calls: int
    calls_received: int  # of ``calls``, those that came in batches from other installations
    schema_version: int
    schema_current: int
    installation_id: str
    fingerprint: str | None  # None: no exchange identity yet
    backup: BackupStatus
    exchange: ExchangeStatus | None  # None: the role does not work with exchange
    gathered_at: dt.datetime

    def backup_warning(self, now: dt.datetime | None = None) -> bool:
        """No backup known, or the newest is older than a week."""
        last = self.backup.last_at
        return last is None or (now or self.gathered_at) - last > BACKUP_WARN_AFTER

    @property
    def exchange_warning(self) -> bool:
        """Batches go somewhere (a recipient is registered, or batches were sent), but no
        receipt has ever been read. A hotline that exchanges with nobody gets no warning."""
        x = self.exchange
        if x is None or x.last_acknowledged is not None:
            return False
        return x.recipients > 0 or x.last_sent is not None


def with_component(info: Diagnostics, name: str, version: str) -> Diagnostics:
    """``info`` with one more version line (the interface adds Qt and PySide6)."""
    return replace(info, components=(*info.components, (name, version)))


# --- gathering ---------------------------------------------------------------------------


def _aware(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def app_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # a frozen build without package metadata
        return hotline.__version__


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _components(db: Database) -> tuple[tuple[str, str], ...]:
    sqlite = str(db.scalar("SELECT sqlite_version()") or "?")
    row = db.one("PRAGMA cipher_version")
    cipher = str(row[0]) if row is not None and row[0] else "?"
    found = [("Python", platform.python_version()), ("SQLite", sqlite), ("SQLCipher", cipher)]
    found += [(name, _package_version(name)) for name in PACKAGES]
    return tuple(found)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _fingerprint(db: Database) -> str | None:
    """The identity's fingerprint if it exists (``identity.load_or_create`` would make one)."""
    row = db.one("SELECT 1 FROM identity")
    if row is None:
        return None
    return identity.load_or_create(db, "").fingerprint


def _backup_status(session: Session) -> BackupStatus:
    schedule = backup_schedule.get_schedule(session)
    folder = schedule.folder
    found = folder is not None and folder.is_dir()
    newest = (
        backup_schedule.list_backups(folder, session.installation.org_code)[:1]
        if folder is not None and found
        else []
    )
    # Evidence of backups that were written: the schedule notes its own after success; the
    # files in its folder carry their time in their names; a backup to a file chosen by hand
    # (``hotline backup --to``) leaves only its audit entry, without the file's name.
    candidates: list[tuple[dt.datetime, Path | None]] = []
    if schedule.last_at is not None:
        last = schedule.last_at
        last = last.replace(tzinfo=dt.UTC) if last.tzinfo is None else last
        candidates.append((last, newest[0].path if newest else folder))
    if newest:
        candidates.append((newest[0].made_at.astimezone(), newest[0].path))
    row = session.db.one(
        "SELECT at, details FROM audit_log WHERE action = 'backup.created'"
        " ORDER BY seq DESC LIMIT 1"
    )
    if row is not None:
        try:
            kind = json.loads(row[1]).get("kind", "")
        except (ValueError, AttributeError):
            kind = ""
        at = _aware(row[0])
        if at is not None and not kind:
            candidates.append((at, None))
    last_at, location = max(candidates, key=lambda c: c[0]) if candidates else (None, None)
    return BackupStatus(last_at, location, folder, found, schedule.every)


_BATCH = (
    "SELECT b.sequence, b.created_at, b.receipt_at, p.org_code, p.site_name"
    " FROM sent_batches AS b LEFT JOIN partners AS p"
    " ON p.installation_id = b.recipient_id AND p.kind = 'recipient'"
)
_LAST_SENT = _BATCH + " ORDER BY b.created_at DESC, b.sequence DESC LIMIT 1"
_LAST_ACKNOWLEDGED = (
    _BATCH + " WHERE b.receipt_at IS NOT NULL ORDER BY b.receipt_at DESC, b.sequence DESC LIMIT 1"
)


def _batch(db: Database, sql: str, *, acknowledged: bool) -> BatchInfo | None:
    row = db.one(sql)
    if row is None:
        return None
    at = _aware(row[2] if acknowledged else row[1])
    if at is None:
        return None
    label = f"{row[3]} · {row[4]}" if row[3] is not None else "?"
    return BatchInfo(label, int(row[0]), at)


def _exchange_status(db: Database) -> ExchangeStatus:
    recipients = int(
        db.scalar("SELECT count(*) FROM partners WHERE kind = 'recipient' AND active = 1") or 0
    )
    waiting = int(db.scalar("SELECT count(*) FROM sent_batches WHERE receipt_at IS NULL") or 0)
    return ExchangeStatus(
        recipients=recipients,
        last_sent=_batch(db, _LAST_SENT, acknowledged=False),
        last_acknowledged=_batch(db, _LAST_ACKNOWLEDGED, acknowledged=True),
        waiting=waiting,
    )


def sees_exchange(role: Role) -> bool:
    return allowed(role, Action.EXPORT_BATCHES) or allowed(role, Action.MANAGE_PARTNERS)


def gather(session: Session, now: dt.datetime | None = None) -> Diagnostics:
    """Everything About shows, for any signed-in role (see the module's note on rights)."""
    db = session.db
    root = session.data_dir.root
    database = session.data_dir.database
    try:
        free: int | None = shutil.disk_usage(root).free
    except OSError:
        free = None
    role = session.user.role
    return Diagnostics(
        app_version=app_version(),
        components=_components(db),
        system=platform.platform(),
        role=role,
        org_code=session.installation.org_code,
        data_dir=root,
        database_bytes=_size(database),
        wal_bytes=_size(session.data_dir.wal),
        free_bytes=free,
        calls=int(db.scalar("SELECT count(*) FROM contacts") or 0),
        calls_received=int(
            db.scalar("SELECT count(*) FROM contacts WHERE origin_id IS NOT NULL") or 0
        ),
        schema_version=db.user_version,
        schema_current=migrations.current_version(),
        installation_id=session.installation.id,
        fingerprint=_fingerprint(db),
        backup=_backup_status(session),
        exchange=_exchange_status(db) if sees_exchange(role) else None,
        gathered_at=now or dt.datetime.now(dt.UTC),
    )


# --- showing -------------------------------------------------------------------------------


def ago(when: dt.datetime, now: dt.datetime, language: str | None = None) -> str:
    """'3 days ago', 'in 2 hours' (CLDR, in the interface language)."""
    # babel_locale is cached: without an argument it would keep the first language used.
    locale = babel_locale(language or current_language())
    return dates.format_timedelta(when - now, add_direction=True, locale=locale)


def size_text(n: int) -> str:
    """Bytes as people read them: 1.4 MB (decimal units, in the interface language)."""
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            break
        value /= 1000
    pattern = "#,##0" if unit == "B" else "#,##0.0"
    shown = numbers.format_decimal(value, format=pattern, locale=babel_locale(current_language()))
    return f"{shown} {unit}"


def schema_text(info: Diagnostics) -> str:
    major, applied = migrations.decode_version(info.schema_version)
    text = f"{major}.{applied}"
    if info.schema_version != info.schema_current:
        text += " " + _("(this program writes %(version)s)") % {
            "version": "{}.{}".format(*migrations.decode_version(info.schema_current))
        }
    return text


def shown_path(path: Path) -> str:
    """``path`` with the home folder written as ``~`` (it often carries a person's name)."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def when_text(when: dt.datetime | None, now: dt.datetime, *, never: str) -> str:
    if when is None:
        return never
    return f"{format_datetime(when.astimezone(), 'short')} ({ago(when, now)})"


def batch_text(batch: BatchInfo | None, now: dt.datetime, *, never: str) -> str:
    if batch is None:
        return never
    return _("number %(sequence)d to %(recipient)s, %(when)s") % {
        "sequence": batch.sequence,
        "recipient": batch.recipient,
        "when": when_text(batch.at, now, never=never),
    }


def backup_location_text(backup: BackupStatus) -> str:
    if backup.location is not None:
        if backup.folder is not None and backup.location.parent == backup.folder:
            return backup.location.name  # the folder has its own row
        return shown_path(backup.location)
    if backup.last_at is not None:
        return _("a file chosen when the backup was made")
    return _("(none)")


def sections(
    info: Diagnostics, now: dt.datetime | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The headed groups of (label, value) rows that About and ``hotline about`` show."""
    now = now or info.gathered_at
    program = [(_("Hotline Desk"), info.app_version), *info.components]
    program.append((_("Operating system"), info.system))
    database = size_text(info.database_bytes)
    if info.wal_bytes:
        database += " " + _("(+ %(size)s write-ahead log)") % {"size": size_text(info.wal_bytes)}
    installation = [
        (_("Organisation code"), info.org_code),
        (_("Signed in as"), info.role.label),
        (_("Data folder"), shown_path(info.data_dir)),
        (_("Database size"), database),
        (
            _("Free disk space"),
            size_text(info.free_bytes) if info.free_bytes is not None else _("unknown"),
        ),
        (_("Calls stored"), _calls_text(info)),
        (_("Data format"), schema_text(info)),
        (_("Installation ID"), info.installation_id),
        (
            _("Key fingerprint"),
            info.fingerprint or _("not made yet"),
        ),
    ]
    b = info.backup
    never = _("never")
    backups = [
        (_("Last backup"), when_text(b.last_at, now, never=never)),
        (_("Where"), backup_location_text(b)),
        (_("Scheduled backups"), b.every.label),
    ]
    if b.folder is not None:
        folder = shown_path(b.folder)
        if not b.folder_found:
            folder += " " + _("(cannot be found now)")
        backups.append((_("Backup folder"), folder))
    groups = [
        (_("Program"), program),
        (_("This installation"), installation),
        (_("Backups"), backups),
    ]
    x = info.exchange
    not_yet = _("not yet")
    if x is not None:
        groups.append(
            (
                _("Exchange"),
                [
                    (_("Recipients"), str(x.recipients)),
                    (_("Last batch sent"), batch_text(x.last_sent, now, never=not_yet)),
                    (
                        _("Last batch acknowledged"),
                        batch_text(x.last_acknowledged, now, never=not_yet),
                    ),
                    (_("Batches without a receipt"), str(x.waiting)),
                ],
            )
        )
    return groups


def _calls_text(info: Diagnostics) -> str:
    if not info.calls_received:
        return str(info.calls)
    return _("%(calls)d (%(received)d of them received from other installations)") % {
        "calls": info.calls,
        "received": info.calls_received,
    }


def warnings(info: Diagnostics, now: dt.datetime | None = None) -> list[str]:
    """Calm sentences about what needs attention (an old backup, no receipt)."""
    found = []
    if info.backup_warning(now):
        if info.backup.last_at is None:
            found.append(_("No backup of this installation is known yet."))
        else:
            found.append(_("The last backup is more than a week old. Make a backup soon."))
    if info.exchange_warning:
        found.append(
            _(
                "No receipt has been read for the batches sent yet, so it is not known "
                "whether they arrived."
            )
        )
    return found


def plain_text(info: Diagnostics, now: dt.datetime | None = None) -> str:
    """For "Copy details" and support requests: no personal data (see the module's note)."""
    lines: list[str] = []
    for title, rows in sections(info, now):
        lines.append(f"[{title}]")
        lines += [f"{label}: {value}" for label, value in rows]
        lines.append("")
    notes = warnings(info, now)
    if notes:
        lines.append(f"[{_('Needs attention')}]")
        lines += [f"- {note}" for note in notes]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
