"""The call log never loads all its rows at once (issue 10): the real window, its real
``QTableView`` and ``LogQuery`` over a counting stand-in of the repository's ``page`` and
``count`` that serves 100 000 synthetic rows by keyset, without a database. This tests
laziness, not speed: no timings, only what was asked of the repository."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSlider, QApplication
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from hotline.model.call_log import CallLogRow, Sort
from hotline.paths import DataDir
from hotline.services.call_log import PAGE_SIZE
from hotline.services.session import Session
from hotline.store.connection import Database
from hotline.store.repositories import call_log as repo
from tests.conftest import sign_in
from ui.supervision.call_log_window import CallLogWindow

ROWS = 100_000
RISKS = ("none", "low", "medium", "high", "urgent")  # row i has RISKS[i % 5]
RISK_ORDER = {level: n for n, level in enumerate(RISKS, start=1)}  # as _RISK_ORDER in SQL
PAINT_EVERY = 25
START = dt.datetime(2025, 6, 30, 23, 0, tzinfo=dt.UTC)


def contact_id(i: int) -> str:
    return f"c{i:07d}"


def sort_value(i: int, column: str) -> Any:
    """What the SQL sort expression gives for row ``i`` (only the columns used here)."""
    if column == "started_at":
        return (START - dt.timedelta(minutes=7 * i)).isoformat()
    if column == "risk_level":
        return RISK_ORDER[RISKS[i % 5]]
    raise AssertionError(f"the stand-in does not sort on {column}")


def make_row(i: int, sort: Sort) -> CallLogRow:
    return CallLogRow(
        id=contact_id(i),
        reference=f"KG-{i:06d}",
        started_at=START - dt.timedelta(minutes=7 * i),
        operator=("olga", "dana")[i % 2],
        call_type="consultation",
        topics=("WORK.OFFER",),
        risk_level=RISKS[i % 5],
        call_language="ky",
        caller_country="KG",
        caller_region="Ош",
        share_consent=None,
        follow_up_date=None,
        follow_up_done=False,
        reviewed=False,
        sort_key=(sort_value(i, sort.column), contact_id(i)),
    )


@dataclass
class Request:
    sort: Sort
    after: tuple[Any, str] | None
    limit: int
    returned: int


@dataclass
class CountingRepository:
    """``repo.page`` and ``repo.count`` over ``ROWS`` synthetic calls; every request kept.
    It understands the empty filter and a risk-level filter, and refuses any other."""

    requests: list[Request] = field(default_factory=list)
    counts: int = 0
    orders: dict[tuple[str, bool, tuple[str, ...]], tuple[list[int], dict[int, int]]] = field(
        default_factory=dict, repr=False
    )

    @staticmethod
    def risks(w: repo.Where) -> tuple[str, ...]:
        chosen = tuple(v for k, v in w.params.items() if k.startswith("rl"))
        assert len(w.clauses) == (1 if chosen else 0), f"unexpected filter: {w.sql}"
        return chosen

    def order(self, w: repo.Where, sort: Sort) -> tuple[list[int], dict[int, int]]:
        """Rows selected by ``w`` in ``sort`` order, and each row's position in it."""
        key = (sort.column, sort.descending, self.risks(w))
        if key not in self.orders:
            chosen = key[2]
            rows = [i for i in range(ROWS) if not chosen or RISKS[i % 5] in chosen]
            rows.sort(
                key=lambda i: (sort_value(i, sort.column), contact_id(i)),
                reverse=sort.descending,
            )
            self.orders[key] = (rows, {i: p for p, i in enumerate(rows)})
        return self.orders[key]

    def count(self, db: Database, w: repo.Where) -> int:
        self.counts += 1
        return len(self.order(w, Sort())[0])

    def page(
        self, db: Database, w: repo.Where, sort: Sort, *, after: tuple[Any, str] | None, limit: int
    ) -> list[CallLogRow]:
        rows, position = self.order(w, sort)
        start = 0
        if after is not None:
            i = int(after[1][1:])
            assert after == (sort_value(i, sort.column), contact_id(i)), "not a keyset of ours"
            start = position[i] + 1
        page = [make_row(i, sort) for i in rows[start : start + limit]]
        self.requests.append(Request(sort, after, limit, len(page)))
        return page

    @property
    def served(self) -> int:
        return sum(r.returned for r in self.requests)


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> CountingRepository:
    fake = CountingRepository()
    monkeypatch.setattr(repo, "page", fake.page)
    monkeypatch.setattr(repo, "count", fake.count)
    return fake


