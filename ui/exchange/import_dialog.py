"""Importing batches: chosen files or the inbox, each file on its own; what became of each,
which batch numbers are still missing, and receipts to send back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
from hotline.exchange import folders, importing, receipts
from hotline.exchange.exporting import BATCH_SUFFIX
from hotline.exchange.folders import InboxOutcome
from hotline.exchange.importing import ImportResult, Status
from hotline.i18n import _, ngettext
from hotline.services.session import Session
from ui.context import AppContext
from ui.exchange.labels import missing_text, outcome_text
from ui.supervision.export_dialog import not_written
from ui.widgets import MessageLabel, error_text, hint, read_only_table


@dataclass(frozen=True)
class FileResult:
    path: Path
    result: ImportResult | None = None
    error: str | None = None


def import_files(session: Session, paths: list[Path]) -> list[FileResult]:
    """Each file on its own: a rejected one does not stop the others (runs in the pool)."""
    done = []
    for path in paths:
        try:
            done.append(FileResult(path, result=importing.import_file(session, path)))
        except KnownError as error:
            done.append(FileResult(path, error=str(error)))
    return done


def from_inbox(outcomes: list[InboxOutcome]) -> list[FileResult]:
    return [FileResult(o.path, o.result, o.error) for o in outcomes]


def result_text(item: FileResult) -> str:
    if item.result is None:
        return _("Rejected: %(reason)s") % {"reason": item.error or ""}
    if item.result.status is Status.ALREADY:
        return _("Already imported; nothing changed.")
    return _("Imported: %(outcome)s") % {"outcome": outcome_text(item.result.outcome)}


def batch_filter() -> str:
    return _("Hotline Desk batch (*%(suffix)s)") % {"suffix": BATCH_SUFFIX}


class ImportDialog(QDialog):
    def __init__(self, context: AppContext, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self.busy = False
        self.results: list[FileResult] = []
        self.intro = hint(self)
        self.files_button = QPushButton(self)
        self.files_button.clicked.connect(self.choose_files)
        self.inbox_button = QPushButton(self)
        self.inbox_button.clicked.connect(self.import_inbox)
        self.table = read_only_table(3, self, stretch=2)
        self.table.setWordWrap(True)
        self.gaps = QLabel(self)
        self.gaps.setWordWrap(True)
        self.receipts_button = QPushButton(self)
        self.receipts_button.clicked.connect(self.choose_receipts_folder)
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        row = QHBoxLayout()
        row.addWidget(self.files_button)
        row.addWidget(self.inbox_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.gaps)
        bottom = QHBoxLayout()
        bottom.addWidget(self.receipts_button)
        bottom.addStretch(1)
        layout.addLayout(bottom)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(900, 520)
        self.retranslate()
        self._update()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Import batches"))
        self.intro.setText(
            _(
                "Each file is checked completely (sender, signature, every record) before "
                "anything is saved. A file that fails changes nothing."
            )
        )
        self.files_button.setText(_("Choose files…"))
        self.inbox_button.setText(_("Import the inbox"))
        self.receipts_button.setText(_("Write receipts…"))
        self.table.setHorizontalHeaderLabels([_("File"), _("From"), _("Result")])
        self._fill()

    def _update(self) -> None:
        self.files_button.setEnabled(not self.busy)
        self.inbox_button.setEnabled(
            not self.busy and folders.inbox_folder(self.session) is not None
        )
        self.receipts_button.setEnabled(not self.busy and bool(self.imported()))

    def imported(self) -> list[ImportResult]:
        return [r.result for r in self.results if r.result is not None]

    # -- importing -----------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _selected = QFileDialog.getOpenFileNames(
            self, _("Import batches"), "", batch_filter()
        )
        if paths:
            self.import_paths([Path(p) for p in paths])

    def import_paths(self, paths: list[Path]) -> None:
        session = self.session
        self._run(lambda: import_files(session, paths))

    def import_inbox(self) -> None:
        session = self.session
        self._run(lambda: from_inbox(folders.import_inbox(session)))

    def _run(self, work: Callable[[], list[FileResult]]) -> None:
        if self.busy:
            return
        self.busy = True
        self.message.show_info(_("Checking and importing…"))
        self._update()
        self.context.runner.submit(work, self._done, self._failed)

    def _done(self, results: list[FileResult]) -> None:
        self.busy = False
        self.results = results + self.results
        self._fill()
        self._update()
        rejected = sum(1 for r in results if r.result is None)
        if not results:
            self.message.show_info(_("There was no new batch to import."))
        elif rejected:
            self.message.show_error(
                ngettext(
                    "%(count)d file was rejected; nothing of it was saved.",
                    "%(count)d files were rejected; nothing of them was saved.",
                    rejected,
                )
                % {"count": rejected}
            )
        else:
            self.message.clear_message()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self._update()
        self.message.show_error(error_text(error))

    def _fill(self) -> None:
        self.table.setRowCount(len(self.results))
        for row, item in enumerate(self.results):
            sender = ""
            if item.result is not None:
                sender = _("%(sender)s, batch %(number)d") % {
                    "sender": item.result.sender.label,
                    "number": item.result.sequence,
                }
            for column, text in enumerate((item.path.name, sender, result_text(item))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        gaps = importing.gaps(self.session)
        self.gaps.setText("\n".join(missing_text(p.org_code, m) for p, m in gaps))
        self.gaps.setVisible(bool(gaps))

    # -- receipts ------------------------------------------------------------------------
    def choose_receipts_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Write receipts"))
        if folder:
            self.write_receipts(Path(folder))

    def write_receipts(self, folder: Path) -> list[Path]:
        written = []
        for result in self.imported():
            try:
                written.append(receipts.write_receipt(self.session, result.batch_id, folder))
            except (KnownError, OSError) as error:
                self.message.show_error(not_written(folder, error))
                return written
        self.message.show_info(
            ngettext(
                "%(count)d receipt was written to %(folder)s. Send it back to the office.",
                "%(count)d receipts were written to %(folder)s. Send them back to the offices.",
                len(written),
            )
            % {"count": len(written), "folder": str(folder)}
        )
        return written
