from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from hotline import keys
from hotline.i18n import current_language
from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services import session as session_service
from ui.context import AppContext
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.settings import load_settings
from ui.setup_dialog import SetupWizard

ORG_NAME = "Кризисный центр «Сезим»"
SITE = "Ош"
PASSWORD = "Sezim hotline 2024"


def fill_organisation(wizard: SetupWizard, code: str = "KG-SEZIM") -> None:
    page = wizard.organisation_page
    page.code.setText(code)
    page.name.setText(ORG_NAME)
    page.set_country("KG")
    page.site.setText(SITE)


def fill_admin(wizard: SetupWizard, repeat: str = PASSWORD) -> None:
    page = wizard.admin_page
    page.username.setText("aigul")
    page.full_name.setText("Айгүл Токтогулова")
    page.password.setText(PASSWORD)
    page.repeat.setText(repeat)


def click(qtbot: QtBot, wizard: SetupWizard, which: QWizard.WizardButton) -> None:
    QTest.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def to_create_page(qtbot: QtBot, wizard: SetupWizard) -> None:
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    fill_organisation(wizard)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    fill_admin(wizard)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.create_page


def test_empty_data_dir_shows_the_setup_wizard(
    make_desk: Callable[[DataDir], Desk], new_dir: DataDir
) -> None:
    desk = make_desk(new_dir)
    desk.start()
    assert desk.wizard is not None and desk.wizard.isVisible()
    assert desk.login is None
    assert not new_dir.root.exists()


def test_setup_creates_the_installation_end_to_end(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], new_dir: DataDir
) -> None:
    desk = make_desk(new_dir)
    desk.start()
    wizard = desk.wizard
    assert wizard is not None
    to_create_page(qtbot, wizard)
    assert wizard.create_page.org_value.text() == f"{ORG_NAME} (KG-SEZIM)"
    assert wizard.create_page.country_value.text() == "Kyrgyzstan"

    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.create_page.busy  # Argon2id runs in the worker, the page shows progress
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=15000)

    assert new_dir.database.exists()
    assert wizard.result_ is not None
    key_text = wizard.recovery_page.key.text()
    assert keys.parse_recovery_key(key_text)  # what is shown is the real, parseable key
    assert key_text.replace("\n", "-") == wizard.result_.recovery_key

    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible()
    assert not finish.isEnabled()
    wizard.reject()  # Esc or the close button cannot lose the recovery key
    assert wizard.isVisible()
    wizard.recovery_page.confirm.setChecked(True)
    assert finish.isEnabled()
    QTest.mouseClick(finish, Qt.MouseButton.LeftButton)

    window = desk.window
    assert isinstance(window, MainWindow)
    assert window.welcome.organisation.text() == ORG_NAME
    assert window.session.user.role is Role.ADMIN
    assert load_settings(new_dir.settings).last_username == "aigul"
    # The administrator can sign in again with the password typed in the wizard.
    desk.sign_out()
    session_service.login(new_dir, "aigul", PASSWORD).close()


def test_finish_waits_for_the_checkbox(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], new_dir: DataDir
) -> None:
    wizard = SetupWizard(make_context(new_dir))
    qtbot.addWidget(wizard)
    wizard.show()
    to_create_page(qtbot, wizard)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=15000)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    with qtbot.assertNotEmitted(wizard.completed):
        QTest.mouseClick(finish, Qt.MouseButton.LeftButton)
        wizard.accept()
    assert not finish.isEnabled()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    QTest.mouseClick(wizard.recovery_page.confirm, Qt.MouseButton.LeftButton)
    assert finish.isEnabled()
    QTest.mouseClick(wizard.recovery_page.confirm, Qt.MouseButton.LeftButton)
    assert not finish.isEnabled()
    # The sentence beside the box wraps in long languages and is clickable too.
    QTest.mouseClick(wizard.recovery_page.confirm_label, Qt.MouseButton.LeftButton)
    assert wizard.recovery_page.confirm.isChecked() and finish.isEnabled()


