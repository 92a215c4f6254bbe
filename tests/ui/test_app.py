from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from hotline.i18n import current_language
from hotline.paths import DataDir
from ui.app import create_application, main, parse_args
from ui.login_dialog import LoginDialog
from ui.setup_dialog import SetupWizard


def test_arguments() -> None:
    args, rest = parse_args(["--data-dir", "/tmp/x", "--lang", "uz@cyrillic", "-style", "fusion"])
    assert args.data_dir == "/tmp/x" and args.lang == "uz_Cyrl"
    assert rest == ["-style", "fusion"]
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--lang", "klingon"])
    assert exit_info.value.code == 2


def close_when_shown(kind: type) -> None:
    def check() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and isinstance(widget, kind) and widget.isVisible():
                widget.reject()
                return
        QTimer.singleShot(20, check)

    QTimer.singleShot(0, check)


def test_main_runs_setup_on_an_empty_data_dir(qtbot: QtBot, new_dir: DataDir) -> None:
    close_when_shown(SetupWizard)
    assert main(["--data-dir", str(new_dir.root), "--lang", "ky"]) == 0
    assert current_language() == "ky"
    assert not new_dir.database.exists()


def test_main_uses_hotline_data_dir(
    qtbot: QtBot, data_dir: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(data_dir.root))
    close_when_shown(LoginDialog)
    assert main([]) == 0


def test_every_window_has_the_application_icon(qtbot: QtBot) -> None:
    app = create_application([])
    assert not app.windowIcon().isNull()
