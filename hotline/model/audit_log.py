"""What the audit log viewer asks for and what it gets back: entries with parsed details."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from hotline.errors import InvalidInput
from hotline.i18n import _

DEFAULT_LIMIT = 500
MAX_LIMIT = 5000  # the viewer pages; nobody loads the whole log at once

DetailValue = str | int | float | bool | None


@dataclass(frozen=True)
class AuditQuery:
    """Entries newest first. Every field narrows the selection; an empty one does not.
    Dates are local days, both ends included; ``before_seq`` continues a page."""

    actor: str | None = None
    actions: tuple[str, ...] = ()  # AuditAction codes; any of them
    since: dt.date | None = None
    until: dt.date | None = None
    before_seq: int | None = None
    limit: int = DEFAULT_LIMIT

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise InvalidInput(_("The first day of the period is after its last day."))
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidInput(
                _("Between 1 and %(max)d entries can be shown at a time.") % {"max": MAX_LIMIT}
            )

    def after(self, entry: AuditEntry) -> AuditQuery:
        """The next page: the same selection, older than ``entry``."""
        return replace(self, before_seq=entry.seq)


@dataclass(frozen=True)
class AuditEntry:
    """One entry as stored; ``at`` is None (and ``at_text`` the stored text) when the time
    cannot be read, which only an altered entry does."""

    seq: int
    at: dt.datetime | None
    at_text: str
    actor: str | None  # None: the program itself (installation, seed data)
    action: str
    target_type: str | None
    target_id: str | None
    details: Mapping[str, DetailValue]
