"""Opening training mode: ``hotline-desk --training`` and "Open training mode…" in the
Administration menu (which starts that command as a separate process, so the real
installation and the practice one never share a window or a session).

The first time, the practice installation is created beside the real one (see
hotline/training.py) after a short explanation; its accounts and password are shown so the
trainer can hand them out. See docs/training.md.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtCore import QProcess, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QProgressDialog, QWidget

from hotline import training
from hotline.errors import KnownError
from hotline.i18n import _, add_listener, current_language, remove_listener
from hotline.paths import DataDir
from hotline.roles import Action, allowed
from hotline.services.session import Session
from ui import training_banner
from ui.context import AppContext
from ui.widgets import error_text

TRAINING_OPTION = "--training"


def command(data_dir: DataDir, language: str | None = None) -> tuple[str, list[str], Path]:
    """The program, arguments and working folder that open training mode for ``data_dir``:
    the frozen executable itself, or this Python running ``ui.app`` from the source tree."""
    args = [TRAINING_OPTION, "--data-dir", str(data_dir.root)]
    if language:
        args += ["--lang", language]
    if getattr(sys, "frozen", False):
        program = Path(sys.executable)
        return str(program), args, program.parent
    source = Path(__file__).resolve().parent.parent
    return sys.executable, ["-m", "ui.app", *args], source


def launch(data_dir: DataDir, parent: QWidget | None = None) -> bool:
    """Start training mode as a separate process; tells the user if it cannot start."""
    program, args, folder = command(data_dir, current_language())
    started, _pid = QProcess.startDetached(program, args, str(folder))
    if not started:
        QMessageBox.warning(
            parent,
            _("Training mode"),
            _("Training mode could not be started. Start the program with --training."),
        )
    return bool(started)


def add_to_menu(menu: QMenu, context: AppContext, session: Session, parent: QWidget) -> None:
    """Add "Open training mode…" to ``menu`` for administrators of a real installation."""
    if not allowed(session.user.role, Action.RESTORE) or training.is_training(session):
        return
    action = QAction(_("Open &training mode…"), menu)
    action.setObjectName("training-action")

    def relabel(_language: str) -> None:
        action.setText(_("Open &training mode…"))

    add_listener(relabel)
    action.destroyed.connect(lambda: remove_listener(relabel))
    action.triggered.connect(lambda: launch(context.data_dir, parent))
    menu.addAction(action)


def _explain(parent: QWidget | None) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("Training mode"))
    box.setText(_("Training mode opens a separate practice installation."))
    box.setInformativeText(
        _("It will now be filled with %(count)d invented calls, with their cases, referrals "
          "and screenings, so that operators can practise without touching real data. "
          "Nothing recorded in training mode can be sent to a coordinator. Never type a real "
          "caller's details in it.") % {"count": training.DEFAULT_CONTACTS}
    )  # fmt: skip
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Ok


def _create(data_dir: DataDir, parent: QWidget | None) -> training.TrainingInstallation | None:
    """Create the practice installation in a thread while a busy dialog turns."""
    outcome: list[training.TrainingInstallation | BaseException] = []

    def work() -> None:
        try:
            outcome.append(training.create_training_installation(data_dir))
        except BaseException as error:  # shown below, in the window's thread
            outcome.append(error)

    busy = QProgressDialog(_("Preparing the practice data…"), "", 0, 0, parent)
    busy.setWindowTitle(_("Training mode"))
    busy.setCancelButton(None)  # no button: it cannot be stopped half-way
    busy.setWindowModality(Qt.WindowModality.ApplicationModal)
    busy.setMinimumDuration(0)
    busy.show()
    thread = threading.Thread(target=work, name="training-setup", daemon=True)
    thread.start()
    while thread.is_alive():
        QApplication.processEvents()
        thread.join(0.05)
    busy.close()
    busy.deleteLater()
    result = outcome[0]
    if isinstance(result, BaseException):
        if not isinstance(result, KnownError):
            raise result
        QMessageBox.critical(parent, _("Training mode"), error_text(result))
        return None
    return result


def _tell_accounts(made: training.TrainingInstallation, parent: QWidget | None) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("Training mode"))
    box.setText(_("The practice installation is ready."))
    box.setInformativeText(
        _("Accounts: %(names)s (the first is the administrator).\n"
          "Every account's password is: %(password)s\n"
          "Write these down for the trainees; they are also in the training guide.")
        % {"names": ", ".join(made.usernames), "password": made.password}
    )  # fmt: skip
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def open_training(context: AppContext, app: QApplication) -> AppContext | None:
    """Switch the starting application to the practice installation of ``context``'s data
    folder, creating it first if needed; mark every window. None if the user declined."""
    target = training.training_dir(context.data_dir)
    training_banner.install(app)
    if target.database.exists() and not training.is_training(target):
        QMessageBox.critical(
            None,
            _("Training mode"),
            _("The folder %(path)s holds an installation that is not marked for training; "
              "training mode will not open it.") % {"path": str(target.root)},
        )  # fmt: skip
        return None
    if not target.database.exists():
        if not _explain(None):
            return None
        made = _create(context.data_dir, None)
        if made is None:
            return None
        _tell_accounts(made, None)
    switched = AppContext.create(target)
    switched.language_forced = context.language_forced
    return switched
