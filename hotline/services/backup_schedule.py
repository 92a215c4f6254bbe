"""Scheduled backups to a folder the administrator chose, with rotation; and what to tell
people when the database cannot be opened (the newest backups in that folder).

The schedule lives in the ``settings`` table. The folder is also noted in a small plain file
in the data folder (``backup-folder.json``: a path, nothing from the records), because when
the database is damaged the settings table cannot be read, and that is exactly when the
list of backups is needed.

Backups are written by :func:`hotline.services.maintenance.backup` (encrypted, written under a
temporary name and renamed, audited as "Backup made"). Rotation deletes only files named by
this module for this organisation (``hotline-<org>-<YYYYMMDD-HHMM>.hlbackup``), oldest
first, and only after the new backup is complete; nothing else in the folder is touched.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from hotline.errors import DatabaseUnreadable, InvalidInput, KnownError
from hotline.fsutil import atomic_write
from hotline.i18n import N_, _
from hotline.paths import DataDir
from hotline.roles import Action
from hotline.services.session import Session
from hotline.store.repositories import settings

log = logging.getLogger(__name__)

FOLDER = "backups.folder"
EVERY = "backups.every"
KEEP = "backups.keep"
LAST_AT = "backups.last_at"
DEFAULT_KEEP = 14
MAX_KEEP = 999
FOLDER_NOTE = "backup-folder.json"
SUFFIX = ".hlbackup"
SHOWN_IN_ERRORS = 3


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"

    @property
    def label(self) -> str:
        return _(FREQUENCY_LABELS[self])


FREQUENCY_LABELS = {
    Frequency.DAILY: N_("Every day"),
    Frequency.WEEKLY: N_("Every week"),
    Frequency.OFF: N_("Off"),
}


@dataclass(frozen=True)
class Schedule:
    folder: Path | None
    every: Frequency = Frequency.OFF
    keep: int = DEFAULT_KEEP
    last_at: dt.datetime | None = None


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: dt.datetime  # local time, from the file name
    size: int


@dataclass(frozen=True)
class BackupResult:
    path: Path
    removed: tuple[Path, ...]


# --- settings --------------------------------------------------------------------------


def get_schedule(session: Session) -> Schedule:
    """The schedule as stored (no permission needed: it holds no record content)."""
    db = session.db
    folder = settings.get(db, FOLDER)
    try:
        every = Frequency(settings.get(db, EVERY) or Frequency.OFF)
    except ValueError:
        every = Frequency.OFF
    try:
        keep = int(settings.get(db, KEEP) or DEFAULT_KEEP)
    except ValueError:
        keep = DEFAULT_KEEP
    last = settings.get(db, LAST_AT)
    last_at = None
    if last:
        try:
            last_at = dt.datetime.fromisoformat(last)
        except ValueError:
            last_at = None
    return Schedule(Path(folder) if folder else None, every, max(1, keep), last_at)


def set_schedule(session: Session, folder: Path | None, every: Frequency, keep: int) -> Schedule:
    """Store the schedule; the folder must exist now (it may be unplugged later)."""
    session.require(Action.BACKUP)
    if not 1 <= keep <= MAX_KEEP:
        raise InvalidInput(
            _("Keep between 1 and %(max)d backups.") % {"max": MAX_KEEP},
        )
    if folder is not None:
        folder = folder.expanduser()
        if not folder.is_absolute():
            raise InvalidInput(_("Give the backup folder as a full path."))
        if not folder.is_dir():
            raise InvalidInput(
                _("The folder %(path)s does not exist. Create it or choose another one.")
                % {"path": folder}
            )
    elif every is not Frequency.OFF:
        raise InvalidInput(_("Choose a folder for the backups first."))
    with session.db.transaction():
        settings.put(session.db, FOLDER, str(folder) if folder else "")
        settings.put(session.db, EVERY, every.value)
        settings.put(session.db, KEEP, str(keep))
    note_folder(session.data_dir, folder)
    return get_schedule(session)


def note_folder(data_dir: DataDir, folder: Path | None) -> None:
    """Remember the folder outside the database, for when the database cannot be read."""
    note = data_dir.root / FOLDER_NOTE
    data = json.dumps({"folder": str(folder) if folder else ""}, ensure_ascii=False)
    try:
        atomic_write(note, data.encode("utf-8"))
    except OSError as error:  # only a convenience for the damaged-database message
        log.warning("could not write %s: %s", note, error)


def noted_folder(data_dir: DataDir) -> Path | None:
    try:
        data = json.loads((data_dir.root / FOLDER_NOTE).read_text("utf-8"))
        folder = str(data.get("folder") or "")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(folder) if folder else None


# --- names and listing -----------------------------------------------------------------


def _org_part(org_code: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9-]+", "-", org_code).strip("-")
    return cleaned or "backup"


def _pattern(org: str | None) -> re.Pattern[str]:
    org_re = re.escape(_org_part(org)) if org is not None else r"[A-Za-z0-9-]+?"
    return re.compile(rf"hotline-({org_re})-(\d{{8}}-\d{{4}})(?:-(\d+))?{re.escape(SUFFIX)}")


def backup_name(org_code: str, made_at: dt.datetime, number: int = 1) -> str:
    stamp = made_at.strftime("%Y%m%d-%H%M")
    extra = f"-{number}" if number > 1 else ""
    return f"hotline-{_org_part(org_code)}-{stamp}{extra}{SUFFIX}"


def list_backups(folder: Path, org_code: str | None = None) -> list[BackupFile]:
    """Our backups in ``folder`` (of ``org_code``, or of any organisation), newest first."""
    pattern = _pattern(org_code)
    found: list[tuple[dt.datetime, int, BackupFile]] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = pattern.fullmatch(path.name)
        if match is None:
            continue
        try:
            made_at = dt.datetime.strptime(match.group(2), "%Y%m%d-%H%M")
            if not path.is_file() or path.is_symlink():
                continue
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        number = int(match.group(3) or 1)
        found.append((made_at, number, BackupFile(path, made_at, size)))
    found.sort(key=lambda item: (item[0], item[1], item[2].path.name), reverse=True)
    return [item[2] for item in found]


def rotate(folder: Path, org_code: str, keep: int, *, spare: Path | None = None) -> list[Path]:
    """Delete this organisation's backups beyond the ``keep`` newest; return what went."""
    removed: list[Path] = []
    for old in list_backups(folder, org_code)[max(1, keep) :]:
        if spare is not None and old.path == spare:
            continue
        try:
            old.path.unlink()
        except OSError as error:
            log.warning("could not remove the old backup %s: %s", old.path, error)
            continue
        removed.append(old.path)
    return removed


