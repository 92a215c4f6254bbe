"""Every saved version of a call: when, by whom, and the names of the fields it changed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.i18n import _
from hotline.model.contact import VersionInfo
from hotline.services import contacts
from hotline.services.session import Session
from ui.calls.common import field_label, join, stamp
from ui.widgets import MessageLabel, error_text


class HistoryDialog(QDialog):
    def __init__(self, session: Session, contact_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.message = MessageLabel(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.versions: list[VersionInfo] = []
        try:
            self.versions = contacts.history(session, contact_id)
        except KnownError as error:
            self.message.show_error(error_text(error))
        self.resize(720, 380)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("History of the call"))
        self.intro.setText(
            _("Each save keeps a new version. Only the names of changed fields are shown here.")
        )
        self.table.setHorizontalHeaderLabels([_("Version"), _("Saved"), _("By"), _("What changed")])
        self.table.setRowCount(len(self.versions))
        for row, info in enumerate(self.versions):
            if info.version == 1:
                changed = _("Call recorded")
            elif info.changed:
                changed = join([field_label(name) for name in info.changed])
            else:
                changed = _("Saved without changes")
            cells = (str(info.version), stamp(info.saved_at), info.saved_by, changed)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
