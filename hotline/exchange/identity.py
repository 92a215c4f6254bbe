"""This installation's exchange identity and the cards that carry other installations' keys.

Every installation has an Ed25519 key (it signs batches, receipts and update bundles) and an
X25519 key (batches to it are encrypted to it), both created on first use and kept inside the
encrypted database. A *card* is a small signed JSON file with the public halves, the
organisation's names and, for a recipient, the key of its pseudonyms. People compare the
card's fingerprint by phone before registering it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from hotline.errors import InvalidInput
from hotline.exchange.envelope import canonical
from hotline.i18n import _
from hotline.model.installation import Installation
from hotline.store.connection import Database

CARD_FORMAT = "hotline-card"
CARD_VERSION = 1
MAX_CARD_BYTES = 16_384
_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)
_RAW_PRIVATE = (
    serialization.Encoding.Raw,
    serialization.PrivateFormat.Raw,
    serialization.NoEncryption(),
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, size: int | None = None) -> bytes:
    """Decode base64 text; raises ValueError if it is not, or not ``size`` bytes long."""
    if not isinstance(text, str):
        raise ValueError("not text")
    data = base64.b64decode(text.encode("ascii"), validate=True)
    if size is not None and len(data) != size:
        raise ValueError("wrong length")
    return data


def fingerprint(signing_key: bytes, encryption_key: bytes) -> str:
    """Six groups of four letters and digits (120 bits) naming a pair of public keys."""
    digest = hashlib.sha256(b"hotline-card-v1|" + signing_key + encryption_key).digest()
    text = base64.b32encode(digest[:15]).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


@dataclass(frozen=True)
class Identity:
    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey
    pseudonym_key: bytes

    @property
    def signing_public(self) -> bytes:
        return self.signing.public_key().public_bytes(*_RAW)

    @property
    def encryption_public(self) -> bytes:
        return self.encryption.public_key().public_bytes(*_RAW)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public, self.encryption_public)


def load_or_create(db: Database, stamp: str) -> Identity:
    """This installation's identity; made (and stored) the first time it is needed."""
    row = db.one("SELECT signing_private, encryption_private, pseudonym_key FROM identity")
    if row is not None:
        return Identity(
            Ed25519PrivateKey.from_private_bytes(bytes(row[0])),
            X25519PrivateKey.from_private_bytes(bytes(row[1])),
            bytes(row[2]),
        )
    identity = Identity(
        Ed25519PrivateKey.generate(), X25519PrivateKey.generate(), secrets.token_bytes(32)
    )
    with db.transaction():
        db.execute(
            "INSERT INTO identity (signing_private, encryption_private, pseudonym_key,"
            " created_at) VALUES (?, ?, ?, ?)",
            (
                identity.signing.private_bytes(*_RAW_PRIVATE),
                identity.encryption.private_bytes(*_RAW_PRIVATE),
                identity.pseudonym_key,
                stamp,
            ),
        )
    return identity


@dataclass(frozen=True)
class Card:
    """The public face of an installation."""

    installation_id: str
    org_code: str
    org_name: str
    site_name: str
    country: str
    signing_key: bytes
    encryption_key: bytes
    pseudonym_key: bytes | None  # only on a recipient's card
    created_at: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_key, self.encryption_key)

    @property
    def recipient(self) -> bool:
        return self.pseudonym_key is not None

    def body(self) -> dict[str, Any]:
        return {
            "format": CARD_FORMAT,
            "version": CARD_VERSION,
            "installation_id": self.installation_id,
            "org_code": self.org_code,
            "org_name": self.org_name,
            "site_name": self.site_name,
            "country": self.country,
            "signing_key": b64(self.signing_key),
            "encryption_key": b64(self.encryption_key),
            "pseudonym_key": None if self.pseudonym_key is None else b64(self.pseudonym_key),
            "created_at": self.created_at,
        }


def make_card(identity: Identity, inst: Installation, stamp: str, *, recipient: bool) -> Card:
    return Card(
        installation_id=inst.id,
        org_code=inst.org_code,
        org_name=inst.org_name,
        site_name=inst.site_name,
        country=inst.country,
        signing_key=identity.signing_public,
        encryption_key=identity.encryption_public,
        pseudonym_key=identity.pseudonym_key if recipient else None,
        created_at=stamp,
    )


def card_bytes(card: Card, identity: Identity) -> bytes:
    body = card.body()
    signature = identity.signing.sign(canonical(body))
    text = json.dumps({"card": body, "signature": b64(signature)}, ensure_ascii=False, indent=2)
    return (text + "\n").encode()


def _bad_card() -> InvalidInput:
    return InvalidInput(
        _("This file is not a Hotline Desk card, or it was changed after it was made.")
    )


def parse_card(data: bytes) -> Card:
    """Read and verify a card (its own signature); raises InvalidInput if it is not one."""
    if len(data) > MAX_CARD_BYTES:
        raise _bad_card()
    try:
        outer = json.loads(data.decode("utf-8"))
        body = outer["card"]
        signature = unb64(outer["signature"], 64)
        if body["format"] != CARD_FORMAT:
            raise _bad_card()
        if body["version"] != CARD_VERSION:
            raise InvalidInput(
                _("This card was made by a newer version of Hotline Desk; update this one.")
            )
        texts = ("installation_id", "org_code", "org_name", "site_name", "country", "created_at")
        if not all(isinstance(body[k], str) and 0 < len(body[k]) <= 200 for k in texts):
            raise _bad_card()
        pseudonym = body["pseudonym_key"]
        card = Card(
            installation_id=body["installation_id"],
            org_code=body["org_code"],
            org_name=body["org_name"],
            site_name=body["site_name"],
            country=body["country"],
            signing_key=unb64(body["signing_key"], 32),
            encryption_key=unb64(body["encryption_key"], 32),
            pseudonym_key=None if pseudonym is None else unb64(pseudonym, 32),
            created_at=body["created_at"],
        )
        Ed25519PublicKey.from_public_bytes(card.signing_key).verify(signature, canonical(body))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, InvalidSignature) as error:
        raise _bad_card() from error
    return card
