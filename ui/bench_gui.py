"""The GUI half of ``hotline bench`` (issue 10), run as its own process, offscreen.

    python ui/bench_gui.py --data-dir D --runs R --output results.json

Measures, on the real windows: process start to the sign-in window shown (a fresh process
per run), sign-in to the main window ready, Ctrl+N to the new-call form ready, the call log's
first page shown, saving a call in the call form while the log is open (p50/p95), the peak
resident memory with the log open, and scrolling the log to its end through the model's
``fetchMore``. Writes a JSON list of {name, unit, values, note, by_p95}. Changes the
installation it is given: run it on a copy.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the repository root is the import root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from hotline.paths import DataDir
from ui.app import create_application
from ui.context import AppContext
from ui.desk import Desk
from ui.supervision.call_log_window import CallLogWindow

USER = "bakyt"  # a supervisor: records calls and reads the call log
T0 = "HOTLINE_BENCH_T0"
TIMEOUT = 600.0


def peak_rss_mb() -> float:
    """VmHWM of this process (the peak resident set), in MB."""
    try:
        with open("/proc/self/status", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def wait_until(done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the GUI did not get there in time")
        QApplication.processEvents()
        time.sleep(0.001)


def log_ready(log: CallLogWindow) -> bool:
    return log.isVisible() and log.model.rowCount() > 0


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def startup(data_dir: str) -> None:
    """Child mode: print seconds from the parent's spawn to the sign-in window shown."""
    app = create_application([sys.argv[0]])
    desk = Desk(AppContext.create(DataDir(Path(data_dir))))
    desk.start()
    wait_until(lambda: desk.login is not None and desk.login.isVisible())
    settle()
    print(json.dumps({"seconds": time.time() - float(os.environ[T0])}))
    desk.close_all()
    del app


def result(
    name: str, unit: str, values: list[float], note: str = "", by_p95: bool = False
) -> dict[str, Any]:
    return {"name": name, "unit": unit, "values": values, "note": note, "by_p95": by_p95}


def measure(data_dir: Path, runs: int) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    starts: list[float] = []
    for _ in range(runs):
        env = dict(os.environ, **{T0: repr(time.time())})
        out = subprocess.run(
            [sys.executable, __file__, "--startup", "--data-dir", str(data_dir)],
            check=True, capture_output=True, text=True, env=env,
        )  # fmt: skip
        starts.append(1000 * json.loads(out.stdout.strip().splitlines()[-1])["seconds"])
    results.append(result("process start to login window shown", "ms", starts))

    app = create_application([sys.argv[0]])
    context = AppContext.create(DataDir(data_dir))
    desk = Desk(context)
    desk.start()
    password = os.environ["HOTLINE_PASSWORD"]
    unlocks: list[float] = []
    for run in range(runs):
        login = desk.login
        assert login is not None
        wait_until(login.isVisible)
        login.username.setText(USER)
        login.password.setText(password)
        start = time.perf_counter()
        login.sign_in()
        wait_until(lambda: desk.window is not None and desk.window.isVisible())
        settle()
        unlocks.append(1000 * (time.perf_counter() - start))
        if run < runs - 1:
            desk.lock()
            settle()
    results.append(result("unlock to main window ready", "ms", unlocks, "incl. sign-in"))
    window = desk.window
    assert window is not None and window.calls is not None
    calls = window.calls

    forms: list[float] = []
    for _ in range(max(runs, 5)):
        calls.show_home()
        settle()
        window.activateWindow()
        start = time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        wait_until(lambda: calls.stack.currentIndex() == 1 and calls.editor.isVisible())
        settle()
        forms.append(1000 * (time.perf_counter() - start))
    calls.show_home()
    results.append(result("new-call form ready after Ctrl+N", "ms", forms))

    firsts: list[float] = []
    for run in range(runs):
        start = time.perf_counter()
        log = window.show_call_log()
        assert log is not None
        wait_until(functools.partial(log_ready, log))
        settle()
        firsts.append(1000 * (time.perf_counter() - start))
        if run < runs - 1:
            log.close()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            settle()
    results.append(result("call log first page shown", "ms", firsts, "window opened"))
    log = window.call_log_window
    assert log is not None

    saves: list[float] = []
    for n in range(max(runs, 10)):
        calls.show_home()
        calls.new_call_action.trigger()
        settle()
        calls.editor.form.notes.setPlainText(f"Бенчмарк {n}: звонок о работе и паспорте.")
        start = time.perf_counter()
        calls.editor.save()
        settle()
        saves.append(1000 * (time.perf_counter() - start))
    calls.show_home()
    results.append(result("save a contact, call log open", "ms", saves, "p50/p95", by_p95=False))
    results.append(result("GUI peak RSS, call log open", "MB", [peak_rss_mb()], "VmHWM"))

    model = log.model
    start = time.perf_counter()
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    settle()
    seconds = time.perf_counter() - start
    note = f"{model.rowCount()} rows, {model.pages_fetched} pages"
    name = "call log scrolled to the end (fetchMore)"
    results.append(result(name, "ms", [1000 * seconds], note))
    results.append(result("GUI peak RSS, log scrolled to the end", "MB", [peak_rss_mb()]))
    desk.close_all()
    context.close_session()
    del app
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output")
    parser.add_argument("--startup", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.startup:
        startup(args.data_dir)
        return 0
    results = measure(Path(args.data_dir), args.runs)
    text = json.dumps(results, ensure_ascii=False, indent=1)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
