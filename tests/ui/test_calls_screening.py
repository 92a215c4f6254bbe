"""A call screened in the call screen: answers in the panel beside the form, saved with
Ctrl+S together with the call, shown again when the call is reopened."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hotline.paths import DataDir
from hotline.services import contacts
from tests.ui.calls_support import ctrl, signed_in
from ui.desk import Desk


def test_a_call_screened_and_saved_with_its_answers(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    ctrl(Qt.Key.Key_N)
    editor = workspace.editor
    panel = editor.screening
    assert panel.isVisible()
    editor.form.notes.setPlainText("Сестра заперта в квартире в Дубае, паспорт отобрали")
    panel.choose_script("trafficking-now")
    panel.views["danger"].buttons["yes"].click()  # "Is the person in danger right now?"
    assert panel.level == "urgent"
    assert panel.banner.isVisible()
    ctrl(Qt.Key.Key_S)
    saved = editor.contact
    assert saved is not None
    assert saved.version == 1
    stored = contacts.get_contact(window.session, saved.id)
    assert stored.risk_level == "urgent"
    assert stored.danger
    (screening,) = stored.screenings
    assert screening.script_id == "trafficking-now"
    assert screening.level == "urgent"
    assert "yes" in screening.answers.values()
    # Reopened, the call shows its answers again.
    workspace.show_home()
    workspace.open_contact(saved.id)
    assert editor.screening.level == "urgent"
