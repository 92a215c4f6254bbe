"""``hotline-desk --self-check``: the core checks (``hotline.self_check``) plus Qt's part.

Qt runs offscreen, so the check works without a display (CI, a remote shell). Everything
happens in a temporary folder that is removed at the end; the user's data folder is never
looked at. One line per check, then a summary; the exit code is 0 only if all passed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QEventLoop, QLibraryInfo, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from hotline import self_check
from hotline.i18n import _, current_language, set_language
from hotline.paths import DataDir
from hotline.self_check import Check, CheckFailed, CheckResult
from hotline.services import setup
from ui.context import AppContext
from ui.fonts import choose_font, covers, fonts_dir, load_bundled_fonts
from ui.login_dialog import LoginDialog
from ui.qt_translation import QT_SHIPPED, QtStrings
from ui.worker import Runner

REPORT_FILE = "hotline-self-check.txt"  # used when there is no console
SIGN_IN_TIMEOUT = 60.0  # seconds; Argon2 on a slow, busy machine


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no display needed, none used
    return QApplication([sys.argv[0] if sys.argv else "hotline-desk"])


def check_qt(scratch: Path) -> str:
    app = application()
    return _("Qt %(qt)s (PySide6 %(pyside)s), platform “%(platform)s”") % {
        "qt": qVersion(),
        "pyside": pyside_version,
        "platform": QGuiApplication.platformName() or app.platformName(),
    }


def check_qt_fonts(scratch: Path) -> str:
    app = application()
    families = load_bundled_fonts(fonts_dir())
    if "DejaVu Sans" not in families:
        raise CheckFailed(
            _("the bundled DejaVu Sans was not found in %(path)s") % {"path": fonts_dir()}
        )
    font = choose_font(app.font())
    if font.family() != "DejaVu Sans" or not covers(font):
        raise CheckFailed(
            _("the interface font %(family)s lacks letters of our languages")
            % {"family": font.family()}
        )
    return _("DejaVu Sans from %(path)s covers every interface language") % {"path": fonts_dir()}


def _qt_cancel(language: str) -> str:
    strings = QtStrings()
    strings.apply(language)
    try:
        return QCoreApplication.translate("QPlatformTheme", "Cancel")
    finally:
        strings.clear()


def check_qt_translations(scratch: Path) -> str:
    application()
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    parts = []
    shipped = folder / f"{QT_SHIPPED['ru']}.qm"
    if shipped.is_file():
        cancel = _qt_cancel("ru")
        if cancel == "Cancel":
            raise CheckFailed(
                _("Qt's Russian translation %(path)s did not load") % {"path": shipped}
            )
        parts.append(_("%(file)s loaded (“%(text)s”)") % {"file": shipped.name, "text": cancel})
    else:
        parts.append(_("%(file)s is not shipped with this Qt") % {"file": shipped.name})
    cancel = _qt_cancel("ky")
    if cancel == "Cancel":
        raise CheckFailed(_("our Kyrgyz catalogue of Qt's strings did not load"))
    parts.append(_("ky from our catalogue (“%(text)s”)") % {"text": cancel})
    return "; ".join(parts)


def _sign_in(dialog: LoginDialog) -> None:
    """Press "Sign in" and let the event loop run until the worker thread has answered."""
    dialog.sign_in()
    deadline = time.monotonic() + SIGN_IN_TIMEOUT
    while dialog.busy and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
    if dialog.busy:
        raise CheckFailed(_("signing in did not finish within a minute"))
    if dialog.context.session is None:
        raise CheckFailed(_("signing in failed: %(error)s") % {"error": dialog.message.text()})


def check_login_window(scratch: Path) -> str:
    """The real sign-in window, in Russian, drawn and used to sign in (a worker thread)."""
    application()
    data_dir = DataDir(scratch / "data")
    setup.initialize(
        data_dir,
        setup.SetupRequest(
            org_code="KG-CHECK",
            org_name=self_check.ORG_NAME,
            country="KG",
            site_name=self_check.SITE_NAME,
            admin_username=self_check.ADMIN,
            admin_password=self_check.ADMIN_PASSWORD,
        ),
    ).session.close()
    previous = current_language()
    context = AppContext(data_dir=data_dir, runner=Runner())
    set_language("ru")
    dialog = LoginDialog(context)
    try:
        dialog.resize(560, 380)
        dialog.show()
        QCoreApplication.processEvents()
        title = dialog.windowTitle()
        if "sign in" in title:
            raise CheckFailed(
                _("the sign-in window is not in Russian: “%(title)s”") % {"title": title}
            )
        image = dialog.grab().toImage()
        if image.isNull() or image.width() < 200:
            raise CheckFailed(_("the sign-in window could not be drawn"))
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
                   for y in range(0, image.height(), 7)}  # fmt: skip
        if len(colours) < 3:
            raise CheckFailed(_("the sign-in window was drawn blank"))
        dialog.username.setText(self_check.ADMIN)
        dialog.password.setText(self_check.ADMIN_PASSWORD)
        _sign_in(dialog)
        context.close_session()
    finally:
        context.runner.wait()
        dialog.close()
        dialog.deleteLater()
        set_language(previous)
    return _("drawn in Russian (%(width)d×%(height)d), signed in and out") % {
        "width": image.width(),
        "height": image.height(),
    }


def qt_checks() -> list[tuple[str, Check]]:
    return [
        ("qt", check_qt),
        ("qt-fonts", check_qt_fonts),
        ("qt-translations", check_qt_translations),
        ("sign-in-window", check_login_window),
    ]


def all_checks() -> list[tuple[str, Check]]:
    return [*self_check.core_checks(), *qt_checks()]


def report(results: Sequence[CheckResult], out: TextIO) -> int:
    for result in results:
        print(result.line(), file=out)
    failed = [r.name for r in results if not r.ok]
    if failed:
        print(_("Self-check FAILED: %(checks)s") % {"checks": ", ".join(failed)}, file=out)
        return 1
    print(_("Self-check passed: %(count)d checks.") % {"count": len(results)}, file=out)
    return 0


def run(
    out: TextIO | None = None,
    checks: Callable[[], list[tuple[str, Check]]] = all_checks,
) -> int:
    """Run the checks and print the report; the exit code for ``hotline-desk``."""
    if out is not None:
        return _run(out, checks)
    if sys.stdout is not None:
        return _run(sys.stdout, checks)
    # A windowed program without a console (Windows): the report goes to a file.
    path = Path(tempfile.gettempdir()) / REPORT_FILE
    with open(path, "w", encoding="utf-8") as stream:
        return _run(stream, checks)


def _run(stream: TextIO, checks: Callable[[], list[tuple[str, Check]]]) -> int:
    print(_("Hotline Desk self-check (throwaway data in a temporary folder)"), file=stream)
    started = time.monotonic()
    results = self_check.run_in_temporary_folder(checks())
    code = report(results, stream)
    print(_("Took %(seconds).1f s.") % {"seconds": time.monotonic() - started}, file=stream)
    stream.flush()
    return code
