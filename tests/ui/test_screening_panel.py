"""The screening panel: answering the job-offer script through its widgets, the live
level and the urgent banner, the caller's language beside the operator's, and the
screening stored with the contact."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hotline.i18n import set_language
from hotline.paths import DataDir
from hotline.screening.engine import reason_text
from hotline.services import contacts
from hotline.services.session import Session
from hotline.taxonomy import taxonomy
from tests.conftest import sign_in
from ui.screening.panel import ScreeningPanel, script_language

SCRIPT = "job-offer"


@pytest.fixture
def operator(data_dir: DataDir) -> Iterator[Session]:
    session = sign_in(data_dir, "olga")
    yield session
    session.close()


def make_panel(qtbot: QtBot, session: Session) -> ScreeningPanel:
    panel = ScreeningPanel(session)
    qtbot.addWidget(panel)
    panel.resize(460, 760)
    panel.show()
    return panel


def test_screening_a_call_end_to_end(qtbot: QtBot, operator: Session) -> None:
    panel = make_panel(qtbot, operator)
    contact = contacts.new_contact(operator)
    panel.set_contact(contact)
    assert panel.sheet is None and not panel.views
    assert panel.empty_hint.isVisible()

    with qtbot.waitSignal(panel.changed):
        panel.choose_script(SCRIPT)
    assert panel.level == "none"
    assert panel.level_label.text() == taxonomy().label("risk_levels", "none")
    assert not panel.banner.isVisible()
    licence = panel.views["licence"]
    assert not licence.isVisible()  # shown only when a firm makes the offer

    panel.views["caller"].buttons["self"].click()
    with qtbot.waitSignal(panel.changed):
        panel.views["who_offers"].buttons["agency"].click()
    assert licence.isVisible()
    assert panel.level == "low"
    assert panel.level_label.text() == taxonomy().label("risk_levels", "low")
    assert panel.reasons_text.isVisible()
    assert panel.result is not None
    assert reason_text(panel.result.reasons[0]) in panel.reasons_text.text()

    licence.buttons["no"].click()
    assert panel.sheet is not None and panel.sheet.answers["licence"] == "no"
    assert panel.result.score >= 2

    # Y N U answer a yes/no question that has the focus.
    danger = panel.views["danger"]
    danger.setFocus()
    qtbot.keyClick(danger, Qt.Key.Key_Y)
    assert danger.value() == "yes"
    assert panel.level == "urgent"
    assert panel.banner.isVisible()
    assert panel.banner_title.text() == taxonomy().label("risk_levels", "urgent")
    first_action = panel.result.actions[0].get_text("en")
    assert first_action in panel.banner_text.text()
    assert "police" in panel.result.services
    assert taxonomy().label("service_types", "police") in panel.services_text.text()

    qtbot.keyClick(danger, Qt.Key.Key_N)
    assert danger.value() == "no"
    assert panel.level == "low"
    assert not panel.banner.isVisible()


def test_number_and_hidden_questions(qtbot: QtBot, operator: Session) -> None:
    panel = make_panel(qtbot, operator)
    panel.set_contact(contacts.new_contact(operator))
    panel.choose_script(SCRIPT)
    child_away = panel.views["child_away"]
    assert not child_away.isVisible()
    spin = panel.views["age"].spin
    assert spin is not None
    spin.setValue(15)
    assert child_away.isVisible()
    assert panel.result is not None and "minor" in panel.result.flags
    spin.setValue(spin.minimum())  # back to "not answered"
    assert not child_away.isVisible()


def test_caller_language_shown_beside_the_interface_language(
    qtbot: QtBot, operator: Session
) -> None:
    set_language("ru")
    panel = make_panel(qtbot, operator)
    panel.set_contact(replace(contacts.new_contact(operator), call_language="tg"))
    panel.choose_script(SCRIPT)
    danger = panel.views["danger"]
    question = danger.question
    assert danger.text_label.text() == question.text["ru"]
    assert danger.caller_label.isVisible()
    assert danger.caller_label.text() == question.text["tg"]
    assert question.options == ()
    option = panel.views["caller"].question.options[0]
    assert option.text["tg"] in panel.views["caller"].option_labels[option.id].text()

    panel.set_call_language("ru")  # the same language: nothing to read aloud twice
    assert not danger.caller_label.isVisible()
    panel.set_call_language("uz")
    assert danger.caller_label.text() == question.text["uz_Latn"]
    panel.set_call_language("other")
    assert not danger.caller_label.isVisible()
    assert script_language("uz") == "uz_Latn" and script_language("tk") is None

    set_language("tg")
    panel.retranslate()
    assert danger.text_label.text() == question.text["tg"]
    assert panel.sheet is not None
    assert panel.script_combo.currentText() == panel.sheet.script.title["tg"]
    assert panel.level_label.text() == taxonomy().label("risk_levels", "none")


def test_apply_to_stores_the_screening_and_saving_keeps_it(qtbot: QtBot, operator: Session) -> None:
    panel = make_panel(qtbot, operator)
    contact = contacts.new_contact(operator)
    panel.set_contact(contact)
    panel.choose_script(SCRIPT)
    panel.views["who_offers"].buttons["agency"].click()
    panel.views["danger"].answer("yes")
    screened = panel.apply_to(contact)
    assert screened.risk_level == "urgent"
    assert screened.danger
    (record,) = screened.screenings
    assert record.script_id == SCRIPT
    assert record.answers == {"who_offers": ["agency"], "danger": "yes"}
    assert "danger" in record.flags

    saved = contacts.save_contact(operator, screened)
    reopened = contacts.get_contact(operator, saved.id)
    assert reopened.risk_level == "urgent"
    assert reopened.screenings[0].level == "urgent"
    assert reopened.screenings[0].script_version == record.script_version
    assert reopened.screenings[0].answers == record.answers

    # Opened without edit rights: the stored answers, nothing can change.
    viewer = make_panel(qtbot, operator)
    viewer.set_contact(reopened, read_only=True)
    assert viewer.script_combo.currentData() == SCRIPT
    assert not viewer.script_combo.isEnabled()
    assert viewer.level == "urgent" and viewer.banner.isVisible()
    yes = viewer.views["danger"].buttons["yes"]
    assert yes.isChecked() and not yes.isEnabled()
    assert viewer.apply_to(reopened) is reopened
