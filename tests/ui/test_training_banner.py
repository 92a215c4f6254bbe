"""The training banner (ui/training_banner.py): once installed, every window shown (the
sign-in window, the main window, a dialog opened from it) carries the strip and the title
prefix, and the strip takes space of its own instead of covering the window's content."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from hotline.paths import DataDir
from tests.conftest import sign_in as core_sign_in
from tests.ui.calls_support import sign_in
from ui import training_banner, training_mode
from ui.desk import Desk


@pytest.fixture
def banner(qtbot: QtBot) -> Iterator[training_banner.TrainingBanner]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    yield training_banner.install(app)
    training_banner.uninstall(app)


def _marked(window: QWidget) -> None:
    strip = training_banner.banner_of(window)
    assert strip is not None and strip.isVisible()
    assert strip.text() == training_banner.banner_text()
    assert window.windowTitle().startswith(training_banner.title_prefix())
    assert strip.width() == window.width()
    # The space is reserved: the window's content starts below the strip.
    assert window.contentsMargins().top() >= strip.height() > 0


def test_every_window_is_marked(
    qtbot: QtBot,
    make_desk: Callable[[DataDir], Desk],
    data_dir: DataDir,
    banner: training_banner.TrainingBanner,
) -> None:
    desk = make_desk(data_dir)
    window = sign_in(qtbot, desk, "admin")
    _marked(window)
    central = window.centralWidget()
    strip = training_banner.banner_of(window)
    assert central is not None and strip is not None
    assert central.geometry().top() >= strip.geometry().bottom()
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: strip.width() == 1000)
    box = QMessageBox(QMessageBox.Icon.Information, "Note", "Text", parent=window)
    box.show()
    qtbot.waitExposed(box)
    _marked(box)
    box.close()
    window.setWindowTitle("Hotline Desk — admin")  # a title set later keeps its prefix
    assert window.windowTitle() == training_banner.title_prefix() + "Hotline Desk — admin"


def test_windows_without_the_mode_are_untouched(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    window = sign_in(qtbot, make_desk(data_dir), "admin")
    assert training_banner.banner_of(window) is None
    assert not window.windowTitle().startswith(training_banner.title_prefix())


def test_menu_entry_for_administrators_of_a_real_installation(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk = make_desk(data_dir)
    window = sign_in(qtbot, desk, "admin")
    menu = QMenu(window)
    assert desk.context.session is not None
    training_mode.add_to_menu(menu, desk.context, desk.context.session, window)
    assert [a.objectName() for a in menu.actions()] == ["training-action"]
    operator = core_sign_in(data_dir, "olga")
    try:
        other = QMenu(window)
        training_mode.add_to_menu(other, desk.context, operator, window)
        assert other.actions() == []
    finally:
        operator.close()
    program, args, folder = training_mode.command(data_dir, "ru")
    assert program == sys.executable  # this Python, running ui.app from the source tree
    assert args == ["-m", "ui.app", "--training", "--data-dir", str(data_dir.root), "--lang", "ru"]
    assert (folder / "ui" / "app.py").exists()
