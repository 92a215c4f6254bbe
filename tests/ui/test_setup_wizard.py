from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from hotline import keys, training
from hotline.exchange import partners
from hotline.i18n import current_language
from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services import session as session_service
from hotline.services.session import Session
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

    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert next_button.isVisible()
    assert not next_button.isEnabled()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    wizard.reject()  # Esc or the close button cannot lose the recovery key
    assert wizard.isVisible()
    wizard.recovery_page.confirm.setChecked(True)
    assert next_button.isEnabled()
    QTest.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.card_page
    click(qtbot, wizard, QWizard.WizardButton.NextButton)  # no card: the step is skipped

    # Practice data, written in the background with progress; the page waits for it.
    page = wizard.training_page
    assert wizard.currentPage() is page
    page.contacts = 12
    QTest.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert page.busy and page.progress.isVisible() and page.progress.maximum() == 12
    assert not next_button.isEnabled()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    wizard.reject()  # closing now would abandon the worker: refused
    assert wizard.isVisible()
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert not page.message.is_error, page.message.text()
    assert page.progress.value() == 12 or not page.progress.isVisible()
    assert training.is_training(training.training_dir(new_dir))
    assert "demo hotline 2024" in page.details.text()
    assert not page.create_button.isEnabled()  # once is enough
    click(qtbot, wizard, QWizard.WizardButton.NextButton)

    assert wizard.currentPage() is wizard.done_page
    summary = wizard.done_page.summary.text()
    assert str(new_dir.root) in summary and ORG_NAME in summary and "aigul" in summary
    assert "No coordinator's card" in summary
    assert "Training installation with 12 invented calls" in summary
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible() and finish.isEnabled()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    QTest.mouseClick(finish, Qt.MouseButton.LeftButton)

    window = desk.window
    assert isinstance(window, MainWindow)
    assert window.welcome.organisation.text() == ORG_NAME
    assert window.session.user.role is Role.ADMIN
    assert load_settings(new_dir.settings).last_username == "aigul"
    # The administrator can sign in again with the password typed in the wizard.
    desk.sign_out()
    session_service.login(new_dir, "aigul", PASSWORD).close()


def created(qtbot: QtBot, wizard: SetupWizard) -> None:
    """Fill every page and create the installation; the wizard shows the recovery key."""
    to_create_page(qtbot, wizard)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=15000)


def test_the_recovery_key_must_be_acknowledged_and_can_be_saved_for_printing(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], new_dir: DataDir, tmp_path: Path
) -> None:
    wizard = SetupWizard(make_context(new_dir))
    qtbot.addWidget(wizard)
    wizard.show()
    created(qtbot, wizard)
    assert wizard.result_ is not None
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    with qtbot.assertNotEmitted(wizard.completed):
        QTest.mouseClick(next_button, Qt.MouseButton.LeftButton)
        wizard.accept()
        wizard.reject()
    assert wizard.currentPage() is wizard.recovery_page and wizard.isVisible()
    assert not next_button.isEnabled()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    # The installation exists: there is no way back to the page that created it.
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    QTest.mouseClick(wizard.recovery_page.confirm, Qt.MouseButton.LeftButton)
    assert next_button.isEnabled()
    QTest.mouseClick(wizard.recovery_page.confirm, Qt.MouseButton.LeftButton)
    assert not next_button.isEnabled()
    # The sentence beside the box wraps in long languages and is clickable too.
    QTest.mouseClick(wizard.recovery_page.confirm_label, Qt.MouseButton.LeftButton)
    assert wizard.recovery_page.confirm.isChecked() and next_button.isEnabled()

    # "Save for printing…": a one-page PDF holding the very key shown (not in the data folder).
    assert wizard.save_recovery_sheet(tmp_path / "key")
    sheet = tmp_path / "key.pdf"
    document = pdfium.PdfDocument(sheet.read_bytes())
    pages = len(document)
    text = "".join(document[0].get_textpage().get_text_range().split())
    document.close()
    assert pages == 1
    assert wizard.result_.recovery_key.replace("-", "") in text.replace("-", "")
    assert wizard.recovery_page.message.isVisible() and not wizard.recovery_page.message.is_error
    assert not wizard.save_recovery_sheet(tmp_path / "no such folder" / "key.pdf")
    assert wizard.recovery_page.message.is_error
    assert not any(new_dir.root.glob("*.pdf"))

    # Even if something drove the wizard back to the Create page, nothing is created twice.
    database = new_dir.database.read_bytes()
    assert len(database) >= 16
    slots = new_dir.keyslots.read_bytes()
    first = wizard.result_
    wizard.restart()
    fill_admin(wizard)
    for _page in range(3):
        wizard.next()
    assert wizard.currentPage() is wizard.create_page
    assert wizard.validateCurrentPage()
    assert not wizard.create_page.busy and wizard.result_ is first
    assert new_dir.keyslots.read_bytes() == slots
    # The same database (its first page starts with its salt), never a new one.
    assert new_dir.database.read_bytes()[:16] == database[:16]


