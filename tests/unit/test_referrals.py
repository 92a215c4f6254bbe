"""Referrals: consent or a written reason, a reference per referral, outcome follow-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlcipher3 import dbapi2

from hotline import audit
from hotline.errors import InvalidInput
from hotline.model.organisation import Organisation
from hotline.paths import DataDir
from hotline.services import contacts, directory, referrals
from hotline.services.session import Session
from tests.conftest import sign_in


@pytest.fixture
def bakyt(data_dir: DataDir) -> Iterator[Session]:
    session = sign_in(data_dir, "bakyt")
    yield session
    session.close()


def setup_call(session: Session) -> tuple[str, str]:
    org = directory.save(
        session, Organisation(id="org-ref", version=0, name="Shelter (test)", services=("shelter",))
    )
    call = contacts.save_contact(session, contacts.new_contact(session))
    return call.id, org.id


def test_no_referral_without_consent_or_reason(bakyt: Session) -> None:
    call_id, org_id = setup_call(bakyt)
    with pytest.raises(InvalidInput, match="write down why"):
        referrals.refer(bakyt, call_id, org_id, "shelter", consent=False)
    with pytest.raises(InvalidInput, match="write down why"):
        referrals.refer(bakyt, call_id, org_id, "shelter", consent=False, no_consent_reason="  ")
    assert referrals.of_contact(bakyt, call_id) == []
    # The database refuses it too, whatever code writes.
    with pytest.raises(dbapi2.IntegrityError):
        bakyt.db.execute(
            "INSERT INTO referrals (id, version, contact_id, organisation_id, service, consent,"
            " referred_on, reference, created_at, created_by, updated_at, updated_by)"
            " VALUES ('x', 1, ?, ?, 'shelter', 0, '2026-11-22', 'R', '', '', '', '')",
            (call_id, org_id),
        )


def test_referral_with_consent_reference_and_outcome(bakyt: Session) -> None:
    call_id, org_id = setup_call(bakyt)
    first = referrals.refer(bakyt, call_id, org_id, "shelter", consent=True, reason="Нет жилья",
                            reminder_on=dt.date(2026, 11, 29))  # fmt: skip
    second = referrals.refer(
        bakyt, call_id, org_id, "shelter", consent=False,
        no_consent_reason="Child in danger: reported as the law requires",
    )  # fmt: skip
    assert first.reference.endswith("-R1")
    assert second.reference.endswith("-R2")
    done = referrals.set_outcome(bakyt, first, "accepted")
    assert done.version == 2
    assert [r.outcome for r in referrals.of_contact(bakyt, call_id)] == ["accepted", "unknown"]
    with pytest.raises(InvalidInput):
        referrals.set_outcome(bakyt, replace(done), "maybe")
    details = [r.details for r in audit.recent(bakyt.db, 10) if r.target_type == "referral"]
    assert '{"result":"no_consent"}' in details
    assert all("Нет жилья" not in d for d in details)
