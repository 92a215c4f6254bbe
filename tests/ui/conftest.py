"""Fixtures for the widget tests: an application context per test, always cleaned up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hotline.paths import DataDir
from ui.context import AppContext
from ui.desk import Desk

# Qt's offscreen noise ("does not support propagateSizeHints") is ignored for every test in
# pyproject.toml (qt_log_ignore).


@pytest.fixture
def make_context(qtbot: QtBot) -> Iterator[Callable[[DataDir], AppContext]]:
    """Build AppContexts; at teardown wait for their workers and close their sessions."""
    made: list[AppContext] = []

    def make(data_dir: DataDir) -> AppContext:
        context = AppContext.create(data_dir)
        made.append(context)
        return context

    yield make
    for context in made:
        context.runner.wait()
        context.close_session()


@pytest.fixture
def new_dir(tmp_path: Path) -> DataDir:
    """A data folder with no installation yet."""
    return DataDir(tmp_path / "new")


@pytest.fixture
def make_desk(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext]
) -> Iterator[Callable[[DataDir], Desk]]:
    desks: list[Desk] = []

    def make(data_dir: DataDir) -> Desk:
        desk = Desk(make_context(data_dir))
        desks.append(desk)
        return desk

    yield make
    for desk in desks:
        desk.quit()
