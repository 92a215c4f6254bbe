"""The one-file container of batches, receipts and update bundles (docs/batch-format.md).

    magic (8 bytes) | format version (1 byte) | manifest length (4 bytes, big-endian)
    | manifest (UTF-8 JSON) | Ed25519 signature (64 bytes) | payload

The signature covers everything before it; the manifest names the payload's length and
SHA-256, so the signature covers the payload too. A batch's payload is HPKE-sealed
(RFC 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM) to the recipient's key,
over zlib-compressed JSON; a bundle's payload is compressed JSON in clear (directory
entries and scripts are not secret); a receipt has none.

Reading is strict and in order: size limits, magic, version, manifest, signature, payload
hash, and only then decryption and decompression, which is capped at the size the signed
manifest declares.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from hotline.errors import BatchRejected
from hotline.i18n import _

FORMAT_VERSION = 1
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024
MAX_CONTENT_BYTES = 256 * 1024 * 1024  # decompressed payload
SIGNATURE_BYTES = 64
_HEAD = struct.Struct(">8sBI")
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


class Kind(Enum):
    BATCH = b"HLDBATCH"
    RECEIPT = b"HLDRCPT1"
    BUNDLE = b"HLDUPDT1"


def _names() -> dict[Kind, str]:
    return {
        Kind.BATCH: _("a batch"),
        Kind.RECEIPT: _("a receipt"),
        Kind.BUNDLE: _("an update bundle"),
    }


@dataclass(frozen=True)
class Sealed:
    """A container read and checked as far as it can be without knowing the signer."""

    kind: Kind
    manifest: dict[str, Any]
    signed: bytes  # the bytes the signature covers
    signature: bytes
    payload: bytes


def canonical(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compress(content: dict[str, Any]) -> tuple[bytes, int]:
    raw = canonical(content)
    return zlib.compress(raw, 6), len(raw)


def hpke_info(manifest: dict[str, Any]) -> bytes:
    """What the encryption is bound to: the batch, its sender and its recipient."""
    return "hotline-batch-v1|{}|{}|{}".format(
        manifest["batch_id"], manifest["sender"]["installation_id"], manifest["recipient"]
    ).encode()


def seal(kind: Kind, manifest: dict[str, Any], payload: bytes, signer: Ed25519PrivateKey) -> bytes:
    manifest = {**manifest, "payload_bytes": len(payload)}
    manifest["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    body = canonical(manifest)
    signed = _HEAD.pack(kind.value, FORMAT_VERSION, len(body)) + body
    return signed + signer.sign(signed) + payload


def encrypt(compressed: bytes, recipient_key: bytes, manifest: dict[str, Any]) -> bytes:
    public = X25519PublicKey.from_public_bytes(recipient_key)
    return _SUITE.encrypt(compressed, public, info=hpke_info(manifest))


def read_file(path: Path, expected: Kind) -> bytes:
    """The bytes of a file to be read as ``expected``; too large or unreadable: rejected."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise reject(_("The file is too large to be %(what)s.") % {"what": _names()[expected]})
        return path.read_bytes()
    except OSError as error:
        raise reject(
            _("The file %(file)s cannot be read: %(reason)s")
            % {"file": path.name, "reason": error.strerror or str(error)}
        ) from error


def reject(message: str) -> BatchRejected:
    return BatchRejected(message)


