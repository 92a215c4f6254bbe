"""Drafts: what is typed reaches the encrypted database every few seconds, survives a
restart, a lock and a SIGKILL, and is offered back at the next sign-in."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from hotline.formatting import format_time
from hotline.model.contact import Consent
from hotline.paths import DataDir
from hotline.services import contacts
from tests.conftest import PASSWORDS
from tests.conftest import sign_in as sign_in_core
from tests.ui.calls_support import ctrl, sign_in, signed_in, wait_active
from ui.calls.drafts import AUTOSAVE_MS
from ui.calls.workspace import CALL, CallWorkspace
from ui.desk import Desk

ROOT = Path(__file__).resolve().parents[2]
NOTES = "Эжеси чалды: Айжан Москвада, паспорту жок. Ағасы да сонда."


def type_a_call(workspace: CallWorkspace) -> None:
    ctrl(Qt.Key.Key_N)
    form = workspace.editor.form
    QTest.keyClicks(form.phone.line, "0555 12")  # not a number yet: kept as typed
    form.topics.items["MISSING.ABROAD"].setCheckState(0, Qt.CheckState.Checked)
    form.notes.setPlainText(NOTES)
    form.consent.buttons["share"][0].click()
    form.danger.click()


def wait_for_offer(qtbot: QtBot, workspace: CallWorkspace) -> None:
    qtbot.waitUntil(
        lambda: workspace.draft_offer is not None and workspace.draft_offer.isVisible(),
        timeout=5000,
    )


def test_autosave_keeps_the_call_and_a_restart_offers_it_back(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    editor = workspace.editor
    assert editor.autosave.interval() == AUTOSAVE_MS == 3000
    editor.autosave.setInterval(50)  # the same timer, sooner: keeps the test fast
    ctrl(Qt.Key.Key_N)
    with qtbot.assertNotEmitted(editor.draft_saved, wait=200):
        pass  # an untouched new call is not worth a draft
    assert contacts.drafts(window.session) == []
    workspace.show_home()
    type_a_call(workspace)
    with qtbot.waitSignal(editor.draft_saved, timeout=3000):
        pass
    [draft] = contacts.drafts(window.session)
    assert draft.data["phone_text"] == "0555 12"
    assert draft.data["contact"]["notes"] == NOTES
    # The program ends without saving the call (the draft is all that is left).
    desk.quit()

    again = make_desk(data_dir)
    window = sign_in(qtbot, again, "olga")
    assert window.calls is not None
    workspace = window.calls
    wait_for_offer(qtbot, workspace)
    box = workspace.draft_offer
    assert box is not None
    typed_at = dt.datetime.fromisoformat(draft.updated_at).astimezone()
    assert box.text() == f"Restore the call you were typing at {format_time(typed_at)}?"
    QTest.mouseClick(workspace.restore_button, Qt.MouseButton.LeftButton)
    assert workspace.draft_offer is None
    assert workspace.stack.currentIndex() == CALL
    form = workspace.editor.form
    assert form.phone.line.text() == "0555 12"
    assert form.phone.message.isVisible()  # still explained: not a valid number
    assert form.topics.codes() == ("MISSING.ABROAD",)
    assert form.notes.toPlainText() == NOTES
    assert form.consent.value() == Consent(share=True)
    assert form.danger.isChecked()
    assert workspace.editor.unsaved
    wait_active(qtbot, window)
    ctrl(Qt.Key.Key_S)
    saved = workspace.editor.contact
    assert saved is not None and saved.version == 1 and saved.id == draft.data["contact"]["id"]
    assert contacts.drafts(window.session) == []  # saved: the draft is gone


def test_a_declined_draft_can_wait_or_be_discarded(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    desk, _window, workspace = signed_in(qtbot, make_desk, data_dir)
    type_a_call(workspace)
    workspace.editor.save_draft()
    desk.quit()
    desk = make_desk(data_dir)
    workspace = sign_in(qtbot, desk, "olga").calls  # type: ignore[assignment]
    assert workspace is not None
    wait_for_offer(qtbot, workspace)
    QTest.mouseClick(workspace.later_button, Qt.MouseButton.LeftButton)
    assert workspace.stack.currentIndex() != CALL
    assert len(contacts.drafts(workspace.session)) == 1  # offered again next time
    workspace.offer_drafts()
    wait_for_offer(qtbot, workspace)
    QTest.mouseClick(workspace.discard_button, Qt.MouseButton.LeftButton)
    assert contacts.drafts(workspace.session) == []


def test_locking_keeps_the_last_keystrokes_at_once(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir
) -> None:
    _desk, window, workspace = signed_in(qtbot, make_desk, data_dir)
    type_a_call(workspace)
    workspace.editor.form.summary.setText("Последние слова перед блокировкой")
    workspace.editor._edited()
    window.lock_action.trigger()  # long before the next autosave
    check = sign_in_core(data_dir, "olga")
    [draft] = contacts.drafts(check)
    assert draft.data["contact"]["summary"] == "Последние слова перед блокировкой"
    check.close()


def test_sigkill_while_typing_loses_at_most_the_last_seconds(
    qtbot: QtBot, make_desk: Callable[[DataDir], Desk], data_dir: DataDir, tmp_path: Path
) -> None:
    """A real crash: the GUI in another process, killed while the operator types; the
    program started again offers the call back, and restores it into the form."""
    env = dict(os.environ, HOTLINE_PASSWORD=PASSWORDS["olga"], QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.call_typing", str(data_dir.root), "olga"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    last: dict[str, object] | None = None
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            if line.startswith("saved "):
                last = json.loads(line[len("saved ") :])
                if last.get("notes"):  # a save with notes typed: kill mid-typing
                    break
        time.sleep(0.7)  # typing goes on after the autosave
        child.send_signal(signal.SIGKILL)
        killed_at = dt.datetime.now(dt.UTC)
    finally:
        if child.poll() is None:
            child.kill()
        _out, err = child.communicate(timeout=30)
    assert last is not None, f"the child never reported an autosave:\n{err}"

    session = sign_in_core(data_dir, "olga")
    try:
        [draft] = contacts.drafts(session)
    finally:
        session.close()
    age = killed_at - dt.datetime.fromisoformat(draft.updated_at)
    assert age <= dt.timedelta(seconds=5)
    contact = draft.data["contact"]
    assert draft.data["phone_text"] == last["phone_text"] == "0555 123 456"
    assert contact["phone"]["e164"] == "+996555123456"
    topics = last["topics"]
    assert isinstance(topics, list) and set(contact["topics"]) >= set(topics)
    assert contact["consent"]["keep_data"] is True
    notes = str(last["notes"])
    assert notes and contact["notes"].startswith(notes)

    # The program is started again after the crash: the call comes back into the form.
    window = sign_in(qtbot, make_desk(data_dir), "olga")
    assert window.calls is not None
    workspace = window.calls
    wait_for_offer(qtbot, workspace)
    QTest.mouseClick(workspace.restore_button, Qt.MouseButton.LeftButton)
    assert workspace.stack.currentIndex() == CALL
    form = workspace.editor.form
    assert form.phone.line.text() == "0555 123 456"
    assert form.notes.toPlainText() == contact["notes"]
