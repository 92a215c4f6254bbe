"""A supervisor's review of one call: a short rubric and a comment to the operator."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Review:
    id: str
    version: int
    contact_id: str
    operator: str  # whose call it is
    reviewer: str
    # criterion code (taxonomy "review_criteria") -> mark code ("review_marks")
    rubric: dict[str, str] = field(default_factory=dict, hash=False)
    comment: str = ""
    reviewed_at: str = ""
    seen_at: str | None = None  # when the operator opened the feedback
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""


@dataclass(frozen=True)
class FeedbackItem:
    """A review as the operator's feedback list shows it."""

    review: Review
    contact_reference: str
    contact_started_at: str
