"""The referral directory window: search in any script, filters, referring from a call
and the slip saved only where the operator chooses."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from hotline.audit import AuditAction
from hotline.model.contact import Contact
from hotline.paths import DataDir
from hotline.services import contacts, referrals
from hotline.services.session import Session
from tests.conftest import sign_in
from tests.ui.calls_support import signed_in
from ui.desk import Desk
from ui.directory_dialog import DirectoryDialog, slip_language


@pytest.fixture
def olga(data_dir: DataDir) -> Iterator[Session]:
    session = sign_in(data_dir, "olga")
    yield session
    if not session.db.closed:
        session.close()


@pytest.fixture
def call(olga: Session) -> Contact:
    return contacts.save_contact(olga, contacts.new_contact(olga))


def dialog_for(qtbot: QtBot, session: Session, contact: Contact | None = None) -> DirectoryDialog:
    dialog = DirectoryDialog(session, None, contact=contact)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def names(dialog: DirectoryDialog) -> list[str]:
    return [org.name for org in dialog.entries]


def choose_entry(dialog: DirectoryDialog, text: str) -> None:
    dialog.search.setText(text)
    assert dialog.entries, text
    dialog.table.selectRow(0)


def test_a_cyrillic_query_finds_a_seed_entry_marked_historical(qtbot: QtBot, olga: Session) -> None:
    dialog = dialog_for(qtbot, olga)
    dialog.search.setText("Сезим")
    assert 'Crisis Centre "Sezim"' in names(dialog)
    row = names(dialog).index('Crisis Centre "Sezim"')
    item = dialog.table.item(row, 4)
    assert item is not None and item.text() == "historical, unverified"
    dialog.table.selectRow(row)
    assert dialog.historical_note.isVisible()
    assert dialog.name_label.text() == 'Crisis Centre "Sezim"'
    assert "Also known as" in dialog.details.text()
    assert not dialog.refer_box.isVisible()  # browsing only, without a call


def test_the_service_and_country_filters(qtbot: QtBot, olga: Session) -> None:
    dialog = dialog_for(qtbot, olga)
    everything = len(dialog.entries)
    dialog.set_service("shelter")
    assert 0 < len(dialog.entries) < everything
    assert all("shelter" in org.services for org in dialog.entries)
    dialog.country.setCurrentIndex(dialog.country.findData("UZ"))
    assert dialog.entries
    assert all(org.country == "UZ" and "shelter" in org.services for org in dialog.entries)
    assert "entries found" in dialog.count_label.text()


def test_refusing_without_consent_and_reason_saves_nothing(
    qtbot: QtBot, olga: Session, call: Contact
) -> None:
    dialog = dialog_for(qtbot, olga, call)
    assert dialog.refer_box.isVisible()
    choose_entry(dialog, "Sezim")
    dialog.consent_no.setChecked(True)
    assert dialog.no_consent_reason.isEnabled()
    dialog.refer_button.click()
    assert dialog.message.is_error
    assert "has not agreed" in dialog.message.text()
    assert referrals.of_contact(olga, call.id) == []
    assert not dialog.save_slip_button.isEnabled()


def test_referring_with_consent_then_saving_the_slip(
    qtbot: QtBot,
    olga: Session,
    call: Contact,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    target = tmp_path / "chosen" / "slip.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )

    dialog = dialog_for(qtbot, olga, call)
    choose_entry(dialog, "Sezim")
    dialog.refer_service.setCurrentIndex(dialog.refer_service.findData("shelter"))
    with qtbot.waitSignal(dialog.referred):
        dialog.refer_button.click()
    [saved] = referrals.of_contact(olga, call.id)
    assert saved.consent and saved.service == "shelter"
    assert dialog.save_slip_button.isEnabled()
    assert dialog.refer_button.isEnabled() is False
    # No consent to keep personal data on this call: the name cannot go on the slip.
    assert not dialog.caller_name_box.isEnabled()
    dialog.slip_size.setCurrentIndex(dialog.slip_size.findData("a4half"))

    dialog.save_slip_button.click()
    assert target.read_bytes().startswith(b"%PDF")
    assert list(temp.iterdir()) == []  # nothing written anywhere else
    from hotline.store.repositories import audit as audit_repo

    actions = [row.action for row in audit_repo.iterate(olga.db)]
    assert AuditAction.RECORD_PRINTED.value in actions
    from hotline.store.repositories import settings as settings_repo

    assert settings_repo.get(olga.db, "slip.size") == "a4half"  # remembered for next time


def test_slip_language_follows_the_call() -> None:
    assert slip_language("uz") == "uz_Latn"
    assert slip_language("ky") == "ky"
    assert slip_language("tk") == "en"  # the interface language in the tests
    assert slip_language(None) == "en"


def test_opened_from_the_menu_the_call_bar_and_the_screening(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, window, calls = signed_in(qtbot, make_desk, data_dir)
    window.directory_action.trigger()
    assert window.directory_dialog is not None and window.directory_dialog.isVisible()
    assert window.directory_action.shortcut().toString() == "Ctrl+D"
    window.directory_dialog.close()

    calls.new_call_action.trigger()
    editor = calls.editor
    assert not editor.bar.refer_button.isEnabled()  # not saved yet
    editor.save()
    assert editor.bar.refer_button.isEnabled()
    editor.bar.refer_button.click()
    [dialog] = [d for d in editor.dialogs if isinstance(d, DirectoryDialog)]
    assert dialog.contact is not None and dialog.refer_box.isVisible()
    dialog.close()

    found = editor.find_services("shelter")
    assert found.service.currentData() == "shelter"
    assert all("shelter" in org.services for org in found.entries)
    found.close()


def test_suggested_services_open_the_directory_filtered(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, _window, calls = signed_in(qtbot, make_desk, data_dir)
    calls.new_call_action.trigger()
    editor = calls.editor
    panel = editor.screening
    assert not panel.find_services_button.isVisible()
    panel.choose_script("trafficking-now")
    panel.views["danger"].buttons["yes"].click()
    assert panel.result is not None and panel.result.services
    assert panel.find_services_button.isVisible()
    first = panel.result.services[0]
    panel.find_services_button.click()
    [dialog] = [d for d in editor.dialogs if isinstance(d, DirectoryDialog)]
    assert dialog.service.currentData() == first
    assert all(first in org.services for org in dialog.entries)
    assert dialog.contact is None  # the call is not saved yet: browse only
    dialog.close()


def test_a_supervisor_adds_and_verifies_an_entry(qtbot: QtBot, data_dir: DataDir) -> None:
    from hotline.services import directory
    from tests.conftest import sign_in as sign_in_core
    from ui.directory_dialog import DirectoryDialog
    from ui.organisation_form import OrganisationForm

    bakyt = sign_in_core(data_dir, "bakyt")
    dialog = DirectoryDialog(bakyt)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.new_button.isVisible()
    dialog.new_button.click()
    form = dialog.form
    assert isinstance(form, OrganisationForm)
    form.name.setText("Баш калкалоочу жай «Үмүт» (test)")
    form.phones.setText("0312 62")
    form.buttons.button(form.buttons.StandardButton.Save).click()
    assert form.message.is_error  # the phone is not a number: nothing saved
    assert directory.search(bakyt, "Үмүт (test)") == []
    form.phones.setText("189; 0312 62 33 44")
    form.city.setText("Ош")
    form.verified.setChecked(True)
    form.buttons.button(form.buttons.StandardButton.Save).click()
    [saved] = directory.search(bakyt, "Umut (test)")
    assert saved.phones == ("189", "+996 312 623 344")
    assert saved.verified_by == "bakyt"
    assert not saved.historical
    bakyt.close()
    olga = sign_in_core(data_dir, "olga")
    operator_view = DirectoryDialog(olga)
    qtbot.addWidget(operator_view)
    assert not operator_view.new_button.isVisibleTo(operator_view)
    olga.close()


def test_referral_outcome_and_reminder_from_the_call(qtbot: QtBot, data_dir: DataDir) -> None:
    import datetime as dt

    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QComboBox

    from hotline.model.organisation import Organisation
    from hotline.services import contacts, directory, referrals
    from tests.conftest import sign_in as sign_in_core
    from ui.calls.common import DateField
    from ui.calls.referrals_dialog import OUTCOME, REMINDER, ReferralsDialog

    bakyt = sign_in_core(data_dir, "bakyt")
    org = directory.save(bakyt, Organisation(id="o-out", version=0, name="Shelter (test)"))
    call = contacts.save_contact(bakyt, contacts.new_contact(bakyt))
    referrals.refer(bakyt, call.id, org.id, "shelter", consent=True)
    dialog = ReferralsDialog(bakyt, call.id, editable=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 1
    outcome = dialog.table.cellWidget(0, OUTCOME)
    reminder = dialog.table.cellWidget(0, REMINDER)
    assert isinstance(outcome, QComboBox)
    assert isinstance(reminder, DateField)
    outcome.setCurrentIndex(outcome.findData("accepted"))
    reminder.setDate(QDate(2026, 12, 1))
    [stored] = referrals.of_contact(bakyt, call.id)
    assert stored.outcome == "accepted"
    assert stored.reminder_on == dt.date(2026, 12, 1).isoformat()
    bakyt.close()
