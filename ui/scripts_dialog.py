"""Administration → Screening scripts: the installed scripts and their versions, and loading
a new script file. Older versions stay: calls screened with them keep showing them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.i18n import _
from hotline.services import screening
from hotline.services.session import Session
from ui.widgets import MessageLabel, error_text, read_only_table


class ScriptsDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.table = read_only_table(4, self, stretch=2)
        self.message = MessageLabel(self)
        self.load_button = QPushButton(self)
        self.load_button.clicked.connect(self.choose_file)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.load_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.setMinimumSize(760, 380)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Screening scripts"))
        self.intro.setText(
            _(
                "New calls are screened with the newest version of each script. Older "
                "versions stay, so that earlier calls are shown with the script they were "
                "screened with."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [_("Script"), _("Version"), _("Title"), _("Used for new calls")]
        )
        self.load_button.setText(_("&Load a script file…"))
        self.refresh()

    def refresh(self) -> None:
        found = screening.available(self.session)
        self.table.setRowCount(len(found))
        for row, info in enumerate(found):
            values = [
                info.id,
                str(info.version),
                info.title,
                _("Yes") if info.current else _("No, kept for earlier calls"),
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Load a screening script"), "", _("Screening scripts (*.toml)")
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        try:
            script = screening.install_script(self.session, path)
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        self.message.show_info(
            _("Loaded %(id)s, version %(version)d.") % {"id": script.id, "version": script.version}
        )
        self.refresh()
