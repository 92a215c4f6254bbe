"""The review of one call: a mark per rubric criterion and a comment to the operator.
Supervisors edit it; the operator whose call it is reads it (``editable=False``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.i18n import _
from hotline.model.review import Review
from hotline.services import reviews
from hotline.services.session import Session
from hotline.taxonomy import taxonomy
from ui.calls.common import stamp
from ui.widgets import MessageLabel, error_text, heading


class ReviewPanel(QWidget):
    saved = Signal(object)  # the Review

    def __init__(
        self, session: Session, contact_id: str, *, editable: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.contact_id = contact_id
        self.editable = editable
        self.review: Review | None = None
        self.title = heading(self, 1.25)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.marks: dict[str, QComboBox] = {}
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for criterion in reviews.criteria():
            label = QLabel(self)
            label.setWordWrap(True)
            box = QComboBox(self)
            box.setEnabled(editable)
            self.labels[criterion] = label
            self.marks[criterion] = box
            form.addRow(label, box)
        self.comment_label = QLabel(self)
        self.comment = QPlainTextEdit(self)
        self.comment.setReadOnly(not editable)
        self.comment.setTabChangesFocus(True)
        self.comment_label.setBuddy(self.comment)
        self.message = MessageLabel(self)
        self.save_button = QPushButton(self)
        self.save_button.setVisible(editable)
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addWidget(self.comment_label)
        layout.addWidget(self.comment, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        self.load()
        self.retranslate()

    def load(self) -> None:
        try:
            self.review = reviews.review_of(self.session, self.contact_id)
        except KnownError as error:
            self.message.show_error(error_text(error))
            self.review = None
        rubric = {} if self.review is None else self.review.rubric
        for criterion, box in self.marks.items():
            self._fill_marks(box)
            box.setCurrentIndex(max(box.findData(rubric.get(criterion, "")), 0))
        self.comment.setPlainText("" if self.review is None else self.review.comment)
        if self.review is not None and not self.editable:
            reviews.mark_seen(self.session, self.review)

    def _fill_marks(self, box: QComboBox) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(_("Not marked"), "")
        for term in taxonomy().terms("review_marks"):
            box.addItem(term.text, term.code)
        box.setCurrentIndex(max(box.findData(current), 0))
        box.blockSignals(False)

    def retranslate(self) -> None:
        self.title.setText(_("Review") if self.editable else _("Feedback on this call"))
        for criterion, label in self.labels.items():
            label.setText(taxonomy().label("review_criteria", criterion))
            self._fill_marks(self.marks[criterion])
        self.comment_label.setText(_("&Comment to the operator") if self.editable else _("Comment"))
        self.save_button.setText(_("&Mark reviewed") if self.review is None else _("&Save review"))
        self._show_state()

    def _show_state(self) -> None:
        if self.review is None:
            self.state.setText(_("Not reviewed yet."))
            return
        self.state.setText(
            _("Reviewed by %(reviewer)s, %(when)s.")
            % {"reviewer": self.review.reviewer, "when": stamp(self.review.reviewed_at)}
        )

    def rubric(self) -> dict[str, str]:
        return {c: str(box.currentData() or "") for c, box in self.marks.items()}

    def save(self) -> None:
        if not self.editable:
            return
        expected = None if self.review is None else self.review.version
        try:
            self.review = reviews.save_review(
                self.session,
                self.contact_id,
                self.rubric(),
                self.comment.toPlainText(),
                expected_version=expected,
            )
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        self.message.show_info(_("The review is saved. The operator will see it."))
        self.retranslate()
        self.saved.emit(self.review)

    def clear(self) -> None:
        """Forget what is shown (lock, sign-out)."""
        self.review = None
        self.comment.clear()
