"""The rejection suite: crafted batch files, each refused at the coordinator with its own
message, with no data row changed and one "import rejected" entry in the audit log.

The files are damaged copies of real batches (bit flips, truncation, extra bytes, removed
or swapped signatures), batches for the wrong installation or from the wrong sender, and
batches that are validly signed with the sender's real key and encrypted to the coordinator
but carry content that must not be accepted (tests/unit/batch_crafting.py makes them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import shutil
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from hotline.errors import BatchRejected
from hotline.exchange import envelope, importing, partners, receipts
from hotline.exchange import identity as ident
from hotline.exchange.envelope import Kind
from hotline.exchange.exporting import ExportRequest, export_batch
from hotline.exchange.records import Privacy
from hotline.i18n import load_translations, set_language
from hotline.model.organisation import Organisation
from hotline.paths import DataDir
from hotline.services import cases, directory, referrals
from hotline.services.session import Session
from hotline.store.connection import Database
from tests.unit import batch_crafting as bc
from tests.unit.batch_crafting import DELETE, Sender, craft, edited
from tests.unit.exchange_support import (
    COORDINATOR,
    HOTLINE_A,
    HOTLINE_B,
    record_call,
    sign_in,
)


@dataclass(frozen=True)
class Bench:
    """A network in which HOTLINE_A sent batch 1 (imported at the coordinator) and batch 2
    (not imported), and a batch addressed to HOTLINE_B."""

    root: Path
    real1: bytes
    real2: bytes
    for_b: bytes
    receipt: bytes
    card: bytes
    sender: Sender  # HOTLINE_A writing to the coordinator
    b_encryption_key: bytes
    a_id: str
    pseudonymous: dict[str, Any]  # valid content of a batch 3
    full: dict[str, Any]


@pytest.fixture(scope="module")
def bench(network_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Bench:
    root = tmp_path_factory.mktemp("bench") / "network"
    shutil.copytree(network_template, root)
    outbox = root / "outbox"
    outbox.mkdir()
    coordinator = sign_in(DataDir(root / COORDINATOR), "dana")
    coordinator_id = coordinator.installation.id
    hotline_b = sign_in(DataDir(root / HOTLINE_B), "admin")
    b_card = partners.export_card(hotline_b, root / "b-recipient.hlcard", recipient=True)
    b_id = hotline_b.installation.id
    hotline_b.close()
    admin_a = sign_in(DataDir(root / HOTLINE_A), "admin")
    partners.register(admin_a, b_card, partners.RECIPIENT, b_card.fingerprint)
    admin_a.close()

    a = sign_in(DataDir(root / HOTLINE_A), "bakyt")
    org = directory.save(
        a, Organisation(id=str(uuid.uuid4()), version=0, name="Приют", services=("shelter",))
    )
    first = record_call(a)
    cases.create_case_from_contact(a, first.id)
    referrals.refer(a, first.id, org.id, "shelter", consent=True, reason="нужен приют")
    record_call(a, phone="+996 700 111 222", name="Бакыт")
    real1 = export_batch(a, ExportRequest(coordinator_id, Privacy.PSEUDONYMOUS), outbox)
    record_call(a, phone="+996 700 333 444", name="Асель")
    real2 = export_batch(a, ExportRequest(coordinator_id, Privacy.PSEUDONYMOUS), outbox)
    for_b = export_batch(a, ExportRequest(b_id, Privacy.PSEUDONYMOUS), outbox)
    today = dt.date.today()
    everything = {
        privacy: export_batch(
            a,
            ExportRequest(coordinator_id, privacy, since=today - dt.timedelta(days=1), until=today),
            outbox,
        ).path.read_bytes()
        for privacy in (Privacy.PSEUDONYMOUS, Privacy.FULL)
    }  # batches 3 and 4
    sender = Sender.of(a, coordinator_id)
    a_id = a.installation.id
    a.close()

    imported = importing.import_file(coordinator, real1.path)
    assert imported.status is importing.Status.IMPORTED
    receipt, _name = receipts.receipt_bytes(coordinator, imported.batch_id)
    me = partners.my_identity(coordinator)
    pseudonymous, full = (bc.content_of(everything[p], me) for p in everything)
    coordinator.close()
    for content in (pseudonymous, full):
        # The call with a case and a referral first.
        content["contacts"].sort(key=lambda c: (c["case_id"] is None, c["reference"]))
    assert len(pseudonymous["contacts"]) == 3 and pseudonymous["contacts"][0]["referrals"]
    return Bench(
        root=root,
        real1=real1.path.read_bytes(),
        real2=real2.path.read_bytes(),
        for_b=for_b.path.read_bytes(),
        receipt=receipt,
        card=(root / f"{HOTLINE_A}.hlcard").read_bytes(),
        sender=sender,
        b_encryption_key=b_card.encryption_key,
        a_id=a_id,
        pseudonymous=pseudonymous,
        full=full,
    )


# --- the state that must not change ------------------------------------------------------


def snapshot(db: Database) -> dict[str, tuple[int, str]]:
    """Row count and content digest of every table but the audit log."""
    names = [
        str(row[0])
        for row in db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    result = {}
    for name in names:
        if name == "audit_log":
            continue
        rows = sorted(repr(tuple(row)) for row in db.query(f'SELECT * FROM "{name}"'))  # noqa: S608
        result[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def audit_after(db: Database, seq: int) -> list[str]:
    return [str(row[0]) for row in db.query("SELECT action FROM audit_log WHERE seq > ?", (seq,))]


def last_audit(db: Database) -> int:
    return int(db.scalar("SELECT coalesce(max(seq), 0) FROM audit_log"))


@pytest.fixture(scope="module")
def shared_coordinator(bench: Bench, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """One signed-in copy of the coordinator for the whole suite (signing in is slow). A
    rejection changes nothing, and every test checks that it did not."""
    target = tmp_path_factory.mktemp("coordinator") / COORDINATOR
    shutil.copytree(bench.root / COORDINATOR, target)
    session = sign_in(DataDir(target), "dana")
    yield session
    session.close()


@pytest.fixture
def coordinator(bench: Bench, tmp_path: Path) -> Iterator[Session]:
    """A fresh copy of the coordinator, for tests that import something."""
    target = tmp_path / COORDINATOR
    shutil.copytree(bench.root / COORDINATOR, target)
    session = sign_in(DataDir(target), "dana")
    yield session
    session.close()


# --- the crafted files -------------------------------------------------------------------

SEQ = 5  # not yet used by HOTLINE_A at the coordinator


def _in_manifest(data: bytes, needle: bytes) -> int:
    parts = bc.layout(data)
    found = data.index(needle, parts.manifest_start, parts.signature_start)
    return found


def _length_flip_down(data: bytes) -> bytes:
    """Clear the lowest set bit of the manifest length: the manifest loses its end."""
    length = bc.layout(data).manifest_length
    bit = (length & -length).bit_length() - 1
    assert bit < 8, "the manifest tail cut off must stay within its last plain bytes"
    return bc.flip(data, 12, bit)


def _invalid_utf8_manifest(b: Bench) -> bytes:
    parts = bc.layout(b.real2)
    body = b.real2[parts.manifest_start : parts.signature_start]
    name = b.sender.installation.org_name.encode()
    assert name in body
    body = body.replace(name, name[:-1] + b"\xff", 1)
    return bc.resign(b.real2, b.sender.identity.signing, body)


def _invalid_utf8_content(b: Bench) -> bytes:
    raw = envelope.canonical(b.full)
    marker = b.full["contacts"][0]["summary"].encode()
    assert marker in raw
    raw = raw.replace(marker, b"\xc3\x28" + marker, 1)
    return craft(b.sender, b.full, sequence=SEQ, raw=raw)


def _zip_bomb(b: Bench) -> bytes:
    # 32 MB of JSON whitespace around "{}" is a valid document; it is declared as 2 bytes.
    compressed = zlib.compress(b" " * (32 * 1024 * 1024) + b"{}", 9)
    assert len(compressed) < 64 * 1024
    return craft(b.sender, b.pseudonymous, sequence=SEQ, compressed=compressed, content_bytes=2)


def _aggregate(cell: int, total: int) -> dict[str, Any]:
    return {
        "format": "hotline-batch-content",
        "schema": 1,
        "privacy": "aggregate",
        "aggregates": {
            "k": 11,
            "since": "2026-01-01",
            "until": "2026-01-31",
            "dimensions": {
                "month": {"total": total, "cells": [["2026-01", total]]},
                "call_type": {
                    "total": total,
                    "cells": [["consultation", total - cell], ["information", cell]],
                },
            },
        },
    }


def _ghost(b: Bench) -> Sender:
    """An installation the coordinator has never heard of."""
    identity = ident.Identity(
        Ed25519PrivateKey.generate(), X25519PrivateKey.generate(), secrets.token_bytes(32)
    )
    inst = replace(b.sender.installation, id=str(uuid.uuid4()), org_code="XX-GHOST")
    return Sender(inst, identity, b.sender.recipient)


def _sender_a_active(session: Session, b: Bench, active: bool) -> None:
    partners.set_active(session, b.a_id, partners.SENDER, active)


def _pseudo(path: str, value: Any) -> Callable[[Bench], bytes]:
    return lambda b: craft(b.sender, edited(b.pseudonymous, path, value), sequence=SEQ)


def _full(path: str, value: Any) -> Callable[[Bench], bytes]:
    return lambda b: craft(b.sender, edited(b.full, path, value), sequence=SEQ)


def _manifest(**changes: Any) -> Callable[[Bench], bytes]:
    return lambda b: craft(b.sender, b.pseudonymous, sequence=SEQ, manifest_changes=changes)


def _duplicate(b: Bench) -> bytes:
    content = edited(b.pseudonymous, "contacts.2.id", b.pseudonymous["contacts"][1]["id"])
    return craft(b.sender, content, sequence=SEQ)


def _phone(b: Bench) -> bytes:
    phone = b.full["contacts"][0]["phone"]
    assert phone is not None
    return craft(b.sender, edited(b.pseudonymous, "contacts.0.phone", phone), sequence=SEQ)


@dataclass(frozen=True)
class Case:
    make: Callable[[Bench], bytes]
    message: str  # a distinctive part of the English message
    # Called with False before the import and with True after it: sets the stage, then
    # takes it down (the coordinator is shared by the cases).
    prepare: Callable[[Session, Bench, bool], None] | None = None


def _payload_at(fraction: float) -> Callable[[Bench], bytes]:
    def make(b: Bench) -> bytes:
        parts = bc.layout(b.real2)
        offset = parts.payload_start + int((parts.end - parts.payload_start - 1) * fraction)
        return bc.flip(b.real2, offset, 3)

    return make


def _cut(where: Callable[[bc.Layout], int]) -> Callable[[Bench], bytes]:
    return lambda b: b.real2[: where(bc.layout(b.real2))]


NOT_BATCH = "This file is not a batch of Hotline Desk."
BAD_SIGNATURE = "The signature does not match: the file was changed after it was signed"
CHANGED = "The file's content does not match its manifest: it was changed or damaged."
NO_SIGNATURE = "The file is cut short: its signature is missing."
CUT_CONTENT = "The file is cut short: part of its content is missing."
EXTRA = "The file has extra bytes after its content."
NOT_JSON = "The file's manifest is damaged (not valid JSON)."
TOO_BIG_MANIFEST = "The file's manifest is larger than allowed."
AT = "The batch content is not valid at "
PSEUDO = ": not allowed in a pseudonymous batch."
SIZE = "The content unpacks to a different size than its manifest says."

CASES: dict[str, Case] = {
    # the header
    "magic-bit-flip": Case(lambda b: bc.flip(b.real2, 0, 0), NOT_BATCH),
    "magic-last-byte-flip": Case(lambda b: bc.flip(b.real2, 7, 5), NOT_BATCH),
    "version-bit-flip": Case(
        lambda b: bc.flip(b.real2, 8, 1), "format version 3; this program reads version 1"
    ),
    "length-top-bit-flip": Case(lambda b: bc.flip(b.real2, 9, 7), TOO_BIG_MANIFEST),
    "length-bit-15-flip": Case(lambda b: bc.flip(b.real2, 11, 7), NO_SIGNATURE),
    "length-low-bit-flip": Case(lambda b: _length_flip_down(b.real2), NOT_JSON),
    # the manifest
    "manifest-brace-flip": Case(lambda b: bc.flip(b.real2, bc.HEAD.size, 0), NOT_JSON),
    "manifest-high-bit-flip": Case(
        lambda b: bc.flip(b.real2, _in_manifest(b.real2, b'"format"') + 2, 7),
        "The file's manifest is not valid UTF-8 text.",
    ),
    "manifest-sequence-flip": Case(
        lambda b: bc.flip(b.real2, _in_manifest(b.real2, b'"sequence":2') + 11, 0), BAD_SIGNATURE
    ),
    "manifest-hash-flip": Case(
        lambda b: bc.flip(b.real2, _in_manifest(b.real2, b'"payload_sha256":"') + 20, 0), CHANGED
    ),
    # the signature
    "signature-first-bit-flip": Case(
        lambda b: bc.flip(b.real2, bc.layout(b.real2).signature_start, 0), BAD_SIGNATURE
    ),
    "signature-middle-bit-flip": Case(
        lambda b: bc.flip(b.real2, bc.layout(b.real2).signature_start + 31, 4), BAD_SIGNATURE
    ),
    "signature-last-bit-flip": Case(
        lambda b: bc.flip(b.real2, bc.layout(b.real2).payload_start - 1, 7), BAD_SIGNATURE
    ),
    # the payload
    "payload-first-byte-flip": Case(_payload_at(0.0), CHANGED),
    "payload-quarter-flip": Case(_payload_at(0.25), CHANGED),
    "payload-middle-flip": Case(_payload_at(0.5), CHANGED),
    "payload-last-byte-flip": Case(_payload_at(1.0), CHANGED),
    # truncation and extra bytes
    "empty-file": Case(lambda b: b"", "The file is empty: it is not a batch."),
    "cut-inside-header": Case(lambda b: b.real2[:5], "The file is too short to be a batch."),
    "cut-inside-manifest": Case(_cut(lambda p: p.manifest_start + 20), NO_SIGNATURE),
    "cut-inside-signature": Case(_cut(lambda p: p.signature_start + 30), NO_SIGNATURE),
    "cut-after-signature": Case(_cut(lambda p: p.payload_start), CUT_CONTENT),
    "cut-inside-payload": Case(_cut(lambda p: (p.payload_start + p.end) // 2), CUT_CONTENT),
    "cut-last-byte": Case(_cut(lambda p: p.end - 1), CUT_CONTENT),
    "one-byte-appended": Case(lambda b: b.real2 + b"\n", EXTRA),
    "second-batch-appended": Case(lambda b: b.real2 + b.real1, EXTRA),
    # addressee, sender and signature
    "addressed-to-another-installation": Case(
        lambda b: b.for_b, "This batch is addressed to another installation"
    ),
    "encrypted-to-another-key": Case(
        lambda b: craft(b.sender, b.pseudonymous, sequence=SEQ, encrypt_to=b.b_encryption_key),
        "The content cannot be decrypted with this installation's key",
    ),
    "unknown-sender": Case(
        lambda b: craft(_ghost(b), b.pseudonymous, sequence=1),
        "The batch comes from XX-GHOST, which is not a registered sender here.",
    ),
    "disabled-sender": Case(
        lambda b: b.real2,
        "is disabled here; its batches are not accepted.",
        prepare=_sender_a_active,
    ),
    "stripped-signature": Case(lambda b: bc.without_signature(b.real2), NO_SIGNATURE),
    "swapped-signature": Case(
        lambda b: bc.with_signature(b.real2, bc.signature_of(b.real1)), BAD_SIGNATURE
    ),
    "resigned-with-another-key": Case(
        lambda b: bc.resign(b.real2, Ed25519PrivateKey.generate()), BAD_SIGNATURE
    ),
    "signed-by-sender-claiming-another": Case(
        lambda b: craft(
            _ghost(b),
            b.pseudonymous,
            sequence=SEQ,
            manifest_changes={"sender": {"installation_id": b.a_id}},
        ),
        BAD_SIGNATURE,
    ),
    "stale-sequence": Case(
        lambda b: craft(b.sender, b.pseudonymous, sequence=1),
        "Batch number 1 from KG-SEZIM · Бишкек was already imported as another batch",
    ),
    # the manifest's fields (validly signed)
    "manifest-unknown-privacy": Case(_manifest(privacy="secret"), "at manifest.privacy: unknown"),
    "manifest-without-sequence": Case(_manifest(sequence=DELETE), "at manifest.sequence: missing."),
    "manifest-sequence-as-text": Case(
        _manifest(sequence="3"), "at manifest.sequence: expected a whole number in range."
    ),
    "manifest-sequence-zero": Case(
        _manifest(sequence=0), "at manifest.sequence: expected a whole number in range."
    ),
    "manifest-newer-schema": Case(
        _manifest(schema_version=2), "written with content schema 2; this program reads schema 1"
    ),
    "manifest-bad-batch-id": Case(
        _manifest(batch_id="../../etc/passwd"), "at manifest.batch_id: not in the expected form."
    ),
    "manifest-invalid-utf8": Case(
        _invalid_utf8_manifest, "The file's manifest is not valid UTF-8 text."
    ),
    "counts-not-matching": Case(
        lambda b: craft(b.sender, b.pseudonymous, sequence=SEQ, counts={"contacts": 2}),
        "The batch holds a different number of records than its manifest says.",
    ),
    # the content (validly signed and encrypted)
    "content-bad-call-type": Case(
        _pseudo("contacts.0.call_type", "smuggling"),
        AT + "content.contacts[0].call_type: unknown code.",
    ),
    "content-bad-topic": Case(
        _pseudo("contacts.1.topics", ["WORK", "NOPE"]), AT + "content.contacts[1].topics.1: unknown"
    ),
    "content-missing-field": Case(
        _pseudo("contacts.0.summary", DELETE), AT + "content.contacts[0].summary: missing."
    ),
    "content-missing-contacts": Case(_pseudo("contacts", DELETE), AT + "content.contacts: missing"),
    "content-version-as-text": Case(
        _pseudo("contacts.0.version", "2"),
        AT + "content.contacts[0].version: expected a whole number in range.",
    ),
    "content-caller-not-object": Case(
        _pseudo("contacts.0.caller", "anonymous"),
        AT + "content.contacts[0].caller: expected an object.",
    ),
    "content-flag-as-number": Case(
        _pseudo("contacts.0.minor", 1), AT + "content.contacts[0].minor: expected true or false."
    ),
    "content-date-without-zone": Case(
        _pseudo("contacts.0.started_at", "2026-01-05T10:00:00"),
        AT + "content.contacts[0].started_at: the time zone is missing.",
    ),
    "content-not-an-object": Case(
        lambda b: craft(b.sender, raw=b"[1, 2, 3]", sequence=SEQ), "The content is not valid JSON."
    ),
    "content-not-json": Case(
        lambda b: craft(b.sender, raw=b"{not json", sequence=SEQ), "The content is not valid JSON."
    ),
    "content-not-compressed": Case(
        lambda b: craft(b.sender, compressed=b"plain bytes", content_bytes=11, sequence=SEQ),
        "The content is damaged and cannot be unpacked.",
    ),
    "content-privacy-differs": Case(
        lambda b: craft(
            b.sender,
            edited(b.pseudonymous, "privacy", "full"),
            privacy="pseudonymous",
            sequence=SEQ,
        ),
        AT + "content.privacy: does not match the manifest.",
    ),
    "pseudonymous-with-phone": Case(_phone, AT + "content.contacts[0].phone" + PSEUDO),
    "pseudonymous-with-caller-name": Case(
        _pseudo("contacts.0.caller.name", "Айгүл"), AT + "content.contacts[0].caller.name" + PSEUDO
    ),
    "pseudonymous-with-notes": Case(
        _pseudo("contacts.1.notes", "заметки"), AT + "content.contacts[1].notes" + PSEUDO
    ),
    "pseudonymous-with-person-name": Case(
        _pseudo("persons.0.name", "Айгүл Асанова"), AT + "content.persons[0].name" + PSEUDO
    ),
    "pseudonymous-with-referral-reason": Case(
        _pseudo("contacts.0.referrals.0.reason", "нужен приют"),
        AT + "content.contacts[0].referrals.reason" + PSEUDO,
    ),
    "full-without-share-consent": Case(
        _full("contacts.0.consent.share", None),
        AT + "content.contacts[0].consent.share: the caller did not agree to share.",
    ),
    "case-id-pointing-nowhere": Case(
        _pseudo("contacts.0.case_id", str(uuid.UUID(int=7))),
        AT + "content.contacts[0].case_id: names a case the batch lacks.",
    ),
    "person-id-pointing-nowhere": Case(
        _pseudo("cases.0.person_id", str(uuid.UUID(int=8))),
        AT + "content.cases[0].person_id: names a person the batch lacks.",
    ),
    "duplicate-record-id": Case(
        _duplicate, AT + "content.contacts[2].id: the same record appears twice."
    ),
    "content-null-topic": Case(
        _pseudo("contacts.0.topics", [None]), AT + "content.contacts[0].topics.0: expected a code."
    ),
    "content-unknown-phone-kind": Case(
        _full("contacts.0.phone.kind", "satellite"),
        AT + "content.contacts[0].phone.kind: not in the expected form.",
    ),
    "content-created-at-not-a-moment": Case(
        _pseudo("contacts.0.created_at", "yesterday"),
        AT + "content.contacts[0].created_at: not a date and time.",
    ),
    # oversized fields and sizes
    "summary-of-100-kb": Case(
        _full("contacts.0.summary", "П" * 100_000),
        AT + "content.contacts[0].summary: the text is too long.",
    ),
    "too-many-topics": Case(
        _pseudo("contacts.0.topics", ["WORK"] * 101),
        AT + "content.contacts[0].topics: too many entries.",
    ),
    "too-many-screenings": Case(
        _pseudo("contacts.0.screenings", [{}] * 51),
        AT + "content.contacts[0].screenings: too many entries.",
    ),
    "content-invalid-utf8": Case(_invalid_utf8_content, "The content is not valid UTF-8 text."),
    "zip-bomb-declared-small": Case(_zip_bomb, SIZE),
    "content-larger-than-declared": Case(
        lambda b: craft(b.sender, b.pseudonymous, sequence=SEQ, content_bytes=100), SIZE
    ),
    "declared-above-content-limit": Case(
        lambda b: craft(
            b.sender, b.pseudonymous, sequence=SEQ, content_bytes=envelope.MAX_CONTENT_BYTES + 1
        ),
        "The content would be larger than allowed once unpacked.",
    ),
    "call-ends-before-it-starts": Case(
        _pseudo("contacts.0.ended_at", "2000-01-01T00:00:00+00:00"),
        AT + "content.contacts[0].ended_at: the call ends before it starts.",
    ),
    "referral-listed-twice": Case(
        lambda b: craft(
            b.sender,
            edited(
                b.pseudonymous,
                "contacts.1.referrals",
                b.pseudonymous["contacts"][0]["referrals"],
            ),
            sequence=SEQ,
            counts={"referrals": 2},
        ),
        "the same record appears twice",
    ),
    "aggregate-code-twice": Case(
        lambda b: craft(
            b.sender,
            edited(
                _aggregate(11, 40),
                "aggregates.dimensions.call_type.cells",
                [["consultation", 20], ["consultation", 20]],
            ),
            sequence=SEQ,
            counts={"aggregate_total": 40},
        ),
        AT + "content.aggregates.dimensions.call_type.cells[1]: the same code appears twice.",
    ),
    # aggregates
    "aggregate-cell-under-k": Case(
        lambda b: craft(b.sender, _aggregate(3, 40), sequence=SEQ, counts={"aggregate_total": 40}),
        AT + "content.aggregates.dimensions.call_type.cells[1]: a count under k was not suppressed",
    ),
    "aggregate-total-under-k": Case(
        lambda b: craft(b.sender, _aggregate(0, 5), sequence=SEQ, counts={"aggregate_total": 5}),
        AT + "content.aggregates.dimensions.call_type.total: a count under k was not suppressed",
    ),
    "aggregate-without-period": Case(
        lambda b: craft(
            b.sender,
            edited(_aggregate(11, 40), "aggregates.since", None),
            sequence=SEQ,
            counts={"aggregate_total": 40},
        ),
        AT + "content.aggregates.since: not a date.",
    ),
    # other kinds of file
    "receipt-given-as-batch": Case(lambda b: b.receipt, "This file is a receipt, not a batch."),
    "update-bundle-given-as-batch": Case(
        lambda b: envelope.seal(Kind.BUNDLE, {"format": "x"}, b"", b.sender.identity.signing),
        "This file is an update bundle, not a batch.",
    ),
    "card-given-as-batch": Case(lambda b: b.card, NOT_BATCH),
}


def _ru_translates(english: str) -> bool:
    """Whether the Russian catalogue has a translation for a message template that could
    have produced ``english`` (its placeholders standing for anything)."""
    catalogue = getattr(load_translations("ru"), "_catalog", {})
    for msgid, msgstr in catalogue.items():
        if not isinstance(msgid, str) or not msgstr or msgstr == msgid:
            continue
        if len(re.sub(r"%\(\w+\)[sd]", "", msgid).strip()) < 20:
            continue  # "%(rows)s by %(columns)s" would match any message with " by "
        pattern = re.sub(r"%\\\(\w+\\\)[sd]", ".*", re.escape(msgid))
        if re.fullmatch(pattern, english, flags=re.DOTALL):
            return True
    return False


@pytest.mark.parametrize("name", list(CASES))
def test_a_crafted_file_is_rejected_and_changes_nothing(
    name: str, bench: Bench, shared_coordinator: Session, tmp_path: Path
) -> None:
    case = CASES[name]
    coordinator = shared_coordinator
    path = tmp_path / f"{name}.hlbatch"
    path.write_bytes(case.make(bench))
    if case.prepare is None:
        check_rejected(coordinator, path, case.message)
        return
    case.prepare(coordinator, bench, False)
    try:
        check_rejected(coordinator, path, case.message)
    finally:
        case.prepare(coordinator, bench, True)


def check_rejected(coordinator: Session, path: Path, message: str) -> None:
    db = coordinator.db
    before, seq = snapshot(db), last_audit(db)

    with pytest.raises(BatchRejected) as caught:
        importing.import_file(coordinator, path)

    english = caught.value.message
    assert message in english
    assert snapshot(db) == before
    assert audit_after(db, seq) == ["exchange.import_rejected"]
    reason = db.scalar("SELECT details FROM audit_log WHERE seq = ?", (seq + 1,))
    assert english[:40] in reason

    # The same refusal in another interface language comes through gettext.
    set_language("ru")
    try:
        with pytest.raises(BatchRejected) as again:
            importing.import_file(coordinator, path)
    finally:
        set_language("en")
    russian = again.value.message
    assert isinstance(russian, str) and russian.strip()
    if _ru_translates(english):
        assert russian != english
    assert snapshot(db) == before


def test_the_cases_are_told_apart() -> None:
    assert len(CASES) >= 32
    assert len({c.message for c in CASES.values()}) >= 30


def test_a_replayed_batch_is_already_imported_and_changes_nothing(
    bench: Bench, coordinator: Session, tmp_path: Path
) -> None:
    path = tmp_path / "replay.hlbatch"
    path.write_bytes(bench.real1)
    db = coordinator.db
    before, seq = snapshot(db), last_audit(db)

    result = importing.import_file(coordinator, path)

    assert result.status is importing.Status.ALREADY
    assert result.sequence == 1
    assert snapshot(db) == before
    assert "exchange.import_rejected" not in audit_after(db, seq)


def test_the_untouched_files_are_accepted(
    bench: Bench, coordinator: Session, tmp_path: Path
) -> None:
    """The crafted files are refused for what was done to them, not for how they are made:
    the same helpers without the damage make batches the coordinator imports."""
    path = tmp_path / "crafted.hlbatch"
    path.write_bytes(craft(bench.sender, bench.pseudonymous, sequence=SEQ))
    result = importing.import_file(coordinator, path)
    assert result.status is importing.Status.IMPORTED
    assert result.outcome["added"] >= 1
    path.write_bytes(bench.real2)
    assert importing.import_file(coordinator, path).status is importing.Status.IMPORTED
    path.write_bytes(
        craft(bench.sender, _aggregate(11, 40), sequence=SEQ + 1, counts={"aggregate_total": 40})
    )
    # Two dimensions: a total and two cells, a total and one cell.
    assert importing.import_file(coordinator, path).outcome == {"aggregate_cells": 5}
