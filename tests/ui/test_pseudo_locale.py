"""Acceptance test for translations: every text a person can read in every window came
through gettext (ours) or Qt's translator (Qt's own), or is user or CLDR data.

A pseudo catalogue wraps each translated text in ⟦…⟧; the test opens each window and
dialog in each of its states and fails on any visible text without the markers that is
not in the small allow-list below. New windows and dialogs belong in this file.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QVBoxLayout, QWidget
from PySide6.QtWidgets import QWizard as Wizard
from pytestqt.qtbot import QtBot

from hotline import keys
from hotline.formatting import country_choices, ui_language_choices
from hotline.i18n import _
from hotline.paths import DataDir
from tests.conftest import ADMIN, PASSWORDS
from tests.ui.pseudo import PseudoLocale, Text, is_marked, menu_texts, unmarked, visible_texts
from ui.context import AppContext
from ui.desk import Desk, locked_notice
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.setup_dialog import SetupWizard
from ui.users_dialog import UsersDialog

# User data: what the test installations hold and what the wizard test types.
ORG_NAME, SITE, ORG_CODE = "Кризисный центр «Сезим»", "Ош", "KG-SEZIM"
WIZARD_ADMIN, WIZARD_ADMIN_NAME, PASSWORD = "aigul", "Айгүл Токтогулова", "Sezim hotline 2024"
USER_DATA = frozenset(
    {
        ORG_NAME,
        SITE,
        WIZARD_ADMIN,
        WIZARD_ADMIN_NAME,
        "Тест",  # the template installation (tests/conftest.py)
        "Бишкек",
        "KG-TEST",
        "Айгүл Администратор",
        *PASSWORDS,  # user names
    }
)
# Numbers, codes and dates need no catalogue.
NUMBERS = re.compile(r"[\d\s.,:/%+\-]+")


def cldr_names() -> set[str]:
    """Language names in their own language and country names, from Babel."""
    return {name for _code, name in ui_language_choices()} | {
        name for _code, name in country_choices()
    }


def script_texts() -> set[str]:
    """Screening scripts carry their own text in every language (checked by
    tests/unit/test_scripts_content.py), so they are data here, not catalogue strings."""
    from hotline.services.screening import builtin_scripts

    found: set[str] = set()
    for script in builtin_scripts().values():
        found.add(script.id)  # a code, like KG-TEST
        found.add(script.title.get_text())
        for section in script.sections:
            found.add(section.title.get_text())
            for question in section.questions:
                found.add(question.text.get_text())
                found.update(o.text.get_text() for o in question.options)
    return found


def allowed(*extra: str) -> set[str]:
    """USER_DATA, CLDR names, script texts and ``extra`` (a data folder path, a key)."""
    return set(USER_DATA) | cldr_names() | script_texts() | set(extra)


def assert_translated(texts: list[Text], *extra: str) -> None:
    assert any(t.text for t in texts), "nothing was collected: the window is not shown?"
    wrong = [t for t in unmarked(texts, allowed(*extra)) if not NUMBERS.fullmatch(t.text)]
    assert not wrong, "texts that bypass gettext:\n" + "\n".join(
        f"  {t.where}: {t.text!r}" for t in wrong
    )


def check(window: QWidget, *extra: str) -> None:
    QApplication.processEvents()  # Qt relabels its own buttons on a posted event
    assert_translated(visible_texts(window), *extra)


def directory_texts(dialog: QWidget) -> list[str]:
    """What the directory shows of its entries: names and places are data."""
    from ui.directory_dialog import DirectoryDialog, place_text

    assert isinstance(dialog, DirectoryDialog)
    return [text for org in dialog.entries for text in (org.name, place_text(org))]


def check_directory(dialog: QWidget, *extra: str) -> None:
    """The directory in its states: everything, a seed entry chosen, nothing found."""
    from ui.directory_dialog import DirectoryDialog

    assert isinstance(dialog, DirectoryDialog)
    check(dialog, *directory_texts(dialog), *extra)
    dialog.search.setText("Sezim")
    dialog.table.selectRow(0)
    assert dialog.historical_note.isVisible()
    check(dialog, *directory_texts(dialog), *extra)
    dialog.search.setText("no such organisation anywhere")
    check(dialog, *extra)
    dialog.search.setText("Sezim")
    dialog.table.selectRow(0)


def check_context_menu(field: QLineEdit) -> None:
    """Qt's own text-field menu (Undo, Copy, Paste…) follows the language too."""
    menu = field.createStandardContextMenu()
    try:
        assert_translated(list(menu_texts(menu, "context menu")))
    finally:
        menu.deleteLater()


