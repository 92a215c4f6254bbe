"""Help › About Hotline Desk…: versions, this installation's files, the last backup and the
last batch sent and acknowledged (``hotline.services.diagnostics``), in four groups of
label/value rows, with calm warnings when the last backup is old or missing or no receipt
was ever read.

"Copy details" copies the plain text of :func:`hotline.services.diagnostics.plain_text`,
which holds no personal data, so it is copied plainly (it stays on the clipboard for a
support e-mail). The figures are gathered in the background: counting calls and reading
the audit log take a moment in a large installation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _, add_listener, remove_listener
from hotline.services import diagnostics
from hotline.services.diagnostics import Diagnostics
from hotline.services.session import Session
from ui.clipboard import copy_plain
from ui.context import AppContext
from ui.widgets import MessageLabel, error_text, heading, hint

# Amber, not red: something to see to soon, not an error.
WARNING_STYLE = (
    "QLabel { color: #6b4a00; background: #fff4d6; border: 1px solid #e8cf8a;"
    " border-radius: 4px; padding: 8px; }"
)
WARNING_VALUE_STYLE = "QLabel { color: #8a5a00; font-weight: bold; }"


class PathLabel(QLabel):
    """A folder path on one line, shortened in the middle when narrow; the whole path is in
    the tooltip and is what gets selected and copied."""

    def __init__(self, path: str, parent: QWidget) -> None:
        super().__init__(path, parent)
        self.path = path
        self.setToolTip(path)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMinimumWidth(80)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self.path, Qt.TextElideMode.ElideMiddle, self.width()))
        super().resizeEvent(event)


def _value_label(text: str, parent: QWidget, *, path: bool = False) -> QLabel:
    if path:
        return PathLabel(text, parent)
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AboutDialog(QDialog):
    def __init__(self, context: AppContext, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self.info: Diagnostics | None = None
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.title = heading(self, 1.4)
        self.summary = hint(self)
        self.message = MessageLabel(self)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        self.groups = QWidget(self)
        self.grid = QGridLayout(self.groups)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.boxes: list[QGroupBox] = []
        self.values: dict[str, QLabel] = {}
        self.copy_button = QPushButton(self)
        self.copy_button.clicked.connect(self.copy_details)
        self.copy_button.setEnabled(False)
        self.folder_button = QPushButton(self)
        self.folder_button.clicked.connect(self.open_data_folder)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.warning)
        layout.addWidget(self.groups, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(900)
        self._relabel = lambda _language: self.retranslate()
        add_listener(self._relabel)
        self.destroyed.connect(lambda: remove_listener(self._relabel))
        self.retranslate()
        self.refresh()

    # -- gathering -------------------------------------------------------------------
    def refresh(self) -> None:
        self.message.show_info(_("Gathering the details…"))
        session = self.session
        self.context.runner.submit(
            lambda: diagnostics.gather(session), self._gathered, self._failed
        )

    def _gathered(self, info: Diagnostics) -> None:
        info = diagnostics.with_component(info, "PySide6", PySide6.__version__)
        self.info = diagnostics.with_component(info, "Qt", qVersion())
        self.message.clear_message()
        self.copy_button.setEnabled(True)
        self.show_info()

    def _failed(self, error: BaseException) -> None:
        self.message.show_error(error_text(error))

    # -- showing ---------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("About Hotline Desk"))
        self.title.setText(_("Hotline Desk %(version)s") % {"version": diagnostics.app_version()})
        self.summary.setText(
            _(
                "Offline, encrypted record keeping for anti-trafficking hotlines. "
                "Free software under the GNU General Public License, version 3 or later."
            )
        )
        self.copy_button.setText(_("&Copy details"))
        self.copy_button.setToolTip(
            _("For a support request: versions, sizes and dates, nothing about calls or people.")
        )
        self.folder_button.setText(_("&Open data folder"))
        if self.info is not None:
            self.show_info()

    def show_info(self) -> None:
        info = self.info
        if info is None:
            return
        now = dt.datetime.now(dt.UTC)
        for box in self.boxes:
            self.grid.removeWidget(box)
            box.deleteLater()
        self.boxes = []
        self.values = {}
        flagged = set()
        if info.backup_warning(now):
            flagged.add(_("Last backup"))
        if info.exchange_warning:
            flagged.add(_("Last batch acknowledged"))
        paths = {_("Data folder"), _("Backup folder"), _("Where")}
        for index, (title, rows) in enumerate(diagnostics.sections(info, now)):
            box = QGroupBox(title, self.groups)
            form = QFormLayout(box)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for label, value in rows:
                shown = _value_label(value, box, path=label in paths)
                if label in flagged:
                    shown.setStyleSheet(WARNING_VALUE_STYLE)
                self.values[label] = shown
                form.addRow(label, shown)
            # Two by two: Program | This installation, then Backups | Exchange.
            self.grid.addWidget(box, index // 2, index % 2)  # no alignment: it breaks wrapping
            self.boxes.append(box)
        self.grid.setRowStretch(2, 1)
        notes = diagnostics.warnings(info, now)
        self.warning.setText("\n".join(notes))
        self.warning.setVisible(bool(notes))

    # -- buttons ---------------------------------------------------------------------
    def copy_details(self) -> None:
        if self.info is None:
            return
        copy_plain(diagnostics.plain_text(self.info, dt.datetime.now(dt.UTC)))
        self.message.show_info(_("The details are on the clipboard."))

    def open_data_folder(self) -> None:
        folder = self.session.data_dir.root
        if not self.open_url(QUrl.fromLocalFile(str(folder))):
            self.message.show_error(
                _("The folder %(path)s could not be opened. Open it in the file manager.")
                % {"path": folder}
            )


def add_to_menu(menu: QMenu, context: AppContext, session: Session, parent: QWidget) -> QAction:
    """Add "About Hotline Desk…" (every role) to ``menu``; return the action."""
    action = QAction(_("&About Hotline Desk…"), menu)
    action.setObjectName("about-action")

    def relabel(_language: str) -> None:
        action.setText(_("&About Hotline Desk…"))

    def show() -> None:
        dialog = AboutDialog(context, session, parent)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    add_listener(relabel)
    action.destroyed.connect(lambda: remove_listener(relabel))
    action.triggered.connect(show)
    menu.addAction(action)
    return action
