"""An earlier call shown read-only in its own window (from the repeat-caller panel or a
case), so the call being typed stays as it is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from hotline.formatting import format_clock_duration
from hotline.i18n import _
from hotline.model.contact import Contact
from hotline.services.session import Session
from ui.calls.call_form import CallForm
from ui.calls.common import term_label, when
from ui.widgets import heading


class ContactDialog(QDialog):
    def __init__(self, session: Session, contact: Contact, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.contact = contact
        self.contact_id = contact.id
        self.title = heading(self, scale=1.3)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.details = QLabel(self)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.form = CallForm(session.installation.country, self)
        self.form.load(contact)
        self.form.set_read_only(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.form, 1)
        layout.addWidget(buttons)
        self.resize(1000, 680)
        self.retranslate()

    def retranslate(self) -> None:
        contact = self.contact
        self.setWindowTitle(_("Call %(reference)s (read-only)") % {"reference": contact.reference})
        self.title.setText(
            _("Call %(reference)s, %(when)s")
            % {
                "reference": contact.reference,
                "when": when(contact.started_at, today_as_time=False),
            }
        )
        duration = contact.duration_seconds
        values = {
            "operator": contact.operator,
            "channel": term_label("channels", contact.channel),
            "duration": "" if duration is None else format_clock_duration(duration),
            "n": contact.version,
        }
        if duration is None:
            text = _("Taken by %(operator)s · %(channel)s · version %(n)d")
        else:
            text = _("Taken by %(operator)s · %(channel)s · %(duration)s · version %(n)d")
        self.details.setText(text % values)
        self.form.retranslate()
