"""The outbox and the inbox: folders (a USB stick, a network share, a Syncthing or Nextcloud
folder) where batches are written on a schedule and from which batches are imported.

Settings live in the installation's database (``settings`` table), so every user of the
installation shares them. Changing them is not audited, like the other settings; what is
done with them (each batch written, imported or rejected, each receipt) is.

The outbox
    Every configured recipient gets an incremental batch at the chosen privacy level
    (pseudonymous or full), only when something it has not received yet was saved: no empty
    batches. The schedule is "off", "at close" (when the session ends: quit, sign-out, lock)
    or "every N hours". Receipts the recipients put into the outbox's ``receipts`` folder
    are read back, so a round trip over one synced folder or one USB stick works both ways.

The inbox
    Every ``*.hlbatch`` file addressed to this installation and not yet in the import
    ledger is imported, each file on its own. Files still being written (``*.partial``, or
    changed in the last few seconds) are left for the next scan. After an import, a signed
    receipt is written into the inbox's ``receipts`` folder. A file that is rejected is
    *moved* into the inbox's ``rejected`` folder (never deleted), so it is not tried again at
    every scan; it can be imported from there by hand once the cause is fixed (for example
    after registering its sender's card). Imported files stay where they are: the ledger
    knows them.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from time import time

from hotline import training
from hotline.errors import InvalidInput, KnownError
from hotline.exchange import envelope, exporting, importing, receipts
from hotline.exchange.envelope import Kind
from hotline.exchange.exporting import BATCH_SUFFIX, ExportRequest, ExportResult
from hotline.exchange.importing import ImportResult, Status
from hotline.exchange.partners import RECIPIENT
from hotline.exchange.receipts import RECEIPT_SUFFIX
from hotline.exchange.records import Privacy
from hotline.i18n import _
from hotline.roles import Action, allowed
from hotline.services.session import Session
from hotline.store.repositories import exchange as repo
from hotline.store.repositories import settings
from hotline.store.repositories.exchange import SentBatch

RECEIPTS = "receipts"
REJECTED = "rejected"
PARTIAL_SUFFIX = ".partial"
# A file changed this recently may still be arriving (copied by hand, synced).
SETTLE_SECONDS = 5.0
MAX_HOURS = 24 * 7

_OUTBOX_FOLDER = "exchange.outbox.folder"
_OUTBOX_RECIPIENTS = "exchange.outbox.recipients"
_OUTBOX_PRIVACY = "exchange.outbox.privacy"
_OUTBOX_SCHEDULE = "exchange.outbox.schedule"
_OUTBOX_HOURS = "exchange.outbox.hours"
_OUTBOX_LAST_RUN = "exchange.outbox.last_run"
_INBOX_FOLDER = "exchange.inbox.folder"


class Schedule(StrEnum):
    OFF = "off"
    AT_CLOSE = "at_close"
    HOURS = "hours"


@dataclass(frozen=True)
class OutboxSettings:
    folder: Path | None = None
    recipients: tuple[str, ...] = ()  # installation ids of registered recipients
    privacy: Privacy = Privacy.PSEUDONYMOUS
    schedule: Schedule = Schedule.OFF
    hours: int = 24


def outbox_settings(session: Session) -> OutboxSettings:
    db = session.db
    folder = settings.get(db, _OUTBOX_FOLDER)
    try:
        recipients = tuple(str(r) for r in json.loads(settings.get(db, _OUTBOX_RECIPIENTS) or "[]"))
    except ValueError:
        recipients = ()
    try:
        privacy = Privacy(settings.get(db, _OUTBOX_PRIVACY) or Privacy.PSEUDONYMOUS.value)
        schedule = Schedule(settings.get(db, _OUTBOX_SCHEDULE) or Schedule.OFF.value)
        hours = int(settings.get(db, _OUTBOX_HOURS) or 24)
    except ValueError:
        privacy, schedule, hours = Privacy.PSEUDONYMOUS, Schedule.OFF, 24
    return OutboxSettings(Path(folder) if folder else None, recipients, privacy, schedule, hours)


def save_outbox_settings(session: Session, chosen: OutboxSettings) -> None:
    """Check and keep the outbox settings (people who send batches may change them)."""
    session.require(Action.EXPORT_BATCHES)
    if chosen.privacy is Privacy.AGGREGATE:
        raise _invalid(_("The outbox sends pseudonymous or full batches, not aggregates."))
    if chosen.privacy is Privacy.FULL:
        session.require(Action.EXPORT_IDENTIFYING)
    if not 1 <= chosen.hours <= MAX_HOURS:
        raise _invalid(_("Write the outbox every 1 to %(hours)d hours.") % {"hours": MAX_HOURS})
    if chosen.schedule is not Schedule.OFF:
        if chosen.folder is None:
            raise _invalid(_("Choose the outbox folder before choosing when to write it."))
        if not chosen.recipients:
            raise _invalid(_("Choose at least one recipient for the outbox."))
    if chosen.folder is not None and not chosen.folder.is_dir():
        raise _invalid(_("The folder %(folder)s does not exist.") % {"folder": str(chosen.folder)})
    for recipient in chosen.recipients:
        if repo.partner(session.db, recipient, RECIPIENT) is None:
            raise _invalid(_("One of the chosen recipients is no longer registered."))
    db = session.db
    with db.transaction():
        settings.put(db, _OUTBOX_FOLDER, "" if chosen.folder is None else str(chosen.folder))
        settings.put(db, _OUTBOX_RECIPIENTS, json.dumps(list(chosen.recipients)))
        settings.put(db, _OUTBOX_PRIVACY, chosen.privacy.value)
        settings.put(db, _OUTBOX_SCHEDULE, chosen.schedule.value)
        settings.put(db, _OUTBOX_HOURS, str(chosen.hours))


def inbox_folder(session: Session) -> Path | None:
    folder = settings.get(session.db, _INBOX_FOLDER)
    return Path(folder) if folder else None


def save_inbox_folder(session: Session, folder: Path | None) -> None:
    """Keep the inbox folder (None: no inbox); people who import batches may change it."""
    session.require(Action.IMPORT_BATCHES)
    if folder is not None and not folder.is_dir():
        raise _invalid(_("The folder %(folder)s does not exist.") % {"folder": str(folder)})
    settings.put(session.db, _INBOX_FOLDER, "" if folder is None else str(folder))


def _invalid(message: str) -> KnownError:
    return InvalidInput(message)


# --- the outbox -------------------------------------------------------------------------


def may_use_outbox(session: Session) -> bool:
    """Whether this user's role may write the configured outbox batches."""
    chosen = outbox_settings(session)
    role = session.user.role
    if not allowed(role, Action.EXPORT_BATCHES):
        return False
    return chosen.privacy is not Privacy.FULL or allowed(role, Action.EXPORT_IDENTIFYING)


