from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from hotline import keys
from hotline.formatting import ui_language_choices
from hotline.i18n import _, current_language
from hotline.paths import DataDir
from tests.conftest import ADMIN, PASSWORDS
from tests.conftest import sign_in as sign_in_core
from ui.context import AppContext
from ui.desk import Desk
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.settings import Settings, load_settings, save_settings


def sign_in(qtbot: QtBot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.setText(password)
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)


def make_login(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> LoginDialog:
    dialog = LoginDialog(make_context(data_dir))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_existing_database_shows_the_login_dialog(
    make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk = make_desk(data_dir)
    desk.start()
    assert desk.wizard is None
    assert desk.login is not None and desk.login.isVisible()
    assert str(data_dir.root) in desk.login.folder.text()


def test_wrong_password_shows_the_error_and_changes_nothing(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    before = data_dir.database.read_bytes()
    dialog = make_login(qtbot, make_context, data_dir)
    with qtbot.assertNotEmitted(dialog.signed_in):
        sign_in(qtbot, dialog, ADMIN, "not the password")
    assert dialog.message.isVisible() and dialog.message.is_error
    assert "not correct" in dialog.message.text()
    assert dialog.password.text() == ""
    assert dialog.username.text() == ADMIN
    assert dialog.isVisible()
    assert dialog.context.session is None
    assert data_dir.database.read_bytes() == before


def test_correct_password_opens_the_main_window(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk = make_desk(data_dir)
    desk.start()
    assert desk.login is not None
    sign_in(qtbot, desk.login, "olga", PASSWORDS["olga"])
    window = desk.window
    assert isinstance(window, MainWindow) and window.isVisible()
    assert desk.login is None
    assert window.welcome.organisation.text() == "Тест"
    assert "Бишкек" in window.welcome.place.text()
    assert load_settings(data_dir.settings).last_username == "olga"


def test_last_user_name_is_prefilled(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    save_settings(data_dir.settings, Settings(last_username="bakyt"))
    dialog = make_login(qtbot, make_context, data_dir)
    assert dialog.username.text() == "bakyt"
    assert dialog.password.text() == ""


def test_empty_fields_are_explained_without_calling_the_core(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    before = data_dir.keyslots.read_bytes()
    dialog = make_login(qtbot, make_context, data_dir)
    dialog.username.setText("")
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.message.is_error and not dialog.busy
    dialog.username.setText(ADMIN)
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.message.is_error and not dialog.busy
    assert data_dir.keyslots.read_bytes() == before  # no failed attempt was counted


def test_locked_account_counts_down_before_the_next_try(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    slot_file = keys.load_slot_file(data_dir.keyslots)
    waiting = [
        replace(slot, failures=5, not_before=time.time() + 1.5)
        for slot in slot_file.user_slots("olga")
    ]
    keys.save_slot_file(data_dir.keyslots, slot_file.replace_slots(waiting))
    dialog = make_login(qtbot, make_context, data_dir)
    sign_in(qtbot, dialog, "olga", PASSWORDS["olga"])
    assert dialog.context.session is None
    assert not dialog.sign_in_button.isEnabled()
    assert "2" in dialog.sign_in_button.text() or "1" in dialog.sign_in_button.text()
    assert "Try again in" in dialog.message.text()
    assert dialog.password.text() == "" and dialog.username.text() == "olga"
    qtbot.waitUntil(dialog.sign_in_button.isEnabled, timeout=4000)
    assert not dialog.message.is_error
    sign_in(qtbot, dialog, "olga", PASSWORDS["olga"])
    assert dialog.context.session is not None


def test_another_user_may_sign_in_during_the_wait(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    slot_file = keys.load_slot_file(data_dir.keyslots)
    waiting = [
        replace(slot, failures=8, not_before=time.time() + 60)
        for slot in slot_file.user_slots("olga")
    ]
    keys.save_slot_file(data_dir.keyslots, slot_file.replace_slots(waiting))
    dialog = make_login(qtbot, make_context, data_dir)
    sign_in(qtbot, dialog, "olga", PASSWORDS["olga"])
    assert not dialog.sign_in_button.isEnabled()
    QTest.keyClicks(dialog.username, "x")  # typing another name ends this account's wait
    assert dialog.sign_in_button.isEnabled()
    sign_in(qtbot, dialog, "bakyt", PASSWORDS["bakyt"])
    assert dialog.context.session is not None
    assert dialog.context.session.user.username == "bakyt"


def test_damaged_database_is_reported_and_left_alone(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    damaged = bytearray(data_dir.database.read_bytes())
    damaged[4096:] = bytes(len(damaged) - 4096)  # every page but the first
    data_dir.database.write_bytes(bytes(damaged))
    dialog = make_login(qtbot, make_context, data_dir)
    sign_in(qtbot, dialog, ADMIN, PASSWORDS[ADMIN])
    assert dialog.context.session is None
    assert dialog.message.is_error
    assert "damaged" in dialog.message.text() or "cannot be opened" in dialog.message.text()
    assert dialog.password.text() == ""
    assert data_dir.database.read_bytes() == bytes(damaged)


def test_quit_is_refused_while_signing_in(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    dialog = make_login(qtbot, make_context, data_dir)
    dialog.username.setText(ADMIN)
    dialog.password.setText(PASSWORDS[ADMIN])
    dialog.sign_in()
    assert dialog.busy and not dialog.sign_in_button.isEnabled()
    dialog.reject()
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)


def choose(dialog: LoginDialog, language: str) -> None:
    dialog.language.setCurrentIndex(dialog.language.findData(language))


def test_language_picker_switches_the_dialog_before_sign_in(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk = make_desk(data_dir)
    desk.start()
    dialog = desk.login
    assert dialog is not None
    names = [dialog.language.itemText(i) for i in range(dialog.language.count())]
    assert names == [name for _code, name in ui_language_choices()]
    assert dialog.language.currentData() == "en"
    dialog.username.setText("olga")
    choose(dialog, "ru")
    assert current_language() == "ru"
    assert dialog.windowTitle() == _("Hotline Desk — sign in")
    assert dialog.subtitle.text() == _("Sign in with your user name and password.")
    assert dialog.username.text() == "olga"  # nothing typed is lost
    # Qt's own strings switch too: the text-field menu is Russian (Qt's qtbase_ru.qm).
    menu = dialog.username.createStandardContextMenu()
    assert "&Копировать" in [a.text().split("\t")[0] for a in menu.actions()]
    menu.deleteLater()
    assert load_settings(data_dir.settings).language == "ru"

    # Chosen here, it wins over the language saved for the user, and becomes theirs.
    sign_in(qtbot, dialog, "olga", PASSWORDS["olga"])
    assert desk.window is not None
    assert current_language() == "ru"
    check = sign_in_core(data_dir, "olga")
    assert check.user.language == "ru"
    check.close()


def test_language_is_offered_from_this_computers_settings(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    from hotline.i18n import set_language

    set_language("uz_Latn")  # as ui.app does with settings.json at start-up
    dialog = make_login(qtbot, make_context, data_dir)
    assert dialog.language.currentData() == "uz_Latn"
    assert dialog.language.toolTip() == _("Language of the program")
    choose(dialog, "tg")
    assert current_language() == "tg"
    assert dialog.context.settings.language == "tg"
    assert dialog.language_picked
    assert dialog.sign_in_button.text() == _("&Sign in")


def test_language_switch_keeps_the_countdown_and_drops_stale_errors(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    from hotline.i18n import ngettext

    dialog = make_login(qtbot, make_context, data_dir)
    sign_in(qtbot, dialog, ADMIN, "not the password")
    assert dialog.message.is_error
    choose(dialog, "kk")
    # The core said it in English when it failed; an English line in a Kazakh dialog
    # would only confuse, so it goes.
    assert not dialog.message.isVisible()

    slot_file = keys.load_slot_file(data_dir.keyslots)
    waiting = [
        replace(slot, failures=5, not_before=time.time() + 60)
        for slot in slot_file.user_slots("olga")
    ]
    keys.save_slot_file(data_dir.keyslots, slot_file.replace_slots(waiting))
    sign_in(qtbot, dialog, "olga", PASSWORDS["olga"])
    assert not dialog.sign_in_button.isEnabled()
    choose(dialog, "ru")
    assert dialog.message.isVisible() and dialog.message.is_error  # said again, in Russian
    texts = {
        ngettext(
            "Too many failed attempts. Try again in %(n)d second.",
            "Too many failed attempts. Try again in %(n)d seconds.",
            n,
        )
        % {"n": n}
        for n in (58, 59, 60)
    }
    assert dialog.message.text() in texts
    assert not dialog.sign_in_button.isEnabled()
