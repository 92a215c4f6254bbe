"""Fixtures for the widget tests: an application context per test, always cleaned up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hotline.paths import DataDir
from ui.context import AppContext
from ui.desk import Desk

# The offscreen platform used in tests cannot forward size hints to a window manager and
# warns about it whenever a dialog with a layout is shown; that says nothing about our code.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


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