def last_outbox_run(session: Session) -> dt.datetime | None:
    text = settings.get(session.db, _OUTBOX_LAST_RUN)
    try:
        return None if not text else dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def outbox_due(session: Session, now: dt.datetime, *, closing: bool = False) -> bool:
    """Whether the outbox should be written now: set up, the user's role may send, and
    either the session is closing ("at close") or N hours have passed since the last run
    ("every N hours"). ``now`` is an aware datetime."""
    if training.is_training(session):
        return False  # never sends; export_to_outbox would refuse
    chosen = outbox_settings(session)
    if chosen.folder is None or not chosen.recipients or not may_use_outbox(session):
        return False
    if chosen.schedule is Schedule.AT_CLOSE:
        return closing
    if chosen.schedule is Schedule.HOURS:
        last = last_outbox_run(session)
        return last is None or now - last >= dt.timedelta(hours=chosen.hours)
    return False


def export_to_outbox(session: Session, now: dt.datetime | None = None) -> list[ExportResult]:
    """Write an incremental batch for every configured recipient that has something new.
    Disabled or removed recipients are skipped. Raises a KnownError if the outbox is not set
    up or cannot be written (a USB stick that is not plugged in); batches already written
    stay written."""
    session.require(Action.EXPORT_BATCHES)
    training.refuse(session, _("a batch"))
    chosen = outbox_settings(session)
    if chosen.folder is None:
        raise _invalid(_("No outbox folder is set."))
    if not chosen.folder.is_dir():
        raise _invalid(
            _("The outbox folder %(folder)s cannot be found. Is the drive connected?")
            % {"folder": str(chosen.folder)}
        )
    written: list[ExportResult] = []
    for recipient in chosen.recipients:
        partner = repo.partner(session.db, recipient, RECIPIENT)
        if partner is None or not partner.active:
            continue
        request = ExportRequest(recipient, chosen.privacy)
        try:
            written.append(exporting.export_batch(session, request, chosen.folder, skip_empty=True))
        except exporting.NothingToSend:
            continue
    stamp = now or dt.datetime.now(dt.UTC)
    settings.put(session.db, _OUTBOX_LAST_RUN, stamp.isoformat())
    return written


