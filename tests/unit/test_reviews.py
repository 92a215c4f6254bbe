"""Reviews of calls: a rubric checked against the taxonomy, every version kept, a change
made meanwhile refused, feedback read by the operator whose call it is, audit without the
comment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from hotline.errors import InvalidInput, KnownError, PermissionDenied
from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services import contacts, reviews, users
from hotline.services import session as session_service
from hotline.services.session import Session
from tests.conftest import sign_in

CANARY = "CANARY-Жаным-7731"


@dataclass
class Desk:
    bakyt: Session  # supervisor
    olga: Session  # operator
    aigerim: Session  # another operator
    dana: Session  # coordinator
    olga_call: str
    aigerim_call: str


@pytest.fixture
def desk(data_dir: DataDir, admin: Session) -> Iterator[Desk]:
    users.add_user(admin, "aigerim", Role.OPERATOR, "operator pass 2")
    sessions = [sign_in(data_dir, n) for n in ("bakyt", "olga", "dana")]
    aigerim = session_service.login(data_dir, "aigerim", "operator pass 2")
    bakyt, olga, dana = sessions
    olga_call = contacts.save_contact(olga, contacts.new_contact(olga)).id
    aigerim_call = contacts.save_contact(aigerim, contacts.new_contact(aigerim)).id
    yield Desk(bakyt, olga, aigerim, dana, olga_call, aigerim_call)
    for s in (*sessions, aigerim):
        s.close()


def test_a_review_is_saved_with_its_rubric(desk: Desk) -> None:
    rubric = {"greeting": "met", "consent": "not_met", "screening": "not_applicable", "notes": ""}
    saved = reviews.save_review(
        desk.bakyt, desk.olga_call, rubric, "  Хорошо, но спросите согласие.  "
    )
    assert saved.version == 1
    assert saved.rubric == {"greeting": "met", "consent": "not_met", "screening": "not_applicable"}
    assert saved.comment == "Хорошо, но спросите согласие."
    assert (saved.operator, saved.reviewer, saved.seen_at) == ("olga", "bakyt", None)
    assert reviews.review_of(desk.bakyt, desk.olga_call) == saved
    assert reviews.criteria() == (
        "greeting",
        "consent",
        "screening",
        "referral",
        "notes",
        "follow_up",
    )


@pytest.mark.parametrize(
    ("rubric", "message"),
    [
        ({"politeness": "met"}, "politeness is not a known value"),
        ({"greeting": "excellent"}, "excellent is not a known value for greeting"),
        ({"greeting": "met", "consent": "yes"}, "yes is not a known value for consent"),
    ],
)
def test_unknown_codes_are_refused(desk: Desk, rubric: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        reviews.save_review(desk.bakyt, desk.olga_call, rubric, "")
    assert reviews.review_of(desk.bakyt, desk.olga_call) is None


def test_a_comment_has_a_limit(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="at most 4000 characters"):
        reviews.save_review(desk.bakyt, desk.olga_call, {}, "ы" * 4001)
    assert reviews.save_review(desk.bakyt, desk.olga_call, {}, "ы" * 4000).version == 1


def test_every_version_is_kept(desk: Desk) -> None:
    first = reviews.save_review(desk.bakyt, desk.olga_call, {"greeting": "met"}, "один")
    second = reviews.save_review(
        desk.bakyt, desk.olga_call, {"greeting": "not_met"}, "два", expected_version=1
    )
    third = reviews.save_review(desk.bakyt, desk.olga_call, {}, "три", expected_version=2)
    assert first.id == second.id == third.id
    assert [v.version for v in (first, second, third)] == [1, 2, 3]
    history = reviews.review_history(desk.bakyt, desk.olga_call)
    assert [(r.version, r.comment, r.rubric) for r in history] == [
        (1, "один", {"greeting": "met"}),
        (2, "два", {"greeting": "not_met"}),
        (3, "три", {}),
    ]
    assert history[-1] == reviews.review_of(desk.bakyt, desk.olga_call)
    assert reviews.review_history(desk.bakyt, desk.aigerim_call) == []


def test_a_change_made_meanwhile_is_refused(desk: Desk, data_dir: DataDir) -> None:
    other = sign_in(data_dir, "bakyt")  # the same supervisor on a second computer
    try:
        reviews.save_review(desk.bakyt, desk.olga_call, {"greeting": "met"}, "first")
        # Both open version 1; the second computer saves first.
        reviews.save_review(other, desk.olga_call, {}, "from the other desk", expected_version=1)
        with pytest.raises(KnownError, match="Someone else reviewed this call"):
            reviews.save_review(desk.bakyt, desk.olga_call, {}, "mine", expected_version=1)
        # Starting as if nobody had reviewed it is refused too.
        with pytest.raises(KnownError, match="Someone else reviewed this call"):
            reviews.save_review(desk.bakyt, desk.olga_call, {}, "mine")
        with pytest.raises(KnownError, match="Someone else reviewed this call"):
            reviews.save_review(desk.bakyt, desk.aigerim_call, {}, "mine", expected_version=1)
        current = reviews.review_of(desk.bakyt, desk.olga_call)
        assert current is not None
        assert (current.version, current.comment) == (2, "from the other desk")
        assert len(reviews.review_history(desk.bakyt, desk.olga_call)) == 2
    finally:
        other.close()


def test_operators_read_feedback_on_their_own_calls_only(desk: Desk) -> None:
    on_olga = reviews.save_review(desk.bakyt, desk.olga_call, {"greeting": "met"}, "Молодец")
    reviews.save_review(desk.bakyt, desk.aigerim_call, {}, "Для Айгерим")
    feedback = reviews.my_feedback(desk.olga)
    assert [item.review for item in feedback] == [on_olga]
    olga_call = contacts.get_contact(desk.olga, desk.olga_call)
    assert feedback[0].contact_reference == olga_call.reference
    assert feedback[0].contact_started_at == olga_call.started_at.isoformat()
    assert reviews.review_of(desk.olga, desk.olga_call) == on_olga
    with pytest.raises(PermissionDenied):
        reviews.review_of(desk.olga, desk.aigerim_call)
    with pytest.raises(PermissionDenied):
        reviews.review_history(desk.olga, desk.aigerim_call)
    assert [i.review.comment for i in reviews.my_feedback(desk.aigerim)] == ["Для Айгерим"]
    assert reviews.my_feedback(desk.bakyt) == []


def test_unseen_feedback_and_a_changed_review(desk: Desk) -> None:
    saved = reviews.save_review(desk.bakyt, desk.olga_call, {}, "Прочитайте")
    reviews.save_review(desk.bakyt, desk.aigerim_call, {}, "Для Айгерим")
    assert reviews.unseen_feedback(desk.olga) == 1
    # A supervisor opening it does not count as the operator reading it.
    reviews.mark_seen(desk.bakyt, saved)
    assert reviews.unseen_feedback(desk.olga) == 1
    reviews.mark_seen(desk.olga, saved)
    assert reviews.unseen_feedback(desk.olga) == 0
    assert reviews.unseen_feedback(desk.aigerim) == 1
    seen = reviews.review_of(desk.olga, desk.olga_call)
    assert seen is not None and seen.seen_at is not None
    changed = reviews.save_review(desk.bakyt, desk.olga_call, {}, "Исправлено", expected_version=1)
    assert changed.seen_at is None
    assert reviews.unseen_feedback(desk.olga) == 1
    assert reviews.my_feedback(desk.olga)[0].review.comment == "Исправлено"


def test_who_may_review_and_read(desk: Desk) -> None:
    for session in (desk.olga, desk.dana):
        with pytest.raises(PermissionDenied):
            reviews.save_review(session, desk.aigerim_call, {}, "no")
    with pytest.raises(PermissionDenied):
        reviews.my_feedback(desk.dana)
    with pytest.raises(PermissionDenied):
        reviews.unseen_feedback(desk.dana)
    with pytest.raises(KnownError, match="There is no call"):
        reviews.save_review(desk.bakyt, "no-such-call", {}, "no")
    with pytest.raises(KnownError, match="There is no call"):
        reviews.review_of(desk.bakyt, "no-such-call")


def test_the_audit_log_never_holds_the_comment(desk: Desk) -> None:
    reviews.save_review(desk.bakyt, desk.olga_call, {"greeting": "met"}, CANARY)
    reviews.save_review(
        desk.bakyt, desk.olga_call, {"notes": "not_met"}, f"{CANARY} again", expected_version=1
    )
    saved = reviews.review_of(desk.olga, desk.olga_call)
    assert saved is not None
    reviews.mark_seen(desk.olga, saved)
    rows = desk.bakyt.db.query("SELECT * FROM audit_log ORDER BY seq")
    assert not any("CANARY" in str(value) for row in rows for value in tuple(row))
    saves = [r for r in rows if r["action"] == "review.saved"]
    assert [(r["target_type"], r["target_id"]) for r in saves] == [("contact", desk.olga_call)] * 2
    assert [json.loads(r["details"]) for r in saves] == [
        {"count": 1, "version": 1},
        {"count": 1, "version": 2},
    ]
