"""Which window is showing: set-up, sign-in or the main window, and the moves between them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from hotline.i18n import (
    UI_LANGUAGES,
    _,
    add_listener,
    current_language,
    remove_listener,
    set_language,
)
from hotline.services.session import Session
from ui.context import AppContext
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.setup_dialog import SetupWizard


class Desk(QObject):
    """Owns the top-level windows; ``quit_requested`` tells the application to end."""

    quit_requested = Signal()

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.wizard: SetupWizard | None = None
        self.login: LoginDialog | None = None
        self.window: MainWindow | None = None
        add_listener(self._relabel)

    def start(self) -> None:
        if self.context.installed:
            self.show_login()
        else:
            self.show_setup()

    def show_setup(self) -> None:
        wizard = SetupWizard(self.context)
        wizard.completed.connect(self._signed_in)
        wizard.rejected.connect(self.quit)
        self.wizard = wizard
        wizard.show()

    def show_login(self, notice: str = "") -> None:
        dialog = LoginDialog(self.context, notice=notice)
        dialog.signed_in.connect(self._signed_in)
        dialog.rejected.connect(self.quit)
        self.login = dialog
        dialog.show()

    def _signed_in(self, session: Session) -> None:
        self._drop_dialogs()
        self._use_language_of(session)
        window = MainWindow(self.context, session)
        window.lock_requested.connect(self.lock)
        window.sign_out_requested.connect(self.sign_out)
        window.quit_requested.connect(self.quit)
        self.window = window
        window.show()

    def _use_language_of(self, session: Session) -> None:
        """Each user works in the language they chose; this computer remembers the last."""
        wanted = session.user.language
        forced = self.context.language_forced
        if not forced and wanted in UI_LANGUAGES and wanted != current_language():
            set_language(wanted)
        self.context.settings.language = current_language()
        self.context.save_settings()

    def lock(self) -> None:
        username = self.context.session.user.username if self.context.session else ""
        self._end_session(locked=True)
        if username:
            self.context.settings.last_username = username
        self.show_login(locked_notice())

    def sign_out(self) -> None:
        self._end_session()
        self.show_login(signed_out_notice())

    def quit(self) -> None:
        self.close_all()
        self.quit_requested.emit()

    def close_all(self) -> None:
        """Close the session and every window; safe to call more than once."""
        remove_listener(self._relabel)
        self._end_session()
        self._drop_dialogs()
        self.context.runner.wait()

    def _relabel(self, _language: str) -> None:
        # The set-up wizard switches the language itself and relabels itself.
        for widget in (self.login, self.window):
            if widget is not None:
                widget.retranslate()

    def _end_session(self, *, locked: bool = False) -> None:
        """Close the database first, then every widget that showed its data."""
        self.context.close_session(locked=locked)
        if self.window is not None:
            self.window.discard()
            self.window = None

    def _drop_dialogs(self) -> None:
        for dialog in (self.wizard, self.login):
            if dialog is not None:
                _dispose(dialog)
        self.wizard = None
        self.login = None


def locked_notice() -> str:
    return _("Hotline Desk is locked. Sign in again to continue.")


def signed_out_notice() -> str:
    return _("You have signed out.")


def _dispose(widget: QWidget) -> None:
    widget.blockSignals(True)
    widget.close()
    widget.deleteLater()