@pytest.fixture
def supervisor(data_dir: DataDir) -> Iterator[Session]:
    session = sign_in(data_dir, "bakyt")
    yield session
    if not session.db.closed:
        session.close()


@pytest.fixture
def window(
    qtbot: QtBot, supervisor: Session, stand_in: CountingRepository
) -> Iterator[CallLogWindow]:
    made = CallLogWindow(supervisor)  # deletes itself on close: not qtbot.addWidget'ed
    made.show()  # at its own size, 1300 × 720
    qtbot.waitExposed(made)
    QApplication.processEvents()
    yield made
    if isValid(made):
        made.close()


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def test_the_call_log_fetches_pages_only_as_the_view_needs_them(
    qtbot: QtBot, window: CallLogWindow, stand_in: CountingRepository
) -> None:
    model, table = window.model, window.table
    bar = table.verticalScrollBar()
    assert window.size().height() == 720 and table.viewport().height() > 300

    # Shown: the first page fills the view; the total comes from one count, not from rows.
    assert len(stand_in.requests) == 1
    assert stand_in.requests[0].after is None
    assert model.rowCount() == stand_in.served == PAGE_SIZE
    assert stand_in.counts == 1
    assert window.count.text() == "100,000 calls"
    assert bar.maximum() > 0  # a page is more than the view shows

    # Ctrl+A selects nothing more (one row at a time) and loads nothing.
    before = len(stand_in.requests)
    QTest.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert len(stand_in.requests) == before

    # Ctrl+End goes to the last row fetched: at most one page more, not the whole log.
    QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert len(stand_in.requests) - before <= 1
    assert model.rowCount() <= 3 * PAGE_SIZE

    # Dragging the scroll bar to its end, again and again, fetches one page each time. The
    # view fetches from its scroll bar and layout, not from painting: it paints every
    # PAINT_EVERY steps only (500 paints would take most of this test's time).
    steps = 0
    while model.canFetchMore(model.index(-1, -1)):
        before = len(stand_in.requests)
        table.setUpdatesEnabled(steps % PAINT_EVERY == 0)
        bar.triggerAction(QAbstractSlider.SliderAction.SliderToMaximum)
        settle()
        steps += 1
        assert len(stand_in.requests) - before == 1, f"step {steps}"
        assert model.rowCount() == stand_in.served
        assert steps <= ROWS // PAGE_SIZE + 1
    table.setUpdatesEnabled(True)
    settle()
    assert model.rowCount() == ROWS
    assert len(stand_in.requests) == ROWS // PAGE_SIZE + 1  # the last one finds nothing more
    assert {r.limit for r in stand_in.requests} == {PAGE_SIZE}
    assert [r.after is None for r in stand_in.requests].count(True) == 1
    assert stand_in.counts == 1
    assert len({row.id for row in model.rows}) == ROWS  # each page after the one before

    # A click on the risk header sorts in the repository: the first page again, no more
    # (the window scrolls to the top first, or the reset view would ask for a second page).
    before = len(stand_in.requests)
    header = table.horizontalHeader()
    risk = model.section_of("risk_level")
    x = header.sectionViewportPosition(risk) + header.sectionSize(risk) // 2
    QTest.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    settle()
    fresh = stand_in.requests[before:]
    assert [(r.after, r.sort) for r in fresh] == [(None, Sort("risk_level", True))]
    assert model.rowCount() == PAGE_SIZE
    assert table.rowAt(0) == 0  # shown from the top, not where the old order was left
    assert {row.risk_level for row in model.rows[:PAGE_SIZE]} == {"urgent"}
    assert header.sortIndicatorSection() == risk

    # A filter: one count for the total shown, and the first page of what it selects.
    before, counts = len(stand_in.requests), stand_in.counts
    combo = window.filters.combos["risk_level"]
    combo.setCurrentIndex(combo.findData("high"))
    settle()
    fresh = stand_in.requests[before:]
    assert [(r.after, r.sort) for r in fresh] == [(None, Sort("risk_level", True))]
    assert model.rowCount() == PAGE_SIZE
    assert table.rowAt(0) == 0
    assert {row.risk_level for row in model.rows} == {"high"}
    assert stand_in.counts == counts + 1
    assert window.count.text() == "20,000 calls"
    assert {r.limit for r in stand_in.requests} == {PAGE_SIZE}
