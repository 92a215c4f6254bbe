"""Reviews table: the latest review of each call."""

from __future__ import annotations

import json

from hotline.model.review import FeedbackItem, Review
from hotline.store.connection import Database, Row

_COLUMNS = (
    "id", "version", "contact_id", "operator", "reviewer", "rubric", "comment", "reviewed_at",
    "seen_at", "created_at", "created_by", "updated_at", "updated_by",
)  # fmt: skip
_FIELDS = ", ".join("v." + c for c in _COLUMNS)
_SELECT = "SELECT " + _FIELDS + " FROM reviews v"  # noqa: S608
_FEEDBACK = (
    "SELECT " + _FIELDS + ", c.reference, c.started_at"  # noqa: S608
    " FROM reviews v JOIN contacts c ON c.id = v.contact_id"
    " WHERE v.operator = ? ORDER BY v.reviewed_at DESC LIMIT ?"
)


def _values(review: Review) -> tuple[object, ...]:
    return (
        review.id,
        review.version,
        review.contact_id,
        review.operator,
        review.reviewer,
        json.dumps(review.rubric, sort_keys=True),
        review.comment,
        review.reviewed_at,
        review.seen_at,
        review.created_at,
        review.created_by,
        review.updated_at,
        review.updated_by,
    )


def _review(row: Row) -> Review:
    values = dict(zip(_COLUMNS, tuple(row)[: len(_COLUMNS)], strict=True))
    values["rubric"] = json.loads(values["rubric"])
    return Review(**values)


def insert(db: Database, review: Review) -> None:
    db.execute(
        "INSERT INTO reviews (" + ", ".join(_COLUMNS) + ") VALUES ("  # noqa: S608
        + ", ".join("?" for _ in _COLUMNS) + ")",
        _values(review),
    )  # fmt: skip


def update(db: Database, review: Review) -> bool:
    """Save over version ``review.version - 1``; False if someone else saved first."""
    values = _values(review)
    cursor = db.execute(
        "UPDATE reviews SET " + ", ".join(f"{c} = ?" for c in _COLUMNS[1:])  # noqa: S608
        + " WHERE id = ? AND version = ?",
        (*values[1:], review.id, review.version - 1),
    )  # fmt: skip
    return bool(cursor.rowcount == 1)


def for_contact(db: Database, contact_id: str) -> Review | None:
    row = db.one(_SELECT + " WHERE v.contact_id = ?", (contact_id,))
    return None if row is None else _review(row)


def mark_seen(db: Database, review_id: str, seen_at: str) -> None:
    db.execute(
        "UPDATE reviews SET seen_at = ? WHERE id = ? AND seen_at IS NULL", (seen_at, review_id)
    )


def feedback_for(db: Database, operator: str, limit: int) -> list[FeedbackItem]:
    rows = db.query(_FEEDBACK, (operator, limit))
    return [FeedbackItem(_review(r), r["reference"], r["started_at"]) for r in rows]


def unseen_count(db: Database, operator: str) -> int:
    return int(
        db.scalar(
            "SELECT count(*) FROM reviews WHERE operator = ? AND seen_at IS NULL", (operator,)
        )
    )
