"""The main window: menus, the home panel and a status bar. Features fill it later."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QWidget

from hotline.formatting import ui_language_choices
from hotline.i18n import _, current_language, ngettext
from hotline.model.call_log import CallLogFilter
from hotline.roles import Action, allowed
from hotline.services import reviews
from hotline.services.session import Session
from ui import about_dialog, backup_dialog, retention_dialog, training_mode
from ui.audit_dialog import AuditDialog
from ui.backup_scheduler import BackupScheduler
from ui.calls.workspace import CallWorkspace
from ui.context import AppContext
from ui.directory_dialog import DirectoryDialog
from ui.exchange.menu import ADMIN_ENTRIES, ExchangeMenu
from ui.idle_lock import QUICK_HIDE_SHORTCUT, SecuritySettingsDialog
from ui.scripts_dialog import ScriptsDialog
from ui.supervision.call_log_window import CallLogWindow
from ui.supervision.feedback_dialog import FeedbackDialog
from ui.supervision.statistics_window import StatisticsWindow
from ui.users_dialog import UsersDialog
from ui.welcome_panel import WelcomePanel


class MainWindow(QMainWindow):
    """Emits what the operator asks for; ``ui.desk.Desk`` decides what happens next."""

    lock_requested = Signal()
    # F12 (ui.quick_hide); the idle lock time changed in Security settings.
    hide_requested = Signal()
    idle_lock_changed = Signal()
    sign_out_requested = Signal()
    quit_requested = Signal()
    # A language code from Settings → Language.
    language_requested = Signal(str)

    def __init__(self, context: AppContext, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self._discarding = False
        self.users_dialog: UsersDialog | None = None

        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        # From every window of the program (call log, statistics, reviews), not only this one.
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock_requested)
        self.hide_action = QAction(self)
        self.hide_action.setShortcut(QUICK_HIDE_SHORTCUT)
        self.hide_action.triggered.connect(self.hide_requested)
        self.security_action = QAction(self)
        self.security_action.triggered.connect(self.show_security_settings)
        self.security_dialog: SecuritySettingsDialog | None = None
        self.sign_out_action = QAction(self)
        self.sign_out_action.triggered.connect(self.sign_out_requested)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.quit_requested)
        self.users_action = QAction(self)
        self.users_action.triggered.connect(self.show_users)
        self.scripts_action = QAction(self)
        self.scripts_action.triggered.connect(self.show_scripts)
        self.scripts_dialog: ScriptsDialog | None = None
        self.directory_action = QAction(self)
        self.directory_action.setShortcut(QKeySequence("Ctrl+D"))
        self.directory_action.triggered.connect(lambda: self.show_directory())
        self.directory_dialog: DirectoryDialog | None = None
        self.call_log_action = QAction(self)
        self.call_log_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.call_log_action.triggered.connect(self.show_call_log)
        self.call_log_window: CallLogWindow | None = None
        self.statistics_action = QAction(self)
        self.statistics_action.triggered.connect(lambda: self.show_statistics())
        self.statistics_windows: list[StatisticsWindow] = []
        self.feedback_action = QAction(self)
        self.feedback_action.triggered.connect(self.show_feedback)
        self.feedback_dialog: FeedbackDialog | None = None
        self.audit_action = QAction(self)
        self.audit_action.triggered.connect(self.show_audit_log)
        self.audit_dialog: AuditDialog | None = None

        menu_bar = self.menuBar()
        self.file_menu = QMenu(self)
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.hide_action)
        self.file_menu.addAction(self.sign_out_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        menu_bar.addMenu(self.file_menu)
        # Every role may read the directory (docs/directory.md).
        self.directory_menu = QMenu(self)
        self.directory_menu.addAction(self.directory_action)
        menu_bar.addMenu(self.directory_menu)
        self.admin_menu: QMenu | None = None
        role = session.user.role
        self.supervision_menu: QMenu | None = None
        if allowed(role, Action.VIEW_CALL_LOG) or allowed(role, Action.VIEW_STATISTICS):
            self.supervision_menu = QMenu(self)
            if allowed(role, Action.VIEW_CALL_LOG):
                self.supervision_menu.addAction(self.call_log_action)
            if allowed(role, Action.VIEW_STATISTICS):
                self.supervision_menu.addAction(self.statistics_action)
            if allowed(role, Action.VIEW_AUDIT_LOG):
                self.supervision_menu.addSeparator()
                self.supervision_menu.addAction(self.audit_action)
            menu_bar.addMenu(self.supervision_menu)
        if allowed(role, Action.MANAGE_USERS) or allowed(role, Action.MANAGE_SCRIPTS):
            self.admin_menu = QMenu(self)
            if allowed(role, Action.MANAGE_USERS):
                self.admin_menu.addAction(self.users_action)
            if allowed(role, Action.MANAGE_SCRIPTS):
                self.admin_menu.addAction(self.scripts_action)
            if allowed(role, Action.EDIT_ORGANISATION):
                self.admin_menu.addAction(self.security_action)
            if allowed(role, Action.VIEW_AUDIT_LOG) and self.supervision_menu is None:
                self.admin_menu.addAction(self.audit_action)
            menu_bar.addMenu(self.admin_menu)
        # Batch exchange; an administrator's entries (partners, update bundles) join
        # Administration.
        self.exchange_menu = ExchangeMenu(context, session, self)
        entries = self.exchange_menu.entries
        if entries and set(entries) <= ADMIN_ENTRIES and self.admin_menu is not None:
            self.admin_menu.addSeparator()
            for action in entries.values():
                self.admin_menu.addAction(action)
        elif not self.exchange_menu.empty:
            menu_bar.addMenu(self.exchange_menu)
        # Backups and retention (each adds its entry only for the roles allowed).
        if self.admin_menu is not None:
            self.admin_menu.addSeparator()
            backup_dialog.add_to_menu(self.admin_menu, context, session, self)
            retention_dialog.add_to_menu(self.admin_menu, context, session, self)
            training_mode.add_to_menu(self.admin_menu, context, session, self)
        self.backup_scheduler = BackupScheduler(context, session, self)
        self.backup_scheduler.message.connect(self._backup_message)
        self.backup_scheduler.start()
        self.settings_menu = QMenu(self)
        self.language_menu = self._language_menu()
        self.settings_menu.addMenu(self.language_menu)
        menu_bar.addMenu(self.settings_menu)
        self.help_menu = QMenu(self)
        self.about_action = about_dialog.add_to_menu(self.help_menu, context, session, self)
        menu_bar.addMenu(self.help_menu)

        self.welcome = WelcomePanel(session, self)
        # Roles that read or record calls work in the call workspace (the welcome card
        # shows between calls); the administrator keeps the welcome panel.
        self.calls: CallWorkspace | None = None
        if allowed(session.user.role, Action.VIEW_CALLS):
            self.calls = CallWorkspace(session, self.welcome, self)
            self.setCentralWidget(self.calls)
            if self.calls.may_record:
                first = self.file_menu.actions()[0]
                self.file_menu.insertAction(first, self.calls.new_call_action)
                self.file_menu.insertAction(first, self.calls.save_action)
                self.file_menu.insertSeparator(first)
        else:
            self.setCentralWidget(self.welcome)
        if allowed(role, Action.VIEW_OWN_FEEDBACK):
            # After "New call" and "Save", before "Lock".
            first = self.file_menu.actions()[0]
            for action in self.file_menu.actions():
                if action.isSeparator():
                    first = action
                    break
            self.file_menu.insertAction(first, self.feedback_action)
        self.user_status = QLabel(self)
        self.role_status = QLabel(self)
        self.lock_status = QLabel(self)
        self.feedback_status = QLabel(self)
        self.feedback_status.setStyleSheet("color: #1a5fb4; font-weight: bold")
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        status.addWidget(self.feedback_status)
        for label in (self.user_status, self.role_status, self.lock_status):
            label.setContentsMargins(8, 2, 8, 2)
            status.addPermanentWidget(label)
        self.resize(1100, 700)
        self.retranslate()

    def _language_menu(self) -> QMenu:
        """Every interface language, each in its own name: findable by someone who reads
        only that language, whatever the menus are in now."""
        menu = QMenu(self)
        self.language_actions = QActionGroup(self)
        self.language_actions.setExclusive(True)
        for code, name in ui_language_choices():
            action = QAction(name, self)
            action.setCheckable(True)
            action.setData(code)
            self.language_actions.addAction(action)
            menu.addAction(action)
        self.language_actions.triggered.connect(self._language_chosen)
        return menu

    def _language_chosen(self, action: QAction) -> None:
        self.language_requested.emit(str(action.data()))

    def language_action(self, code: str) -> QAction | None:
        for action in self.language_actions.actions():
            if action.data() == code:
                return action
        return None

    @property
    def menu_titles(self) -> list[str]:
        return [action.text() for action in self.menuBar().actions()]

    def retranslate(self) -> None:
        user = self.session.user
        self.setWindowTitle(
            _("Hotline Desk — %(organisation)s")
            % {"organisation": self.session.installation.org_name}
        )
        self.file_menu.setTitle(_("&File"))
        self.lock_action.setText(_("&Lock"))
        self.hide_action.setText(_("&Hide the screen"))
        self.security_action.setText(_("Securit&y settings…"))
        if self.security_dialog is not None:
            self.security_dialog.retranslate()
        self.sign_out_action.setText(_("Sign &out"))
        self.quit_action.setText(_("&Quit"))
        self.directory_menu.setTitle(_("&Directory"))
        self.directory_action.setText(_("Referral &directory…"))
        if self.directory_dialog is not None:
            self.directory_dialog.retranslate()
        if self.admin_menu is not None:
            self.admin_menu.setTitle(_("&Administration"))
        self.users_action.setText(_("&Users…"))
        self.scripts_action.setText(_("&Screening scripts…"))
        if self.scripts_dialog is not None:
            self.scripts_dialog.retranslate()
        self.exchange_menu.retranslate()
        self.settings_menu.setTitle(_("Se&ttings"))
        self.language_menu.setTitle(_("&Language"))
        current = self.language_action(current_language())
        if current is not None:
            current.setChecked(True)
        if self.supervision_menu is not None:
            self.supervision_menu.setTitle(_("Su&pervision"))
        self.call_log_action.setText(_("&Call log…"))
        self.statistics_action.setText(_("&Statistics…"))
        self.feedback_action.setText(_("My &feedback…"))
        self.audit_action.setText(_("&Audit log…"))
        if self.audit_dialog is not None:
            self.audit_dialog.retranslate()
        if self.call_log_window is not None:
            self.call_log_window.retranslate()
        for window in self.statistics_windows:
            window.retranslate()
        if self.feedback_dialog is not None:
            self.feedback_dialog.retranslate()
        self.show_unread_feedback()
        self.help_menu.setTitle(_("&Help"))
        self.user_status.setText(_("User: %(name)s") % {"name": user.display_name or user.username})
        self.role_status.setText(_("Role: %(role)s") % {"role": user.role.label})
        self.lock_status.setText(_("Unlocked"))
        self.welcome.retranslate()
        if self.calls is not None:
            self.calls.retranslate()
        if self.users_dialog is not None:
            self.users_dialog.retranslate()

    # -- dialogs -------------------------------------------------------------------
    def show_users(self) -> None:
        if not allowed(self.session.user.role, Action.MANAGE_USERS):
            return
        if self.users_dialog is None:
            self.users_dialog = UsersDialog(self.context, self.session, self)
            self.users_dialog.finished.connect(self._users_closed)
        self.users_dialog.open()
        self.users_dialog.refresh()

    def show_scripts(self) -> None:
        if not allowed(self.session.user.role, Action.MANAGE_SCRIPTS):
            return
        if self.scripts_dialog is None:
            self.scripts_dialog = ScriptsDialog(self.session, self)
        self.scripts_dialog.refresh()
        self.scripts_dialog.open()

    def show_security_settings(self) -> SecuritySettingsDialog | None:
        if not allowed(self.session.user.role, Action.EDIT_ORGANISATION):
            return None
        dialog = SecuritySettingsDialog(self.session, self)
        self.security_dialog = dialog
        dialog.accepted.connect(self.idle_lock_changed)
        dialog.finished.connect(self._security_closed)
        dialog.open()
        return dialog

    def _security_closed(self) -> None:
        if self.security_dialog is not None:
            self.security_dialog.deleteLater()
            self.security_dialog = None

    def show_call_log(self) -> CallLogWindow | None:
        if not allowed(self.session.user.role, Action.VIEW_CALL_LOG):
            return None
        if self.call_log_window is None:
            self.call_log_window = CallLogWindow(self.session, self)
            self.call_log_window.statistics_requested.connect(self.show_statistics)
            self.call_log_window.destroyed.connect(self._call_log_closed)
        if self.call_log_window.isVisible():
            self.call_log_window.raise_()
            self.call_log_window.activateWindow()
        else:
            self.call_log_window.show()
        return self.call_log_window

    def _call_log_closed(self) -> None:
        self.call_log_window = None

    def show_statistics(self, filter: CallLogFilter | None = None) -> StatisticsWindow | None:
        if not allowed(self.session.user.role, Action.VIEW_STATISTICS):
            return None
        window = StatisticsWindow(self.session, filter, self)
        self.statistics_windows.append(window)
        window.destroyed.connect(lambda _object=None, w=window: self._statistics_closed(w))
        window.show()
        return window

    def _statistics_closed(self, window: StatisticsWindow) -> None:
        if window in self.statistics_windows:
            self.statistics_windows.remove(window)

    def show_audit_log(self) -> AuditDialog | None:
        if not allowed(self.session.user.role, Action.VIEW_AUDIT_LOG):
            return None
        if self.audit_dialog is None:
            self.audit_dialog = AuditDialog(self.context, self.session, self)
        if self.audit_dialog.isVisible():
            self.audit_dialog.raise_()
            self.audit_dialog.activateWindow()
        else:
            self.audit_dialog.show()
        return self.audit_dialog

    def show_feedback(self) -> FeedbackDialog | None:
        if not allowed(self.session.user.role, Action.VIEW_OWN_FEEDBACK):
            return None
        if self.feedback_dialog is None:
            self.feedback_dialog = FeedbackDialog(self.session, self)
            self.feedback_dialog.read.connect(self.show_unread_feedback)
        self.feedback_dialog.refresh()
        if self.feedback_dialog.isVisible():
            self.feedback_dialog.raise_()
        else:
            self.feedback_dialog.show()
        return self.feedback_dialog

    def show_unread_feedback(self) -> None:
        """ "2 new reviews of your calls" in the status bar, until they are read."""
        if not allowed(self.session.user.role, Action.VIEW_OWN_FEEDBACK) or self.session.db.closed:
            self.feedback_status.setText("")
            return
        unread = reviews.unseen_feedback(self.session)
        self.feedback_status.setText(
            ""
            if not unread
            else ngettext(
                "%(count)d new review of your calls", "%(count)d new reviews of your calls", unread
            )
            % {"count": unread}
        )

    def show_directory(self, service: str | None = None) -> None:
        if self.directory_dialog is None:
            self.directory_dialog = DirectoryDialog(self.session, self)
            self.directory_dialog.destroyed.connect(self._directory_closed)
        if service:
            self.directory_dialog.set_service(service)
        if self.directory_dialog.isVisible():
            self.directory_dialog.raise_()
            self.directory_dialog.activateWindow()
        else:
            self.directory_dialog.show()

    def _directory_closed(self) -> None:
        self.directory_dialog = None

    def _users_closed(self) -> None:
        if self.users_dialog is not None:
            self.users_dialog.deleteLater()
            self.users_dialog = None

    # -- closing -------------------------------------------------------------------
    def discard(self) -> None:
        """Close for good (lock, sign-out, quit): no widget keeps showing session data."""
        self._discarding = True
        if self.calls is not None:
            self.calls.discard()
        if self.users_dialog is not None:
            self.users_dialog.close()
        if self.scripts_dialog is not None:
            self.scripts_dialog.close()
        if self.directory_dialog is not None:
            self.directory_dialog.close()
        if self.call_log_window is not None:
            self.call_log_window.discard()
        for window in list(self.statistics_windows):
            window.discard()
        if self.feedback_dialog is not None:
            self.feedback_dialog.discard()
        if self.audit_dialog is not None:
            self.audit_dialog.close()
        if self.security_dialog is not None:
            self.security_dialog.close()
        self.exchange_menu.discard()
        for child in self.findChildren(QWidget):  # any other window it opened, boxes too
            if child.isWindow() and child.isVisible():
                child.hide()  # not close(): no "save the changes?" question now
        self.close()
        self.deleteLater()

    def draft_in_progress(self) -> str:
        """The draft id of the call being typed (asked before a lock), or ''."""
        editor = self.calls.editor if self.calls is not None else None
        if editor is None or not editor.is_open or editor.read_only or not editor.unsaved:
            return ""
        return editor.draft_id

    def resume_draft(self, draft_id: str) -> bool:
        """After unlocking: the call that was being typed comes back into the form."""
        if self.calls is None or not self.calls.may_record:
            return False
        for draft in self.calls.pending_drafts():  # this user's own drafts only
            if draft.id == draft_id:
                self.calls.restore_draft(draft)
                return True
        return False

    def _backup_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)

    def save_work(self) -> None:
        """Called while the database is still open (lock, sign-out, quit): the call being
        typed goes into its draft."""
        self.backup_scheduler.stop()
        if self.calls is not None:
            self.calls.flush()
        self.exchange_menu.save_work()  # the outbox, if it is written "at close"

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self._discarding:
            event.accept()
            return
        event.ignore()
        self.quit_requested.emit()