@pytest.fixture
def pseudo(qapp: QApplication) -> Iterator[PseudoLocale]:
    locale = PseudoLocale()
    locale.install()
    yield locale
    locale.remove()


def message_box(parent: QWidget) -> QMessageBox:
    boxes = [box for box in parent.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1
    return boxes[0]


# -- the checker itself ------------------------------------------------------------


def test_the_check_finds_text_that_bypassed_gettext(qtbot: QtBot, pseudo: PseudoLocale) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.setWindowTitle(_("Users"))
    column = QVBoxLayout(window)
    for text in (_("Role"), "Plain English", _("Role:") + " " + "Олга", "Тест"):
        column.addWidget(QLabel(text, window))
    field = QLineEdit(window)
    field.setPlaceholderText("Search")
    column.addWidget(field)
    window.show()
    wrong = unmarked(visible_texts(window), allowed())
    assert [t.text for t in wrong] == ["Plain English", "⟦Role:⟧ Олга", "Search"]
    assert is_marked(_("%(n)d calls") % {"n": 3})


# -- the windows ---------------------------------------------------------------------


def test_setup_wizard_every_page_and_error(
    qtbot: QtBot,
    pseudo: PseudoLocale,
    make_desk: Callable[[DataDir], Desk],
    new_dir: DataDir,
) -> None:
    desk = make_desk(new_dir)
    desk.start()
    wizard = desk.wizard
    assert isinstance(wizard, SetupWizard)
    folder = str(new_dir.root)
    check(wizard)  # language page
    wizard.next()
    org = wizard.organisation_page
    check(wizard)
    check_context_menu(org.name)
    wizard.next()  # nothing typed: the name is missing
    assert org.message.is_error
    check(wizard)
    org.name.setText(ORG_NAME)
    org.code.setText("KG SEZIM")
    org.site.setText(SITE)
    wizard.next()
    assert org.message.is_error
    check(wizard)
    org.code.setText(ORG_CODE)
    wizard.next()

    admin = wizard.admin_page
    assert wizard.currentPage() is admin
    check(wizard)
    admin.username.setText(WIZARD_ADMIN)
    admin.full_name.setText(WIZARD_ADMIN_NAME)
    admin.password.setText("short")
    admin.repeat.setText("short")
    wizard.next()
    assert admin.message.is_error
    check(wizard)
    admin.password.setText(PASSWORD)
    admin.repeat.setText("something else")
    wizard.next()
    assert admin.message.is_error
    check(wizard)
    admin.repeat.setText(PASSWORD)
    wizard.next()

    create = wizard.create_page
    assert wizard.currentPage() is create
    check(wizard, folder, f"{ORG_NAME} ({ORG_CODE})")
    # Someone else's installation appears meanwhile: the core's error is shown inline.
    new_dir.root.mkdir(parents=True)
    new_dir.database.write_bytes(b"not ours")
    wizard.next()
    qtbot.waitUntil(lambda: not create.busy, timeout=15000)
    assert create.message.is_error
    check(wizard, folder)
    new_dir.database.unlink()
    wizard.next()
    assert create.busy
    check(wizard, folder)  # the progress note
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=15000)
    check(wizard, wizard.recovery_page.key.text())
    assert wizard.button(Wizard.WizardButton.FinishButton).text().startswith("⟦")


