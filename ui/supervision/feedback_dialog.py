"""My feedback: the reviews of the operator's own calls, newest first, unread ones in
bold; a row opens the call with its review."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.i18n import _
from hotline.model.review import FeedbackItem
from hotline.services import reviews
from hotline.services.session import Session
from hotline.taxonomy import taxonomy
from ui.calls.common import stamp, when
from ui.supervision.review_dialog import ReviewDialog, open_review
from ui.widgets import MessageLabel, error_text, read_only_table

ID = Qt.ItemDataRole.UserRole


def rubric_text(item: FeedbackItem) -> str:
    """'Greeting: met; Notes sufficient: not met' in the interface language."""
    parts = []
    for criterion in taxonomy().codes("review_criteria"):
        mark = item.review.rubric.get(criterion)
        if mark:
            parts.append(
                f"{taxonomy().label('review_criteria', criterion)}: "
                f"{taxonomy().label('review_marks', mark)}"
            )
    return "; ".join(parts)


class FeedbackDialog(QDialog):
    read = Signal()  # feedback was opened: the unread count may have changed

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.items: list[FeedbackItem] = []
        self.windows: list[ReviewDialog] = []
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.table = read_only_table(4, self, stretch=3)
        self.table.setWordWrap(True)
        self.table.cellActivated.connect(lambda row, _column: self.open_row(row))
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(900, 460)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("My feedback"))
        self.intro.setText(
            _(
                "Your supervisor's reviews of your calls. Unread ones are in bold; "
                "open one to read it."
            )
        )
        self.table.setHorizontalHeaderLabels([_("Call"), _("Reviewed"), _("By"), _("Review")])
        self.refresh()
        for window in self.windows:
            window.retranslate()

    def refresh(self) -> None:
        try:
            self.items = reviews.my_feedback(self.session)
        except KnownError as error:
            self.message.show_error(error_text(error))
            self.items = []
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            started = when(dt.datetime.fromisoformat(item.contact_started_at), today_as_time=False)
            comment = item.review.comment.splitlines()[0] if item.review.comment else ""
            review = rubric_text(item) + (("\n" + comment) if comment else "")
            values = [
                f"{item.contact_reference}\n{started}",
                stamp(item.review.reviewed_at),
                item.review.reviewer,
                review,
            ]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setData(ID, item.review.contact_id)
                if item.review.seen_at is None:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        # Wrapped rows can only be measured once the columns have their real widths.
        self.table.resizeRowsToContents()

    def open_row(self, row: int) -> ReviewDialog | None:
        if not 0 <= row < len(self.items):
            return None
        opened = open_review(self.session, self.items[row].review.contact_id, self)
        if isinstance(opened, str):
            self.message.show_error(opened)
            return None
        self.windows.append(opened)
        opened.finished.connect(lambda _result, d=opened: self._forget(d))
        opened.show()
        self.refresh()
        self.read.emit()
        return opened

    def _forget(self, dialog: ReviewDialog) -> None:
        if dialog in self.windows:
            self.windows.remove(dialog)
        dialog.deleteLater()

    def discard(self) -> None:
        for window in list(self.windows):
            window.discard()
        self.windows.clear()
        self.items = []
        self.table.setRowCount(0)
        self.close()
