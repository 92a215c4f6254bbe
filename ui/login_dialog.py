"""Signing in. Nothing from the encrypted database can be shown before that."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import AccountLocked, DatabaseUnreadable, KnownError
from hotline.formatting import ui_language_choices
from hotline.i18n import _, current_language, ngettext, set_language
from hotline.services import session as session_service
from hotline.services.session import Session
from ui.context import AppContext
from ui.widgets import MessageLabel, error_text, heading, hint, password_field


class LoginDialog(QDialog):
    """``signed_in`` carries the open Session; rejecting the dialog means quit.

    The language picker switches the interface at once; ``language_picked`` tells the
    caller that the person signing in chose it here (so it wins over their saved one).
    """

    signed_in = Signal(object)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        notice: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.busy = False
        self.language_picked = False
        self._retry_at = 0.0
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._tick)

        self.title = heading(self)
        # Each language in its own name, so someone who reads only one can find theirs.
        self.language = QComboBox(self)
        self.language.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for code, name in ui_language_choices():
            self.language.addItem(name, code)
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        # A function, not a text: the note follows a language switch like everything else.
        self._notice = notice
        self.notice = MessageLabel(self)
        self.username = QLineEdit(self)
        self.username.setMaxLength(32)
        self.username.setText(context.settings.last_username)
        self.password = password_field(self)
        self.username_label = QLabel(self)
        self.username_label.setBuddy(self.username)
        self.password_label = QLabel(self)
        self.password_label.setBuddy(self.password)
        self.message = MessageLabel(self)
        self.sign_in_button = QPushButton(self)
        self.sign_in_button.setDefault(True)
        self.quit_button = QPushButton(self)
        self.quit_button.setAutoDefault(False)
        # Shown only when the database cannot be opened: the way back is a backup.
        self.restore_button = QPushButton(self)
        self.restore_button.setAutoDefault(False)
        self.restore_button.setVisible(False)
        self.restore_button.clicked.connect(self.restore_from_backup)
        self.folder = hint(self)
        self.folder.setTextFormat(Qt.TextFormat.PlainText)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(10)
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.sign_in_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 20)
        layout.setSpacing(12)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.title, 1)
        top.addWidget(self.language, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.notice)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addSpacing(8)
        layout.addWidget(self.folder)
        self.setMinimumWidth(480)

        self.sign_in_button.clicked.connect(self.sign_in)
        self.quit_button.clicked.connect(self.reject)
        self.username.returnPressed.connect(self._username_entered)
        self.username.textEdited.connect(self._username_edited)
        self.language.currentIndexChanged.connect(self._language_selected)
        (self.password if self.username.text() else self.username).setFocus()
        self.retranslate()

    # -- language --------------------------------------------------------------------
    def _language_selected(self, index: int) -> None:
        code = self.language.itemData(index)
        if isinstance(code, str):
            self.switch_language(code)

    def switch_language(self, language: str) -> None:
        if language == current_language():
            return
        set_language(language)
        self.language_picked = True
        self.context.settings.language = current_language()
        self.context.save_settings()
        if not self._countdown.isActive():
            # A message from the core is in the old language and cannot be said again in
            # the new one: drop it. (The countdown is said again by retranslate.)
            self.message.clear_message()
        self.retranslate()

    def _show_current_language(self) -> None:
        index = self.language.findData(current_language())
        if index >= 0 and index != self.language.currentIndex():
            self.language.blockSignals(True)
            self.language.setCurrentIndex(index)
            self.language.blockSignals(False)

    def retranslate(self) -> None:
        self._show_current_language()
        self.language.setToolTip(_("Language of the program"))
        self.language.setAccessibleName(_("Language of the program"))
        self.setWindowTitle(_("Hotline Desk — sign in"))
        if self._notice is not None:
            self.notice.show_info(self._notice())
        self.title.setText(_("Hotline Desk"))
        self.subtitle.setText(_("Sign in with your user name and password."))
        self.username_label.setText(_("&User name:"))
        self.password_label.setText(_("&Password:"))
        self.quit_button.setText(_("&Quit"))
        self.restore_button.setText(_("&Restore from a backup…"))
        self.folder.setText(_("Data folder: %(path)s") % {"path": self.context.data_dir.root})
        self._update_button()
        if self._countdown.isActive():
            self._tick()

    # -- signing in ----------------------------------------------------------------
    def sign_in(self) -> None:
        if self.busy or self._countdown.isActive():
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username:
            self.message.show_error(_("Please type your user name."))
            self.username.setFocus()
            return
        if not password:
            self.message.show_error(_("Please type your password."))
            self.password.setFocus()
            return
        self.message.clear_message()
        self._set_busy(True)
        data_dir = self.context.data_dir
        self.context.runner.submit(
            lambda: session_service.login(data_dir, username, password),
            self._succeeded,
            self._failed,
        )

    def _succeeded(self, session: Session) -> None:
        self._set_busy(False)
        self.password.clear()
        self.context.session = session
        self.context.settings.last_username = session.user.username
        self.context.save_settings()
        self.accept()
        self.signed_in.emit(session)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        self.message.show_error(error_text(error))
        self.restore_button.setVisible(isinstance(error, DatabaseUnreadable))
        if isinstance(error, AccountLocked) and error.retry_after:
            self._retry_at = time.monotonic() + error.retry_after
            self._countdown.start()
            self._tick()
        elif isinstance(error, KnownError):
            self.password.setFocus()

    def restore_from_backup(self) -> None:
        from ui.restore_dialog import offer_restore

        if offer_restore(self, self.context.data_dir):
            self.restore_button.setVisible(False)
            self.message.show_info(
                _("The backup was restored. Sign in with an account of the backup.")
            )

    # -- the wait after too many failures ------------------------------------------
    def _tick(self) -> None:
        remaining = math.ceil(self._retry_at - time.monotonic())
        if remaining <= 0:
            self._stop_countdown()
            self.message.show_info(_("You can try again now."))
            self.password.setFocus()
            return
        self.message.show_error(
            ngettext(
                "Too many failed attempts. Try again in %(n)d second.",
                "Too many failed attempts. Try again in %(n)d seconds.",
                remaining,
            )
            % {"n": remaining}
        )
        self._update_button(remaining)

    def _stop_countdown(self) -> None:
        self._countdown.stop()
        self._retry_at = 0.0
        self._update_button()

    def _username_edited(self, _text: str) -> None:
        # The wait belongs to one account; another person may sign in meanwhile.
        if self._countdown.isActive():
            self._stop_countdown()
            self.message.clear_message()

    def _username_entered(self) -> None:
        self.password.setFocus()

    # -- state ---------------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.username, self.password, self.quit_button, self.language):
            widget.setEnabled(not busy)
        self._update_button()

    def _update_button(self, remaining: int = 0) -> None:
        if self.busy:
            self.sign_in_button.setText(_("Signing in…"))
        elif remaining > 0:
            self.sign_in_button.setText(
                ngettext("Wait %(n)d second", "Wait %(n)d seconds", remaining) % {"n": remaining}
            )
        else:
            self.sign_in_button.setText(_("&Sign in"))
        self.sign_in_button.setEnabled(not self.busy and remaining <= 0)

    def reject(self) -> None:
        if self.busy:  # a session may be opening; let it finish first
            return
        self._countdown.stop()
        super().reject()
