"""Key slots: how passwords and the recovery key unlock the random database key.

The database is encrypted with a random 256-bit key ``K``. Each user (and the one recovery
slot) owns an X25519 key pair. Its private half is encrypted with a key derived from the
user's password (Argon2id, 64 MiB, t=3) or from the recovery key (HKDF: that key is already
160 random bits). ``K`` is sealed to the slot's public half (X25519 + HKDF + AES-GCM), so
an admin can give a slot a new database key (rotation) without knowing its password, and a
removed slot can never open a database encrypted after its removal.

``keyslots.json`` lives beside the database and holds no secret in clear.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hotline.errors import AccountLocked, AuthenticationFailed, DatabaseUnreadable, InvalidInput
from hotline.fsutil import atomic_write
from hotline.i18n import _, ngettext

KEY_BYTES = 32
SLOT_FILE_FORMAT = 1
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_ITERATIONS = 3
ARGON2_LANES = 4
RECOVERY_SECRET_BYTES = 20
RECOVERY_CHECK_BYTES = 5

# Failed-login policy: a few free attempts, then an exponential delay capped at a minute,
# and after 100 consecutive failures (NIST SP 800-63B) the slot waits for an admin.
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 60.0
LOCKOUT_AFTER = 100

SlotKind = Literal["user", "recovery"]
_ARGON2_LOCK = threading.Lock()


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_id(key: bytes) -> str:
    """A short public name for a database key (tells slots' sealed keys apart)."""
    return hashlib.sha256(b"hotline key id\0" + key).hexdigest()[:16]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    memory_kib: int = ARGON2_MEMORY_KIB
    iterations: int = ARGON2_ITERATIONS
    lanes: int = ARGON2_LANES

    @classmethod
    def fresh(cls) -> KdfParams:
        return cls(salt=secrets.token_bytes(16))

    def derive(self, password: str) -> bytes:
        # OpenSSL's Argon2id fails (MemoryError) or hangs when two threads of one process
        # derive at once; a GUI worker and a second caller must take turns.
        with _ARGON2_LOCK:
            return self._derive(password)

    def _derive(self, password: str) -> bytes:
        return Argon2id(
            salt=self.salt,
            length=KEY_BYTES,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        ).derive(password.encode("utf-8"))


@dataclass(frozen=True)
class SealedKey:
    """The database key ``key_id`` encrypted to a slot's public key."""

    key_id: str
    ephemeral: bytes
    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True)
class Slot:
    slot_id: str
    kind: SlotKind
    username: str | None
    public_key: bytes
    kdf: KdfParams | None
    private_nonce: bytes
    private_ciphertext: bytes
    sealed: tuple[SealedKey, ...] = ()
    failures: int = 0
    not_before: float = 0.0
    locked: bool = False

    def key_ids(self) -> set[str]:
        return {s.key_id for s in self.sealed}


@dataclass(frozen=True)
class SlotFile:
    installation_id: str
    slots: tuple[Slot, ...] = field(default_factory=tuple)

    def user_slots(self, username: str) -> list[Slot]:
        return [s for s in self.slots if s.kind == "user" and s.username == username]

    def recovery_slots(self) -> list[Slot]:
        return [s for s in self.slots if s.kind == "recovery"]

    def usernames(self) -> list[str]:
        return sorted({s.username for s in self.slots if s.kind == "user" and s.username})

    def without(self, predicate: Any) -> SlotFile:
        return replace(self, slots=tuple(s for s in self.slots if not predicate(s)))

    def with_slots(self, slots: Iterable[Slot]) -> SlotFile:
        return replace(self, slots=self.slots + tuple(slots))

    def replace_slots(self, updated: Iterable[Slot]) -> SlotFile:
        by_id = {s.slot_id: s for s in updated}
        return replace(self, slots=tuple(by_id.get(s.slot_id, s) for s in self.slots))


# --- sealing the database key to a slot -------------------------------------------------


def _seal_kek(shared: bytes, ephemeral_public: bytes, public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=ephemeral_public + public,
        info=b"hotline keyslot seal v1",
    ).derive(shared)


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def seal_key(slot_id: str, public: bytes, database_key: bytes) -> SealedKey:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    kek = _seal_kek(shared, ephemeral_public, public)
    nonce = secrets.token_bytes(12)
    kid = key_id(database_key)
    aad = f"{slot_id}|{kid}".encode()
    return SealedKey(kid, ephemeral_public, nonce, AESGCM(kek).encrypt(nonce, database_key, aad))


def _unseal(slot: Slot, private: X25519PrivateKey, sealed: SealedKey) -> bytes:
    shared = private.exchange(X25519PublicKey.from_public_bytes(sealed.ephemeral))
    kek = _seal_kek(shared, sealed.ephemeral, slot.public_key)
    aad = f"{slot.slot_id}|{sealed.key_id}".encode()
    key = AESGCM(kek).decrypt(sealed.nonce, sealed.ciphertext, aad)
    if key_id(key) != sealed.key_id:
        raise InvalidTag
    return key


