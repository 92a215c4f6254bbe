"""The coordinator's windows on a real network of three installations: the exports in the
layouts of the standards after a batch was imported (HTCDS CSV and XLSX, CTDC with k),
update bundles published at the coordinator and installed at a hotline through the
dialogs (and a bundle from another office refused), and the menu entries of each role."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QTableWidget
from pytestqt.qtbot import QtBot

from hotline.exchange import bundles, importing, partners, standards
from hotline.model.call_log import LOCAL_SOURCE
from hotline.paths import resources_dir
from hotline.services import screening
from hotline.services.session import Session
from tests.unit import exchange_support
from tests.unit.exchange_support import COORDINATOR, HOTLINE_A, HOTLINE_B, Network, record_call
from ui.context import AppContext
from ui.exchange.coordinator_export_dialog import CoordinatorExportDialog
from ui.exchange.install_dialog import InstallDialog
from ui.exchange.labels import fingerprint_groups
from ui.exchange.publish_dialog import PublishDialog
from ui.main_window import MainWindow

SCRIPT = "job-offer"


# The network of tests/unit/exchange_support.py (its fixtures live in tests/unit/conftest.py).
@pytest.fixture(scope="session")
def network_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ui-coordinator-network")
    exchange_support._build(root)
    return root


@pytest.fixture
def network(network_template: Path, tmp_path: Path) -> Network:
    root = tmp_path / "network"
    shutil.copytree(network_template, root)
    (root / "outbox").mkdir()
    return Network(root)


@pytest.fixture
def sessions() -> Iterator[list[Session]]:
    opened: list[Session] = []
    yield opened
    for session in opened:
        if not session.db.closed:
            session.close()


def open_session(network: Network, sessions: list[Session], code: str, user: str) -> Session:
    session = network.session(code, user)
    sessions.append(session)
    return session


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The next save-file dialog answers ``path`` (as a person choosing it would)."""
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def script_v2(folder: Path) -> Path:
    """A second version of a shipped script, as a coordinator's administrator loads it."""
    source = (resources_dir() / "scripts" / f"{SCRIPT}.toml").read_text("utf-8")
    assert "\nversion = 1\n" in source
    path = folder / f"{SCRIPT}-v2.toml"
    path.write_text(source.replace("\nversion = 1\n", "\nversion = 2\n", 1), "utf-8")
    return path


def test_htcds_and_ctdc_exports_after_importing_a_batch(
    qtbot: QtBot,
    network: Network,
    sessions: list[Session],
    make_context: Callable[..., AppContext],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    operator = open_session(network, sessions, HOTLINE_A, "olga")
    record_call(operator)
    record_call(operator, phone="+996 700 000 001")
    hotline = open_session(network, sessions, HOTLINE_A, "bakyt")
    batch = exchange_support.send(hotline, network)
    coordinator = open_session(network, sessions, COORDINATOR, "dana")
    importing.import_file(coordinator, batch.path)

    dialog = CoordinatorExportDialog(make_context(network.dir(COORDINATOR)), coordinator)
    qtbot.addWidget(dialog)
    sources = [
        dialog.sources.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.sources.count())
    ]
    assert sources[0] == LOCAL_SOURCE and hotline.installation.id in sources
    assert len(sources) == 3  # here and the two registered hotlines
    assert not dialog.k.isEnabled() and dialog.k.value() == 11

    # HTCDS CSV of hotline A's records; the name gets its suffix.
    dialog.sources.set_checked(hotline.installation.id)
    save_as(monkeypatch, tmp_path / "htcds")
    dialog.choose_file()
    qtbot.waitUntil(lambda: not dialog.busy)
    written = tmp_path / "htcds.csv"
    assert dialog.result_label.text() == f"Wrote 2 rows to {written}."
    assert not dialog.message.isVisibleTo(dialog)
    rows = read_csv(written)
    assert tuple(rows[0]) == standards.HTCDS_HEADERS
    assert len(rows) == 3
    source = rows[0].index("hl_SourceOrganisation")
    assert {row[source] for row in rows[1:]} == {HOTLINE_A}
    assert not any("+996" in value for row in rows for value in row)

    # Only what was recorded here: nothing.
    dialog.sources.set_checked(hotline.installation.id, False)
    dialog.sources.set_checked(LOCAL_SOURCE)
    dialog.export_to(tmp_path / "here.csv")
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.result_label.text() == f"Wrote 0 rows to {tmp_path / 'here.csv'}."
    assert len(read_csv(tmp_path / "here.csv")) == 1

    # A folder that is not there: the reason, and the form is kept.
    dialog.sources.set_checked(LOCAL_SOURCE, False)
    dialog.export_to(tmp_path / "missing" / "x.csv")
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.message.is_error and dialog.message.text().startswith("Cannot write ")
    assert not dialog.result_label.isVisibleTo(dialog)
    assert dialog.fmt == "htcds-csv"

    # XLSX: every source (none ticked).
    dialog.format_buttons["htcds-xlsx"].setChecked(True)
    save_as(monkeypatch, tmp_path / "htcds.xlsx")
    dialog.choose_file()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.result_label.text() == f"Wrote 2 rows to {tmp_path / 'htcds.xlsx'}."
    assert not dialog.message.isVisibleTo(dialog)
    book = openpyxl.load_workbook(tmp_path / "htcds.xlsx", read_only=True)
    try:
        sheet = book.active
        assert sheet is not None
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    finally:
        book.close()  # read-only workbooks keep the file open until closed
    assert header == list(standards.HTCDS_HEADERS)

    # CTDC: k only there; at the default k both calls are too rare to publish.
    dialog.format_buttons["ctdc-csv"].setChecked(True)
    assert dialog.k.isEnabled()
    assert dialog.suggested_name().startswith("ctdc-k11-")
    dialog.export_to(tmp_path / "ctdc.csv")
    qtbot.waitUntil(lambda: not dialog.busy)
    text = dialog.result_label.text()
    assert text.startswith(f"Wrote 0 rows to {tmp_path / 'ctdc.csv'}.")
    assert "2 records were left out: they stayed too rare to publish (k = 11)." in text
    assert len(read_csv(tmp_path / "ctdc.csv")) == 1
    dialog.k.setValue(2)
    dialog.export_to(tmp_path / "ctdc2.csv")
    qtbot.waitUntil(lambda: not dialog.busy)
    rows = read_csv(tmp_path / "ctdc2.csv")
    assert tuple(rows[0]) == standards.CTDC_HEADERS
    assert len(rows) == 3
    assert dialog.result_label.text().startswith(f"Wrote 2 rows to {tmp_path / 'ctdc2.csv'}.")
    assert "left out" not in dialog.result_label.text()


