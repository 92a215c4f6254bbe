"""Receipts: after an import, the recipient signs what it received; the sender reads the
receipt and its list of sent batches shows what arrived and what was kept aside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import BatchRejected, InvalidInput
from hotline.exchange import envelope
from hotline.exchange.envelope import Kind
from hotline.exchange.importing import missing_sequences
from hotline.exchange.partners import RECIPIENT, SENDER, my_identity
from hotline.exchange.records import Reader
from hotline.fsutil import atomic_write
from hotline.i18n import _
from hotline.roles import Action
from hotline.services.session import Session, utc_now
from hotline.store.repositories import exchange as repo
from hotline.store.repositories.exchange import SentBatch

RECEIPT_SUFFIX = ".hlreceipt"


def receipt_bytes(session: Session, batch_id: str) -> tuple[bytes, str]:
    """A signed receipt for an imported batch, and a file name for it."""
    entry = repo.ledger_entry(session.db, batch_id)
    if entry is None:
        raise InvalidInput(_("No imported batch has this id."))
    sender = repo.partner(session.db, entry.sender_id, SENDER)
    identity = my_identity(session)
    inst = session.installation
    manifest: dict[str, Any] = {
        "format": "hotline-receipt",
        "batch_id": entry.batch_id,
        "batch_sender": entry.sender_id,
        "sequence": entry.sequence,
        "recipient": {
            "installation_id": inst.id,
            "org_code": inst.org_code,
            "fingerprint": identity.fingerprint,
        },
        "received_at": entry.imported_at,
        "outcome": entry.outcome,
        "missing": list(missing_sequences(session.db, entry.sender_id)),
    }
    data = envelope.seal(Kind.RECEIPT, manifest, b"", identity.signing)
    sender_code = sender.org_code if sender else entry.sender_id[:8]
    name = f"{inst.org_code}-receipt-{sender_code}-{entry.sequence:06d}{RECEIPT_SUFFIX}"
    return data, name


def write_receipt(session: Session, batch_id: str, folder: Path) -> Path:
    session.require(Action.IMPORT_BATCHES)
    data, name = receipt_bytes(session, batch_id)
    target = folder / name
    try:
        atomic_write(target, data)
    except OSError as error:
        raise InvalidInput(
            _("The receipt cannot be written to %(folder)s: %(reason)s")
            % {"folder": str(folder), "reason": error.strerror or str(error)}
        ) from error
    audit.record(session.db, session.user.username, AuditAction.RECEIPT_WRITTEN, "batch", batch_id)
    return target


def read_receipt(session: Session, path: Path) -> SentBatch:
    """Check a receipt's signature against the recipient's card and note it on the batch."""
    session.require(Action.EXPORT_BATCHES)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BatchRejected(
            _("The file %(file)s cannot be read: %(reason)s")
            % {"file": path.name, "reason": error.strerror or str(error)}
        ) from error
    sealed = envelope.read(data, Kind.RECEIPT)
    r = Reader(sealed.manifest, "manifest")
    if r.text("format", 40) != "hotline-receipt":
        raise r.error("manifest.format", _("not a receipt"))
    batch_id = r.text("batch_id", 36)
    if r.text("batch_sender", 36) != session.installation.id:
        raise BatchRejected(_("This receipt is for batches of another installation."))
    signer_id = r.obj("recipient").text("installation_id", 36)
    signer = repo.partner(session.db, signer_id, RECIPIENT)
    if signer is None:
        raise BatchRejected(
            _("This receipt comes from an installation that is not a recipient here.")
        )
    envelope.verify(sealed, signer.signing_key)
    batch = repo.sent_batch(session.db, batch_id)
    if batch is None or batch.recipient_id != signer_id:
        raise BatchRejected(_("This receipt is for a batch this installation did not send."))
    outcome = r.obj("outcome")
    received = {
        "received_at": r.text("received_at", 40),
        "outcome": {str(k): outcome.integer(str(k), 0, 10**9) for k in list(outcome.data)[:20]},
        "missing": [int(n) for n in r.items_raw("missing", 10_000)],
    }
    with session.db.transaction():
        repo.set_receipt(session.db, batch_id, utc_now(), received)
        audit.record(session.db, session.user.username, AuditAction.RECEIPT_READ, "batch", batch_id)
    updated = repo.sent_batch(session.db, batch_id)
    assert updated is not None
    return updated
