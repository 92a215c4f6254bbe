"""The audit log is append-only, hash-chained and free of sensitive values."""

from __future__ import annotations

import json

import pytest
from sqlcipher3 import dbapi2

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import BugError
from hotline.services.session import Session


def test_chain_verifies(admin: Session) -> None:
    check = audit.verify(admin.db)
    assert check.ok
    assert check.entries >= 5


def test_update_and_delete_are_refused(admin: Session) -> None:
    with pytest.raises(dbapi2.IntegrityError, match="append-only"):
        admin.db.execute("UPDATE audit_log SET actor = 'x' WHERE seq = 1")
    with pytest.raises(dbapi2.IntegrityError, match="append-only"):
        admin.db.execute("DELETE FROM audit_log WHERE seq = 1")


@pytest.mark.parametrize(
    ("column", "value"),
    [("actor", "mallory"), ("action", "lock"), ("details", '{"count":9}'), ("at", "2020")],
)
def test_an_edit_made_with_the_key_breaks_the_chain(
    admin: Session, column: str, value: str
) -> None:
    admin.db.execute("DROP TRIGGER audit_log_no_update")
    # Column names come from the parametrize list above, not from input.
    admin.db.execute(f"UPDATE audit_log SET {column} = ? WHERE seq = 3", (value,))  # noqa: S608
    check = audit.verify(admin.db)
    assert not check.ok
    assert check.first_bad_seq == 3


def test_removed_entry_breaks_the_chain(admin: Session) -> None:
    admin.db.execute("DROP TRIGGER audit_log_no_delete")
    admin.db.execute("DELETE FROM audit_log WHERE seq = 2")
    assert audit.verify(admin.db).first_bad_seq == 3


def test_details_accept_only_listed_keys(admin: Session) -> None:
    with pytest.raises(BugError, match="not an allowed key"):
        audit.record(admin.db, "admin", AuditAction.RECORD_EDITED, caller_name="Айгүл")
    with pytest.raises(BugError, match="too long"):
        audit.record(admin.db, "admin", AuditAction.RECORD_EDITED, reason="x" * 500)
    audit.record(admin.db, "admin", AuditAction.RECORD_EDITED, "contact", "c-1", fields="notes")
    last = audit.recent(admin.db, 1)[0]
    assert json.loads(last.details) == {"fields": "notes"}
    assert audit.verify(admin.db).ok


def test_audit_record_joins_a_rolled_back_transaction(admin: Session) -> None:
    before = audit.verify(admin.db).entries
    with pytest.raises(RuntimeError), admin.db.transaction():
        audit.record(admin.db, "admin", AuditAction.RECORD_EDITED)
        raise RuntimeError("the edit failed")
    assert audit.verify(admin.db).entries == before
