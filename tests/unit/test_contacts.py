"""Recording contacts and cases through the services, on a real encrypted database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest

from hotline import audit
from hotline.errors import InvalidInput, KnownError, PermissionDenied
from hotline.model.contact import Caller, Consent, Contact, FollowUp
from hotline.paths import DataDir
from hotline.phones import WITHHELD, parse_phone
from hotline.services import cases, contacts
from hotline.services.contacts import ListQuery
from hotline.services.session import Session
from tests.conftest import sign_in


@pytest.fixture
def olga(data_dir: DataDir) -> Iterator[Session]:
    session = sign_in(data_dir, "olga")
    yield session
    session.close()


def full_call(session: Session) -> Contact:
    draft = contacts.new_contact(session)
    return replace(
        draft,
        call_type="trafficking_concern",
        caller=Caller(
            relationship="relative",
            sex="female",
            age_band="39-47",
            citizenship="KG",
            country="KG",
            region="Ош",
        ),
        call_language="ky",
        phone=parse_phone("0555 123 456", "KG"),
        topics=("MISSING.ABROAD", "DOC.TAKEN"),
        summary="Кызы Москвада, паспорту алынган",
        notes="Айгүл: кызы 3 айдан бери байланышпайт. Oʻgʻli ham yoʻq.",
        actions=("information", "follow_up"),
        consent=Consent(keep_data=True, refer=True, share=False),
        follow_up=FollowUp(date=dt.date(2026, 12, 1), reason="Кайра чалуу"),
        danger=True,
    )


def test_save_reopen_and_edit_creates_version_2(olga: Session) -> None:
    saved = contacts.save_contact(olga, full_call(olga))
    assert saved.version == 1
    assert saved.reference.startswith("KG-TEST-")
    again = contacts.get_contact(olga, saved.id)
    assert again == saved
    edited = contacts.save_contact(olga, replace(again, notes=again.notes + " Жаңы маалымат."))
    assert edited.version == 2
    history = contacts.history(olga, saved.id)
    assert [v.version for v in history] == [1, 2]
    assert history[1].changed == ("notes",)
    old = contacts.version_data(olga, saved.id, 1)
    assert old["notes"] == saved.notes
    actions = [r.action for r in audit.recent(olga.db, 20)]
    for action in ("record.created", "record.edited", "record.viewed"):
        assert action in actions
    assert "Айгүл" not in str([r.details for r in audit.recent(olga.db, 50)])


def test_stale_edit_is_refused_and_changes_nothing(olga: Session) -> None:
    saved = contacts.save_contact(olga, full_call(olga))
    contacts.save_contact(olga, replace(saved, summary="first"))
    with pytest.raises(KnownError, match="Someone else changed"):
        contacts.save_contact(olga, replace(saved, summary="second"))
    assert contacts.get_contact(olga, saved.id).summary == "first"


def test_half_filled_and_non_data_calls_can_be_saved(olga: Session) -> None:
    empty = contacts.save_contact(olga, contacts.new_contact(olga))
    assert empty.version == 1
    silent = contacts.save_contact(
        olga, replace(contacts.new_contact(olga), call_type="silent", phone=WITHHELD)
    )
    assert contacts.get_contact(olga, silent.id).phone == WITHHELD


def test_repeat_caller_found_in_another_format(olga: Session) -> None:
    first = contacts.save_contact(olga, full_call(olga))
    second = replace(contacts.new_contact(olga), phone=parse_phone("+996555123456", "KG"))
    earlier = contacts.earlier_contacts(olga, second.phone, exclude_id=second.id)
    assert [c.id for c in earlier] == [first.id]
    assert earlier[0].call_type == "trafficking_concern"
    assert contacts.earlier_contacts(olga, WITHHELD) == []


def test_list_by_phone_since_and_mine(olga: Session, data_dir: DataDir) -> None:
    mine = contacts.save_contact(olga, full_call(olga))
    bakyt = sign_in(data_dir, "bakyt")
    theirs = contacts.save_contact(bakyt, contacts.new_contact(bakyt))
    bakyt.close()
    everyone = contacts.list_contacts(olga, ListQuery())
    assert {c.id for c in everyone} == {mine.id, theirs.id}
    assert [c.id for c in contacts.list_contacts(olga, ListQuery(mine=True))] == [mine.id]
    by_phone = contacts.list_contacts(olga, ListQuery(phone=parse_phone("996555123456", "KG")))
    assert [c.id for c in by_phone] == [mine.id]
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert contacts.list_contacts(olga, ListQuery(since=future)) == []
    follow = contacts.list_contacts(olga, ListQuery(follow_up_open=True))
    assert [c.id for c in follow] == [mine.id]


def test_operators_edit_only_their_own_calls(olga: Session, data_dir: DataDir) -> None:
    saved = contacts.save_contact(olga, full_call(olga))
    dana = sign_in(data_dir, "dana")  # coordinator: may read, may not record
    assert contacts.get_contact(dana, saved.id).id == saved.id
    with pytest.raises(PermissionDenied):
        contacts.save_contact(dana, replace(saved, summary="changed"))
    dana.close()
    bakyt = sign_in(data_dir, "bakyt")  # supervisor: may correct anyone's call
    contacts.save_contact(bakyt, replace(saved, summary="corrected"))
    bakyt.close()
    admin = sign_in(data_dir, "admin")  # the administrator does not read calls
    with pytest.raises(PermissionDenied):
        contacts.get_contact(admin, saved.id)
    admin.close()


def test_contact_from_json_validates_codes(olga: Session) -> None:
    good = contacts.contact_from_json(
        olga,
        {"call_type": "consultation", "phone": "0555 123 456", "topics": ["WORK.OFFER"],
         "caller": {"sex": "male", "country": "ru"}, "started_at": "2026-11-20T09:00:00+06:00"},
    )  # fmt: skip
    assert good.caller.country == "RU"
    assert good.started_at == dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput, match="topics"):
        contacts.contact_from_json(olga, {"topics": ["NOPE"]})
    with pytest.raises(InvalidInput, match="started_at"):
        contacts.contact_from_json(olga, {"started_at": "2026-11-20T09:00"})
    with pytest.raises(InvalidInput, match="not a valid phone number"):
        contacts.contact_from_json(olga, {"phone": "0555 12"})


def test_case_from_contact_and_linking(olga: Session) -> None:
    first = contacts.save_contact(olga, full_call(olga))
    case = cases.create_case_from_contact(olga, first.id)
    assert case.reference.startswith("KG-TEST-K")
    assert contacts.get_contact(olga, first.id).case_id == case.id
    second = contacts.save_contact(olga, full_call(olga))
    linked = cases.link_contact(olga, second.id, case.reference)
    assert linked.case_id == case.id
    assert {c.id for c in contacts.list_contacts(olga, ListQuery(case_id=case.id))} == {
        first.id,
        second.id,
    }
    updated = cases.save_case(
        olga,
        replace(case, trafficking_status="Possible", exploitation_types=("ForcedLabour",),
                control_methods=("WithholdsDocuments",), status="FollowUp"),
    )  # fmt: skip
    assert updated.version == 2
    with pytest.raises(InvalidInput):
        cases.save_case(olga, replace(updated, status="Whatever"))
    closed = cases.save_case(olga, replace(updated, status="Closed"))
    assert closed.closed_at
    assert cases.list_cases(olga) == []
    assert [c.id for c in cases.list_cases(olga, open_only=False)] == [case.id]


def test_drafts_are_kept_per_user(olga: Session, data_dir: DataDir) -> None:
    contacts.save_draft(olga, "d1", None, {"notes": "Нота"})
    contacts.save_draft(olga, "d1", None, {"notes": "Нота, дагы"})
    assert [d.data["notes"] for d in contacts.drafts(olga)] == ["Нота, дагы"]
    bakyt = sign_in(data_dir, "bakyt")
    assert contacts.drafts(bakyt) == []
    bakyt.close()
    contacts.discard_draft(olga, "d1")
    assert contacts.drafts(olga) == []


def test_json_round_trip_for_drafts(olga: Session) -> None:
    from hotline.model.contact_json import contact_from_dict, contact_to_dict

    call = full_call(olga)
    assert contact_from_dict(contact_to_dict(call)) == call
    withheld = replace(call, phone=WITHHELD, follow_up=FollowUp())
    assert contact_from_dict(contact_to_dict(withheld)) == withheld
