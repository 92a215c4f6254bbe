"""The supervisor's windows on a real database: the call log (lazy pages, filters, search,
sort, saved filters), reviewing a call, the operator's feedback, the statistics."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from hotline.model.call_log import CallLogFilter
from hotline.model.statistics import Dimension
from hotline.paths import DataDir
from hotline.services import call_log, reviews, statistics
from hotline.services.session import Session
from tests.conftest import sign_in
from tests.ui.supervision_support import seed_calls
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.supervision.call_log_window import CallLogWindow
from ui.supervision.log_model import CallLogModel

COUNT = 30


@pytest.fixture
def supervisor(data_dir: DataDir) -> Iterator[Session]:
    seed_calls(data_dir, COUNT)
    session = sign_in(data_dir, "bakyt")
    yield session
    if not session.db.closed:
        session.close()


@pytest.fixture
def windows() -> Iterator[list[QWidget]]:
    """Windows that delete themselves when closed (qtbot.addWidget would delete them a
    second time): closed here at the end of the test."""
    made: list[QWidget] = []
    yield made
    for window in made:
        if isValid(window):
            window.close()


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def header(table: QTableWidget, column: int) -> str:
    item = table.horizontalHeaderItem(column)
    assert item is not None
    return item.text()


def log_window(qtbot: QtBot, session: Session) -> CallLogWindow:
    window = CallLogWindow(session)
    window.show()
    return window


def references(model: CallLogModel) -> list[str]:
    return [row.reference for row in model.rows]


def test_the_model_fetches_a_page_at_a_time(qtbot: QtBot, supervisor: Session) -> None:
    model = CallLogModel(page_size=7)
    model.set_query(call_log.query(supervisor))
    assert model.rowCount() == 7 and model.pages_fetched == 1
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == COUNT
    assert model.pages_fetched == COUNT // 7 + 1
    assert len(set(references(model))) == COUNT
    model.clear()
    assert model.rowCount() == 0 and model.query is None


def test_filters_narrow_the_log_and_say_how_many(
    qtbot: QtBot, supervisor: Session, windows: list[QWidget]
) -> None:
    window = log_window(qtbot, supervisor)
    windows.append(window)
    assert window.model.rowCount() == COUNT
    assert window.count.text() == f"{COUNT} calls"
    risk = window.filters.combos["risk_level"]
    risk.setCurrentIndex(risk.findData("high"))
    assert window.model.rowCount() == COUNT // 3
    assert {row.risk_level for row in window.model.rows} == {"high"}
    language = window.filters.combos["language"]
    language.setCurrentIndex(language.findData("ru"))
    # i % 3 == 0 and i % 5 == 0: days 0, 15
    assert window.model.rowCount() == 2
    window.filters.clear()
    assert window.model.rowCount() == COUNT


def test_search_finds_part_of_a_kyrgyz_word_and_refuses_two_letters(
    qtbot: QtBot, supervisor: Session, windows: list[QWidget]
) -> None:
    window = log_window(qtbot, supervisor)
    windows.append(window)
    window.filters.search.setText("мигрант")  # inside "мигранттардын"
    window.filters.search.returnPressed.emit()
    assert window.model.rowCount() == 1
    window.filters.search.setText("DUBAI")
    window.filters.search.returnPressed.emit()
    assert window.model.rowCount() == 1
    window.filters.search.setText("ош")
    window.filters.search.returnPressed.emit()
    assert window.message.isVisible()
    assert "at least 3 letters" in window.message.text()
    assert window.model.rowCount() == 0


def test_a_header_click_sorts_in_sql(
    qtbot: QtBot, supervisor: Session, windows: list[QWidget]
) -> None:
    window = log_window(qtbot, supervisor)
    windows.append(window)
    newest_first = references(window.model)
    when = window.model.section_of("started_at")
    window.table.horizontalHeader().sectionClicked.emit(when)
    assert references(window.model) == list(reversed(newest_first))
    risk = window.model.section_of("risk_level")
    window.table.horizontalHeader().sectionClicked.emit(risk)
    levels = [row.risk_level or "" for row in window.model.rows]
    assert levels == sorted(levels)  # "high" before "low": most serious first
    assert window.table.horizontalHeader().sortIndicatorSection() == risk


def test_saved_filters_come_back(qtbot: QtBot, supervisor: Session, windows: list[QWidget]) -> None:
    window = log_window(qtbot, supervisor)
    windows.append(window)
    risk = window.filters.combos["risk_level"]
    risk.setCurrentIndex(risk.findData("high"))
    window.filters.search.setText("Обычный")
    window.filters.search.returnPressed.emit()
    high_and_ordinary = window.model.rowCount()
    window.save_filter_as("Высокий риск", window.filters.current())
    window.filters.clear()
    assert window.model.rowCount() == COUNT
    window.saved_box.setCurrentIndex(window.saved_box.findData("Высокий риск"))
    window.saved_box.activated.emit(window.saved_box.currentIndex())
    assert window.filters.search.text() == "Обычный"
    assert window.model.rowCount() == high_and_ordinary
    window.delete_filter_named("Высокий риск")
    assert call_log.saved_filters(supervisor) == []


def test_reviewing_a_call_and_the_operator_reading_it(
    qtbot: QtBot,
    supervisor: Session,
    data_dir: DataDir,
    make_context: Callable[[DataDir], AppContext],
    windows: list[QWidget],
) -> None:
    window = log_window(qtbot, supervisor)
    windows.append(window)
    dialog = window.open_row(0)
    assert dialog is not None
    assert dialog.call.read_only
    panel = dialog.panel
    assert panel.editable and panel.save_button.isVisible()
    panel.marks["greeting"].setCurrentIndex(panel.marks["greeting"].findData("met"))
    panel.marks["notes"].setCurrentIndex(panel.marks["notes"].findData("not_met"))
    panel.comment.setPlainText("Запишите, куда направили звонящего.")
    with qtbot.waitSignal(dialog.review_saved):
        panel.save_button.click()
    contact_id = dialog.contact_id
    saved = reviews.review_of(supervisor, contact_id)
    assert saved is not None and saved.rubric == {"greeting": "met", "notes": "not_met"}
    row = next(r for r in window.model.rows if r.id == contact_id)
    assert row.reviewed
    dialog.close()
    supervisor.close()

    operator = sign_in(data_dir, "olga")
    context = make_context(data_dir)
    context.session = operator
    main = MainWindow(context, operator)
    qtbot.addWidget(main)
    main.show()
    assert main.feedback_status.text() == "1 new review of your calls"
    feedback = main.show_feedback()
    assert feedback is not None and feedback.table.rowCount() == 1
    assert "Запишите" in cell(feedback.table, 0, 3)
    opened = feedback.open_row(0)
    assert opened is not None
    assert not opened.panel.editable and not opened.panel.save_button.isVisible()
    assert opened.panel.comment.isReadOnly()
    assert main.feedback_status.text() == ""
    main.discard()


def test_the_statistics_window_shows_what_the_service_counts(
    qtbot: QtBot, supervisor: Session, windows: list[QWidget]
) -> None:
    from ui.supervision.statistics_window import StatisticsWindow

    window = StatisticsWindow(supervisor)
    windows.append(window)
    window.show()
    window.period.choice.setCurrentIndex(window.period.choice.findData("any"))
    expected = statistics.summary(supervisor, CallLogFilter())
    assert window.figures["contacts"].value.text() == str(expected.contacts)
    assert window.figures["high_risk"].value.text() == str(expected.high_risk)
    # Only the breakdown on show is counted; another one when it is chosen (docs/performance.md).
    assert window.current is not None
    assert [b.dimension for b in window.current.breakdowns] == [window.current_dimension()]
    row = list(statistics.DASHBOARD_DIMENSIONS).index(Dimension.CALLER_SEX)
    window.dimensions.setCurrentRow(row)
    assert Dimension.CALLER_SEX in [b.dimension for b in window.current.breakdowns]
    found = statistics.breakdown(supervisor, CallLogFilter(), Dimension.CALLER_SEX)
    table = {
        cell(window.table, r, 0): cell(window.table, r, 1) for r in range(window.table.rowCount())
    }
    assert table["Female"] == str(found.count("female"))
    assert table["Total"] == str(found.total)
    window.split.setCurrentIndex(window.split.findData(Dimension.LANGUAGE.value))
    headers = [header(window.table, c) for c in range(window.table.columnCount())]
    assert "Russian" in headers and "Kyrgyz" in headers
    window.period.choice.setCurrentIndex(window.period.choice.findData("week"))
    window.compare.setCurrentIndex(window.compare.findData("previous"))
    window.split.setCurrentIndex(0)
    headers = [header(window.table, c) for c in range(window.table.columnCount())]
    assert headers[-2:] == ["Before", "Change"]
    window.discard()


def test_the_call_log_opens_the_statistics_of_its_filter(
    qtbot: QtBot,
    supervisor: Session,
    make_context: Callable[[DataDir], AppContext],
    data_dir: DataDir,
) -> None:
    context = make_context(data_dir)
    context.session = supervisor
    main = MainWindow(context, supervisor)
    qtbot.addWidget(main)
    main.show()
    assert main.supervision_menu is not None
    log = main.show_call_log()
    assert log is not None
    risk = log.filters.combos["risk_level"]
    risk.setCurrentIndex(risk.findData("high"))
    log.statistics_button.click()
    assert len(main.statistics_windows) == 1
    stats = main.statistics_windows[0]
    stats.period.choice.setCurrentIndex(stats.period.choice.findData("any"))
    assert stats.base_note.isVisible()
    assert stats.figures["contacts"].value.text() == str(COUNT // 3)
    main.discard()
    assert not log.model.rows


def test_operators_and_administrators_have_no_supervision_menu(
    qtbot: QtBot, data_dir: DataDir, make_context: Callable[[DataDir], AppContext]
) -> None:
    for name in ("olga", "admin"):
        session = sign_in(data_dir, name)
        context = make_context(data_dir)
        context.session = session
        main = MainWindow(context, session)
        qtbot.addWidget(main)
        assert main.supervision_menu is None
        assert main.show_call_log() is None and main.show_statistics() is None
        main.discard()
        session.close()
        context.session = None


def test_risk_column_is_coloured(qtbot: QtBot, supervisor: Session, windows: list[QWidget]) -> None:
    window = log_window(qtbot, supervisor)
    windows.append(window)
    section = window.model.section_of("risk_level")
    high = next(i for i, r in enumerate(window.model.rows) if r.risk_level == "high")
    colour = window.model.data(window.model.index(high, section), Qt.ItemDataRole.ForegroundRole)
    assert colour is not None


def test_every_role_keeps_its_central_screen_and_gets_its_menus(
    qtbot: QtBot, data_dir: DataDir, make_context: Callable[[DataDir], AppContext]
) -> None:
    """Who reads calls works in the call workspace; feedback, supervision and audit
    entries appear exactly for the roles allowed them."""
    expected = {
        "olga": (True, False, True, False),
        "bakyt": (True, True, True, True),
        "dana": (True, True, False, False),
        "admin": (False, False, False, True),
    }
    for name, (calls, supervision, feedback, audit) in expected.items():
        session = sign_in(data_dir, name)
        context = make_context(data_dir)
        context.session = session
        main = MainWindow(context, session)
        qtbot.addWidget(main)
        main.show()
        qtbot.wait(10)  # deferred deletions would happen here
        assert (main.centralWidget() is main.calls) is calls, name
        assert (main.supervision_menu is not None) is supervision, name
        assert (main.feedback_action in main.file_menu.actions()) is feedback, name
        menus = [m for m in (main.supervision_menu, main.admin_menu) if m is not None]
        assert any(main.audit_action in m.actions() for m in menus) is audit, name
        main.discard()
        session.close()
        context.session = None


def test_exports_from_the_windows_write_the_chosen_file_only(
    qtbot: QtBot, supervisor: Session, windows: list[QWidget], tmp_path: Path
) -> None:
    from ui.supervision.statistics_window import StatisticsWindow

    tmp_path = tmp_path / "out"
    tmp_path.mkdir()

    log = log_window(qtbot, supervisor)
    windows.append(log)
    risk = log.filters.combos["risk_level"]
    risk.setCurrentIndex(risk.findData("high"))
    dialog = log.export()
    assert dialog is not None
    assert set(dialog.extra) == {"name", "phone", "region", "summary", "notes", "follow_up_reason"}
    dialog.extra["notes"].setChecked(True)
    target = tmp_path / "calls.xlsx"
    assert dialog.export_to(target)
    assert dialog.written == COUNT // 3
    assert target.read_bytes()[:2] == b"PK"
    assert "10 calls exported." in log.message.text()

    stats = StatisticsWindow(supervisor)
    windows.append(stats)
    stats.show()
    assert stats.export_tables_to(tmp_path / "table.csv", "csv")
    assert (tmp_path / "table.csv").read_text("utf-8-sig").startswith("Call type")
    assert stats.monthly_report_to(tmp_path / "report.pdf")
    assert (tmp_path / "report.pdf").read_bytes()[:4] == b"%PDF"
    assert not stats.monthly_report_to(tmp_path / "no-such-folder" / "report.pdf")
    assert "could not be written" in stats.message.text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls.xlsx", "report.pdf", "table.csv"]


def test_a_coordinator_exports_codes_only(
    qtbot: QtBot, data_dir: DataDir, windows: list[QWidget]
) -> None:
    seed_calls(data_dir, 3)
    session = sign_in(data_dir, "dana")
    log = log_window(qtbot, session)
    windows.append(log)
    dialog = log.export()
    assert dialog is not None and dialog.extra == {}
    log.close()
    session.close()
