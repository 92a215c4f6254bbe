"""The exchange windows on a real network of three installations: registering a card,
sending a batch, importing it at the coordinator, reading its receipt back at the hotline,
the menus each role sees, and the inbox watched by the main window."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from hotline.exchange import folders, partners
from hotline.exchange.records import Privacy
from hotline.paths import DataDir
from hotline.services.session import Session
from tests.unit import exchange_support
from tests.unit.exchange_support import COORDINATOR, HOTLINE_A, Network, record_call
from ui.context import AppContext
from ui.desk import Desk
from ui.exchange.batches_window import BatchesWindow
from ui.exchange.folders_dialog import FoldersDialog
from ui.exchange.import_dialog import ImportDialog
from ui.exchange.partners_dialog import PartnersDialog
from ui.exchange.send_dialog import SendDialog
from ui.main_window import MainWindow


# The network of tests/unit/exchange_support.py (its fixtures live in tests/unit/conftest.py).
@pytest.fixture(scope="session")
def network_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ui-network-template")
    exchange_support._build(root)
    return root


@pytest.fixture
def network(network_template: Path, tmp_path: Path) -> Network:
    root = tmp_path / "network"
    shutil.copytree(network_template, root)
    (root / "outbox").mkdir()
    return Network(root)


@pytest.fixture
def windows() -> Iterator[list[QWidget]]:
    """Windows that delete themselves when closed: closed here at the end of the test."""
    made: list[QWidget] = []
    yield made
    for window in made:
        if isValid(window):
            window.close()


@pytest.fixture
def sessions() -> Iterator[list[Session]]:
    opened: list[Session] = []
    yield opened
    for session in opened:
        if not session.db.closed:
            session.close()


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def open_session(network: Network, sessions: list[Session], code: str, user: str) -> Session:
    session = network.session(code, user)
    sessions.append(session)
    return session


def test_registering_a_card_asks_for_the_fingerprint(
    qtbot: QtBot, network: Network, sessions: list[Session], tmp_path: Path
) -> None:
    coordinator = open_session(network, sessions, COORDINATOR, "dana")
    own = PartnersDialog(coordinator)
    qtbot.addWidget(own)
    assert own.table.rowCount() == 2  # the two hotlines
    own.recipient_box.setChecked(True)
    assert own.export_card(tmp_path / "coord")
    card_file = tmp_path / "coord.hlcard"
    assert card_file.exists()
    fingerprint = partners.my_fingerprint(coordinator)
    assert own.own_fingerprint.text().replace("   ", "-") == fingerprint

    hotline = open_session(network, sessions, HOTLINE_A, "admin")
    dialog = PartnersDialog(hotline)
    qtbot.addWidget(dialog)
    register = dialog.open_card(card_file)
    assert register is not None
    assert register.organisation.text() == f"{COORDINATOR} НКО"
    assert register.as_recipient.isChecked()
    register.typed.setText("AAAA-BBBB")
    assert not register.register()
    assert register.message.is_error and "does not match" in register.message.text()
    register.typed.setText(fingerprint.lower().replace("-", " "))
    assert register.register()
    assert dialog.message.text().startswith(COORDINATOR)
    dialog.table.selectRow(0)
    partner = dialog.selected()
    assert partner is not None and partner.active
    dialog.toggle_selected()
    assert dialog.partners[0].active is False
    assert "no" in cell(dialog.table, 0, 5)
    assert dialog.toggle_button.text() == "Enable"
    dialog.toggle_selected()
    assert dialog.partners[0].active is True
    # Not a card: the reason, and no dialog.
    junk = tmp_path / "junk.hlcard"
    junk.write_bytes(b"not a card")
    assert dialog.open_card(junk) is None and dialog.message.is_error


def test_send_import_and_read_the_receipt(
    qtbot: QtBot,
    network: Network,
    sessions: list[Session],
    make_context: Callable[..., AppContext],
    windows: list[QWidget],
    tmp_path: Path,
) -> None:
    operator = open_session(network, sessions, HOTLINE_A, "olga")
    record_call(operator)
    record_call(operator, phone="+996 700 000 001")
    hotline = open_session(network, sessions, HOTLINE_A, "bakyt")
    context = make_context(network.dir(HOTLINE_A))
    send = SendDialog(context, hotline)
    qtbot.addWidget(send)
    assert send.recipient.count() == 1
    assert send.privacy.findData(Privacy.FULL.value) >= 0  # a supervisor may send names
    send.folder.set_path(tmp_path / "no-such-folder")
    send.send()
    qtbot.waitUntil(lambda: not send.busy)
    assert send.message.is_error and "does not exist" in send.message.text()
    assert send.recipient.count() == 1  # the form is kept
    send.folder.set_path(network.outbox)
    send.send()
    qtbot.waitUntil(lambda: not send.busy)
    assert send.result_ is not None and send.result_.batch.counts["contacts"] == 2
    assert "2 calls" in send.result_label.text()
    batch_file = send.result_.path
    # Aggregate: only by period, k enabled.
    send.privacy.setCurrentIndex(send.privacy.findData(Privacy.AGGREGATE.value))
    assert send.by_period.isChecked() and not send.incremental.isEnabled() and send.k.isEnabled()

    coordinator = open_session(network, sessions, COORDINATOR, "dana")
    coordinator_context = make_context(network.dir(COORDINATOR))
    dialog = ImportDialog(coordinator_context, coordinator)
    qtbot.addWidget(dialog)
    broken = tmp_path / "broken.hlbatch"
    broken.write_bytes(batch_file.read_bytes()[:-5])
    dialog.import_paths([batch_file, broken])
    qtbot.waitUntil(lambda: not dialog.busy)
    assert cell(dialog.table, 0, 2).startswith("Imported: 2 added")
    assert HOTLINE_A in cell(dialog.table, 0, 1)
    assert cell(dialog.table, 1, 2).startswith("Rejected: ")
    assert dialog.message.is_error
    dialog.import_paths([batch_file])
    qtbot.waitUntil(lambda: not dialog.busy)
    assert cell(dialog.table, 0, 2) == "Already imported; nothing changed."
    receipts_folder = tmp_path / "receipts"
    receipts_folder.mkdir()
    written = dialog.write_receipts(receipts_folder)
    assert len(written) == 2  # the same batch twice in the list: the same receipt file
    assert len(list(receipts_folder.iterdir())) == 1

    batches = BatchesWindow(coordinator)
    windows.append(batches)
    assert batches.ledger_table.rowCount() == 1
    assert "2 added" in cell(batches.ledger_table, 0, 4)
    assert batches.tabs.count() == 4  # sent, imported, kept aside, counts received

    sent = BatchesWindow(hotline)
    windows.append(sent)
    assert cell(sent.sent_table, 0, 5) == "no receipt yet"
    assert sent.read_receipt(written[0]) is not None
    assert cell(sent.sent_table, 0, 5).startswith("received on ")
    assert sent.read_receipt(broken) is None and sent.message.is_error


def test_gaps_and_conflicts_are_shown_and_settled(
    qtbot: QtBot,
    network: Network,
    sessions: list[Session],
    make_context: Callable[..., AppContext],
    windows: list[QWidget],
) -> None:
    import datetime as dt

    from hotline.exchange import importing
    from tests.unit.exchange_support import send

    operator = open_session(network, sessions, HOTLINE_A, "olga")
    record_call(operator)
    hotline = open_session(network, sessions, HOTLINE_A, "bakyt")
    first = send(hotline, network)
    record_call(operator, phone="+996 700 000 001")
    send(hotline, network)  # batch 2: lost on the way
    today = dt.date.today()
    third = send(hotline, network, since=today - dt.timedelta(days=1), until=today)
    coordinator = open_session(network, sessions, COORDINATOR, "dana")
    importing.import_file(coordinator, first.path)
    coordinator.db.execute("UPDATE contacts SET source_hash = 'changed here'")
    context = make_context(network.dir(COORDINATOR))
    dialog = ImportDialog(context, coordinator)
    qtbot.addWidget(dialog)
    dialog.import_paths([third.path])
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.gaps.text() == f"Batch 2 from {HOTLINE_A} is missing."
    window = BatchesWindow(coordinator)
    windows.append(window)
    assert window.gaps.text() == f"Batch 2 from {HOTLINE_A} is missing."
    assert window.conflict_table.rowCount() == 1
    assert cell(window.conflict_table, 0, 2) == "Same version, different content"
    assert cell(window.conflict_table, 0, 0) == "Call"
    window.conflict_table.selectRow(0)
    window.settle_selected()
    assert window.conflict_table.rowCount() == 0
    assert window.message.text() == "The record is marked as settled."


def test_each_role_sees_its_exchange_entries(
    qtbot: QtBot,
    network: Network,
    sessions: list[Session],
    make_context: Callable[..., AppContext],
) -> None:
    expected = {
        "olga": None,
        "admin": set(),  # partners and installing bundles, under Administration
        "bakyt": {"send", "import", "batches", "coordinator_export", "install", "folders"},
        "dana": {"send", "import", "batches", "coordinator_export", "publish", "partners"}
        | {"folders"},
    }
    for user, entries in expected.items():
        session = open_session(network, sessions, HOTLINE_A, user)
        window = MainWindow(make_context(network.dir(HOTLINE_A)), session)
        shown = "E&xchange" in window.menu_titles
        assert shown is (bool(entries)), user
        if entries:
            assert set(window.exchange_menu.entries) == entries
        if user == "admin":
            assert window.admin_menu is not None
            assert window.exchange_menu.entries["partners"] in window.admin_menu.actions()
        window.discard()  # closes and deletes itself (not qtbot's to close)


def test_the_main_window_imports_the_inbox_and_writes_the_outbox_at_close(
    qtbot: QtBot,
    network: Network,
    sessions: list[Session],
    make_context: Callable[..., AppContext],
) -> None:
    operator = open_session(network, sessions, HOTLINE_A, "olga")
    record_call(operator)
    hotline = open_session(network, sessions, HOTLINE_A, "bakyt")
    settings = FoldersDialog(hotline)
    qtbot.addWidget(settings)
    settings.outbox.set_path(network.outbox)
    for box in settings.recipients.values():
        box.setChecked(True)
    settings.schedule.setCurrentIndex(settings.schedule.findData("at_close"))
    assert settings.save()
    window = MainWindow(make_context(network.dir(HOTLINE_A)), hotline)  # discarded below
    window.save_work()  # the session ends: the outbox is written
    [batch_file] = list(network.outbox.glob("*.hlbatch"))
    window.discard()
    old = batch_file.stat().st_mtime - 60
    os.utime(batch_file, (old, old))

    coordinator = open_session(network, sessions, COORDINATOR, "dana")
    folders.save_inbox_folder(coordinator, network.outbox)
    window = MainWindow(make_context(network.dir(COORDINATOR)), coordinator)
    scheduler = window.exchange_menu.scheduler
    assert scheduler.watcher.directories() == [str(network.outbox)]
    qtbot.waitUntil(lambda: "imported from the inbox" in window.statusBar().currentMessage())
    assert window.statusBar().currentMessage() == "1 batch was imported from the inbox."
    assert len(list((network.outbox / "receipts").glob("*.hlreceipt"))) == 1
    window.discard()


def test_counts_received_in_an_aggregate_batch_are_shown(
    qtbot: QtBot, network: Network, sessions: list[Session], windows: list[QWidget]
) -> None:
    import datetime as dt

    from hotline.exchange import importing
    from tests.unit.exchange_support import send

    hotline = open_session(network, sessions, HOTLINE_A, "bakyt")
    for _ in range(12):
        record_call(hotline, share=False)
    today = dt.date.today()
    batch = send(hotline, network, Privacy.AGGREGATE, since=today, until=today)
    coordinator = open_session(network, sessions, COORDINATOR, "dana")
    importing.import_file(coordinator, batch.path)
    window = BatchesWindow(coordinator)
    windows.append(window)
    rows = [
        tuple(cell(window.counts_table, r, c) for c in range(5))
        for r in range(window.counts_table.rowCount())
    ]
    mine = [r for r in rows if r[2] == "Call type"]
    assert [r[3:] for r in mine] == [("Consultation", "12"), ("Total", "12")]
    assert all(r[0].startswith(HOTLINE_A) for r in rows)
    assert window.tabs.indexOf(window.counts_page) >= 0


def test_an_imported_call_opens_read_only_and_says_where_it_came_from(
    qtbot: QtBot,
    network: Network,
    sessions: list[Session],
    make_desk: Callable[[DataDir], Desk],
) -> None:
    from hotline.exchange import importing
    from tests.ui.calls_support import signed_in
    from tests.unit.exchange_support import send

    hotline = open_session(network, sessions, HOTLINE_A, "bakyt")
    call = record_call(hotline)
    batch = send(hotline, network)
    coordinator = open_session(network, sessions, COORDINATOR, "dana")
    importing.import_file(coordinator, batch.path)
    _desk, _window, workspace = signed_in(qtbot, make_desk, network.dir(COORDINATOR), "bakyt")
    workspace.open_contact(call.id)
    editor = workspace.editor
    assert editor.read_only and not editor.bar.save_button.isEnabled()
    assert editor.message.text().startswith(f"Recorded by {HOTLINE_A}")
    assert "with batch 1" in editor.message.text()
