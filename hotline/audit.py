"""The append-only, hash-chained audit log.

Each entry commits to the previous entry's hash, so changing, removing or reordering any
entry breaks the chain from that point on, and ``verify`` names where. The database refuses
UPDATE and DELETE on the table (triggers); the chain catches what a trigger cannot, such as
an edit made with the key after dropping the trigger.

Entries never hold record content: ``details`` accepts only the keys listed in
``DETAIL_KEYS`` and only short scalar values.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from hotline.errors import BugError
from hotline.store.connection import Database
from hotline.store.repositories import audit as repo

GENESIS = "0" * 64


class AuditAction(StrEnum):
    INSTALLATION_CREATED = "installation.created"
    LOGIN = "login"
    LOGIN_RECOVERY = "login.recovery"
    LOGOUT = "logout"
    LOCK = "lock"
    USER_ADDED = "user.added"
    USER_DISABLED = "user.disabled"
    USER_ENABLED = "user.enabled"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_PASSWORD_CHANGED = "user.password_changed"
    USER_UNLOCKED = "user.unlocked"
    KEY_ROTATED = "key.rotated"
    RECOVERY_KEY_REPLACED = "key.recovery_replaced"
    BACKUP_CREATED = "backup.created"
    RESTORED = "backup.restored"
    INTEGRITY_CHECKED = "integrity.checked"
    PERMISSION_DENIED = "permission.denied"
    RECORD_CREATED = "record.created"
    RECORD_VIEWED = "record.viewed"
    RECORD_EDITED = "record.edited"
    RECORD_PRINTED = "record.printed"
    EXPORTED = "exchange.exported"
    REVIEW_SAVED = "review.saved"
    ORGANISATION_EDITED = "organisation.edited"
    CALL_LOG_SEARCHED = "call_log.searched"
    STATISTICS_VIEWED = "statistics.viewed"
    REPORT_EXPORTED = "report.exported"
    IMPORTED = "exchange.imported"
    IMPORT_REJECTED = "exchange.import_rejected"
    PARTNER_REGISTERED = "exchange.partner_registered"
    PARTNER_DISABLED = "exchange.partner_disabled"
    CARD_EXPORTED = "exchange.card_exported"
    RECEIPT_WRITTEN = "exchange.receipt_written"
    RECEIPT_READ = "exchange.receipt_read"
    CONFLICT_RESOLVED = "exchange.conflict_resolved"
    UPDATE_PUBLISHED = "exchange.update_published"
    UPDATE_INSTALLED = "exchange.update_installed"
    UPDATE_REJECTED = "exchange.update_rejected"
    RETENTION_POLICY_SET = "retention.policy_set"
    RETENTION_APPLIED = "retention.applied"
    DEMO_DATA_LOADED = "demo.loaded"


# Keys a detail may use. Values are codes, counts and flags, never what a caller said.
DETAIL_KEYS = frozenset(
    {
        "role",
        "old_role",
        "fields",
        "count",
        "failed_attempts",
        "key_id",
        "old_key_id",
        "format",
        "privacy_level",
        "result",
        "reason",
        "denied_action",
        "language",
        "batch_id",
        "version",
        "columns",
        "period",
        "sequence",
        "sender",
        "recipient",
        "kind",
        "fingerprint",
        "months",
        "acknowledged_only",
    }
)
MAX_DETAIL_LENGTH = 200

DetailValue = str | int | bool | None


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    first_bad_seq: int | None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _digest(
    seq: int,
    at: str,
    actor: str | None,
    action: str,
    target_type: str | None,
    target_id: str | None,
    details: str,
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        [seq, at, actor, action, target_type, target_id, details, prev_hash],
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _details_json(details: dict[str, DetailValue]) -> str:
    for key, value in details.items():
        if key not in DETAIL_KEYS:
            raise BugError(f"audit detail {key!r} is not an allowed key")
        if isinstance(value, str) and len(value) > MAX_DETAIL_LENGTH:
            raise BugError(f"audit detail {key!r} is too long")
        if not isinstance(value, str | int | bool | type(None)):
            raise BugError(f"audit detail {key!r} must be a scalar")
    return json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record(
    db: Database,
    actor: str | None,
    action: AuditAction,
    target_type: str | None = None,
    target_id: str | None = None,
    **details: DetailValue,
) -> None:
    """Append one entry; joins the caller's transaction if one is open."""
    with db.transaction():
        last = repo.last_hash(db)
        seq, prev = (1, GENESIS) if last is None else (last[0] + 1, last[1])
        at = _now()
        body = _details_json(details)
        digest = _digest(seq, at, actor, action.value, target_type, target_id, body, prev)
        repo.append(
            db,
            repo.AuditRow(seq, at, actor, action.value, target_type, target_id, body, prev, digest),
        )


def verify(db: Database) -> ChainCheck:
    """Walk the chain from the start; report the first entry that does not fit."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for row in repo.iterate(db):
        count += 1
        digest = _digest(
            row.seq,
            row.at,
            row.actor,
            row.action,
            row.target_type,
            row.target_id,
            row.details,
            row.prev_hash,
        )
        if row.seq != expected_seq or row.prev_hash != prev or row.hash != digest:
            return ChainCheck(count, row.seq)
        prev = row.hash
        expected_seq += 1
    return ChainCheck(count, None)


def recent(db: Database, limit: int = 200) -> list[repo.AuditRow]:
    return list(repo.iterate(db, newest_first=True, limit=limit))
