"""Administration → Retention…: the policy saved, the preview counted in the background,
Apply only after a confirmation naming the number of calls, then the old call is clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from hotline.paths import DataDir
from hotline.services import retention
from tests.conftest import sign_in
from tests.unit.exchange_support import record_call
from ui.context import AppContext
from ui.retention_dialog import RetentionDialog, add_to_menu

OLD = dt.datetime.now(dt.UTC) - dt.timedelta(days=500)


def test_menu_entry_only_for_administrators(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    for name, expected in (("admin", 1), ("bakyt", 0)):
        context = make_context(data_dir)
        context.session = sign_in(data_dir, name)
        menu = QMenu(parent)
        add_to_menu(menu, context, context.session, parent)
        assert [a.text() for a in menu.actions()] == ["Retention…"] * expected
        context.close_session()


def test_save_preview_confirm_apply(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    bakyt = sign_in(data_dir, "bakyt")
    old = record_call(bakyt, started=OLD, name="Старая Звонящая")
    record_call(bakyt, name="Новая Звонящая")
    bakyt.close()
    context = make_context(data_dir)
    context.session = sign_in(data_dir, "admin")
    dialog = RetentionDialog(context, context.session)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.enabled_box.isChecked() and not dialog.apply_button.isEnabled()
    assert "off" in dialog.policy_label.text()

    dialog.enabled_box.setChecked(True)
    dialog.months.setValue(12)
    assert dialog.save_button.isEnabled() and not dialog.apply_button.isEnabled()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.counts is not None, timeout=10_000)
    assert retention.get_policy(context.session) == retention.Policy(12)
    assert "1 call would lose personal data." in dialog.preview_label.text()
    assert dialog.apply_button.isEnabled()

    # A change not saved yet: no applying an old preview.
    dialog.months.setValue(24)
    assert not dialog.apply_button.isEnabled()
    dialog.months.setValue(12)
    assert dialog.apply_button.isEnabled()

    # Cancelled: nothing happens.
    dialog.apply_button.click()
    box = dialog.confirmation
    assert box is not None and "1 call for good" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert context.session.db.scalar(
        "SELECT caller_name FROM contacts WHERE id = ?", (old.id,)
    ) == ("Старая Звонящая")

    dialog.apply_button.click()
    box = dialog.confirmation
    assert box is not None
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert yes.text() == "Remove from 1 call"
    yes.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.counts is not None, timeout=20_000)
    assert "removed from 1 call" in dialog.message.text() and not dialog.message.is_error
    assert "0 calls would lose personal data." in dialog.preview_label.text()
    assert not dialog.apply_button.isEnabled()
    names = {r[0] for r in context.session.db.query("SELECT caller_name FROM contacts")}
    assert names == {"", "Новая Звонящая"}


def test_counts_asked_for_at_once_run_one_after_the_other(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    bakyt = sign_in(data_dir, "bakyt")
    record_call(bakyt, started=OLD, name="Старая Звонящая")
    bakyt.close()
    context = make_context(data_dir)
    context.session = sign_in(data_dir, "admin")
    retention.set_policy(context.session, retention.Policy(12))
    dialog = RetentionDialog(context, context.session)
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(3):  # two counts at once on one connection used to clash (temp table)
        dialog.refresh()
    qtbot.waitUntil(lambda: dialog.counts is not None and not dialog.busy, timeout=10_000)
    assert not dialog.message.is_error
    assert "1 call would lose personal data." in dialog.preview_label.text()
    context.close_session()
