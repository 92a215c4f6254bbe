"""Help › About Hotline Desk…: the groups, the calm warnings, Copy details, Open data folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from hotline.paths import DataDir
from hotline.services import backup_schedule
from hotline.services.backup_schedule import Frequency
from tests.conftest import sign_in
from ui import about_dialog, clipboard
from ui.about_dialog import AboutDialog
from ui.context import AppContext


def opened(qtbot: QtBot, context: AppContext, name: str) -> AboutDialog:
    session = sign_in(context.data_dir, name)
    context.session = session
    parent = QWidget()
    qtbot.addWidget(parent)
    menu = QMenu(parent)
    action = about_dialog.add_to_menu(menu, context, session, parent)
    assert action.text() == "&About Hotline Desk…"
    action.trigger()
    dialog = parent.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.info is not None, timeout=10000)
    return dialog


def titles(dialog: AboutDialog) -> list[str]:
    return [box.title() for box in dialog.boxes]


def test_supervisor_sees_four_groups_and_calm_warnings(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    dialog = opened(qtbot, make_context(data_dir), "bakyt")
    assert titles(dialog) == ["Program", "This installation", "Backups", "Exchange"]
    assert dialog.values["Last backup"].text() == "never"
    assert "#8a5a00" in dialog.values["Last backup"].styleSheet()
    assert dialog.values["Qt"].text() and dialog.values["Calls stored"].text() == "0"
    assert not dialog.warning.isHidden()
    assert "No backup of this installation is known yet." in dialog.warning.text()

    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("[Program]") and "Qt: " in copied and "bakyt" not in copied
    assert clipboard._plain == copied

    urls: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url)
        return True

    dialog.open_url = open_url
    dialog.folder_button.click()
    assert [u.toLocalFile() for u in urls] == [str(data_dir.root)]
    dialog.open_url = lambda url: False
    dialog.folder_button.click()
    assert dialog.message.is_error and str(data_dir.root) in dialog.message.text()


def test_recent_backup_clears_the_warning_and_operator_sees_no_exchange(
    qtbot: QtBot,
    make_context: Callable[[DataDir], AppContext],
    data_dir: DataDir,
    tmp_path: Path,
) -> None:
    supervisor = sign_in(data_dir, "bakyt")
    folder = tmp_path / "backups"
    folder.mkdir()
    backup_schedule.set_schedule(supervisor, folder, Frequency.WEEKLY, 2)
    backup_schedule.back_up_now(supervisor, dt.datetime.now(dt.UTC))
    supervisor.close()
    dialog = opened(qtbot, make_context(data_dir), "olga")
    assert titles(dialog) == ["Program", "This installation", "Backups"]
    assert "ago" in dialog.values["Last backup"].text()
    assert dialog.values["Last backup"].styleSheet() == ""
    assert dialog.warning.isHidden()
    assert dialog.values["Signed in as"].text() == "Operator"