@dataclass(frozen=True)
class ReceiptOutcome:
    path: Path
    batch: SentBatch | None = None
    error: str | None = None


def read_outbox_receipts(session: Session) -> list[ReceiptOutcome]:
    """Read the receipts in the outbox's ``receipts`` folder that are for batches this
    installation sent and that have no receipt noted yet. Receipts for other installations
    (a folder shared by several offices) are left alone."""
    session.require(Action.EXPORT_BATCHES)
    folder = outbox_settings(session).folder
    if folder is None or not (folder / RECEIPTS).is_dir():
        return []
    outcomes = []
    for path in sorted((folder / RECEIPTS).glob("*" + RECEIPT_SUFFIX)):
        manifest = peek_manifest(path, Kind.RECEIPT)
        if manifest is not None:
            if manifest.get("batch_sender") != session.installation.id:
                continue
            known = repo.sent_batch(session.db, str(manifest.get("batch_id")))
            if known is not None and known.receipt_at is not None:
                continue
        try:
            outcomes.append(ReceiptOutcome(path, batch=receipts.read_receipt(session, path)))
        except KnownError as error:
            outcomes.append(ReceiptOutcome(path, error=str(error)))
    return outcomes


# --- the inbox --------------------------------------------------------------------------


def peek_manifest(path: Path, kind: Kind) -> dict[str, object] | None:
    """The manifest of a container file, read without the rest of the file and without any
    check beyond its form; None if it cannot be read that way."""
    head = struct.Struct(">8sBI")
    try:
        with open(path, "rb") as handle:
            start = handle.read(head.size)
            if len(start) < head.size:
                return None
            magic, _version, length = head.unpack(start)
            if magic != kind.value or length > envelope.MAX_MANIFEST_BYTES:
                return None
            data = json.loads(handle.read(length).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def scan_inbox(session: Session, *, settle_seconds: float = SETTLE_SECONDS) -> list[Path]:
    """Batch files in the inbox to import: addressed to this installation (or unreadable,
    so that the import names the problem), not in the ledger, not still arriving."""
    folder = inbox_folder(session)
    if folder is None or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*" + BATCH_SUFFIX)):
        try:
            if not path.is_file() or time() - path.stat().st_mtime < settle_seconds:
                continue
        except OSError:
            continue
        manifest = peek_manifest(path, Kind.BATCH)
        if manifest is not None:
            if manifest.get("recipient") != session.installation.id:
                continue  # another office's batch in a shared folder
            if repo.ledger_entry(session.db, str(manifest.get("batch_id"))) is not None:
                continue
        found.append(path)
    return found


@dataclass(frozen=True)
class InboxOutcome:
    """What became of one file: imported (``result``) or rejected (``error``, and where the
    file was moved); a receipt path, or why none could be written."""

    path: Path
    result: ImportResult | None = None
    error: str | None = None
    moved_to: Path | None = None
    receipt: Path | None = None
    receipt_error: str | None = None


def import_inbox(session: Session, *, settle_seconds: float = SETTLE_SECONDS) -> list[InboxOutcome]:
    """Import every new batch of the inbox, each on its own (see the module's text)."""
    session.require(Action.IMPORT_BATCHES)
    folder = inbox_folder(session)
    if folder is None:
        return []
    outcomes = []
    for path in scan_inbox(session, settle_seconds=settle_seconds):
        try:
            result = importing.import_file(session, path)
        except KnownError as error:
            outcomes.append(
                InboxOutcome(path, error=str(error), moved_to=_set_aside(path, folder / REJECTED))
            )
            continue
        receipt = receipt_error = None
        if result.status is Status.IMPORTED:
            try:
                (folder / RECEIPTS).mkdir(exist_ok=True)
                receipt = receipts.write_receipt(session, result.batch_id, folder / RECEIPTS)
            except (KnownError, OSError) as error:
                receipt_error = str(error)
        outcomes.append(
            InboxOutcome(path, result=result, receipt=receipt, receipt_error=receipt_error)
        )
    return outcomes


def _set_aside(path: Path, folder: Path) -> Path | None:
    """Move ``path`` into ``folder`` under a free name; None if it cannot be moved."""
    try:
        folder.mkdir(exist_ok=True)
        target = folder / path.name
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{path.stem}-{n}{path.suffix}"
        path.rename(target)
    except OSError:
        return None
    return target