def test_bad_organisation_code_is_shown_on_its_page(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], new_dir: DataDir
) -> None:
    wizard = SetupWizard(make_context(new_dir))
    qtbot.addWidget(wizard)
    wizard.show()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    fill_organisation(wizard, code="KG SEZIM")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.organisation_page
    assert wizard.currentPage() is page
    assert page.message.isVisible() and page.message.is_error
    assert "KG-SEZIM" in page.message.text()
    assert page.name.text() == ORG_NAME and page.site.text() == SITE
    page.code.setText("KG-SEZIM")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.admin_page
    assert not page.message.isVisible()


def test_passwords_must_match_and_follow_the_rules(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], new_dir: DataDir
) -> None:
    wizard = SetupWizard(make_context(new_dir))
    qtbot.addWidget(wizard)
    wizard.show()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    fill_organisation(wizard)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.admin_page
    assert "10" in page.rules.text()
    fill_admin(wizard, repeat="something else")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is page
    assert page.message.is_error
    assert page.password.text() == PASSWORD and page.username.text() == "aigul"
    page.password.setText("short")
    page.repeat.setText("short")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is page
    assert "10" in page.message.text()


def test_core_error_is_shown_inline_and_nothing_typed_is_lost(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], new_dir: DataDir
) -> None:
    wizard = SetupWizard(make_context(new_dir))
    qtbot.addWidget(wizard)
    wizard.show()
    to_create_page(qtbot, wizard)
    # Someone else created an installation meanwhile: initialize refuses with a KnownError.
    new_dir.root.mkdir(parents=True)
    new_dir.database.write_bytes(b"not ours")
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: not wizard.create_page.busy, timeout=15000)
    page = wizard.create_page
    assert wizard.currentPage() is page
    assert page.message.isVisible() and page.message.is_error
    assert "already exists" in page.message.text()
    assert new_dir.database.read_bytes() == b"not ours"
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    assert wizard.admin_page.password.text() == PASSWORD
    assert wizard.organisation_page.name.text() == ORG_NAME


def test_choosing_a_language_relabels_the_wizard(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], new_dir: DataDir
) -> None:
    context = make_context(new_dir)
    wizard = SetupWizard(context)
    qtbot.addWidget(wizard)
    names = [
        wizard.language_page.languages.item(row).text()
        for row in range(wizard.language_page.languages.count())
    ]
    assert names[:3] == ["English", "Русский", "Кыргызча"]
    assert len(names) == 7 and names[-1] == "Тоҷикӣ"
    org = wizard.organisation_page
    assert org.country.itemText(0) == "Kyrgyzstan"
    assert [org.country.itemData(i) for i in range(5)] == ["KG", "KZ", "UZ", "TJ", "TM"]
    assert org.country.count() > 200
    org.set_country("TJ")
    with qtbot.waitSignal(wizard.language_changed):
        wizard.language_page.select_language("ru")
    assert current_language() == "ru"
    assert context.settings.language == "ru"
    assert org.country.itemText(0) == "Киргизия"
    assert org.country_code() == "TJ"  # the choice survives the relabelling
    wizard.language_page.select_language("uz_Latn")
    assert org.country.itemText(0) == "Qirgʻiziston"  # U+02BB, from CLDR


def test_wizard_buttons_follow_the_language(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], new_dir: DataDir
) -> None:
    desk = make_desk(new_dir)
    desk.start()
    wizard = desk.wizard
    assert wizard is not None
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert next_button.text() == "&Next >"
    wizard.language_page.select_language("ru")
    # Qt's own words, from Qt's qtbase_ru.qm (through ui.qt_translation.QtStrings).
    assert next_button.text() == "&Далее >"
    assert wizard.button(QWizard.WizardButton.CancelButton).text() == "Отмена"
    wizard.language_page.select_language("kk")
    qtbot.wait(1)  # the LanguageChange events Qt posts must not undo it
    assert next_button.text() == "&Келесі >"
    wizard.language_page.select_language("en")
    assert next_button.text() == "&Next >"