def _private_aad(installation_id: str, slot_id: str, kind: str, username: str | None) -> bytes:
    return f"hotline private v1|{installation_id}|{slot_id}|{kind}|{username or ''}".encode()


def _make_slot(
    installation_id: str,
    kind: SlotKind,
    username: str | None,
    kek: bytes,
    kdf: KdfParams | None,
    database_keys: Iterable[bytes],
    slot_id: str | None = None,
) -> Slot:
    slot_id = slot_id or str(uuid.uuid4())
    private = X25519PrivateKey.generate()
    public = _raw_public(private.public_key())
    raw_private = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    nonce = secrets.token_bytes(12)
    aad = _private_aad(installation_id, slot_id, kind, username)
    return Slot(
        slot_id=slot_id,
        kind=kind,
        username=username,
        public_key=public,
        kdf=kdf,
        private_nonce=nonce,
        private_ciphertext=AESGCM(kek).encrypt(nonce, raw_private, aad),
        sealed=tuple(seal_key(slot_id, public, k) for k in database_keys),
    )


def make_user_slot(
    installation_id: str, username: str, password: str, database_keys: Iterable[bytes]
) -> Slot:
    kdf = KdfParams.fresh()
    return _make_slot(installation_id, "user", username, kdf.derive(password), kdf, database_keys)


def add_sealed_key(slot: Slot, database_key: bytes) -> Slot:
    if key_id(database_key) in slot.key_ids():
        return slot
    sealed = seal_key(slot.slot_id, slot.public_key, database_key)
    return replace(slot, sealed=(*slot.sealed, sealed))


def keep_only_key(slot: Slot, kid: str) -> Slot:
    return replace(slot, sealed=tuple(s for s in slot.sealed if s.key_id == kid))


def _open_slot(installation_id: str, slot: Slot, kek: bytes) -> list[bytes]:
    aad = _private_aad(installation_id, slot.slot_id, slot.kind, slot.username)
    raw = AESGCM(kek).decrypt(slot.private_nonce, slot.private_ciphertext, aad)
    private = X25519PrivateKey.from_private_bytes(raw)
    return [_unseal(slot, private, sealed) for sealed in slot.sealed]


# --- recovery key ----------------------------------------------------------------------

_B32_FIXES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_recovery_key() -> str:
    """A recovery key to print once: 8 groups of 5 base32 letters, with a checksum."""
    secret = secrets.token_bytes(RECOVERY_SECRET_BYTES)
    check = hashlib.sha256(secret).digest()[:RECOVERY_CHECK_BYTES]
    text = base64.b32encode(secret + check).decode("ascii")
    return "-".join(text[i : i + 5] for i in range(0, len(text), 5))


def parse_recovery_key(text: str) -> bytes:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_B32_FIXES)
    try:
        raw = base64.b32decode(cleaned)
    except ValueError:
        raw = b""
    secret, check = raw[:RECOVERY_SECRET_BYTES], raw[RECOVERY_SECRET_BYTES:]
    if (
        len(secret) != RECOVERY_SECRET_BYTES
        or hashlib.sha256(secret).digest()[:RECOVERY_CHECK_BYTES] != check
    ):
        raise InvalidInput(
            _("This is not a valid recovery key. Check each group of letters and try again.")
        )
    return secret


def _recovery_kek(secret: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"hotline recovery v1"
    ).derive(secret)


def make_recovery_slot(
    installation_id: str, recovery_key: str, database_keys: Iterable[bytes]
) -> Slot:
    kek = _recovery_kek(parse_recovery_key(recovery_key))
    return _make_slot(installation_id, "recovery", None, kek, None, database_keys)


# --- unlocking -------------------------------------------------------------------------


def retry_delay(failures: int) -> float:
    """Seconds to wait after ``failures`` consecutive failed attempts."""
    if failures <= FREE_ATTEMPTS:
        return 0.0
    return float(min(2.0 ** (failures - FREE_ATTEMPTS), MAX_DELAY_SECONDS))


def check_not_locked(slots: list[Slot], now: float | None = None) -> None:
    now = time.time() if now is None else now
    if any(s.locked for s in slots):
        raise AccountLocked(
            _(
                "This account is locked after too many failed attempts. "
                "Ask an administrator to unlock it."
            ),
            retry_after=None,
        )
    wait = max((s.not_before - now for s in slots), default=0.0)
    if wait > 0:
        seconds = int(wait + 0.999)
        raise AccountLocked(
            ngettext(
                "Too many failed attempts. Try again in %(n)d second.",
                "Too many failed attempts. Try again in %(n)d seconds.",
                seconds,
            )
            % {"n": seconds},
            retry_after=wait,
        )


def record_failure(slot: Slot, now: float | None = None) -> Slot:
    now = time.time() if now is None else now
    failures = slot.failures + 1
    return replace(
        slot,
        failures=failures,
        not_before=now + retry_delay(failures),
        locked=failures >= LOCKOUT_AFTER,
    )


