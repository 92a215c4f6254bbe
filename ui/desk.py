"""Which window is showing: set-up, sign-in or the main window, and the moves between them.

The Desk is also the one listener for language changes: it switches Qt's own strings
(standard buttons, text-field menus) and relabels the main window. The set-up wizard and
the sign-in dialog switch the language themselves and relabel themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

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
from hotline.services import users
from hotline.services.session import Session
from ui.context import AppContext
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.qt_translation import QtStrings
from ui.setup_dialog import SetupWizard

log = logging.getLogger(__name__)


class Desk(QObject):
    """Owns the top-level windows; ``quit_requested`` tells the application to end."""

    quit_requested = Signal()

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.wizard: SetupWizard | None = None
        self.login: LoginDialog | None = None
        self.window: MainWindow | None = None
        self.qt_strings = QtStrings()
        self.qt_strings.apply(current_language())
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

    def show_login(self, notice: Callable[[], str] | None = None) -> None:
        dialog = LoginDialog(self.context, notice=notice)
        dialog.signed_in.connect(self._signed_in)
        dialog.rejected.connect(self.quit)
        self.login = dialog
        dialog.show()

    def _signed_in(self, session: Session) -> None:
        picked = self.login is not None and self.login.language_picked
        self._drop_dialogs()
        if picked:  # chosen on the sign-in screen just now: that wins, and is remembered
            self._remember_language(session)
        else:
            self._use_language_of(session)
        window = MainWindow(self.context, session)
        window.lock_requested.connect(self.lock)
        window.sign_out_requested.connect(self.sign_out)
        window.quit_requested.connect(self.quit)
        window.language_requested.connect(self.change_language)
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

    def change_language(self, language: str) -> None:
        """The operator chose a language in the main window: switch now, remember it."""
        if language != current_language():
            set_language(language)
        if self.context.session is not None:
            self._remember_language(self.context.session)

    def _remember_language(self, session: Session) -> None:
        """The current language becomes the user's own and this computer's default."""
        language = current_language()
        try:
            users.set_language(session, language)
        except Exception:  # a preference: the switch itself has happened, keep working
            log.exception("could not remember the language of %s", session.user.username)
        self.context.settings.language = language
        self.context.save_settings()

    def lock(self) -> None:
        username = self.context.session.user.username if self.context.session else ""
        self._end_session(locked=True)
        if username:
            self.context.settings.last_username = username
        self.show_login(locked_notice)

    def sign_out(self) -> None:
        self._end_session()
        self.show_login(signed_out_notice)

    def quit(self) -> None:
        self.close_all()
        self.quit_requested.emit()

    def close_all(self) -> None:
        """Close the session and every window; safe to call more than once."""
        remove_listener(self._relabel)
        self._end_session()
        self._drop_dialogs()
        self.qt_strings.clear()
        self.context.runner.wait()

    def _relabel(self, language: str) -> None:
        # Qt's strings first: the windows may ask Qt for some of them while relabelling.
        self.qt_strings.apply(language)
        if self.window is not None:
            self.window.retranslate()

    def _end_session(self, *, locked: bool = False) -> None:
        """Close the database first, then every widget that showed its data."""
        if self.window is not None:
            self.window.save_work()  # the draft of a call being typed, while the db is open
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
