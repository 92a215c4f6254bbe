"""One call, open in the form: new, restored from a draft or opened from a list.

Saving makes version 1, then 2, 3 …; what is typed goes into a draft in the encrypted
database every few seconds, and the draft goes once the call is saved.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from hotline.errors import KnownError
from hotline.exchange import importing
from hotline.formatting import format_clock_duration
from hotline.i18n import N_, _
from hotline.model.contact import Contact
from hotline.phones import Phone, PhoneKind
from hotline.services import cases, contacts
from hotline.services.session import Session
from hotline.store.repositories.records import Draft
from ui.calls.call_bar import CallBar
from ui.calls.call_form import CallForm
from ui.calls.case_dialog import CaseDialog, CasePicker
from ui.calls.common import choose, chosen
from ui.calls.contact_dialog import ContactDialog
from ui.calls.drafts import AUTOSAVE_MS, draft_contact, draft_data
from ui.calls.history_dialog import HistoryDialog
from ui.calls.referrals_dialog import ReferralsDialog
from ui.directory_dialog import DirectoryDialog
from ui.screening.panel import ScreeningPanel
from ui.widgets import MessageLabel, error_text

log = logging.getLogger(__name__)


class CallEditor(QWidget):
    """``saved`` after each successful save; ``finished`` when a one-click call is done;
    ``draft_saved`` after each autosave (tests and the crash harness listen)."""

    saved = Signal(object)
    finished = Signal()
    draft_saved = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.contact: Contact | None = None
        self.read_only = False
        self.unsaved = False
        self.draft_id = ""
        self._draft_dirty = False
        self._notice: tuple[str, str] | None = None  # (kind, source text) to relabel
        self.dialogs: list[QWidget] = []

        self.bar = CallBar(self)
        self.message = MessageLabel(self)
        self.form = CallForm(session.installation.country, self)
        # The screening panel sits beside the form: the operator answers the script while
        # the conversation fills the form.
        self.screening = ScreeningPanel(session, self)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.addWidget(self.form)
        self.split.addWidget(self.screening)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.bar)
        layout.addWidget(self.message)
        layout.addWidget(self.split, 1)

        self.clock = QTimer(self)
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self._tick)
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_draft)

        self.form.edited.connect(self._edited)
        self.screening.changed.connect(self._edited)
        self.form.call_language.currentIndexChanged.connect(self._call_language_changed)
        self.form.phone_changed.connect(self._phone_changed)
        self.form.repeat.open_requested.connect(self.show_contact)
        self.bar.channel.currentIndexChanged.connect(self._edited)
        self.bar.end_clicked.connect(self.end_call)
        self.bar.save_button.clicked.connect(self.save)
        self.bar.non_data_clicked.connect(self.record_non_data)
        self.bar.history_button.clicked.connect(self.show_history)
        self.bar.link_case_action.triggered.connect(self.link_case)
        self.bar.new_case_action.triggered.connect(self.new_case)
        self.bar.open_case_action.triggered.connect(self.show_case)
        self.bar.refer_button.clicked.connect(lambda: self.refer())
        self.bar.referrals_button.clicked.connect(self.show_referrals)
        self.screening.find_services_requested.connect(self.find_services)
        self.retranslate()

    # -- starting ------------------------------------------------------------------
    def new_call(self) -> None:
        self._begin(contacts.new_contact(self.session), "", read_only=False)
        self.form.start()

    def open_contact(self, contact: Contact, *, read_only: bool = False) -> None:
        """Show a saved contact; read-only if asked (review) or not the user's to edit."""
        read_only = read_only or not contacts.may_edit(self.session, contact)
        self._begin(contact, None, read_only=read_only)

    def restore(self, draft: Draft) -> None:
        contact, phone_text = draft_contact(draft.data)
        self._begin(contact, phone_text, read_only=False, draft_id=draft.id)
        self.unsaved = True
        self._update_bar()
        self.form.start()

    def _begin(
        self, contact: Contact, phone_text: str | None, *, read_only: bool, draft_id: str = ""
    ) -> None:
        self.contact = contact
        self.read_only = read_only
        self.unsaved = False
        self._draft_dirty = False
        self.draft_id = draft_id or str(uuid.uuid4())
        self._notice = None
        self.message.clear_message()
        self.form.load(contact, phone_text)
        self.form.set_read_only(read_only)
        self.screening.set_contact(contact, read_only=read_only)
        self.screening.set_call_language(contact.call_language)
        self.bar.channel.blockSignals(True)
        choose(self.bar.channel, contact.channel)
        self.bar.channel.blockSignals(False)
        self._update_bar()
        self._tick()
        self.clock.start()
        if read_only:
            self.autosave.stop()
        else:
            self.autosave.start()
        self._phone_changed(self.form.parsed_phone)
        self._show_provenance(contact)

    def _show_provenance(self, contact: Contact) -> None:
        """An imported call says where it came from, and why it cannot be changed here."""
        if not contact.saved:
            return
        origin = importing.provenance(self.session, contact.id)
        if origin is None:
            return
        if origin.sequence is None:
            text = _("Recorded by %(origin)s and imported here; it can be read, not changed.") % {
                "origin": origin.origin
            }
        else:
            text = _(
                "Recorded by %(origin)s and imported here with batch %(number)d; it can be "
                "read, not changed."
            ) % {"origin": origin.origin, "number": origin.sequence}
        self._say("info", "", text)

    def stop(self) -> None:
        """The call leaves the form (another call, sign-out): no more timers."""
        self.clock.stop()
        self.autosave.stop()
        self.contact = None
        self.unsaved = False
        self._draft_dirty = False
        for dialog in self.dialogs:
            dialog.close()
        self.dialogs.clear()

    @property
    def is_open(self) -> bool:
        return self.contact is not None

    # -- reading the form ------------------------------------------------------------
    def current(self) -> Contact:
        assert self.contact is not None
        channel = chosen(self.bar.channel) or self.contact.channel
        return self.screening.apply_to(replace(self.form.values(self.contact), channel=channel))

    def _edited(self) -> None:
        if self.contact is None or self.read_only:
            return
        self.unsaved = True
        self._draft_dirty = True
        self._update_bar()

    # -- the bar ---------------------------------------------------------------------
    def _tick(self) -> None:
        contact = self.contact
        if contact is None:
            return
        end = contact.ended_at or dt.datetime.now(dt.UTC)
        self.bar.timer_label.setText(
            format_clock_duration((end - contact.started_at).total_seconds())
        )
        if contact.ended_at is not None:
            self.clock.stop()

    def _update_bar(self) -> None:
        contact = self.contact
        bar = self.bar
        if contact is None:
            return
        if self.read_only:
            bar.state_label.setText(_("Read-only"))
        elif contact.ended_at is None:
            bar.state_label.setText(_("Call in progress"))
        else:
            bar.state_label.setText(_("Call ended"))
        if not contact.saved:
            bar.record_label.setText(_("New call, not saved yet"))
        elif self.unsaved:
            bar.record_label.setText(
                _("%(reference)s · version %(n)d, changes not saved")
                % {"reference": contact.reference, "n": contact.version}
            )
        else:
            bar.record_label.setText(
                _("%(reference)s · Version %(n)d")
                % {"reference": contact.reference, "n": contact.version}
            )
        writable = not self.read_only
        bar.save_button.setEnabled(writable)
        bar.end_button.setEnabled(writable and contact.ended_at is None)
        bar.channel.setEnabled(writable)
        for button in bar.non_data_buttons.values():
            button.setEnabled(writable)
        bar.history_button.setEnabled(contact.saved)
        bar.refer_button.setEnabled(writable and contact.saved)
        bar.referrals_button.setEnabled(contact.saved)
        if contact.case_id:
            bar.case_button.setText(_("Case: %(reference)s") % {"reference": self._case_ref()})
        else:
            bar.case_button.setText(_("Case"))
        bar.link_case_action.setEnabled(writable and not contact.case_id)
        bar.new_case_action.setEnabled(writable and not contact.case_id)
        bar.open_case_action.setEnabled(bool(contact.case_id))

    def _case_ref(self) -> str:
        if self.contact is None or not self.contact.case_id:
            return ""
        found = getattr(self, "_case_cache", None)
        if found and found[0] == self.contact.case_id:
            return str(found[1])
        try:
            case = cases.get_case(self.session, self.contact.case_id)
        except KnownError:
            return self.contact.case_id
        self._case_cache = (case.id, case.reference)
        return case.reference

    def _call_language_changed(self) -> None:
        self.screening.set_call_language(chosen(self.form.call_language))

    def retranslate(self) -> None:
        self.bar.retranslate()
        self.form.retranslate()
        self.screening.retranslate()
        self._update_bar()
        if self._notice is not None:
            kind, text = self._notice
            (self.message.show_error if kind == "error" else self.message.show_info)(_(text))
        elif self.contact is not None and self.read_only:
            self._show_provenance(self.contact)
        for dialog in self.dialogs:
            retranslate = getattr(dialog, "retranslate", None)
            if retranslate is not None:
                retranslate()

    def _say(self, kind: str, source: str, text: str | None = None) -> None:
        """A note above the form; ``source`` is kept so that it follows a language switch
        (``text`` is shown as it is when it came translated from the core)."""
        self._notice = (kind, source) if text is None else None
        shown = _(source) if text is None else text
        (self.message.show_error if kind == "error" else self.message.show_info)(shown)

    # -- actions ---------------------------------------------------------------------
    def end_call(self) -> None:
        if self.contact is None or self.read_only or self.contact.ended_at is not None:
            return
        self.contact = replace(self.contact, ended_at=contacts.now())
        self._tick()
        self._edited()

    def save(self) -> bool:
        if self.contact is None or self.read_only:
            return False
        contact = self.current()
        try:
            saved = contacts.save_contact(self.session, contact)
        except KnownError as error:
            self._say("error", "", error_text(error))
            return False
        except Exception as error:
            self._say("error", "", error_text(error))
            return False
        self.contact = saved
        self.unsaved = False
        self._discard_draft()
        if saved.phone is not None and saved.phone.kind is PhoneKind.UNRECOGNISED:
            self._say(
                "info",
                N_(
                    "Saved. The phone number is kept as typed, but it is not a valid number: "
                    "correct it when you can."
                ),
            )
        else:
            self._notice = None
            self.message.clear_message()
        self._update_bar()
        self._phone_changed(self.form.parsed_phone)
        self.saved.emit(saved)
        return True

    def record_non_data(self, code: str) -> None:
        """Silent, prank, wrong number, hung up, test: one click records and saves it."""
        if self.contact is None or self.read_only:
            return
        self.form.set_call_type(code)
        if self.contact.ended_at is None:
            self.contact = replace(self.contact, ended_at=contacts.now())
        if self.save():
            self.finished.emit()

    # -- drafts ----------------------------------------------------------------------
    def save_draft(self) -> None:
        """Keep what is typed (inside the encrypted database) if it changed."""
        if not self._draft_dirty or self.contact is None or self.read_only:
            return
        if self.session.db.closed:
            return
        contact = self.current()
        try:
            contacts.save_draft(
                self.session,
                self.draft_id,
                contact.id if contact.saved else None,
                draft_data(contact, self.form.phone_text),
            )
        except Exception:  # a draft is a safety net: never interrupt the call for it
            log.exception("could not save the draft")
            return
        self._draft_dirty = False
        self.draft_saved.emit()

    def _discard_draft(self) -> None:
        self._draft_dirty = False
        try:
            contacts.discard_draft(self.session, self.draft_id)
        except Exception:
            log.exception("could not discard the draft")

    def discard_changes(self) -> None:
        """The operator chose to drop what was typed since the last save."""
        self._discard_draft()
        self.unsaved = False

    def flush(self) -> None:
        """Before the database closes (lock, sign-out, quit): keep the last keystrokes."""
        self.save_draft()

    # -- repeat callers ----------------------------------------------------------------
    def _phone_changed(self, phone: Phone | None) -> None:
        if self.contact is None:
            return
        try:
            earlier = contacts.earlier_contacts(self.session, phone, exclude_id=self.contact.id)
        except KnownError:
            earlier = []
        self.form.repeat.show_contacts(earlier)

    def show_contact(self, contact_id: str) -> None:
        """An earlier call, read-only, in its own window: the form stays as it is."""
        for dialog in self.dialogs:
            if isinstance(dialog, ContactDialog) and dialog.contact_id == contact_id:
                dialog.raise_()
                dialog.activateWindow()
                return
        try:
            contact = contacts.get_contact(self.session, contact_id)
        except KnownError as error:
            self._say("error", "", error_text(error))
            return
        dialog = ContactDialog(self.session, contact, self)
        self._keep(dialog)
        dialog.show()

    def _keep(self, dialog: QWidget) -> None:
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda _o=None, d=dialog: self._forget(d))

    def _forget(self, dialog: QWidget) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)

    # -- history and cases ------------------------------------------------------------
    def show_history(self) -> None:
        if self.contact is None or not self.contact.saved:
            return
        dialog = HistoryDialog(self.session, self.contact.id, self)
        self._keep(dialog)
        dialog.show()

    def _saved_first(self) -> bool:
        """Cases work on the saved call: save what is typed first."""
        if self.contact is None or self.read_only:
            return False
        if self.contact.saved and not self.unsaved:
            return True
        return self.save()

    def link_case(self) -> None:
        if not self._saved_first():
            return
        picker = CasePicker(self.session, self)
        self._keep(picker)
        picker.picked.connect(self._link_to)
        picker.show()

    def _link_to(self, case_id: str) -> None:
        if self.contact is None:
            return
        try:
            self.contact = cases.link_contact(self.session, self.contact.id, case_id)
        except KnownError as error:
            self._say("error", "", error_text(error))
            return
        self._update_bar()
        self.saved.emit(self.contact)

    def new_case(self) -> None:
        if not self._saved_first() or self.contact is None:
            return
        try:
            case = cases.create_case_from_contact(self.session, self.contact.id)
            self.contact = contacts.get_contact(self.session, self.contact.id)
        except KnownError as error:
            self._say("error", "", error_text(error))
            return
        self._update_bar()
        self.saved.emit(self.contact)
        self.open_case(case.id)

    def show_case(self) -> None:
        if self.contact is not None and self.contact.case_id:
            self.open_case(self.contact.case_id)

    def open_case(self, case_id: str) -> None:
        try:
            case = cases.get_case(self.session, case_id)
        except KnownError as error:
            self._say("error", "", error_text(error))
            return
        dialog = CaseDialog(self.session, case, self)
        dialog.contact_requested.connect(self.show_contact)
        self._keep(dialog)
        dialog.show()

    # -- referrals ----------------------------------------------------------------------
    def may_refer(self) -> bool:
        return self.contact is not None and self.contact.saved and not self.read_only

    def refer(self, service: str | None = None) -> DirectoryDialog | None:
        """The directory in refer mode, for the saved call (pending changes saved first)."""
        if not self.may_refer() or not self._saved_first() or self.contact is None:
            return None
        return self._open_directory(service, self.contact)

    def show_referrals(self) -> ReferralsDialog | None:
        if self.contact is None or not self.contact.saved:
            return None
        dialog = ReferralsDialog(self.session, self.contact.id, not self.read_only, self)
        self._keep(dialog)
        dialog.show()
        return dialog

    def find_services(self, service: str) -> DirectoryDialog:
        """From the screening's suggested services: refer when the call allows it, else
        only browse, filtered by ``service``."""
        contact = self.contact if self.may_refer() and not self.unsaved else None
        return self._open_directory(service, contact)

    def _open_directory(self, service: str | None, contact: Contact | None) -> DirectoryDialog:
        dialog = DirectoryDialog(self.session, self, service=service, contact=contact)
        self._keep(dialog)
        dialog.show()
        return dialog