def test_a_bundle_published_at_the_coordinator_is_installed_at_the_hotline(
    qtbot: QtBot,
    network: Network,
    sessions: list[Session],
    make_context: Callable[..., AppContext],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = open_session(network, sessions, COORDINATOR, "admin")
    screening.install_script(admin, script_v2(tmp_path))
    dana = open_session(network, sessions, COORDINATOR, "dana")
    publish = PublishDialog(make_context(network.dir(COORDINATOR)), dana)
    qtbot.addWidget(publish)
    labels = [publish.scripts.item(i).text() for i in range(publish.scripts.count())]
    assert any(text.endswith(f"({SCRIPT}, version 2)") for text in labels)
    publish.publish_to(tmp_path / "nothing.hlupdate")
    assert publish.message.is_error and "Tick at least one" in publish.message.text()
    assert not publish.busy
    publish.scripts.set_checked(SCRIPT)
    publish.publish_to(tmp_path / "missing" / "first.hlupdate")
    qtbot.waitUntil(lambda: not publish.busy)
    assert publish.message.is_error and "does not exist" in publish.message.text()
    save_as(monkeypatch, tmp_path / "first")  # the suffix is added
    publish.choose_file()
    qtbot.waitUntil(lambda: not publish.busy)
    first = tmp_path / "first.hlupdate"
    assert publish.published is not None and publish.published.number == 1
    assert publish.result_label.text().startswith(
        f"Update bundle number 1 was signed and saved as {first}: "
        "screening scripts: 1; directory entries: 0."
    )
    for name in ("second", "third"):
        publish.publish_to(tmp_path / f"{name}.hlupdate")
        qtbot.waitUntil(lambda: not publish.busy)
    assert publish.published is not None and publish.published.number == 3

    supervisor = open_session(network, sessions, HOTLINE_A, "bakyt")
    dialog = InstallDialog(make_context(network.dir(HOTLINE_A)), supervisor)
    qtbot.addWidget(dialog)
    assert dialog.installed_table.rowCount() == 0
    assert not dialog.details.isVisibleTo(dialog) and not dialog.install_button.isEnabled()
    dialog.inspect_path(first)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert not dialog.message.isVisibleTo(dialog)
    assert dialog.details.isVisibleTo(dialog)
    coordinator_label = f"{COORDINATOR} · Бишкек"
    assert dialog.publisher.text() == coordinator_label
    assert dialog.fingerprint.text() == fingerprint_groups(partners.my_fingerprint(dana))
    assert dialog.number.text() == "1"
    assert (
        dialog.contents.count() == 1 and f"({SCRIPT}, version 2)" in dialog.contents.item(0).text()
    )
    assert dialog.state.text() == "This bundle is not installed here yet."
    assert dialog.install_button.isEnabled()
    dialog.install()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.message.text() == (
        f"Installed update bundle number 1 from {coordinator_label}.\n"
        "Screening script versions added: 1; already here: 0. Directory entries added: 0; "
        "changed: 0; unchanged: 0."
    )
    assert not dialog.message.is_error
    assert any(i.id == SCRIPT and i.version == 2 for i in screening.available(supervisor))
    assert dialog.installed_table.rowCount() == 1
    assert cell(dialog.installed_table, 0, 0) == "1"
    assert cell(dialog.installed_table, 0, 1) == coordinator_label
    assert cell(dialog.installed_table, 0, 4) == "bakyt"
    assert dialog.state.text() == "This bundle is already installed here."
    assert not dialog.install_button.isEnabled()

    # The third bundle, then the second (skipped): older, not offered.
    dialog.inspect_path(tmp_path / "third.hlupdate")
    qtbot.waitUntil(lambda: not dialog.busy)
    dialog.install()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.message.text().startswith("Installed update bundle number 3")
    assert "already here: 1." in dialog.message.text()
    dialog.inspect_path(tmp_path / "second.hlupdate")
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.state.text() == (
        "This bundle is older than the one installed here (number 3); it cannot be installed."
    )
    assert not dialog.install_button.isEnabled()
    assert dialog.installed_table.rowCount() == 2
    assert cell(dialog.installed_table, 0, 0) == "3"


def test_a_bundle_from_another_office_is_refused(
    qtbot: QtBot,
    network: Network,
    sessions: list[Session],
    make_context: Callable[..., AppContext],
    tmp_path: Path,
) -> None:
    # Hotline B's coordinator account signs a bundle: B is not A's coordinator.
    other = open_session(network, sessions, HOTLINE_B, "dana")
    publish = PublishDialog(make_context(network.dir(HOTLINE_B)), other)
    qtbot.addWidget(publish)
    publish.scripts.set_checked(SCRIPT)
    foreign = tmp_path / "foreign.hlupdate"
    publish.publish_to(foreign)
    qtbot.waitUntil(lambda: not publish.busy)
    assert publish.published is not None

    admin = open_session(network, sessions, HOTLINE_A, "admin")
    dialog = InstallDialog(make_context(network.dir(HOTLINE_A)), admin)
    qtbot.addWidget(dialog)
    dialog.inspect_path(foreign)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.message.is_error
    assert dialog.message.text().startswith(
        f"This update bundle was signed by {HOTLINE_B}, which is not this installation's "
        "coordinator."
    )
    assert not dialog.details.isVisibleTo(dialog) and not dialog.install_button.isEnabled()

    # Checked, then replaced on the stick before Install: the install refuses it too.
    dana = open_session(network, sessions, COORDINATOR, "dana")
    genuine = tmp_path / "genuine.hlupdate"
    bundles.publish(dana, genuine, (SCRIPT,))
    dialog.inspect_path(genuine)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.install_button.isEnabled()
    genuine.write_bytes(foreign.read_bytes())
    dialog.install()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.message.is_error and "not this installation's coordinator" in (
        dialog.message.text()
    )
    assert dialog.installed_table.rowCount() == 0
    assert bundles.installed_bundles(admin) == []


def test_each_role_sees_its_coordinator_and_bundle_entries(
    qtbot: QtBot,
    network: Network,
    sessions: list[Session],
    make_context: Callable[..., AppContext],
) -> None:
    def window_for(code: str, user: str) -> MainWindow:
        return MainWindow(
            make_context(network.dir(code)), open_session(network, sessions, code, user)
        )

    operator = window_for(HOTLINE_A, "olga")
    assert "E&xchange" not in operator.menu_titles
    operator.discard()

    admin = window_for(HOTLINE_A, "admin")
    assert "E&xchange" not in admin.menu_titles
    assert admin.admin_menu is not None
    assert set(admin.exchange_menu.entries) == {"install", "partners"}
    for action in admin.exchange_menu.entries.values():
        assert action in admin.admin_menu.actions()
    admin.exchange_menu.entries["install"].trigger()
    assert isinstance(admin.exchange_menu.dialogs[-1], InstallDialog)
    admin.discard()

    # A hotline's supervisor: installs bundles; the standard exports only once this
    # station gathers other offices' records (a sender registered here).
    supervisor = window_for(HOTLINE_A, "bakyt")
    menu = supervisor.exchange_menu
    assert set(menu.entries) == {
        "send", "import", "batches", "coordinator_export", "install", "folders",
    }  # fmt: skip
    assert not menu.entries["coordinator_export"].isVisible()
    gatherer = open_session(network, sessions, HOTLINE_A, "admin")
    card = partners.read_card(network.root / f"{HOTLINE_B}.hlcard")
    partners.register(gatherer, card, partners.SENDER, card.fingerprint)
    menu.aboutToShow.emit()
    assert menu.entries["coordinator_export"].isVisible()
    menu.entries["coordinator_export"].trigger()
    assert isinstance(menu.dialogs[-1], CoordinatorExportDialog)
    supervisor.discard()

    coordinator = window_for(COORDINATOR, "dana")
    menu = coordinator.exchange_menu
    assert set(menu.entries) == {
        "send", "import", "batches", "coordinator_export", "publish", "partners", "folders",
    }  # fmt: skip
    assert menu.entries["coordinator_export"].isVisible()
    menu.entries["publish"].trigger()
    assert isinstance(menu.dialogs[-1], PublishDialog)
    coordinator.discard()
