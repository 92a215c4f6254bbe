"""Reviewing a call: the call as the operator saved it (read-only) beside the review.
Operators open the same window for their own reviewed calls, with the review read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QSplitter, QVBoxLayout, QWidget

from hotline.errors import KnownError
from hotline.i18n import _
from hotline.roles import Action, allowed
from hotline.services import contacts
from hotline.services.session import Session
from ui.calls.call_editor import CallEditor
from ui.supervision.review_panel import ReviewPanel


class ReviewDialog(QDialog):
    review_saved = Signal(str)  # contact id

    def __init__(self, session: Session, contact_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        # Raises KnownError for a call that does not exist or may not be read.
        contact = contacts.get_contact(session, contact_id)
        self.contact_id = contact.id
        editable = allowed(session.user.role, Action.REVIEW_CALLS) and (
            contact.operator != session.user.username
        )
        self.call = CallEditor(session, self)
        self.call.open_contact(contact, read_only=True)
        self.panel = ReviewPanel(session, contact.id, editable=editable, parent=self)
        self.panel.setMinimumWidth(300)
        self.panel.saved.connect(lambda _review: self.review_saved.emit(self.contact_id))
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.addWidget(self.call)
        self.split.addWidget(self.panel)
        self.split.setStretchFactor(0, 4)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        # Reading, not typing: an unscreened call needs no empty script panel, and the
        # form gets its width.
        self.call.screening.setVisible(bool(contact.screenings))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.buttons)
        self.resize(1320, 700)
        self.retranslate()

    def retranslate(self) -> None:
        reference = self.call.contact.reference if self.call.contact else ""
        self.setWindowTitle(_("Call %(reference)s — review") % {"reference": reference})
        self.call.retranslate()
        self.panel.retranslate()

    def discard(self) -> None:
        self.call.stop()
        self.panel.clear()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.call.stop()
        super().closeEvent(event)


def open_review(session: Session, contact_id: str, parent: QWidget) -> ReviewDialog | str:
    """The window, or the message to show if the call cannot be opened."""
    try:
        return ReviewDialog(session, contact_id, parent)
    except KnownError as error:
        return str(error)
