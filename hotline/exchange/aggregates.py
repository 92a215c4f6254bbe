"""Aggregate batches: counts only, with every cell under k suppressed (CTDC uses k = 11).

Suppression is in two steps. A cell under k is withheld. Then, in any dimension where one
cell alone was withheld while the total is published, the smallest published cell is
withheld too, so that no withheld count can be worked out as the total minus the others.
A total under k is withheld with every cell.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hotline.exchange.records import Reader
from hotline.i18n import _
from hotline.model.call_log import CallLogFilter
from hotline.model.statistics import Dimension
from hotline.store.connection import Database
from hotline.store.repositories import call_log as log_repo
from hotline.store.repositories import statistics as stats_repo

DEFAULT_K = 11
MIN_K = 2
MAX_K = 100
NOT_RECORDED = "_none"

# What an aggregate batch counts: no operator names, no regions, no single days.
DIMENSIONS = (
    Dimension.MONTH,
    Dimension.CALL_TYPE,
    Dimension.CHANNEL,
    Dimension.TOPIC,
    Dimension.CALLER_SEX,
    Dimension.CALLER_AGE,
    Dimension.RELATIONSHIP,
    Dimension.LANGUAGE,
    Dimension.CALLER_COUNTRY,
    Dimension.RISK_LEVEL,
    Dimension.DESTINATION_COUNTRY,
    Dimension.EXPLOITATION_TYPE,
    Dimension.REFERRAL_SERVICE,
    Dimension.REFERRAL_OUTCOME,
)


def suppress(cells: list[tuple[str, int]], total: int, k: int) -> tuple[list[Any], int | None]:
    """Cells as [code, count or None] and the total or None, nothing under ``k`` shown."""
    if total < k:
        return [[code, None] for code, _count in cells], None
    shown: dict[str, int | None] = {code: (n if n >= k else None) for code, n in cells}
    withheld = [code for code, n in shown.items() if n is None]
    if len(withheld) == 1:
        published = [(n, code) for code, n in shown.items() if n is not None]
        if published:
            shown[min(published)[1]] = None
    return [[code, n] for code, n in shown.items()], total


def compute(
    db: Database, since: dt.date, until: dt.date, k: int, utc_offset_minutes: int
) -> dict[str, Any]:
    """Counts of this installation's own contacts in the period (consent plays no part:
    nothing in an aggregate names or singles out a caller)."""
    today = dt.date.today()
    w = log_repo.where(
        CallLogFilter(since=since, until=until), utc_offset_minutes=utc_offset_minutes, today=today
    )
    w.add("c.origin_id IS NULL")
    dimensions: dict[str, Any] = {}
    for dimension in DIMENSIONS:
        result = stats_repo.breakdown(db, w, dimension, utc_offset_minutes)
        raw = [(c.code or NOT_RECORDED, c.count) for c in result.cells]
        cells, total = suppress(raw, result.total, k)
        dimensions[dimension.value] = {"total": total, "cells": cells}
    return {
        "k": k,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "dimensions": dimensions,
    }


def check_aggregates(r: Reader) -> dict[str, Any]:
    """Validate received aggregates; a cell under k is refused, whoever made the batch."""
    k = r.integer("k", MIN_K, MAX_K)
    for key in ("since", "until"):
        if r.day(key) is None:
            raise r.error(f"{r.where}.{key}", _("not a date"))
    dims = r.obj("dimensions")
    known = {d.value for d in DIMENSIONS}
    for name in dims.data:
        if name not in known:
            raise r.error(f"{dims.where}.{name}", _("unknown code"))
        dim = dims.obj(name)
        total = dim.optional_integer("total", 0, 10**9)
        if total is not None and total < k:
            raise dim.error(f"{dim.where}.total", _("a count under k was not suppressed"))
        cells = dim.data.get("cells")
        if not isinstance(cells, list) or len(cells) > 10_000:
            raise dim.error(f"{dim.where}.cells", _("expected a list"))
        codes: set[str] = set()
        for i, cell in enumerate(cells):
            where = f"{dim.where}.cells[{i}]"
            if not (isinstance(cell, list) and len(cell) == 2 and isinstance(cell[0], str)):
                raise dim.error(where, _("expected a code and a count"))
            if len(cell[0]) > 80:
                raise dim.error(where, _("expected a code"))
            if cell[0] in codes:
                raise dim.error(where, _("the same code appears twice"))
            codes.add(cell[0])
            count = cell[1]
            if count is None:
                continue
            if not isinstance(count, int) or isinstance(count, bool) or count > 10**9:
                raise dim.error(where, _("expected a whole number in range"))
            if count < k:
                raise dim.error(where, _("a count under k was not suppressed"))
    return r.data