def clear_failures(slot: Slot) -> Slot:
    return replace(slot, failures=0, not_before=0.0, locked=False)


_DUMMY_KDF = KdfParams(salt=b"\0" * 16)


def unlock_with_password(slot_file: SlotFile, username: str, password: str) -> list[bytes]:
    """Return the database keys this user's slots hold; raise if the password is wrong.

    Unknown users cost the same Argon2id work, so timing does not reveal who exists.
    """
    slots = slot_file.user_slots(username)
    if not slots:
        _DUMMY_KDF.derive(password)
    for slot in slots:
        assert slot.kdf is not None
        try:
            return _open_slot(slot_file.installation_id, slot, slot.kdf.derive(password))
        except InvalidTag:
            continue
    raise AuthenticationFailed(_("The user name or the password is not correct."))


def unlock_with_recovery_key(slot_file: SlotFile, recovery_key: str) -> list[bytes]:
    kek = _recovery_kek(parse_recovery_key(recovery_key))
    for slot in slot_file.recovery_slots():
        try:
            return _open_slot(slot_file.installation_id, slot, kek)
        except InvalidTag:
            continue
    raise AuthenticationFailed(_("The recovery key does not open this installation."))


# --- the slot file ---------------------------------------------------------------------


def _slot_to_json(slot: Slot) -> dict[str, Any]:
    return {
        "id": slot.slot_id,
        "kind": slot.kind,
        "username": slot.username,
        "public_key": _b64(slot.public_key),
        "kdf": None
        if slot.kdf is None
        else {
            "algorithm": "argon2id",
            "salt": _b64(slot.kdf.salt),
            "memory_kib": slot.kdf.memory_kib,
            "iterations": slot.kdf.iterations,
            "lanes": slot.kdf.lanes,
        },
        "private": {"nonce": _b64(slot.private_nonce), "ciphertext": _b64(slot.private_ciphertext)},
        "sealed": [
            {
                "key_id": s.key_id,
                "ephemeral": _b64(s.ephemeral),
                "nonce": _b64(s.nonce),
                "ciphertext": _b64(s.ciphertext),
            }
            for s in slot.sealed
        ],
        "failures": slot.failures,
        "not_before": slot.not_before,
        "locked": slot.locked,
    }


def _slot_from_json(data: dict[str, Any]) -> Slot:
    kdf = data["kdf"]
    kind = data["kind"]
    if kind not in ("user", "recovery"):
        raise ValueError(kind)
    return Slot(
        slot_id=str(data["id"]),
        kind=kind,
        username=data["username"],
        public_key=_unb64(data["public_key"]),
        kdf=None
        if kdf is None
        else KdfParams(
            salt=_unb64(kdf["salt"]),
            memory_kib=int(kdf["memory_kib"]),
            iterations=int(kdf["iterations"]),
            lanes=int(kdf["lanes"]),
        ),
        private_nonce=_unb64(data["private"]["nonce"]),
        private_ciphertext=_unb64(data["private"]["ciphertext"]),
        sealed=tuple(
            SealedKey(
                key_id=str(s["key_id"]),
                ephemeral=_unb64(s["ephemeral"]),
                nonce=_unb64(s["nonce"]),
                ciphertext=_unb64(s["ciphertext"]),
            )
            for s in data["sealed"]
        ),
        failures=int(data.get("failures", 0)),
        not_before=float(data.get("not_before", 0.0)),
        locked=bool(data.get("locked", False)),
    )


def slot_file_bytes(slot_file: SlotFile) -> bytes:
    body = {
        "format": SLOT_FILE_FORMAT,
        "installation_id": slot_file.installation_id,
        "slots": [_slot_to_json(s) for s in slot_file.slots],
    }
    return json.dumps(body, indent=1, sort_keys=True).encode("utf-8")


def parse_slot_file(data: bytes) -> SlotFile:
    try:
        body = json.loads(data.decode("utf-8"))
        if body.get("format") != SLOT_FILE_FORMAT:
            raise ValueError("format")
        return SlotFile(
            installation_id=str(body["installation_id"]),
            slots=tuple(_slot_from_json(s) for s in body["slots"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise DatabaseUnreadable(
            _("The key slot file is damaged, so the database cannot be unlocked."),
            hint=_("Restore the installation from a backup."),
        ) from error


def load_slot_file(path: Path) -> SlotFile:
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise DatabaseUnreadable(
            _("The key slot file %(path)s is missing, so the database cannot be unlocked.")
            % {"path": path},
            hint=_("Restore the installation from a backup."),
        ) from error
    return parse_slot_file(data)


def save_slot_file(path: Path, slot_file: SlotFile) -> None:
    atomic_write(path, slot_file_bytes(slot_file))


def remove_stale_tmp(path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    if tmp.exists():
        os.unlink(tmp)
