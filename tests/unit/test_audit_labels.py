"""Every audit action and detail has words; details read as a line in the language."""

from __future__ import annotations

from hotline.audit import DETAIL_KEYS, AuditAction
from hotline.audit_labels import (
    ACTION_GROUPS,
    ACTION_LABELS,
    DETAIL_LABELS,
    action_label,
    details_text,
    target_text,
)
from hotline.i18n import set_language


def test_every_action_has_a_label() -> None:
    assert set(ACTION_LABELS) == set(AuditAction)
    labels = [action_label(action.value) for action in AuditAction]
    assert len(set(labels)) == len(labels)  # no two actions read the same
    assert action_label("record.viewed") == "Record opened"
    assert action_label("permission.denied") == "Action refused"


def test_every_detail_key_has_a_label() -> None:
    assert set(DETAIL_LABELS) == DETAIL_KEYS


def test_groups_name_known_actions_once() -> None:
    grouped = [action for _label, actions in ACTION_GROUPS for action in actions]
    assert len(grouped) == len(set(grouped))


def test_an_unknown_code_shows_as_itself() -> None:
    assert action_label("something.new") == "something.new"
    assert target_text("thing", "abc") == "thing abc"


def test_details_in_words() -> None:
    assert details_text({"old_role": "operator", "role": "supervisor"}) == (
        "Role: Supervisor; Previous role: Operator"
    )
    assert details_text({"denied_action": "view_audit_log"}) == ("Refused action: view_audit_log")
    assert details_text({"count": 12345, "result": "ok"}) == "How many: 12,345; Result: passed"
    assert details_text({"fields": "notes,topics"}) == "Fields: notes, topics"
    assert details_text({"period": "2024-05-01..2024-05-31"}) == ("Period: 5/1/24 to 5/31/24")
    assert details_text({"period": "..2024-05-31"}) == "Period: until 5/31/24"
    assert details_text({"result": "accepted"}, "record.edited") == (
        "Result: Accepted by the service"
    )
    assert details_text({"language": "ky"}) == "Language: Kyrgyz"
    assert details_text({"": "not json"}) == ": not json"


def test_details_follow_the_language() -> None:
    set_language("ru")
    try:
        assert "Supervisor" not in details_text({"role": "supervisor"})
    finally:
        set_language("en")


def test_target_ids_are_shortened() -> None:
    uuid = "3f2a9c1e-8b7d-4c6e-9f10-123456789abc"
    assert target_text("contact", uuid) == "Call 3f2a9c1e…"
    assert target_text("contact", uuid, full=True) == f"Call {uuid}"
    assert target_text("script", "KG-JOB-OFFER") == "Screening script KG-JOB-OFFER"
    assert target_text("directory", None) == "Referral directory"
    assert target_text(None, None) == ""
