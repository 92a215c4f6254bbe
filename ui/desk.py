"""Which window is showing: set-up, sign-in or the main window, and the moves between them.

The Desk is also the one listener for language changes: it switches Qt's own strings
(standard buttons, text-field menus) and relabels the main window. The set-up wizard and
the sign-in dialog switch the language themselves and relabel themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from hotline.i18n import (
    UI_LANGUAGES,
    _,
    add_listener,
    current_language,
    remove_listener,
    set_language,
)
from hotline.services import integrity, security_settings, users
from hotline.services.session import Session
from ui import clipboard, idle_lock
from ui.context import AppContext
from ui.idle_lock import IdleWatcher
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.qt_translation import QtStrings
from ui.quick_hide import QuickHideCover
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
        self.cover: QuickHideCover | None = None
        # The database's complete check, when it runs after sign-in (a large database).
        self._check: integrity.BackgroundCheck | None = None
        # After a lock: who was signed in and the draft of the call they were typing; only
        # the same user signing in again gets it back, at once.
        self._resume: tuple[str, str] | None = None
        # Input anywhere in the program keeps the session open; none for the idle lock
        # time locks it. F12 anywhere hides the screen.
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        self.idle.hide_requested.connect(self.quick_hide)
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

    def show_login(self, notice: Callable[[], str] | None = None, *, visible: bool = True) -> None:
        dialog = LoginDialog(self.context, notice=notice)
        dialog.signed_in.connect(self._signed_in)
        dialog.rejected.connect(self.quit)
        self.login = dialog
        if visible:
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
        window.hide_requested.connect(self.quick_hide)
        window.idle_lock_changed.connect(self._watch_idle)
        self.window = window
        window.show()
        resume, self._resume = self._resume, None
        if resume is not None and resume[0] == session.user.username and resume[1]:
            window.resume_draft(resume[1])
        self._watch_idle()
        self._check_in_background(session)

    def _check_in_background(self, session: Session) -> None:
        """A large database is checked after sign-in, on its own connection (integrity.py)."""
        try:
            due = integrity.background_check_due(session.db, session.data_dir)
        except Exception:  # an unreadable setting: check all the same
            log.exception("could not read when the database was last checked")
            due = True
        if not due:
            return
        check = integrity.BackgroundCheck(session.data_dir, session.key)
        self._check = check

        def done(problem: object) -> None:
            if self._check is check:
                self._check = None
            if problem is None:
                return  # cancelled: the next sign-in tries again
            if problem:
                self._report_damage(str(problem))
            elif self.context.session is session and not session.db.closed:
                integrity.mark_checked(session.db)

        def failed(error: BaseException) -> None:
            if self._check is check:
                self._check = None
            log.error("the background database check failed: %s", error)

        self.context.runner.submit(check.run, done, failed)

    def _report_damage(self, problem: str) -> None:
        """Damage found while people work: stop, and let the sign-in screen offer backups."""
        if self.window is not None:
            QMessageBox.critical(
                self.window,
                _("The database is damaged"),
                _(
                    "A check of the database found damage (%(problem)s). What you saved "
                    "before is still in the file, but Hotline Desk must stop using it. "
                    "Sign in again: you will be offered the newest backups to restore."
                )
                % {"problem": problem},
            )
        self.lock()

    def _watch_idle(self) -> None:
        session = self.context.session
        if session is None or session.db.closed:
            return
        try:
            minutes = security_settings.idle_lock_minutes(session)
        except Exception:  # unreadable setting: lock after the usual time all the same
            log.exception("could not read the idle lock time")
            minutes = security_settings.DEFAULT_IDLE_LOCK_MINUTES
        self.idle.start(idle_lock.minutes_to_ms(minutes))

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

    def lock(self, *, show_login: bool = True) -> None:
        """Ctrl+L, the idle lock and quick-hide: the session ends, the password is asked."""
        if self.window is None and self.context.session is None:
            return  # already locked (F12 pressed twice, the idle lock after Ctrl+L)
        username = self.context.session.user.username if self.context.session else ""
        draft = self.window.draft_in_progress() if self.window is not None else ""
        self._end_session(locked=True)
        if username:
            self.context.settings.last_username = username
            self._resume = (username, draft)
        self.show_login(locked_notice, visible=show_login)

    def quick_hide(self) -> None:
        """F12: a plain page covers the screen at once, then the session locks."""
        if self.window is None:
            return
        cover = QuickHideCover()
        cover.revealed.connect(self._uncover)
        self.cover = cover
        cover.cover(self.window)
        self.lock(show_login=False)

    def _uncover(self) -> None:
        if self.cover is not None:
            _dispose(self.cover)
            self.cover = None
        if self.login is not None:
            self.login.show()
            self.login.activateWindow()

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
        self.idle.stop()
        if self._check is not None:  # a background check must not hold up a lock or quit
            self._check.cancel()
            self._check = None
        if self.window is not None:
            self.window.save_work()  # the draft of a call being typed, while the db is open
        self.context.close_session(locked=locked)
        clipboard.clear_sensitive()  # a copied reference or number does not outlive the session
        if self.window is not None:
            self.window.discard()
            self.window = None

    def _drop_dialogs(self) -> None:
        for dialog in (self.wizard, self.login, self.cover):
            if dialog is not None:
                _dispose(dialog)
        self.wizard = None
        self.login = None
        self.cover = None


def locked_notice() -> str:
    return _("Hotline Desk is locked. Sign in again to continue.")


def signed_out_notice() -> str:
    return _("You have signed out.")


def _dispose(widget: QWidget) -> None:
    widget.blockSignals(True)
    widget.close()
    widget.deleteLater()
