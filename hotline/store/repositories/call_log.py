"""The call log in SQL: one WHERE clause for a filter (shared with the statistics), pages
fetched by keyset so that the thousandth page costs what the first does, and counts."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from hotline.errors import InvalidInput
from hotline.i18n import _
from hotline.model.call_log import LOCAL_SOURCE, CallLogFilter, CallLogRow, ShareConsent, Sort
from hotline.store.connection import Database, Row

MIN_SEARCH_LETTERS = 3  # the trigram index cannot find anything shorter

# Sort columns: an expression that is never NULL, so that keyset comparison works.
_RISK_ORDER = (
    "CASE c.risk_level WHEN 'urgent' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3"
    " WHEN 'low' THEN 2 WHEN 'none' THEN 1 ELSE 0 END"
)
SORT_EXPRESSIONS = {
    "started_at": "c.started_at",
    "reference": "c.reference",
    "operator": "c.operator",
    "call_type": "COALESCE(c.call_type, '')",
    "risk_level": _RISK_ORDER,
    "call_language": "COALESCE(c.call_language, '')",
    "caller_country": "COALESCE(c.caller_country, '')",
    "follow_up_date": "COALESCE(c.follow_up_date, '')",
    "reviewed": "(r.id IS NOT NULL)",
}
FROM = "FROM contacts c LEFT JOIN reviews r ON r.contact_id = c.id"
_USES_REVIEW = re.compile(r"\br\.")


def from_for(*sql: str) -> str:
    """``FROM``, joined with the reviews only when ``sql`` uses them: SQLite keeps the join
    otherwise, and counting over it looks up every call's review (150 times slower at
    100 000 calls than reading an index)."""
    return FROM if any(_USES_REVIEW.search(part) for part in sql) else "FROM contacts c"


def search_query(text: str) -> str:
    """An FTS5 query finding every word of ``text`` (each as a quoted string, so nothing a
    user types is read as FTS syntax; quotes typed around a word are dropped, not searched
    for); raises InvalidInput if no word is long enough."""
    words = [w for w in text.replace('"', " ").split() if len(w) >= MIN_SEARCH_LETTERS]
    if not words:
        raise InvalidInput(
            _("Type at least %(count)d letters to search the notes.")
            % {"count": MIN_SEARCH_LETTERS}
        )
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


def utc_bound(day: dt.date, utc_offset_minutes: int) -> str:
    """The UTC instant at which local ``day`` begins, in the stored text format."""
    local_midnight = dt.datetime.combine(day, dt.time(), dt.UTC)
    return (local_midnight - dt.timedelta(minutes=utc_offset_minutes)).isoformat()


@dataclass
class Where:
    """A WHERE clause over ``contacts c`` (joined with ``reviews r``) and its parameters."""

    clauses: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def add(self, clause: str, **params: Any) -> None:
        self.clauses.append(clause)
        self.params.update(params)

    def add_in(self, column: str, name: str, values: tuple[str, ...]) -> None:
        if not values:
            return
        names = [f"{name}{i}" for i in range(len(values))]
        self.add(
            f"{column} IN (" + ", ".join(":" + n for n in names) + ")",
            **dict(zip(names, values, strict=True)),
        )

    @property
    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1"


def where(f: CallLogFilter, *, utc_offset_minutes: int, today: dt.date) -> Where:
    w = Where()
    if f.since is not None:
        w.add("c.started_at >= :since", since=utc_bound(f.since, utc_offset_minutes))
    if f.until is not None:
        end = f.until + dt.timedelta(days=1)
        w.add("c.started_at < :until", until=utc_bound(end, utc_offset_minutes))
    w.add_in("c.operator", "op", f.operators)
    w.add_in("c.call_type", "ct", f.call_types)
    w.add_in("c.risk_level", "rl", f.risk_levels)
    w.add_in("c.call_language", "la", f.languages)
    w.add_in("c.caller_country", "cc", f.caller_countries)
    if f.topics:
        parts = []
        for i, topic in enumerate(f.topics):
            # The topic itself or any of its subtopics ("DOC" selects "DOC.LOST"): a range
            # over the index, '/' being the character after '.'.
            parts.append(f"t.topic = :tp{i} OR (t.topic > :tp{i}s AND t.topic < :tp{i}e)")
            w.params.update({f"tp{i}": topic, f"tp{i}s": topic + ".", f"tp{i}e": topic + "/"})
        # Correlated: each call the other filters select is looked up by its id, instead of
        # listing every call of the topic first (1.6 s at a million calls for WORK).
        w.clauses.append(
            "EXISTS (SELECT 1 FROM contact_topics t WHERE t.contact_id = c.id AND ("  # noqa: S608
            + " OR ".join(f"({p})" for p in parts)
            + "))"
        )
    region = f.caller_region.strip()
    if region:
        w.add("instr(fold(c.caller_region), fold(:region)) > 0", region=region)
    if f.share_consent is ShareConsent.GIVEN:
        w.add("c.consent_share = 1")
    elif f.share_consent is ShareConsent.REFUSED:
        w.add("c.consent_share = 0")
    elif f.share_consent is ShareConsent.NOT_ASKED:
        w.add("c.consent_share IS NULL")
    if f.review is not None:
        w.add("r.id IS NOT NULL" if f.review == "reviewed" else "r.id IS NULL")
    if f.follow_up_due:
        w.add(
            "c.follow_up_done = 0 AND c.follow_up_date IS NOT NULL AND c.follow_up_date <= :today",
            today=today.isoformat(),
        )
    if f.sources:
        # Where the record was made: here (no origin) or at one of the named installations.
        parts = ["c.origin_id IS NULL"] if LOCAL_SOURCE in f.sources else []
        others = tuple(s for s in f.sources if s != LOCAL_SOURCE)
        if others:
            names = [f"src{i}" for i in range(len(others))]
            parts.append("c.origin_id IN (" + ", ".join(":" + n for n in names) + ")")
            w.params.update(zip(names, others, strict=True))
        w.clauses.append("(" + " OR ".join(parts) + ")")
    if f.text.strip():
        w.add(
            "c.id IN (SELECT n.contact_id FROM contact_numbers n WHERE n.n IN"
            " (SELECT rowid FROM contact_text WHERE contact_text MATCH :search))",
            search=search_query(f.text),
        )
    return w


_ROW_COLUMNS = (
    "c.id, c.reference, c.started_at, c.operator, c.call_type, c.topics, c.risk_level,"
    " c.call_language, c.caller_country, c.caller_region, c.consent_share, c.follow_up_date,"
    " c.follow_up_done, r.id IS NOT NULL AS reviewed"
)


def count(db: Database, w: Where) -> int:
    # Without the review join unless the filter needs it: a count can then read an index.
    return int(db.scalar(f"SELECT count(*) {from_for(w.sql)} WHERE {w.sql}", w.params))


def page(
    db: Database, w: Where, sort: Sort, *, after: tuple[Any, str] | None, limit: int
) -> list[CallLogRow]:
    """Up to ``limit`` rows in ``sort`` order, starting after the row whose ``sort_key`` is
    ``after`` (None: from the top)."""
    expression = SORT_EXPRESSIONS[sort.column]
    direction = "DESC" if sort.descending else "ASC"
    params = dict(w.params, limit=limit)
    clause = w.sql
    if after is not None:
        comparison = "<" if sort.descending else ">"
        clause += f" AND ({expression}, c.id) {comparison} (:after_value, :after_id)"
        params.update(after_value=after[0], after_id=after[1])
    # Built from the whitelisted expressions above; every value is a parameter.
    sql = (
        f"SELECT {_ROW_COLUMNS}, {expression} AS sort_value {FROM} WHERE {clause}"
        f" ORDER BY {expression} {direction}, c.id {direction} LIMIT :limit"
    )
    return [_row(r) for r in db.query(sql, params)]


def _row(r: Row) -> CallLogRow:
    share = r["consent_share"]
    return CallLogRow(
        id=r["id"],
        reference=r["reference"],
        started_at=dt.datetime.fromisoformat(r["started_at"]),
        operator=r["operator"],
        call_type=r["call_type"],
        topics=tuple(json.loads(r["topics"])),
        risk_level=r["risk_level"],
        call_language=r["call_language"],
        caller_country=r["caller_country"],
        caller_region=r["caller_region"],
        share_consent=None if share is None else bool(share),
        follow_up_date=None
        if r["follow_up_date"] is None
        else dt.date.fromisoformat(r["follow_up_date"]),
        follow_up_done=bool(r["follow_up_done"]),
        reviewed=bool(r["reviewed"]),
        sort_key=(r["sort_value"], r["id"]),
    )


def operators(db: Database) -> list[str]:
    """Everyone who recorded a call here (accounts removed since included)."""
    return [r[0] for r in db.query("SELECT DISTINCT operator FROM contacts ORDER BY operator")]


# --- saved filters -----------------------------------------------------------------------


def save_filter(db: Database, owner: str, name: str, data: dict[str, Any], saved_at: str) -> None:
    db.execute(
        "INSERT INTO saved_filters (owner, name, data, saved_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (owner, name) DO UPDATE SET data = excluded.data,"
        " saved_at = excluded.saved_at",
        (owner, name, json.dumps(data, ensure_ascii=False), saved_at),
    )


def saved_filters(db: Database, owner: str) -> list[tuple[str, dict[str, Any], str]]:
    rows = db.query(
        "SELECT name, data, saved_at FROM saved_filters WHERE owner = ? ORDER BY name", (owner,)
    )
    return [(r[0], json.loads(r[1]), r[2]) for r in rows]


def delete_filter(db: Database, owner: str, name: str) -> bool:
    cursor = db.execute("DELETE FROM saved_filters WHERE owner = ? AND name = ?", (owner, name))
    return bool(cursor.rowcount)