def read(data: bytes, expected: Kind) -> Sealed:
    """Split a container into its parts, checking sizes, magic, version and payload hash."""
    what = _names()[expected]
    if not data:
        raise reject(_("The file is empty: it is not %(what)s.") % {"what": what})
    if len(data) > MAX_FILE_BYTES:
        raise reject(_("The file is too large to be %(what)s.") % {"what": what})
    if len(data) < _HEAD.size:
        raise reject(_("The file is too short to be %(what)s.") % {"what": what})
    magic, version, length = _HEAD.unpack_from(data)
    if magic != expected.value:
        others = {k.value: name for k, name in _names().items()}
        if magic in others:
            raise reject(
                _("This file is %(found)s, not %(what)s.") % {"found": others[magic], "what": what}
            )
        raise reject(_("This file is not %(what)s of Hotline Desk.") % {"what": what})
    if version != FORMAT_VERSION:
        raise reject(
            _(
                "The file was written in format version %(found)d; this program reads version "
                "%(ours)d."
            )
            % {"found": version, "ours": FORMAT_VERSION}
        )
    if length > MAX_MANIFEST_BYTES:
        raise reject(_("The file's manifest is larger than allowed."))
    end = _HEAD.size + length
    if len(data) < end + SIGNATURE_BYTES:
        raise reject(_("The file is cut short: its signature is missing."))
    try:
        manifest = json.loads(data[_HEAD.size : end].decode("utf-8"))
    except UnicodeDecodeError as error:
        raise reject(_("The file's manifest is not valid UTF-8 text.")) from error
    except (ValueError, RecursionError) as error:
        raise reject(_("The file's manifest is damaged (not valid JSON).")) from error
    if not isinstance(manifest, dict):
        raise reject(_("The file's manifest is damaged (not valid JSON)."))
    signature = data[end : end + SIGNATURE_BYTES]
    payload = data[end + SIGNATURE_BYTES :]
    declared = manifest.get("payload_bytes")
    if not isinstance(declared, int) or isinstance(declared, bool):
        raise reject(_("The file's manifest does not say how long its content is."))
    if len(payload) < declared:
        if hashlib.sha256(data[end:]).hexdigest() == manifest.get("payload_sha256"):
            # The whole content follows the manifest directly: the signature was taken out.
            raise reject(_("The file is cut short: its signature is missing."))
        raise reject(_("The file is cut short: part of its content is missing."))
    if len(payload) > declared:
        raise reject(_("The file has extra bytes after its content."))
    if hashlib.sha256(payload).hexdigest() != manifest.get("payload_sha256"):
        raise reject(
            _("The file's content does not match its manifest: it was changed or damaged.")
        )
    return Sealed(expected, manifest, data[:end], signature, payload)


def verify(sealed: Sealed, signing_key: bytes) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(signing_key).verify(sealed.signature, sealed.signed)
    except InvalidSignature as error:
        raise reject(
            _(
                "The signature does not match: the file was changed after it was signed, or it "
                "was not signed by the sender it names."
            )
        ) from error


def decrypt(sealed: Sealed, private: X25519PrivateKey) -> bytes:
    try:
        return bytes(_SUITE.decrypt(sealed.payload, private, info=hpke_info(sealed.manifest)))
    except (InvalidTag, ValueError) as error:
        raise reject(
            _(
                "The content cannot be decrypted with this installation's key: it was encrypted "
                "for another recipient, or damaged."
            )
        ) from error


def decompress(compressed: bytes, declared: object) -> dict[str, Any]:
    """Inflate at most ``declared`` bytes (and never more than the hard limit), then parse."""
    if not isinstance(declared, int) or isinstance(declared, bool) or declared < 0:
        raise reject(_("The file's manifest does not say how long its content is."))
    if declared > MAX_CONTENT_BYTES:
        raise reject(_("The content would be larger than allowed once unpacked."))
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(compressed, declared + 1)
    except zlib.error as error:
        raise reject(_("The content is damaged and cannot be unpacked.")) from error
    if len(raw) > declared or inflater.unconsumed_tail or not inflater.eof:
        raise reject(_("The content unpacks to a different size than its manifest says."))
    if len(raw) != declared:
        raise reject(_("The content unpacks to a different size than its manifest says."))
    try:
        content = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise reject(_("The content is not valid UTF-8 text.")) from error
    except (ValueError, RecursionError) as error:
        raise reject(_("The content is not valid JSON.")) from error
    if not isinstance(content, dict):
        raise reject(_("The content is not valid JSON."))
    return content
