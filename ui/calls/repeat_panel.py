"""Earlier calls from the same number, shown beside the phone field while the form stays
open; choosing one asks for it to be shown read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from hotline.i18n import _, ngettext
from hotline.model.contact import ContactSummary
from ui.calls.common import term_label, when

ROW_LIMIT = 5


class RepeatCallersPanel(QFrame):
    """``open_requested`` carries the id of the earlier contact to show."""

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("repeatCallers")
        self.setStyleSheet(
            "QFrame#repeatCallers { background: #fff8e1; border: 1px solid #e0c36a;"
            " border-radius: 4px; }"
        )
        self.contacts: list[ContactSummary] = []
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.list = QListWidget(self)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setStyleSheet("QListWidget { background: transparent; }")
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 6)
        column.setSpacing(2)
        column.addWidget(self.title)
        column.addWidget(self.list)
        self.hide()

    def show_contacts(self, contacts: list[ContactSummary]) -> None:
        self.contacts = contacts
        self.retranslate()
        self.setVisible(bool(contacts))

    def retranslate(self) -> None:
        n = len(self.contacts)
        self.title.setText(
            ngettext(
                "This number called before: %(n)d earlier call",
                "This number called before: %(n)d earlier calls",
                n,
            )
            % {"n": n}
        )
        self.list.clear()
        for contact in self.contacts:
            item = QListWidgetItem(self.row_text(contact), self.list)
            item.setData(Qt.ItemDataRole.UserRole, contact.id)
            item.setToolTip(_("Open this call read-only"))
        shown = min(len(self.contacts), ROW_LIMIT)
        row = self.list.sizeHintForRow(0) if self.contacts else 0
        self.list.setFixedHeight(max(row * shown + 4, 0))

    @staticmethod
    def row_text(contact: ContactSummary) -> str:
        values = {
            "when": when(contact.started_at, today_as_time=False),
            "type": term_label("call_types", contact.call_type) or _("type not recorded"),
        }
        if contact.case_reference and contact.risk_level:
            text = _("%(when)s · %(type)s · risk: %(risk)s · case %(case)s")
        elif contact.case_reference:
            text = _("%(when)s · %(type)s · case %(case)s")
        elif contact.risk_level:
            text = _("%(when)s · %(type)s · risk: %(risk)s")
        else:
            text = _("%(when)s · %(type)s")
        values["risk"] = term_label("risk_levels", contact.risk_level)
        values["case"] = contact.case_reference or ""
        return text % values

    def _activated(self, item: QListWidgetItem) -> None:
        contact_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(contact_id, str):
            self.open_requested.emit(contact_id)
