"""Counts received in aggregate batches, as tables a person can read: one per batch and
dimension, values labelled in the interface language, withheld counts marked."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.exchange.aggregates import NOT_RECORDED
from hotline.model.statistics import Dimension
from hotline.roles import Action
from hotline.services.session import Session
from hotline.statistics_labels import codes_in_order, label, not_recorded
from hotline.store.repositories import exchange as repo

TOTAL = "_total"


@dataclass(frozen=True)
class CountsTable:
    batch_id: str
    sender_id: str
    sender: str  # "KG-SEZIM · Osh", or the id when the sender is not registered
    since: str
    until: str
    dimension: Dimension
    total: int | None  # None: withheld (fewer than k)
    cells: tuple[tuple[str, int | None], ...]  # (value in words, count or None if withheld)


def _order(dimension: Dimension, counts: dict[str, int | None]) -> list[str]:
    """The taxonomy's order where it means something, months in time, else most first;
    "not recorded" last."""
    known = codes_in_order(dimension)
    rank = {code: i for i, code in enumerate(known)}

    def key(code: str) -> tuple[bool, int, int, str]:
        if known:
            return (code == NOT_RECORDED, rank.get(code, len(known)), 0, code)
        if dimension is Dimension.MONTH:
            return (code == NOT_RECORDED, 0, 0, code)
        return (code == NOT_RECORDED, 0, -(counts[code] or 0), code)

    return sorted(counts, key=key)


def received_counts(session: Session) -> list[CountsTable]:
    session.require(Action.VIEW_STATISTICS)
    names = {p.installation_id: p.label for p in repo.partners(session.db)}
    grouped: dict[tuple[str, str], list[tuple[str, int | None]]] = {}
    heads: dict[tuple[str, str], tuple[str, str, str]] = {}
    for row in repo.aggregate_rows(session.db):
        key = (str(row[0]), str(row[4]))
        grouped.setdefault(key, []).append((str(row[5]), row[6]))
        heads[key] = (str(row[1]), str(row[2]), str(row[3]))
    tables = []
    for (batch_id, name), cells in grouped.items():
        try:
            dimension = Dimension(name)
        except ValueError:
            continue  # a dimension this version does not know
        sender_id, since, until = heads[(batch_id, name)]
        counts = dict(cells)
        total = counts.pop(TOTAL, None)
        ordered = _order(dimension, counts)
        tables.append(
            CountsTable(
                batch_id=batch_id,
                sender_id=sender_id,
                sender=names.get(sender_id, sender_id[:8]),
                since=since,
                until=until,
                dimension=dimension,
                total=total,
                cells=tuple(
                    (not_recorded() if c == NOT_RECORDED else label(dimension, c), counts[c])
                    for c in ordered
                ),
            )
        )
    return tables
