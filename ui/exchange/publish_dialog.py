"""Publishing an update bundle (coordinator): the screening scripts to send (the newest
version of each), whether the whole referral directory goes with them, and the file. The
bundle is signed and written in the background; what it holds is shown afterwards."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import InvalidInput
from hotline.exchange import bundles
from hotline.exchange.bundles import BundleInfo
from hotline.i18n import _
from hotline.screening.script import Script
from hotline.services import screening
from hotline.services.session import Session
from ui.context import AppContext
from ui.exchange.coordinator_export_dialog import CheckList, fit_rows
from ui.supervision.export_dialog import not_written
from ui.widgets import MessageLabel, error_text, hint


def bundle_filter() -> str:
    return _("Hotline Desk update bundle (*%(suffix)s)") % {"suffix": bundles.BUNDLE_SUFFIX}


def contents_text(info: BundleInfo) -> str:
    return _("screening scripts: %(scripts)d; directory entries: %(entries)d") % {
        "scripts": len(info.content.scripts),
        "entries": len(info.content.organisations),
    }


def script_text(title: str, script_id: str, version: int) -> str:
    return _("%(title)s (%(id)s, version %(version)d)") % {
        "title": title,
        "id": script_id,
        "version": version,
    }


def script_label(info: screening.ScriptInfo) -> str:
    return script_text(info.title, info.id, info.version)


def script_label_of(script: Script) -> str:
    return script_text(script.title.get_text(), script.id, script.version)


def publish_and_read(
    session: Session, target: Path, script_ids: tuple[str, ...], all_directory: bool
) -> BundleInfo:
    """Sign the bundle, then read it back as a hotline will (in the pool)."""
    bundles.publish(session, target, script_ids, all_directory=all_directory)
    return bundles.inspect(session, target)


class PublishDialog(QDialog):
    def __init__(self, context: AppContext, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self.busy = False
        self.published: BundleInfo | None = None
        self.intro = hint(self)
        self.scripts = CheckList(self)
        self.script_infos = [i for i in screening.available(session) if i.current]
        for info in self.script_infos:
            self.scripts.add(script_label(info), info.id)
        self.scripts_note = hint(self)
        self.directory_box = QCheckBox(self)
        self.directory_note = hint(self)
        self.row_labels = [QLabel(self) for _row in range(2)]
        form = QFormLayout()
        form.addRow(self.row_labels[0], self.scripts)
        form.addRow("", self.scripts_note)
        form.addRow(self.row_labels[1], self.directory_box)
        form.addRow("", self.directory_note)
        self.result_label = MessageLabel(self)
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        self.buttons.accepted.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Publish an update bundle"))
        self.intro.setText(
            _(
                "An update bundle brings screening scripts and referral directory entries "
                "to the hotlines. It is signed with this installation's key; the hotlines "
                "install only bundles signed by their coordinator."
            )
        )
        self.row_labels[0].setText(_("Screening scripts"))
        self.row_labels[1].setText(_("Directory"))
        for i, info in enumerate(self.script_infos):
            self.scripts.item(i).setText(script_label(info))
        fit_rows(self.scripts, 3, 10)
        self.scripts_note.setText(_("The newest version of each ticked script is sent."))
        self.directory_box.setText(_("Every entry of the referral directory"))
        self.directory_note.setText(
            _("Closed entries go too, so that a closing reaches the hotlines as well.")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Sign and save…"))

    def chosen(self) -> tuple[tuple[str, ...], bool]:
        script_ids, directory = self.scripts.values(), self.directory_box.isChecked()
        if not script_ids and not directory:
            raise InvalidInput(
                _("Tick at least one screening script, or the directory, to put in the bundle.")
            )
        return script_ids, directory

    def choose_file(self) -> None:
        if self.busy:
            return
        self.message.clear_message()
        try:
            self.chosen()
        except InvalidInput as error:
            self.message.show_error(error_text(error))
            return
        path, _selected = QFileDialog.getSaveFileName(
            self, _("Publish an update bundle"), bundles.suggested_name(self.session),
            bundle_filter(),
        )  # fmt: skip
        if path:
            target = Path(path)
            if target.suffix != bundles.BUNDLE_SUFFIX:
                target = target.with_name(target.name + bundles.BUNDLE_SUFFIX)
            self.publish_to(target)

    def publish_to(self, target: Path) -> None:
        """Sign and write the bundle in the background; the result is shown below."""
        if self.busy:
            return
        self.message.clear_message()
        try:
            script_ids, directory = self.chosen()
        except InvalidInput as error:
            self.message.show_error(error_text(error))
            return
        session = self.session
        self._set_busy(True)
        self.context.runner.submit(
            lambda: publish_and_read(session, target, script_ids, directory),
            lambda info: self._published(target, info),
            lambda error: self._failed(target, error),
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not busy)
        if busy:
            self.result_label.show_info(_("Signing the bundle…"))

    def _published(self, target: Path, info: BundleInfo) -> None:
        self._set_busy(False)
        self.published = info
        self.result_label.show_info(
            _(
                "Update bundle number %(number)d was signed and saved as %(path)s: "
                "%(contents)s. Send it to the hotlines; a supervisor or administrator "
                "there installs it."
            )
            % {"number": info.number, "path": str(target), "contents": contents_text(info)}
        )

    def _failed(self, target: Path, error: BaseException) -> None:
        self._set_busy(False)
        self.result_label.clear_message()
        self.message.show_error(not_written(target, error))