def test_cancel_before_creation_leaves_nothing_behind(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], new_dir: DataDir
) -> None:
    desk = make_desk(new_dir)
    desk.start()
    wizard = desk.wizard
    assert wizard is not None
    to_create_page(qtbot, wizard)
    with qtbot.waitSignal(wizard.rejected):
        click(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert not wizard.isVisible()
    assert not new_dir.root.exists()  # not even an empty folder or a settings file


def test_cancel_while_creating_is_refused_and_leaves_a_whole_installation(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], new_dir: DataDir
) -> None:
    wizard = SetupWizard(make_context(new_dir))
    qtbot.addWidget(wizard)
    wizard.show()
    to_create_page(qtbot, wizard)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.create_page.busy
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    with qtbot.assertNotEmitted(wizard.rejected):
        wizard.reject()  # Esc or the window's close button
        click(qtbot, wizard, QWizard.WizardButton.CommitButton)  # a second press: no second run
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=15000)
    assert wizard.isVisible()
    assert not new_dir.rekey_staging.exists()
    assert wizard.result_ is not None
    wizard.result_.session.close()
    session_service.login(new_dir, "aigul", PASSWORD).close()


def test_coordinator_card_is_registered_only_with_the_fingerprint_read_out(
    qtbot: QtBot,
    make_context: Callable[[DataDir], AppContext],
    new_dir: DataDir,
    admin: Session,
    tmp_path: Path,
) -> None:
    # Real cards, exported by another real installation (the test template).
    coordinator = partners.export_card(admin, tmp_path / "coordinator.hlcard", recipient=True)
    partners.export_card(admin, tmp_path / "sender.hlcard", recipient=False)
    (tmp_path / "broken.hlcard").write_bytes(b"not a card")
    wizard = SetupWizard(make_context(new_dir))
    qtbot.addWidget(wizard)
    wizard.show()
    created(qtbot, wizard)
    assert wizard.result_ is not None
    session = wizard.result_.session
    wizard.recovery_page.confirm.setChecked(True)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.card_page
    assert wizard.currentPage() is page
    assert not page.details.isVisible()

    assert not page.load_card(tmp_path / "broken.hlcard")
    assert page.message.is_error and page.card is None

    assert page.load_card(tmp_path / "coordinator.hlcard")
    assert page.details.isVisible() and page.typed.hasFocus()
    assert page.fingerprint.text().split() == coordinator.fingerprint.split("-")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)  # nothing typed
    assert wizard.currentPage() is page and page.message.is_error
    wrong = coordinator.fingerprint[:-1] + ("0" if coordinator.fingerprint[-1] != "0" else "1")
    page.typed.setText(wrong)
    QTest.keyClick(page.typed, Qt.Key.Key_Return)  # Enter means Next
    assert wizard.currentPage() is page
    assert "does not match" in page.message.text()
    assert page.typed.text() == wrong  # kept, to be corrected
    assert partners.partners(session) == []

    assert page.load_card(tmp_path / "sender.hlcard")  # this card cannot receive batches
    page.typed.setText(page.card.fingerprint if page.card else "")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is page and page.message.is_error
    assert partners.partners(session) == []

    assert page.load_card(tmp_path / "coordinator.hlcard")
    page.typed.setText(coordinator.fingerprint.lower().replace("-", " "))  # as typed by phone
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.training_page
    click(qtbot, wizard, QWizard.WizardButton.NextButton)  # no practice data: skipped
    assert wizard.currentPage() is wizard.done_page
    assert "No training installation" in wizard.done_page.summary.text()
    assert not training.training_dir(new_dir).root.exists()
    [partner] = partners.partners(session)
    assert partner.kind == partners.RECIPIENT
    assert partner.installation_id == admin.installation.id
    assert partner.registered_by == "aigul"
    assert "KG-TEST" in wizard.done_page.summary.text()
    # Back and Next again does not register it twice, and the card can no longer be removed.
    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    assert wizard.currentPage() is page and not page.remove_button.isVisible()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert len(partners.partners(session)) == 1
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert not wizard.isVisible()


def test_a_card_can_be_removed_to_skip_the_step(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], new_dir: DataDir, tmp_path: Path
) -> None:
    wizard = SetupWizard(make_context(new_dir))
    qtbot.addWidget(wizard)
    page = wizard.card_page
    (tmp_path / "x.hlcard").write_bytes(b"{}")
    assert not page.load_card(tmp_path / "missing.hlcard")
    assert "cannot be read" in page.message.text()
    assert page.validatePage()  # no card: skipping is allowed


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
