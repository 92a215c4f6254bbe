"""Administration → Screening scripts: versions listed, a new version loaded, bad files named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from hotline.paths import DataDir
from hotline.services.screening import builtin_scripts
from tests.ui.test_main_window import signed_in_desk, window_of
from ui.desk import Desk
from ui.scripts_dialog import ScriptsDialog

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "scripts" / "job-offer.toml"


def rows(dialog: ScriptsDialog) -> list[list[str]]:
    table = dialog.table
    result = []
    for r in range(table.rowCount()):
        cells = [table.item(r, c) for c in range(table.columnCount())]
        result.append([cell.text() if cell is not None else "" for cell in cells])
    return result


def test_supervisor_lists_and_loads_a_new_version(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir, tmp_path: Path
) -> None:
    window = window_of(signed_in_desk(qtbot, make_desk, data_dir, "bakyt"))
    assert window.admin_menu is not None
    assert window.scripts_action in window.admin_menu.actions()
    assert window.users_action not in window.admin_menu.actions()
    window.scripts_action.trigger()
    dialog = window.scripts_dialog
    assert isinstance(dialog, ScriptsDialog)
    assert dialog.isVisible()
    assert len(rows(dialog)) == len(builtin_scripts())
    newer = tmp_path / "job-offer-v2.toml"
    newer.write_text(SHIPPED.read_text("utf-8").replace("version = 1", "version = 2", 1), "utf-8")
    dialog.load_file(newer)
    assert not dialog.message.is_error
    assert "job-offer" in dialog.message.text()
    listed = {(r[0], r[1]): r[3] for r in rows(dialog)}
    assert listed[("job-offer", "2")] == "Yes"
    assert listed[("job-offer", "1")] == "No, kept for earlier calls"


def test_a_bad_file_is_refused_with_its_problems(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir, tmp_path: Path
) -> None:
    window = window_of(signed_in_desk(qtbot, make_desk, data_dir, "admin"))
    window.show_scripts()
    dialog = window.scripts_dialog
    assert dialog is not None
    before = rows(dialog)
    broken = tmp_path / "broken.toml"
    broken.write_text(
        SHIPPED.read_text("utf-8").replace("version = 1", 'version = "one"', 1), "utf-8"
    )
    dialog.load_file(broken)
    assert dialog.message.is_error
    assert "version" in dialog.message.text()
    assert rows(dialog) == before


def test_operators_have_no_scripts_menu(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    window = window_of(signed_in_desk(qtbot, make_desk, data_dir, "olga"))
    window.show_scripts()
    assert window.scripts_dialog is None
