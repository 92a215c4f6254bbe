"""Exporting the calls the call log shows: CSV or XLSX, codes and short facts by default;
names, phones, region and free text only when chosen, and only for roles allowed them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.i18n import _, ngettext
from hotline.model.call_log import CallLogFilter
from hotline.roles import Action, allowed
from hotline.services import reports
from hotline.services.session import Session
from ui.widgets import MessageLabel, error_text, hint


def file_filter(fmt: str) -> str:
    return _("Excel workbook (*.xlsx)") if fmt == "xlsx" else _("CSV file (*.csv)")


def not_written(target: Path, error: BaseException) -> str:
    """The message for a file that could not be written (a full or read-only stick…)."""
    if isinstance(error, OSError):
        return _("%(path)s could not be written: %(reason)s") % {
            "path": str(target),
            "reason": error.strerror or str(error),
        }
    return error_text(error)


def with_suffix(path: str, fmt: str) -> Path:
    chosen = Path(path)
    return chosen if chosen.suffix.lower() == "." + fmt else chosen.with_suffix("." + fmt)


class ExportDialog(QDialog):
    def __init__(
        self, session: Session, filter: CallLogFilter, count: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.filter = filter
        self.count = count
        self.written = 0
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.xlsx = QRadioButton(self)
        self.csv = QRadioButton(self)
        self.xlsx.setChecked(True)
        self.may_identify = allowed(session.user.role, Action.EXPORT_IDENTIFYING)
        self.extra: dict[str, QCheckBox] = {}
        self.extra_note = hint(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.xlsx)
        layout.addWidget(self.csv)
        if self.may_identify:
            layout.addWidget(self.extra_note)
            for code in reports.IDENTIFYING_COLUMNS:
                box = QCheckBox(self)
                self.extra[code] = box
                layout.addWidget(box)
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Export calls"))
        self.intro.setText(
            ngettext(
                "Export the %(count)d call the call log shows now.",
                "Export the %(count)d calls the call log shows now.",
                self.count,
            )
            % {"count": self.count}
        )
        self.xlsx.setText(file_filter("xlsx"))
        self.csv.setText(file_filter("csv"))
        self.extra_note.setText(
            _(
                "The file holds codes and short facts. Add what identifies a caller only "
                "if the recipient needs it: whoever has the file can read it."
            )
        )
        for code, box in self.extra.items():
            box.setText(_(reports.COLUMN_TITLES[code]))

    @property
    def fmt(self) -> reports.Format:
        return "xlsx" if self.xlsx.isChecked() else "csv"

    def extra_columns(self) -> tuple[str, ...]:
        return tuple(code for code, box in self.extra.items() if box.isChecked())

    def choose_file(self) -> None:
        path, _selected = QFileDialog.getSaveFileName(
            self, _("Export calls"), "calls." + self.fmt, file_filter(self.fmt)
        )
        if path:
            self.export_to(with_suffix(path, self.fmt))

    def export_to(self, target: Path) -> bool:
        try:
            self.written = reports.export_call_list(
                self.session, self.filter, target, self.fmt, self.extra_columns()
            )
        except (KnownError, OSError) as error:
            self.message.show_error(not_written(target, error))
            return False
        self.accept()
        return True