def test_login_dialog_in_every_state(
    qtbot: QtBot,
    pseudo: PseudoLocale,
    make_context: Callable[[DataDir], AppContext],
    data_dir: DataDir,
) -> None:
    folder = str(data_dir.root)
    slot_file = keys.load_slot_file(data_dir.keyslots)
    waiting = [
        replace(slot, failures=5, not_before=time.time() + 60)
        for slot in slot_file.user_slots("dana")
    ]
    keys.save_slot_file(data_dir.keyslots, slot_file.replace_slots(waiting))
    dialog = LoginDialog(make_context(data_dir), notice=locked_notice)
    qtbot.addWidget(dialog)
    dialog.show()
    check(dialog, folder)
    check_context_menu(dialog.username)
    dialog.username.setText("")
    dialog.sign_in()  # no user name
    assert dialog.message.is_error
    check(dialog, folder)
    dialog.username.setText(ADMIN)
    dialog.password.setText("not the password")
    dialog.sign_in()
    assert dialog.busy
    check(dialog, folder)  # "Signing in…"
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
    assert dialog.message.is_error
    check(dialog, folder)
    dialog.username.setText("dana")
    dialog.password.setText(PASSWORDS["dana"])
    dialog.sign_in()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
    assert not dialog.sign_in_button.isEnabled()  # waiting out the lock
    check(dialog, folder)


def test_main_window_menus_and_every_dialog(
    qtbot: QtBot,
    pseudo: PseudoLocale,
    make_context: Callable[[DataDir], AppContext],
    data_dir: DataDir,
) -> None:
    # Every status an account can have: disabled, one failed sign-in, locked.
    slot_file = keys.load_slot_file(data_dir.keyslots)
    failed = [keys.record_failure(slot) for slot in slot_file.user_slots("bakyt")]
    locked = [
        replace(slot, failures=5, not_before=time.time() + 600)
        for slot in slot_file.user_slots("dana")
    ]
    keys.save_slot_file(data_dir.keyslots, slot_file.replace_slots(failed + locked))
    context = make_context(data_dir)
    from hotline.services import session as session_service
    from hotline.services import users

    session = session_service.login(data_dir, ADMIN, PASSWORDS[ADMIN])
    users.disable_user(session, "olga")
    context.session = session
    window = MainWindow(context, session)
    qtbot.addWidget(window)
    window.show()
    check(window)

    from ui.about_dialog import AboutDialog

    window.about_action.trigger()
    about = window.findChildren(AboutDialog)[0]
    qtbot.waitUntil(lambda: about.info is not None, timeout=10000)
    titles = [box.title() for box in about.boxes]
    shown = [about.windowTitle(), *titles, about.copy_button.text(), about.title.text()]
    assert_translated([Text("About", text) for text in shown])
    about.done(0)

    window.directory_action.trigger()
    assert window.directory_dialog is not None
    check_directory(window.directory_dialog)
    window.directory_dialog.new_button.click()  # the admin may add entries
    entry_form = window.directory_dialog.form
    assert entry_form is not None
    check(entry_form)
    entry_form.reject()
    window.directory_dialog.close()

    window.scripts_action.trigger()
    scripts = window.scripts_dialog
    assert scripts is not None
    check(scripts)
    broken = data_dir.root.parent / "broken.toml"
    broken.write_text("format = 1\nid = 'x'", "utf-8")
    scripts.load_file(broken)
    assert scripts.message.is_error
    # The problems list names fields and lines of the file: data, not interface text.
    scripts.message.clear_message()
    check(scripts)
    scripts.reject()

    window.users_action.trigger()
    dialog = window.users_dialog
    assert isinstance(dialog, UsersDialog)
    check(dialog)

    dialog.add_button.click()
    form = dialog.form
    assert form is not None
    check(form)
    check_context_menu(form.findChildren(QLineEdit)[0])
    form.ok_button.click()  # empty user name
    assert form.message.is_error
    check(form)
    form.reject()

    dialog.select("bakyt")
    dialog.reset_button.click()
    assert dialog.form is not None
    check(dialog.form)
    dialog.form.reject()

    dialog.select("bakyt")
    dialog.role_button.click()
    assert dialog.form is not None
    check(dialog.form)
    dialog.form.reject()

    dialog.select("bakyt")
    dialog.disable_button.click()
    assert dialog.confirm_box is not None
    check(dialog.confirm_box)
    dialog.confirm_box.done(0)

    dialog.select("olga")
    dialog.enable_button.click()
    form = dialog.form
    assert form is not None
    check(form)
    form.findChildren(QLineEdit)[0].setText("short")
    form.findChildren(QLineEdit)[1].setText("short")
    form.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
    assert dialog.error_box is not None and dialog.error_box.isVisible()
    check(dialog.error_box)
    dialog.error_box.done(0)
    form.reject()
    dialog.reject()
    window.discard()


