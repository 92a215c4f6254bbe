"""The Backups dialog (settings, Back up now, Restore… ending the session), the scheduler of
the main window, and the restore offered on the sign-in screen for a damaged database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from hotline.errors import DatabaseUnreadable
from hotline.paths import DataDir
from hotline.services import backup_schedule, integrity
from hotline.services import session as session_service
from hotline.services.backup_schedule import Frequency
from hotline.store.repositories import contacts as contacts_repo
from tests.conftest import ADMIN, ADMIN_PASSWORD, sign_in
from tests.ui.calls_support import sign_in as desk_sign_in
from tests.unit import supervision_data
from tests.unit.test_backup_schedule import references
from ui import restore_dialog
from ui.backup_dialog import BackupsDialog, add_to_menu
from ui.backup_scheduler import BackupScheduler
from ui.context import AppContext
from ui.desk import Desk
from ui.restore_dialog import RestoreDialog, offer_restore

CALLS = supervision_data.generate(6, seed=11).contacts


def add_calls(data_dir: DataDir, first: int, last: int) -> None:
    session = sign_in(data_dir, "bakyt")
    try:
        with session.db.transaction():
            for contact in CALLS[first:last]:
                contacts_repo.insert(session.db, contact, True)
    finally:
        session.close()


def note_text(box: QWidget) -> str:
    label = box.findChild(QLabel, "qt_msgbox_label")
    assert label is not None
    return label.text()


def open_backups(qtbot: QtBot, desk: Desk) -> BackupsDialog:
    window = desk.window
    assert window is not None and window.admin_menu is not None
    add_to_menu(window.admin_menu, desk.context, window.session, window)
    action = next(a for a in window.admin_menu.actions() if a.objectName() == "backups-action")
    assert action.text() == "&Backups…"
    action.trigger()
    dialog = window.findChild(BackupsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "stick"
    path.mkdir()
    return path


def test_back_up_add_a_call_restore_from_the_dialog_and_the_call_is_gone(
    qtbot: QtBot,
    make_desk: Callable[[DataDir], Desk],
    data_dir: DataDir,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_calls(data_dir, 0, 4)
    desk = make_desk(data_dir)
    desk_sign_in(qtbot, desk, ADMIN)
    dialog = open_backups(qtbot, desk)
    assert dialog.restore_button.isVisibleTo(dialog)
    dialog.folder.setText(str(folder))
    dialog.every.setCurrentIndex(dialog.every.findData("daily"))
    dialog.keep.setValue(3)
    dialog.now_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1 and not dialog.busy, timeout=15000)
    assert "Backup written" in dialog.message.text()
    made = backup_schedule.list_backups(folder)
    cell = dialog.table.item(0, 2)
    assert cell is not None and cell.text() == made[0].path.name
    assert backup_schedule.get_schedule(dialog.session).every is Frequency.DAILY

    add_calls(data_dir, 4, 5)  # after the backup: will be gone
    assert len(references(data_dir)) == 5

    questions: list[str] = []

    def ask(_parent: QWidget, question: str) -> bool:
        questions.append(question)
        return True

    monkeypatch.setattr(restore_dialog, "_ask", ask)
    dialog.restore_button.click()
    restore = dialog.restore_dialog
    assert restore is not None
    assert restore.username.text() == ADMIN
    assert restore.selected() == made[0].path
    restore.password.setText(ADMIN_PASSWORD)
    restore.restore_button.click()
    assert questions and made[0].path.name in questions[0]
    qtbot.waitUntil(lambda: desk.window is None and desk.login is not None, timeout=20000)
    assert desk.context.session is None
    notes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "backup-session-ended"]
    assert notes and "was restored" in note_text(notes[0])
    for note in notes:
        note.close()

    assert references(data_dir) == sorted(c.reference for c in CALLS[:4])
    session = sign_in(data_dir, ADMIN)
    assert integrity.quick_check_problem(session.db) == ""
    session.close()


def test_wrong_password_at_restore_changes_nothing_and_signs_out(
    qtbot: QtBot,
    make_desk: Callable[[DataDir], Desk],
    data_dir: DataDir,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = make_desk(data_dir)
    desk_sign_in(qtbot, desk, ADMIN)
    dialog = open_backups(qtbot, desk)
    dialog.folder.setText(str(folder))
    dialog.now_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1 and not dialog.busy, timeout=15000)
    monkeypatch.setattr(restore_dialog, "_ask", lambda _parent, _q: True)
    dialog.restore_button.click()
    restore = dialog.restore_dialog
    assert restore is not None
    restore.password.setText("not the password")
    restore.restore_button.click()
    qtbot.waitUntil(lambda: restore.message.is_error, timeout=15000)
    assert not any(p.name.startswith("replaced-") for p in data_dir.root.iterdir())
    restore.reject()
    qtbot.waitUntil(lambda: desk.window is None and desk.login is not None, timeout=10000)
    for note in QApplication.topLevelWidgets():
        if note.objectName() == "backup-session-ended":
            assert "not restored" in note_text(note)
            note.close()


def test_supervisor_backs_up_but_cannot_restore_and_operator_has_no_entry(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk = make_desk(data_dir)
    desk_sign_in(qtbot, desk, "bakyt")
    dialog = open_backups(qtbot, desk)
    assert not dialog.restore_button.isVisibleTo(dialog)
    dialog.reject()
    desk.sign_out()
    desk_sign_in(qtbot, desk, "olga")
    window = desk.window
    assert window is not None
    before = len(window.file_menu.actions())
    add_to_menu(window.file_menu, desk.context, window.session, window)
    assert len(window.file_menu.actions()) == before


def test_scheduler_writes_when_due_and_tells_an_unplugged_folder_once(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir, folder: Path
) -> None:
    context = make_context(data_dir)
    session = session_service.login(data_dir, ADMIN, ADMIN_PASSWORD)
    context.session = session
    backup_schedule.set_schedule(session, folder, Frequency.DAILY, 14)
    scheduler = BackupScheduler(context, session)
    messages: list[str] = []
    scheduler.message.connect(messages.append)
    scheduler.start()
    qtbot.waitUntil(lambda: len(messages) == 1, timeout=15000)
    assert messages[0].startswith("Backup written: hotline-KG-TEST-")
    scheduler.tick()  # not due again today
    assert not scheduler.busy
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    folder.rename(folder.with_name("unplugged"))
    for _ in range(2):
        scheduler.tick(tomorrow)
        qtbot.waitUntil(lambda: not scheduler.busy, timeout=15000)
    assert len(messages) == 2
    assert "not made" in messages[1] and "cannot be found" in messages[1]
    scheduler.stop()


def test_sign_in_screen_restores_a_damaged_installation(
    qtbot: QtBot, data_dir: DataDir, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_calls(data_dir, 0, 3)
    admin = sign_in(data_dir, ADMIN)
    backup_schedule.set_schedule(admin, folder, Frequency.DAILY, 14)
    made = backup_schedule.back_up_now(admin, dt.datetime.now(dt.UTC)).path
    admin.close()
    data = bytearray(data_dir.database.read_bytes())
    page = len(data) // 4096 - 2
    data[page * 4096 + 2000] ^= 0x10
    data_dir.database.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnreadable, match=made.name):
        session_service.login(data_dir, ADMIN, ADMIN_PASSWORD)

    monkeypatch.setattr(restore_dialog, "_ask", lambda _parent, _q: True)
    seen: list[RestoreDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RestoreDialog):
            QTimer.singleShot(50, answer)
            return
        seen.append(dialog)
        assert dialog.selected() == made
        dialog.username.setText(ADMIN)
        dialog.password.setText(ADMIN_PASSWORD)
        dialog.restore_button.click()

    QTimer.singleShot(0, answer)
    assert offer_restore(None, data_dir)
    assert seen
    assert references(data_dir) == sorted(c.reference for c in CALLS[:3])


def test_the_sign_in_screen_offers_the_restore_when_the_database_is_damaged(
    qtbot: QtBot,
    data_dir: DataDir,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_context: Callable[[DataDir], AppContext],
) -> None:
    from tests.ui.test_login_dialog import make_login
    from tests.ui.test_login_dialog import sign_in as login_with

    add_calls(data_dir, 0, 2)
    admin = sign_in(data_dir, ADMIN)
    backup_schedule.set_schedule(admin, folder, Frequency.DAILY, 14)
    made = backup_schedule.back_up_now(admin, dt.datetime.now(dt.UTC)).path
    admin.close()
    login = make_login(qtbot, make_context, data_dir)
    login_with(qtbot, login, ADMIN, "not the password")
    assert not login.restore_button.isVisible()  # a wrong password is not damage
    data = bytearray(data_dir.database.read_bytes())
    page = len(data) // 4096 - 2
    data[page * 4096 + 2000] ^= 0x10
    data_dir.database.write_bytes(bytes(data))
    login_with(qtbot, login, ADMIN, ADMIN_PASSWORD)
    assert login.message.is_error and made.name in login.message.text()
    assert login.restore_button.isVisible()

    monkeypatch.setattr(restore_dialog, "_ask", lambda _parent, _q: True)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RestoreDialog):
            QTimer.singleShot(50, answer)
            return
        dialog.username.setText(ADMIN)
        dialog.password.setText(ADMIN_PASSWORD)
        dialog.restore_button.click()

    QTimer.singleShot(0, answer)
    login.restore_button.click()
    assert not login.restore_button.isVisible()
    assert "backup was restored" in login.message.text()
    assert references(data_dir) == sorted(c.reference for c in CALLS[:2])


def test_damage_found_after_sign_in_stops_work_and_the_sign_in_refuses(
    qtbot: QtBot,
    data_dir: DataDir,
    monkeypatch: pytest.MonkeyPatch,
    make_desk: Callable[[DataDir], Desk],
) -> None:
    add_calls(data_dir, 0, 3)
    data = bytearray(data_dir.database.read_bytes())
    page = len(data) // 4096 - 2
    data[page * 4096 + 2000] ^= 0x10
    data_dir.database.write_bytes(bytes(data))
    monkeypatch.setattr(integrity, "SIGN_IN_CHECK_BYTES", 0)  # checked after sign-in
    told: list[str] = []

    def close_the_message() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, close_the_message)
            return
        told.append(note_text(box))
        box.close()

    QTimer.singleShot(0, close_the_message)
    desk = make_desk(data_dir)
    desk_sign_in(qtbot, desk, ADMIN)  # the damaged page is not read at sign-in
    qtbot.waitUntil(lambda: desk.window is None, timeout=15000)
    assert told and "found damage" in told[0]
    assert desk.context.session is None and desk.login is not None
    assert integrity.alert_path(data_dir).exists()
    with pytest.raises(DatabaseUnreadable, match="is damaged"):
        session_service.login(data_dir, ADMIN, ADMIN_PASSWORD)


def test_a_clean_check_after_sign_in_is_remembered(
    qtbot: QtBot,
    data_dir: DataDir,
    monkeypatch: pytest.MonkeyPatch,
    make_desk: Callable[[DataDir], Desk],
) -> None:
    monkeypatch.setattr(integrity, "SIGN_IN_CHECK_BYTES", 0)
    desk = make_desk(data_dir)
    desk_sign_in(qtbot, desk, ADMIN)
    session = desk.context.session
    assert session is not None
    qtbot.waitUntil(lambda: not integrity.background_check_due(session.db, data_dir))
    assert desk.window is not None and not integrity.alert_path(data_dir).exists()
