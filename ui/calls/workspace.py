"""The operator's screen: the lists on the left, the call on the right (or, between
calls, a big "New call" button over the welcome card).

Roles that may record calls get "New call" (Ctrl+N) and "Save" (Ctrl+S); roles that may
only read calls (coordinators) open them read-only.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.i18n import _
from hotline.model.contact import Contact
from hotline.roles import Action, allowed
from hotline.services import cases, contacts
from hotline.services.session import Session
from hotline.store.repositories.records import Draft
from ui.calls.call_editor import CallEditor
from ui.calls.call_lists import CallLists
from ui.calls.case_dialog import CaseDialog
from ui.calls.drafts import offer_text
from ui.widgets import MessageLabel, error_text, hint

HOME, CALL = 0, 1


class CallWorkspace(QWidget):
    """``home`` is shown between calls (the main window passes its welcome panel)."""

    call_saved = Signal(object)

    def __init__(self, session: Session, home: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.may_record = allowed(session.user.role, Action.RECORD_CALLS)
        self.draft_offer: QMessageBox | None = None
        self.leave_question: QMessageBox | None = None
        self.case_dialogs: list[CaseDialog] = []

        self.new_call_action = QAction(self)
        self.new_call_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_call_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.new_call_action.setVisible(self.may_record)
        self.new_call_action.setEnabled(self.may_record)
        self.new_call_action.triggered.connect(self.new_call)
        self.save_action = QAction(self)
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.save_action.setVisible(self.may_record)
        self.save_action.setEnabled(False)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.new_call_action)
        self.addAction(self.save_action)

        self.lists = CallLists(session, self)
        self.editor = CallEditor(session, self)
        self.home_page = QWidget(self)
        self.new_call_button = QPushButton(self.home_page)
        self.new_call_button.setVisible(self.may_record)
        font = QFont(self.new_call_button.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.new_call_button.setFont(font)
        self.new_call_button.setMinimumHeight(64)
        self.new_call_button.setMinimumWidth(280)
        self.new_call_button.setAutoDefault(True)  # Enter starts a call, as Space does
        self.new_call_button.clicked.connect(self.new_call)
        self.home_hint = hint(self.home_page)
        self.home_hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.home_message = MessageLabel(self.home_page)
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.new_call_button)
        button_row.addStretch(1)
        column = QVBoxLayout(self.home_page)
        column.setContentsMargins(24, 24, 24, 0)
        column.addLayout(button_row)
        column.addWidget(self.home_hint)
        column.addWidget(self.home_message)
        home.setParent(self.home_page)
        column.addWidget(home, 1)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.home_page)
        self.stack.addWidget(self.editor)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.lists)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 846])  # the side lists: four tabs, five columns
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.lists.contact_opened.connect(self.open_contact)
        self.lists.case_opened.connect(self.open_case)
        self.editor.saved.connect(self._saved)
        self.editor.finished.connect(self._one_click_done)
        self.retranslate()
        self.lists.refresh()
        if self.may_record:
            self.new_call_button.setFocus()  # Space or Enter starts a call, as Ctrl+N does
            QTimer.singleShot(0, self.offer_drafts)

    def retranslate(self) -> None:
        self.new_call_action.setText(_("&New call"))
        self.save_action.setText(_("&Save the call"))
        self.new_call_button.setText(_("New call"))
        self.new_call_button.setToolTip(_("Start recording a call (Ctrl+N)"))
        self.home_hint.setText(
            _("Press Ctrl+N when the phone rings. Double-click a call in the list to open it.")
            if self.may_record
            else _("Double-click a call or a case in the lists to read it.")
        )
        self.lists.retranslate()
        self.editor.retranslate()
        for dialog in self.case_dialogs:
            dialog.retranslate()
        if self.draft_offer is not None and self.draft_offer.isVisible():
            self._relabel_offer()

    # -- the call in the form ----------------------------------------------------------
    def new_call(self) -> None:
        if not self.may_record or not self._may_leave():
            return
        self.home_message.clear_message()
        self.editor.new_call()
        self._show_call()

    def open_contact(self, contact_id: str) -> None:
        if self.editor.contact is not None and self.editor.contact.id == contact_id:
            self._show_call()
            return
        if not self._may_leave():
            return
        try:
            contact = contacts.get_contact(self.session, contact_id)
        except KnownError as error:
            self.home_message.show_error(error_text(error))
            return
        self.editor.open_contact(contact)
        self._show_call()

    def restore_draft(self, draft: Draft) -> None:
        self.editor.restore(draft)
        self._show_call()

    def _show_call(self) -> None:
        # During a call the form and the screening panel need the whole width (1366 px
        # laptops); earlier calls of this caller show in the form itself.
        self.lists.setVisible(False)
        self.stack.setCurrentIndex(CALL)
        self.save_action.setEnabled(self.may_record and not self.editor.read_only)

    def show_home(self) -> None:
        self.editor.stop()
        self.lists.setVisible(True)
        self.stack.setCurrentIndex(HOME)
        self.save_action.setEnabled(False)
        if self.may_record:
            self.new_call_button.setFocus()

    def save(self) -> None:
        if self.stack.currentIndex() == CALL:
            self.editor.save()

    def _saved(self, contact: Contact) -> None:
        self.lists.refresh()
        self.call_saved.emit(contact)

    def _one_click_done(self) -> None:
        contact = self.editor.contact
        self.show_home()
        if contact is not None:
            self.home_message.show_info(
                _("Recorded: %(type)s, %(reference)s.")
                % {
                    "type": self.editor.form.call_type.currentText(),
                    "reference": contact.reference,
                }
            )

    def _may_leave(self) -> bool:
        """Before another call replaces the one in the form: save it, drop it, or stay."""
        editor = self.editor
        if not editor.is_open or not editor.unsaved or editor.read_only:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, _("The call is not saved"), "", parent=self)
        box.setText(_("The call in the form has changes that are not saved."))
        box.setInformativeText(_("Save it before opening another call?"))
        save = box.addButton(_("Save"), QMessageBox.ButtonRole.AcceptRole)
        drop = box.addButton(_("Discard the changes"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        self.leave_question = box
        box.exec()
        self.leave_question = None
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is save:
            return editor.save()
        if clicked is drop:
            editor.discard_changes()
            return True
        return False

    # -- cases ------------------------------------------------------------------------
    def open_case(self, case_id: str) -> None:
        try:
            case = cases.get_case(self.session, case_id)
        except KnownError as error:
            self.home_message.show_error(error_text(error))
            return
        dialog = CaseDialog(self.session, case, self)
        dialog.contact_requested.connect(self.editor.show_contact)
        dialog.destroyed.connect(lambda _o=None, d=dialog: self._forget_case(d))
        self.case_dialogs.append(dialog)
        dialog.show()

    def _forget_case(self, dialog: CaseDialog) -> None:
        if dialog in self.case_dialogs:
            self.case_dialogs.remove(dialog)

    # -- drafts -------------------------------------------------------------------------
    def pending_drafts(self) -> list[Draft]:
        try:
            return contacts.drafts(self.session)
        except Exception:
            logging.getLogger(__name__).exception("could not read the drafts")
            return []

    def offer_drafts(self) -> None:
        """After sign-in: the call this user was typing when the program stopped."""
        if self.session.db.closed or self.editor.is_open or self.draft_offer is not None:
            return
        found = self.pending_drafts()
        if not found:
            return
        draft = found[0]  # the newest; older ones are offered next time
        box = QMessageBox(QMessageBox.Icon.Question, "", "", parent=self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.draft_offer = box
        self._offered = draft
        self.restore_button = box.addButton("", QMessageBox.ButtonRole.AcceptRole)
        self.discard_button = box.addButton("", QMessageBox.ButtonRole.DestructiveRole)
        self.later_button = box.addButton("", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.restore_button)
        self._relabel_offer()
        box.finished.connect(self._offer_answered)
        box.open()

    def _relabel_offer(self) -> None:
        box = self.draft_offer
        if box is None:
            return
        box.setWindowTitle(_("A call was not saved"))
        box.setText(offer_text(self._offered))
        box.setInformativeText(
            _("Hotline Desk stopped while you were typing this call. It was kept as a draft.")
        )
        self.restore_button.setText(_("Restore the call"))
        self.discard_button.setText(_("Discard the draft"))
        self.later_button.setText(_("Not now"))

    def _offer_answered(self) -> None:
        box, draft = self.draft_offer, self._offered
        if box is None:
            return
        clicked = box.clickedButton()
        self.draft_offer = None
        box.deleteLater()
        self.window().activateWindow()  # the keyboard back to the form, on every platform
        if clicked is self.restore_button:
            self.restore_draft(draft)
        elif clicked is self.discard_button:
            try:
                contacts.discard_draft(self.session, draft.id)
            except Exception:
                logging.getLogger(__name__).exception("could not discard the draft")

    # -- leaving ---------------------------------------------------------------------
    def flush(self) -> None:
        """Before the database closes: the draft gets the last keystrokes."""
        self.editor.flush()

    def discard(self) -> None:
        self.editor.stop()
        for dialog in list(self.case_dialogs):
            dialog.close()
        if self.draft_offer is not None:
            self.draft_offer.blockSignals(True)
            self.draft_offer.close()
            self.draft_offer = None
