"""Installing an update bundle from the coordinator: choose the file, see who signed it
(with the key's fingerprint to compare), its number and what it holds, and whether it is
new here; then install it. Below: the bundles installed so far."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline.exchange import bundles, partners
from hotline.exchange.bundles import BundleInfo, InstallResult, State, Status
from hotline.i18n import _
from hotline.services.session import Session
from ui.calls.common import stamp
from ui.context import AppContext
from ui.exchange.coordinator_export_dialog import fit_rows
from ui.exchange.labels import fingerprint_groups
from ui.exchange.publish_dialog import bundle_filter, script_label_of
from ui.widgets import MessageLabel, error_text, hint, read_only_table, with_hint


def state_text(info: BundleInfo) -> str:
    if info.state is State.OWN:
        return _("This bundle was signed by this installation.")
    if info.state is State.INSTALLED:
        return _("This bundle is already installed here.")
    if info.state is State.OLDER:
        return _(
            "This bundle is older than the one installed here (number %(last)d); it cannot be "
            "installed."
        ) % {"last": info.last_installed or 0}
    return _("This bundle is not installed here yet.")


def installed_text(result: InstallResult) -> str:
    if result.status is Status.ALREADY:
        return _(
            "Update bundle number %(number)d from %(publisher)s is already installed; "
            "nothing was changed."
        ) % {"number": result.number, "publisher": result.publisher.label}
    done = _("Installed update bundle number %(number)d from %(publisher)s.") % {
        "number": result.number,
        "publisher": result.publisher.label,
    }
    return f"{done}\n{outcome_text(result.outcome)}"


def outcome_text(outcome: dict[str, int]) -> str:
    return _(
        "Screening script versions added: %(added)d; already here: %(same)d. "
        "Directory entries added: %(entries_added)d; changed: %(changed)d; "
        "unchanged: %(entries_same)d."
    ) % {
        "added": outcome.get("scripts_added", 0),
        "same": outcome.get("scripts_unchanged", 0),
        "entries_added": outcome.get("organisations_added", 0),
        "changed": outcome.get("organisations_updated", 0),
        "entries_same": outcome.get("organisations_unchanged", 0),
    }


class InstallDialog(QDialog):
    def __init__(self, context: AppContext, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self.busy = False
        self.path: Path | None = None
        self.info: BundleInfo | None = None
        self.intro = hint(self)
        self.choose_button = QPushButton(self)
        self.choose_button.clicked.connect(self.choose_file)
        self.file_label = QLabel(self)
        self.details = QWidget(self)
        self.publisher = QLabel(self.details)
        self.fingerprint = QLabel(self.details)
        font = QFont("monospace")
        font.setBold(True)
        self.fingerprint.setFont(font)
        self.fingerprint_note = hint(self.details)
        self.number = QLabel(self.details)
        self.signed_on = QLabel(self.details)
        self.contents = QListWidget(self.details)
        fit_rows(self.contents, 1, 5)
        self.state = QLabel(self.details)
        self.state.setWordWrap(True)
        self.row_labels = [QLabel(self.details) for _row in range(6)]
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        for row_label, field in zip(
            self.row_labels,
            (
                self.publisher,
                with_hint(self.fingerprint, self.fingerprint_note),
                self.number,
                self.signed_on,
                self.contents,
                self.state,
            ),
            strict=True,
        ):
            form.addRow(row_label, field)
        self.install_button = QPushButton(self)
        self.install_button.clicked.connect(self.install)
        self.message = MessageLabel(self)
        self.installed_title = QLabel(self)
        self.installed_table = read_only_table(6, self, stretch=5)
        self.installed_table.setWordWrap(True)
        self.installed_table.setMinimumHeight(110)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        choose = QHBoxLayout()
        choose.addWidget(self.choose_button)
        choose.addWidget(self.file_label, 1)
        layout.addLayout(choose)
        layout.addWidget(self.details)
        install_row = QHBoxLayout()
        install_row.addWidget(self.install_button)
        install_row.addStretch(1)
        layout.addLayout(install_row)
        layout.addWidget(self.message)
        layout.addWidget(self.installed_title)
        layout.addWidget(self.installed_table, 1)
        layout.addWidget(self.buttons)
        self.details.hide()
        self.resize(860, 600)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Install an update bundle"))
        self.intro.setText(
            _(
                "Update bundles from your coordinating NGO bring new screening script versions "
                "and referral directory entries. Only bundles signed by the coordinator "
                "registered here can be installed; a bundle is checked completely first."
            )
        )
        self.choose_button.setText(_("Choose a bundle…"))
        for row_label, text in zip(
            self.row_labels,
            (
                _("Signed by"),
                _("Key fingerprint"),
                _("Number"),
                _("Signed on"),
                _("Holds"),
                _("Status"),
            ),
            strict=True,
        ):
            row_label.setText(text)
        self.fingerprint_note.setText(
            _("The fingerprint of the coordinator's card registered here.")
        )
        self.install_button.setText(_("Install"))
        self.installed_title.setText(_("Bundles installed here"))
        self.installed_table.setHorizontalHeaderLabels(
            [
                _("Number"),
                _("From"),
                _("Signed on"),
                _("Installed on"),
                _("By"),
                _("What changed"),
            ]
        )
        self._show_info()
        self._fill()

    def refresh(self) -> None:
        self._fill()
        self._update()

    def _update(self) -> None:
        self.choose_button.setEnabled(not self.busy)
        self.install_button.setEnabled(
            not self.busy and self.info is not None and self.info.state is State.NEW
        )

    # -- choosing and checking -----------------------------------------------------------
    def choose_file(self) -> None:
        path, _selected = QFileDialog.getOpenFileName(
            self, _("Install an update bundle"), "", bundle_filter()
        )
        if path:
            self.inspect_path(Path(path))

    def inspect_path(self, path: Path) -> None:
        """Check the bundle in the background and show who signed it and what it holds."""
        session = self.session
        self.path = path
        self.info = None
        self.file_label.setText(path.name)
        self._show_info()
        self._run(
            lambda: bundles.inspect(session, path), self._inspected, _("Checking the bundle…")
        )

    def _inspected(self, info: BundleInfo) -> None:
        self.info = info
        self.message.clear_message()
        self._show_info()

    def _show_info(self) -> None:
        info = self.info
        self.details.setVisible(info is not None)
        if info is None:
            return
        self.publisher.setText(info.publisher)
        self.fingerprint.setText(fingerprint_groups(info.fingerprint))
        self.number.setText(str(info.number))
        self.signed_on.setText(stamp(info.manifest.created_at))
        self.contents.clear()
        for script in info.content.scripts:
            self.contents.addItem(script_label_of(script))
        for org in info.content.organisations:
            self.contents.addItem(org.name)
        fit_rows(self.contents, 1, 5)
        self.state.setText(state_text(info))

    # -- installing ----------------------------------------------------------------------
    def install(self) -> None:
        if self.path is None or self.info is None or self.info.state is not State.NEW:
            return
        session, path = self.session, self.path
        self._run(lambda: bundles.install(session, path), self._installed, _("Installing…"))

    def _installed(self, result: InstallResult) -> None:
        if self.info is not None:
            self.info = replace(self.info, state=State.INSTALLED, last_installed=result.number)
        self._show_info()
        self._fill()
        self.message.show_info(installed_text(result))

    # -- running -------------------------------------------------------------------------
    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], note: str) -> None:
        if self.busy:
            return
        self.busy = True
        self._update()
        self.message.show_info(note)

        def succeeded(value: Any) -> None:
            self.busy = False
            done(value)
            self._update()

        self.context.runner.submit(work, succeeded, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self._update()
        self.message.show_error(error_text(error))

    # -- installed so far ----------------------------------------------------------------
    def _fill(self) -> None:
        names = {p.installation_id: p.label for p in partners.partners(self.session)}
        installed = bundles.installed_bundles(self.session)
        self.installed_table.setRowCount(len(installed))
        for row, bundle in enumerate(installed):
            texts = (
                str(bundle.number),
                names.get(bundle.publisher_id, bundle.publisher_id[:8]),
                stamp(bundle.bundle_created),
                stamp(bundle.installed_at),
                bundle.installed_by,
                outcome_text(bundle.outcome),
            )
            for column, text in enumerate(texts):
                self.installed_table.setItem(row, column, QTableWidgetItem(text))
        self.installed_table.resizeRowsToContents()
