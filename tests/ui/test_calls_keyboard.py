"""A whole call with the keyboard alone: Ctrl+N, typing, Tab, Space, arrows, Ctrl+S."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from hotline.model.contact import Consent
from hotline.paths import DataDir
from hotline.services import contacts
from tests.ui.calls_support import ctrl, focused, press, signed_in, type_text
from ui.calls.workspace import CALL
from ui.desk import Desk

NOTES = "Ағасы Алматыда құрылыста жұмыс істейді, төлқұжатын алып қойған."


def tab(times: int = 1) -> None:
    for _ in range(times):
        press(Qt.Key.Key_Tab)


def test_a_whole_call_with_the_keyboard_only(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    form = workspace.editor.form
    ctrl(Qt.Key.Key_N)
    assert focused() is form.phone.line
    QTest.keyClicks(focused(), "+77011234567")
    assert form.phone.line.text() == "+7 701 123 4567"
    tab()
    assert focused() is form.phone.withheld  # the repeat list is hidden: skipped
    tab()
    assert focused() is form.relationship
    QTest.keyClicks(focused(), "R")
    tab()
    assert focused() is form.sex
    QTest.keyClicks(focused(), "M")
    tab()
    assert focused() is form.age_band
    QTest.keyClicks(focused(), "2")  # 21–23
    tab()
    assert focused() is form.citizenship
    QTest.keyClicks(focused(), "K")  # Kyrgyzstan: the region comes first
    tab()
    assert focused() is form.country
    QTest.keyClicks(focused(), "Kaz")
    tab()
    assert focused() is form.region
    type_text("Алматы")
    tab()  # the name field waits for consent to keep personal data
    assert focused() is form.call_language
    QTest.keyClicks(focused(), "Kaz")
    tab()
    assert focused() is form.call_type
    QTest.keyClicks(focused(), "T")  # Trafficking concern
    tab()
    assert focused() is form.topics
    press(Qt.Key.Key_Down)  # Documents › Lost or stolen documents
    press(Qt.Key.Key_Down)  # › Passport taken by an employer or recruiter
    press(Qt.Key.Key_Space)
    tab()
    assert focused() is form.summary
    type_text("Паспорт у прораба")
    tab()
    assert focused() is form.notes
    type_text(NOTES)
    tab()
    assert focused() is form.action_boxes["information"]
    press(Qt.Key.Key_Space)
    tab()
    assert focused() is form.action_boxes["referred"]
    press(Qt.Key.Key_Space)
    tab(6)  # past supervisor, emergency, police, follow_up, none
    assert focused() in form.consent.buttons["keep_data"]
    press(Qt.Key.Key_Left)  # … Not asked → No
    press(Qt.Key.Key_Left)  # → Yes
    tab()
    assert focused() in form.consent.buttons["refer"]
    press(Qt.Key.Key_Left)  # → No
    tab()
    assert focused() in form.consent.buttons["share"]
    tab()
    assert focused() is form.follow_needed
    press(Qt.Key.Key_Space)
    tab()
    assert focused() is form.follow_date
    tab()
    assert focused() is form.follow_reason
    QTest.keyClicks(focused(), "Call back on Monday")
    tab()
    assert focused() is form.follow_done
    tab()
    assert focused() is form.minor
    tab()
    assert focused() is form.danger
    press(Qt.Key.Key_Space)
    ctrl(Qt.Key.Key_S)

    saved = workspace.editor.contact
    assert saved is not None and saved.version == 1
    stored = contacts.get_contact(window.session, saved.id)
    assert stored.phone is not None and stored.phone.e164 == "+77011234567"
    assert stored.phone.country == "KZ"
    caller = stored.caller
    assert (caller.relationship, caller.sex, caller.age_band) == ("relative", "male", "21-23")
    assert (caller.citizenship, caller.country, caller.region) == ("KG", "KZ", "Алматы")
    assert stored.call_language == "kk"
    assert stored.call_type == "trafficking_concern"
    assert stored.topics == ("DOC.TAKEN",)
    assert stored.summary == "Паспорт у прораба"
    assert stored.notes == NOTES
    assert stored.actions == ("information", "referred")
    assert stored.consent == Consent(keep_data=True, refer=False, share=None)
    assert stored.follow_up.date == dt.date.today() + dt.timedelta(days=1)
    assert stored.follow_up.reason == "Call back on Monday"
    assert stored.danger and not stored.minor


def test_enter_starts_a_call_and_opens_one_from_the_list(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, _window, workspace = signed_in(qtbot, make_desk, data_dir)
    assert focused() is workspace.new_call_button  # between calls, Enter means "New call"
    press(Qt.Key.Key_Return)
    assert workspace.stack.currentIndex() == CALL
    type_text("0555 123 456")
    ctrl(Qt.Key.Key_S)
    saved = workspace.editor.contact
    assert saved is not None and saved.saved
    workspace.show_home()
    view = workspace.lists.views["today"]
    view.setFocus()
    press(Qt.Key.Key_Down)
    assert view.currentIndex().row() == 0
    press(Qt.Key.Key_Return)
    assert workspace.stack.currentIndex() == CALL
    assert workspace.editor.contact is not None and workspace.editor.contact.id == saved.id