# --- running ---------------------------------------------------------------------------


def _local(now: dt.datetime) -> dt.datetime:
    return now.astimezone() if now.tzinfo is not None else now


def backup_due(session: Session, now: dt.datetime) -> bool:
    """Is a scheduled backup due? Daily: not yet on this calendar day; weekly: not in the
    last seven days. Never due while the schedule is off or has no folder."""
    schedule = get_schedule(session)
    if schedule.every is Frequency.OFF or schedule.folder is None:
        return False
    if schedule.last_at is None:
        return True
    today = _local(now).date()
    last = _local(schedule.last_at).date()
    days = 1 if schedule.every is Frequency.DAILY else 7
    return (today - last).days >= days


def _folder_missing(folder: Path) -> KnownError:
    return KnownError(
        _("The backup folder %(path)s cannot be found.") % {"path": folder},
        hint=_(
            "If it is on a USB stick or a network drive, connect it and try again. "
            "No backup was made and no old backup was deleted."
        ),
    )


def back_up_now(session: Session, now: dt.datetime, *, kind: str = "now") -> BackupResult:
    """Write a backup into the schedule's folder now, then delete the oldest beyond N."""
    from hotline.services import maintenance

    session.require(Action.BACKUP)
    schedule = get_schedule(session)
    if schedule.folder is None:
        raise KnownError(_("No backup folder is set. Choose one in the backup settings first."))
    folder = schedule.folder
    if not folder.is_dir():
        raise _folder_missing(folder)
    org = session.installation.org_code
    local = _local(now)
    number = 1
    while (folder / backup_name(org, local, number)).exists():
        number += 1
    target = maintenance.backup(session, folder / backup_name(org, local, number), kind=kind)
    settings.put(session.db, LAST_AT, now.astimezone(dt.UTC).isoformat(timespec="seconds"))
    note_folder(session.data_dir, folder)
    return BackupResult(target, tuple(rotate(folder, org, schedule.keep, spare=target)))


def run_scheduled_backup(session: Session, now: dt.datetime) -> BackupResult | None:
    """The scheduled backup if it is due (``None`` if not)."""
    if not backup_due(session, now):
        return None
    return back_up_now(session, now, kind="scheduled")


# --- when the database cannot be opened -----------------------------------------------


def backups_hint(data_dir: DataDir) -> str:
    """A sentence naming the newest backups in the noted folder, or where to look."""
    folder = noted_folder(data_dir)
    if folder is None:
        return _(
            "Restore the installation from a backup: “Restore from a backup…” on the sign-in "
            "screen, or “hotline restore FILE”."
        )
    if not folder.is_dir():
        return _(
            "Restore the installation from a backup. The backup folder %(path)s cannot be "
            "found: if it is on a USB stick or a network drive, connect it."
        ) % {"path": folder}
    newest = list_backups(folder)[:SHOWN_IN_ERRORS]
    if not newest:
        return _(
            "Restore the installation from a backup. There is no backup in %(path)s; look "
            "for one elsewhere."
        ) % {"path": folder}
    names = ", ".join(b.path.name for b in newest)
    return _("Restore the installation from a backup. The newest in %(path)s: %(names)s.") % {
        "path": folder,
        "names": names,
    }


def damaged_error(data_dir: DataDir, detail: str) -> DatabaseUnreadable:
    """The start-up check found damage: say so, and say how to get back to work."""
    return DatabaseUnreadable(
        _(
            "The database %(path)s is damaged (%(detail)s). Hotline Desk will not use it, "
            "and has not changed it."
        )
        % {"path": data_dir.database, "detail": detail},
        hint=backups_hint(data_dir),
    )


def with_backups_hint(data_dir: DataDir, error: DatabaseUnreadable) -> DatabaseUnreadable:
    """``error`` with the newest backups added to its advice."""
    extra = backups_hint(data_dir)
    hint = f"{error.hint} {extra}" if error.hint else extra
    return DatabaseUnreadable(error.message, hint=hint)
