"""Crafting batch files for the rejection suite and the parser fuzz test.

Two kinds of help:

* byte surgery on a finished file (``layout``, ``flip``, ``resign``), for damaged,
  truncated, padded and re-signed files;
* ``craft``: a batch whose content and manifest are whatever the test says, yet validly
  compressed, HPKE-encrypted to the recipient and signed with the sender's real key (taken
  from the sender's own database), for files that pass every check of the container and
  must be refused for what they carry.

It builds manifests the way ``hotline.exchange.exporting.seal_batch`` does, so an unchanged
``craft`` is a batch the recipient accepts.
"""

from __future__ import annotations

import copy
import struct
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotline.exchange import envelope
from hotline.exchange import identity as ident
from hotline.exchange.envelope import Kind
from hotline.exchange.partners import RECIPIENT
from hotline.exchange.records import SCHEMA_VERSION, Privacy
from hotline.model.installation import Installation
from hotline.services.session import Session, utc_now
from hotline.store.repositories import exchange as exchange_repo
from hotline.store.repositories.exchange import Partner

HEAD = struct.Struct(">8sBI")
DELETE = object()  # in ``manifest_changes``: remove the key


@dataclass(frozen=True)
class Sender:
    """What it takes to write batches as one installation: its profile, its private keys
    and the recipient as registered there. Holds no open database."""

    installation: Installation
    identity: ident.Identity
    recipient: Partner

    @classmethod
    def of(cls, session: Session, recipient_id: str) -> Sender:
        partner = exchange_repo.partner(session.db, recipient_id, RECIPIENT)
        assert partner is not None, "the recipient is not registered at the sender"
        return cls(session.installation, ident.load_or_create(session.db, utc_now()), partner)


def content_of(data: bytes, recipient: ident.Identity) -> dict[str, Any]:
    """The decrypted content of a batch file, as its sender's exporter wrote it."""
    sealed = envelope.read(data, Kind.BATCH)
    compressed = envelope.decrypt(sealed, recipient.encryption)
    return envelope.decompress(compressed, sealed.manifest["content_bytes"])


def counts_of(content: dict[str, Any]) -> dict[str, int]:
    contacts = content.get("contacts", [])
    return {
        "contacts": len(contacts),
        "persons": len(content.get("persons", [])),
        "cases": len(content.get("cases", [])),
        "referrals": sum(len(c.get("referrals", [])) for c in contacts),
    }


def manifest_for(
    sender: Sender,
    *,
    privacy: str,
    sequence: int,
    content_bytes: int,
    counts: dict[str, int],
    batch_id: str | None = None,
) -> dict[str, Any]:
    inst = sender.installation
    return {
        "format": "hotline-batch",
        "batch_id": batch_id or str(uuid.uuid4()),
        "sender": {
            "installation_id": inst.id,
            "org_code": inst.org_code,
            "org_name": inst.org_name,
            "site_name": inst.site_name,
            "country": inst.country,
            "fingerprint": sender.identity.fingerprint,
        },
        "recipient": sender.recipient.installation_id,
        "recipient_fingerprint": sender.recipient.fingerprint,
        "sequence": sequence,
        "created_at": utc_now(),
        "schema_version": SCHEMA_VERSION,
        "privacy": privacy,
        "mode": "incremental",
        "since": None,
        "until": None,
        "counts": counts,
        "content_bytes": content_bytes,
    }


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in changes.items():
        if value is DELETE:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def craft(
    sender: Sender,
    content: dict[str, Any] | None = None,
    *,
    sequence: int,
    privacy: str | None = None,
    raw: bytes | None = None,
    compressed: bytes | None = None,
    content_bytes: int | None = None,
    counts: dict[str, int] | None = None,
    manifest_changes: dict[str, Any] | None = None,
    signer: Ed25519PrivateKey | None = None,
    encrypt_to: bytes | None = None,
) -> bytes:
    """A batch file carrying ``content`` (or the bytes ``raw``, or the already compressed
    ``compressed``), encrypted to the recipient (or to ``encrypt_to``) and signed with the
    sender's key (or ``signer``). By default the manifest tells the truth about the content;
    ``counts``, ``content_bytes`` and ``manifest_changes`` make it lie."""
    content = content or {}
    if raw is None:
        raw = envelope.canonical(content)
    if compressed is None:
        compressed = zlib.compress(raw, 6)
    base = manifest_for(
        sender,
        privacy=privacy or str(content.get("privacy", Privacy.PSEUDONYMOUS.value)),
        sequence=sequence,
        content_bytes=len(raw) if content_bytes is None else content_bytes,
        counts=counts_of(content) if counts is None else counts,
    )
    manifest = _merge(base, manifest_changes or {})
    try:
        envelope.hpke_info(manifest)
        bound = manifest
    except (KeyError, TypeError):  # a manifest stripped of what the encryption is bound to
        bound = base
    payload = envelope.encrypt(compressed, encrypt_to or sender.recipient.encryption_key, bound)
    return envelope.seal(Kind.BATCH, manifest, payload, signer or sender.identity.signing)


def edited(content: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``content`` with the value at ``path`` ("contacts.0.caller.name")
    replaced, or removed if ``value`` is DELETE."""
    result = copy.deepcopy(content)
    *parents, last = path.split(".")
    node: Any = result
    for step in parents:
        node = node[int(step)] if isinstance(node, list) else node[step]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is DELETE:
        del node[last]
    else:
        node[last] = value
    return result


# --- byte surgery -----------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where the parts of a container file start and end."""

    manifest_start: int  # == header size
    signature_start: int
    payload_start: int
    end: int

    @property
    def manifest_length(self) -> int:
        return self.signature_start - self.manifest_start


def layout(data: bytes) -> Layout:
    _magic, _version, length = HEAD.unpack_from(data)
    start = HEAD.size
    return Layout(start, start + length, start + length + envelope.SIGNATURE_BYTES, len(data))


def flip(data: bytes, offset: int, bit: int = 0) -> bytes:
    """``data`` with one bit changed."""
    changed = bytearray(data)
    changed[offset] ^= 1 << bit
    return bytes(changed)


def resign(
    data: bytes, signer: Ed25519PrivateKey, manifest: bytes | None = None, kind: Kind = Kind.BATCH
) -> bytes:
    """The file with its manifest bytes replaced by ``manifest`` (if given) and signed anew
    by ``signer``; the payload is kept as it is."""
    parts = layout(data)
    body = data[parts.manifest_start : parts.signature_start] if manifest is None else manifest
    signed = HEAD.pack(kind.value, envelope.FORMAT_VERSION, len(body)) + body
    return signed + signer.sign(signed) + data[parts.payload_start :]


def signature_of(data: bytes) -> bytes:
    parts = layout(data)
    return data[parts.signature_start : parts.payload_start]


def with_signature(data: bytes, signature: bytes) -> bytes:
    parts = layout(data)
    return data[: parts.signature_start] + signature + data[parts.payload_start :]


def without_signature(data: bytes) -> bytes:
    parts = layout(data)
    return data[: parts.signature_start] + data[parts.payload_start :]
