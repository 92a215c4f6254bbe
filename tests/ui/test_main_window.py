from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from hotline import audit
from hotline.formatting import ui_language_choices
from hotline.i18n import _, current_language
from hotline.paths import DataDir
from tests.conftest import ADMIN, PASSWORDS
from tests.conftest import sign_in as sign_in_core
from ui.desk import Desk, locked_notice
from ui.main_window import MainWindow
from ui.settings import load_settings


def signed_in_desk(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir, username: str
) -> Desk:
    desk = make_desk(data_dir)
    desk.start()
    login = desk.login
    assert login is not None
    login.username.setText(username)
    login.password.setText(PASSWORDS[username])
    login.sign_in()
    qtbot.waitUntil(lambda: desk.window is not None, timeout=15000)
    return desk


def window_of(desk: Desk) -> MainWindow:
    assert desk.window is not None
    return desk.window


def test_admin_sees_the_administration_menu(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    window = window_of(signed_in_desk(qtbot, make_desk, data_dir, ADMIN))
    assert window.menu_titles == ["&File", "&Directory", "&Administration", "Se&ttings", "&Help"]
    assert window.admin_menu is not None
    assert window.users_action in window.admin_menu.actions()


def test_operator_does_not_see_the_administration_menu(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    window = window_of(signed_in_desk(qtbot, make_desk, data_dir, "olga"))
    assert window.menu_titles == ["&File", "&Directory", "Se&ttings", "&Help"]
    assert window.admin_menu is None
    window.show_users()  # even if called, nothing opens for an operator
    assert window.users_dialog is None


def test_welcome_panel_and_status_bar_show_the_real_profile(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    window = window_of(signed_in_desk(qtbot, make_desk, data_dir, ADMIN))
    welcome = window.welcome
    assert welcome.organisation.text() == "Тест"
    assert welcome.place.text() == "Бишкек, Kyrgyzstan"
    assert "KG-TEST" in welcome.code.text()
    assert welcome.user_value.text() == "Айгүл Администратор (admin)"
    assert welcome.role_value.text() == "Administrator"
    assert "Айгүл Администратор" in window.user_status.text()
    assert "Administrator" in window.role_status.text()
    assert window.lock_status.text() == "Unlocked"
    assert "Тест" in window.windowTitle()


def test_lock_closes_the_session_and_asks_for_the_password_again(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk = signed_in_desk(qtbot, make_desk, data_dir, "bakyt")
    window = window_of(desk)
    session = window.session
    assert window.lock_action.shortcut().toString() == "Ctrl+L"
    window.lock_action.trigger()
    assert session.db.closed
    assert desk.context.session is None
    assert desk.window is None
    assert not window.isVisible()
    login = desk.login
    assert login is not None and login.isVisible()
    assert login.notice.text() == locked_notice()
    assert login.username.text() == "bakyt"
    assert login.password.text() == ""
    check = sign_in_core(data_dir, "bakyt")
    assert [r.action for r in audit.recent(check.db, 2)] == ["login", "lock"]
    check.close()


def test_sign_out_and_quit(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk = signed_in_desk(qtbot, make_desk, data_dir, "dana")
    session = window_of(desk).session
    window_of(desk).sign_out_action.trigger()
    assert session.db.closed and desk.window is None
    assert desk.login is not None
    login = desk.login
    login.password.setText(PASSWORDS["dana"])
    login.sign_in()
    qtbot.waitUntil(lambda: desk.window is not None, timeout=15000)
    session = window_of(desk).session
    with qtbot.waitSignal(desk.quit_requested):
        window_of(desk).close()  # the window's close button means quit
    assert session.db.closed
    assert desk.window is None


def test_about_box_opens(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    window = window_of(signed_in_desk(qtbot, make_desk, data_dir, "olga"))
    from ui.about_dialog import AboutDialog

    window.about_action.trigger()
    dialogs = window.findChildren(AboutDialog)
    assert len(dialogs) == 1 and "Hotline Desk" in dialogs[0].title.text()
    qtbot.waitUntil(lambda: dialogs[0].info is not None, timeout=10000)
    dialogs[0].reject()


def test_language_switch_relabels_the_open_window(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    from hotline.i18n import set_language

    window = window_of(signed_in_desk(qtbot, make_desk, data_dir, ADMIN))
    assert window.welcome.place.text() == "Бишкек, Kyrgyzstan"
    set_language("ky")
    assert window.welcome.place.text() == "Бишкек, Кыргызстан"
    set_language("en")
    assert window.welcome.place.text() == "Бишкек, Kyrgyzstan"


def test_each_user_works_in_their_own_language(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    from hotline.i18n import current_language
    from hotline.services import users
    from tests.conftest import sign_in
    from ui.settings import load_settings

    session = sign_in(data_dir, "olga")
    users.set_language(session, "ky")
    session.close()
    window = window_of(signed_in_desk(qtbot, make_desk, data_dir, "olga"))
    assert current_language() == "ky"
    assert window.welcome.place.text() == "Бишкек, Кыргызстан"
    assert load_settings(data_dir.settings).language == "ky"  # offered before the next sign-in


def sign_in_again(qtbot: QtBot, desk: Desk, username: str) -> MainWindow:
    login = desk.login
    assert login is not None
    login.username.setText(username)
    login.password.setText(PASSWORDS[username])
    login.sign_in()
    qtbot.waitUntil(lambda: desk.window is not None, timeout=15000)
    return window_of(desk)


def test_language_menu_offers_every_language_in_its_own_name(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    window = window_of(signed_in_desk(qtbot, make_desk, data_dir, "olga"))
    assert window.language_menu.menuAction() in window.settings_menu.actions()
    actions = window.language_actions.actions()
    assert [a.text() for a in actions] == [name for _code, name in ui_language_choices()]
    assert [a.text() for a in actions][:3] == ["English", "Русский", "Кыргызча"]
    assert all(a.isCheckable() for a in actions)
    assert [a.data() for a in actions if a.isChecked()] == ["en"]


def test_choosing_a_language_relabels_the_open_window_and_is_remembered(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk = signed_in_desk(qtbot, make_desk, data_dir, ADMIN)
    window = window_of(desk)
    kyrgyz = window.language_action("ky")
    assert kyrgyz is not None
    kyrgyz.trigger()
    assert current_language() == "ky"
    assert desk.window is window  # the same window, relabelled in place
    assert kyrgyz.isChecked()
    assert window.welcome.place.text() == "Бишкек, Кыргызстан"  # CLDR: always there
    # Our own strings, as far as the Kyrgyz catalogue has them today.
    assert window.menu_titles[0] == _("&File")
    assert window.welcome.user_label.text() == _("Signed in as:")
    assert window.lock_action.text() == _("&Lock")
    assert load_settings(data_dir.settings).language == "ky"
    check = sign_in_core(data_dir, ADMIN)
    assert check.user.language == "ky"
    check.close()

    # Signing out keeps this computer in Kyrgyz; another user gets their own language.
    window.sign_out_action.trigger()
    assert desk.login is not None
    assert desk.login.language.currentData() == "ky"
    sign_in_again(qtbot, desk, "olga")
    assert current_language() == "en"
    window_of(desk).sign_out_action.trigger()
    admin_again = sign_in_again(qtbot, desk, ADMIN)
    assert current_language() == "ky"
    assert admin_again.welcome.place.text() == "Бишкек, Кыргызстан"
    action = admin_again.language_action("ky")
    assert action is not None and action.isChecked()


def test_qt_own_strings_follow_the_language(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk = signed_in_desk(qtbot, make_desk, data_dir, "olga")
    window = window_of(desk)
    russian = window.language_action("ru")
    assert russian is not None
    russian.trigger()
    from ui.about_dialog import AboutDialog

    window.about_action.trigger()
    box = window.findChildren(AboutDialog)[0]
    QApplication.processEvents()
    close = box.buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close is not None and close.text() == "Закрыть"  # from Qt's qtbase_ru.qm
    qtbot.waitUntil(lambda: box.info is not None, timeout=10000)
    box.done(0)
    kazakh = window.language_action("kk")
    assert kazakh is not None
    kazakh.trigger()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Бас тарту"
    desk.quit()  # the next program (or test) starts from Qt's English again
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