def test_an_open_main_window_relabels_itself(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk = make_desk(data_dir)
    desk.start()
    assert desk.login is not None
    desk.login.username.setText(ADMIN)
    desk.login.password.setText(PASSWORDS[ADMIN])
    desk.login.sign_in()
    qtbot.waitUntil(lambda: desk.window is not None, timeout=15000)
    window = desk.window
    assert window is not None
    assert not any(is_marked(title) for title in window.menu_titles)
    locale = PseudoLocale()
    locale.install()  # no restart, no new window: the Desk hears of it
    try:
        check(window)
        assert all(is_marked(title) for title in window.menu_titles)
        assert is_marked(window.welcome.user_label.text())
    finally:
        locale.remove()
    assert window.menu_titles[0] == "&File"


# -- the call workspace ------------------------------------------------------------


def operator_window(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> MainWindow:
    """Olga's main window, with an earlier call from +996 555 123 456 in a case."""
    from hotline.phones import parse_phone
    from hotline.services import cases, contacts
    from hotline.services import session as session_service

    context = make_context(data_dir)
    session = session_service.login(data_dir, "olga", PASSWORDS["olga"])
    context.session = session
    earlier = replace(
        contacts.new_contact(session),
        phone=parse_phone("+996555123456", "KG"),
        call_type="missing_person",
        follow_up=replace(contacts.new_contact(session).follow_up, date=date.today()),
    )
    earlier = contacts.save_contact(session, earlier)
    cases.create_case_from_contact(session, earlier.id)
    window = MainWindow(context, session)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def data_texts(window: MainWindow) -> list[str]:
    """References and CLDR-formatted times of the records on show: data, not text."""
    from hotline.services import cases, contacts
    from hotline.services.contacts import ListQuery
    from ui.calls.common import stamp, when

    session = window.session
    found: list[str] = []
    for row in contacts.list_contacts(session, ListQuery()):
        found += [row.reference, when(row.started_at), when(row.started_at, today_as_time=False)]
        for version in contacts.history(session, row.id):
            found.append(stamp(version.saved_at))
    for case in cases.list_cases(session, open_only=False):
        found += [case.reference, stamp(case.opened_at)]
    return found


def test_the_call_workspace_in_every_state_and_its_dialogs(
    qtbot: QtBot,
    pseudo: PseudoLocale,
    make_context: Callable[[DataDir], AppContext],
    data_dir: DataDir,
) -> None:
    from PySide6.QtTest import QTest

    from ui.calls.case_dialog import CaseDialog, CasePicker
    from ui.calls.contact_dialog import ContactDialog
    from ui.calls.history_dialog import HistoryDialog

    window = operator_window(qtbot, make_context, data_dir)
    calls = window.calls
    assert calls is not None
    check(window, *data_texts(window))  # between calls: New call, lists, welcome card
    assert is_marked(calls.new_call_action.text())

    calls.new_call_action.trigger()
    editor, form = calls.editor, calls.editor.form
    check(window, *data_texts(window))  # an empty call
    QTest.keyClicks(form.phone.line, "0555 12")
    form.phone.show_problem()
    assert form.phone.message.isVisible()
    check(window, *data_texts(window))  # the number is not a number
    form.phone.line.clear()
    QTest.keyClicks(form.phone.line, "0555123456")
    assert form.repeat.isVisible()
    description = form.phone.note.text()  # CLDR country, libphonenumber region/operator
    form.follow_needed.setChecked(True)
    form.consent.buttons["keep_data"][0].setChecked(True)
    check(window, description, *data_texts(window))  # earlier calls from this number

    editor.save()
    form.notes.setPlainText("Эжеси кайра чалды")
    editor.end_call()
    check(window, description, *data_texts(window))  # version 1, changes not saved
    editor.save()
    for index in range(calls.lists.count()):
        calls.lists.setCurrentIndex(index)
        check(window, description, *data_texts(window))

    editor.show_history()
    [history] = [d for d in editor.dialogs if isinstance(d, HistoryDialog)]
    check(history, *data_texts(window))
    history.close()

    editor.link_case()
    [picker] = [d for d in editor.dialogs if isinstance(d, CasePicker)]
    check(picker, *data_texts(window))
    picker.close()

    editor.new_case()
    [case] = [d for d in editor.dialogs if isinstance(d, CaseDialog)]
    case.add_route.click()
    check(case, *data_texts(window))
    case.save()
    check(case, *data_texts(window))
    case.close()

    from ui.directory_dialog import DirectoryDialog

    editor.refer()
    [directory] = [d for d in editor.dialogs if isinstance(d, DirectoryDialog)]
    check_directory(directory, *data_texts(window))
    directory.consent_no.setChecked(True)
    directory.refer_button.click()
    assert directory.message.is_error
    check(directory, *directory_texts(directory), *data_texts(window))
    directory.consent_yes.setChecked(True)
    directory.refer_button.click()
    assert directory.referral is not None
    check(directory, *directory_texts(directory), *data_texts(window))
    directory.close()
    found = editor.find_services("shelter")
    check(found, *directory_texts(found), *data_texts(window))
    found.close()
    referrals_view = editor.show_referrals()
    assert referrals_view is not None
    referral = directory.referral
    assert referral is not None
    check(referrals_view, referral.reference, referral.referred_on, *directory_texts(directory),
          *data_texts(window))  # fmt: skip
    referrals_view.close()

    form.repeat.list.setCurrentRow(0)
    editor.show_contact(form.repeat.contacts[0].id)
    [earlier] = [d for d in editor.dialogs if isinstance(d, ContactDialog)]
    check(earlier, description, *data_texts(window))
    earlier.close()

    # The offer to restore a call that was being typed when the program stopped.
    form.summary.setText("Не сохранено")
    editor._edited()
    editor.save_draft()
    calls.show_home()
    calls.offer_drafts()
    assert calls.draft_offer is not None
    check(calls.draft_offer)
    calls.draft_offer.done(0)
    window.discard()


def test_an_open_call_relabels_itself(
    qtbot: QtBot, make_context: Callable[[DataDir], AppContext], data_dir: DataDir
) -> None:
    from PySide6.QtTest import QTest

    window = operator_window(qtbot, make_context, data_dir)
    calls = window.calls
    assert calls is not None
    calls.new_call_action.trigger()
    QTest.keyClicks(calls.editor.form.phone.line, "0555123456")
    description = calls.editor.form.phone.note.text()
    calls.editor.save()
    locale = PseudoLocale()
    locale.install()  # the Desk tells the window; here the window is told directly
    try:
        window.retranslate()
        check(window, description, *data_texts(window))
        assert is_marked(calls.editor.form.caller_box.title())
        assert is_marked(calls.editor.bar.record_label.text())
    finally:
        locale.remove()
    window.retranslate()
    assert calls.editor.form.caller_box.title() == "Caller"
    window.discard()


def test_the_supervision_windows_in_every_state(
    qtbot: QtBot,
    pseudo: PseudoLocale,
    make_context: Callable[[DataDir], AppContext],
    data_dir: DataDir,
) -> None:
    from hotline.services import session as session_service
    from tests.ui.supervision_support import KYRGYZ_NOTE, LATIN_NOTE, seed_calls
    from ui.calls.common import stamp

    seed_calls(data_dir, 12)
    session = session_service.login(data_dir, "bakyt", PASSWORDS["bakyt"])
    context = make_context(data_dir)
    context.session = session
    window = MainWindow(context, session)
    qtbot.addWidget(window)
    window.show()
    assert window.supervision_menu is not None
    assert_translated(list(menu_texts(window.supervision_menu, "supervision menu")))

    log = window.show_call_log()
    assert log is not None
    data = [row.reference for row in log.model.rows] + ["Ош", *data_texts(window)]
    check(log, *data)
    log.filters.search.setText("ош")  # too short: the message says so
    log.filters.search.returnPressed.emit()
    assert log.message.isVisible()
    check(log, *data)
    log.filters.clear()
    log.save_filter_as("Высокий риск", log.filters.current())
    check(log, *data, "Высокий риск")

    review = log.open_row(0)
    assert review is not None
    call_data = [*data, *data_texts(window), KYRGYZ_NOTE, LATIN_NOTE, "Звонок 0", "Звонок 1"]
    check(review, *call_data)
    review.panel.comment.setPlainText("Хорошо")
    review.panel.save()
    check(review, *call_data, "Хорошо")
    review.close()

    stats = window.show_statistics()
    assert stats is not None
    check(stats, "Ош")
    stats.compare.setCurrentIndex(stats.compare.findData("previous"))
    for row in range(stats.dimensions.count()):
        stats.dimensions.setCurrentRow(row)
        check(stats, "Ош")
    stats.split.setCurrentIndex(1)
    check(stats, "Ош")
    window.discard()
    session.close()
    context.session = None

    operator = session_service.login(data_dir, "olga", PASSWORDS["olga"])
    context.session = operator
    window = MainWindow(context, operator)
    qtbot.addWidget(window)
    window.show()
    check(window, *data_texts(window))
    feedback = window.show_feedback()
    assert feedback is not None
    references = [
        item.text()
        for r in range(feedback.table.rowCount())
        if (item := feedback.table.item(r, 0)) is not None
    ]
    reviewed = [stamp(item.review.reviewed_at) for item in feedback.items]
    check(feedback, *references, *reviewed, "Хорошо", "bakyt")
    opened = feedback.open_row(0)
    assert opened is not None
    check(opened, *call_data, "Хорошо")
    window.discard()


def test_the_exchange_windows_in_every_state(
    qtbot: QtBot,
    pseudo: PseudoLocale,
    make_context: Callable[[DataDir], AppContext],
    tmp_path: Path,
) -> None:
    """Partners and cards, registering a card, sending, importing (imported, rejected,
    a missing batch), the batches window's three tabs, the outbox and inbox settings."""

    from hotline.exchange import partners
    from tests.unit import exchange_support
    from tests.unit.exchange_support import COORDINATOR, HOTLINE_A, HOTLINE_B, Network
    from ui.calls.common import stamp

    exchange_support._build(tmp_path)
    (tmp_path / "outbox").mkdir()
    net = Network(tmp_path)
    operator = net.session(HOTLINE_A, "olga")
    exchange_support.record_call(operator)
    operator.close()
    hotline = net.session(HOTLINE_A, "bakyt")
    context = make_context(net.dir(HOTLINE_A))
    context.session = hotline
    window = MainWindow(context, hotline)
    qtbot.addWidget(window)
    window.show()
    menu = window.exchange_menu
    assert_translated(list(menu_texts(menu, "exchange menu")))
    send = menu.show_send()
    send.folder.set_path(net.outbox)
    send.send()
    qtbot.waitUntil(lambda: not send.busy)
    assert send.result_ is not None
    first = send.result_
    names = [f"{COORDINATOR} НКО ({COORDINATOR}) · Бишкек", str(net.outbox), str(first.path)]
    check(send, *names, "Бишкек")
    send.send()  # batch 2, never imported: a gap
    qtbot.waitUntil(lambda: not send.busy)
    send.privacy.setCurrentIndex(send.privacy.findData("aggregate"))
    check(send, *names, str(send.result_.path) if send.result_ else "")
    folders_dialog = menu.show_folders()
    check(folders_dialog, *names)
    folders_dialog.schedule.setCurrentIndex(folders_dialog.schedule.findData("hours"))
    folders_dialog.outbox.set_path(None)
    folders_dialog.save()
    check(folders_dialog, *names)
    sent = menu.show_batches()
    check(sent, f"{COORDINATOR} · Бишкек", *[stamp(b.created_at) for b in sent.sent])
    window.discard()
    hotline.close()
    context.session = None

    coordinator = net.session(COORDINATOR, "dana")
    context = make_context(net.dir(COORDINATOR))
    context.session = coordinator
    window = MainWindow(context, coordinator)
    qtbot.addWidget(window)
    window.show()
    dialog = window.exchange_menu.show_import()
    check(dialog)
    broken = tmp_path / "broken.hlbatch"
    broken.write_bytes(b"")
    dialog.import_paths([first.path, broken])
    qtbot.waitUntil(lambda: not dialog.busy)
    check(dialog, first.path.name, broken.name, f"{HOTLINE_A} · Бишкек")
    batches = window.exchange_menu.show_batches()
    data = [f"{HOTLINE_A} · Бишкек", *[stamp(e.imported_at) for e in batches.ledger]]
    for tab in range(batches.tabs.count()):
        batches.tabs.setCurrentIndex(tab)
        check(batches, *data)
    own = window.exchange_menu.show_partners()
    people = [
        text
        for p in partners.partners(coordinator)
        for text in (
            f"{p.org_name} ({p.org_code})",
            p.site_name,
            p.fingerprint,
            stamp(p.registered_at),
        )
    ]
    fingerprint = own.own_fingerprint.text()
    check(own, *people, fingerprint)
    register = own.open_card(tmp_path / f"{HOTLINE_B}.hlcard")
    assert register is not None
    card = register.card
    check(register, card.org_name, card.site_name, register.fingerprint.text())
    register.typed.setText("WRONG")
    register.register()
    check(register, card.org_name, card.site_name, register.fingerprint.text(), "WRONG")
    register.reject()
    window.discard()
    coordinator.close()
    context.session = None


def test_the_coordinator_windows_in_every_state(
    qtbot: QtBot,
    pseudo: PseudoLocale,
    make_context: Callable[[DataDir], AppContext],
    tmp_path: Path,
) -> None:
    """Export for the coordinating NGO (written, CTDC with calls left out, a file that
    cannot be written), publishing an update bundle (nothing ticked, signed) and installing
    it at a hotline (checked, installed, one from another office refused)."""

    from hotline.exchange import bundles, importing
    from tests.unit import exchange_support
    from tests.unit.exchange_support import COORDINATOR, HOTLINE_A, HOTLINE_B, Network
    from ui.calls.common import stamp

    exchange_support._build(tmp_path)
    (tmp_path / "outbox").mkdir()
    net = Network(tmp_path)
    operator = net.session(HOTLINE_A, "olga")
    exchange_support.record_call(operator)
    operator.close()
    hotline = net.session(HOTLINE_A, "bakyt")
    batch = exchange_support.send(hotline, net)
    hotline.close()
    other = net.session(HOTLINE_B, "dana")
    foreign = bundles.publish(other, tmp_path / "foreign.hlupdate", ("job-offer",))
    other.close()

    coordinator = net.session(COORDINATOR, "dana")
    importing.import_file(coordinator, batch.path)
    context = make_context(net.dir(COORDINATOR))
    context.session = coordinator
    window = MainWindow(context, coordinator)
    qtbot.addWidget(window)
    window.show()
    menu = window.exchange_menu
    assert_translated(list(menu_texts(menu, "exchange menu")))
    sources = [f"{HOTLINE_A} · Бишкек", f"{HOTLINE_B} · Алматы"]
    export = menu.show_coordinator_export()
    check(export, *sources)
    export.format_buttons["ctdc-csv"].setChecked(True)
    export.export_to(tmp_path / "ctdc.csv")
    qtbot.waitUntil(lambda: not export.busy)
    assert "left out" in export.result_label.text()
    check(export, *sources)
    export.export_to(tmp_path / "missing" / "htcds.csv")
    qtbot.waitUntil(lambda: not export.busy)
    assert export.message.is_error
    check(export, *sources)
    publish = menu.show_publish()
    check(publish)
    publish.choose_file()  # nothing ticked: the reason, and no file dialog
    assert publish.message.is_error
    check(publish)
    publish.scripts.set_checked("job-offer")
    bundle = tmp_path / "update.hlupdate"
    publish.publish_to(bundle)
    qtbot.waitUntil(lambda: not publish.busy)
    assert publish.published is not None
    check(publish)
    window.discard()
    coordinator.close()
    context.session = None

    hotline = net.session(HOTLINE_A, "bakyt")
    context = make_context(net.dir(HOTLINE_A))
    context.session = hotline
    window = MainWindow(context, hotline)
    qtbot.addWidget(window)
    window.show()
    dialog = window.exchange_menu.show_install()
    check(dialog)
    dialog.inspect_path(bundle)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.info is not None
    data = [
        f"{COORDINATOR} · Бишкек",
        dialog.fingerprint.text(),
        bundle.name,
        stamp(dialog.info.manifest.created_at),
    ]
    check(dialog, *data)
    dialog.install()
    qtbot.waitUntil(lambda: not dialog.busy)
    installed = bundles.installed_bundles(hotline)
    assert len(installed) == 1
    check(dialog, *data, stamp(installed[0].installed_at))
    dialog.inspect_path(foreign)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.message.is_error
    check(dialog, *data, foreign.name, stamp(installed[0].installed_at))
    window.discard()
    hotline.close()
    context.session = None
