"""Administration → Retention…: how long calls keep names, phone numbers and notes; what
applying the policy now would remove; applying it (in the background, after a confirmation
that names the number of calls). See docs/retention.md."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hotline.cli_retention import counts_lines, policy_text
from hotline.i18n import _, add_listener, ngettext, remove_listener
from hotline.roles import Action, allowed
from hotline.services import retention
from hotline.services.session import Session
from ui.context import AppContext
from ui.widgets import MessageLabel, error_text, heading, hint


class RetentionDialog(QDialog):
    def __init__(self, context: AppContext, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = session
        self.counts: retention.Counts | None = None
        self.confirmation: QMessageBox | None = None
        self.busy = False
        self._count_again = False  # a count was asked for while another was running
        self.done_text = ""
        self.title = heading(self, scale=1.3)
        self.intro = hint(self)
        self.enabled_box = QCheckBox(self)
        self.months = QSpinBox(self)
        self.months.setRange(1, retention.MAX_MONTHS)
        self.months.setValue(36)
        self.acknowledged_box = QCheckBox(self)
        self.save_button = QPushButton(self)
        self.save_button.clicked.connect(self.save)
        self.policy_label = QLabel(self)
        self.policy_label.setWordWrap(True)
        self.preview_label = QLabel(self)
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message = MessageLabel(self)
        self.apply_button = QPushButton(self)
        self.apply_button.clicked.connect(self.ask_to_apply)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.months_label = QLabel(self)
        self.months_label.setBuddy(self.months)

        form = QFormLayout()
        form.addRow(self.enabled_box)
        form.addRow(self.months_label, self.months)
        form.addRow(self.acknowledged_box)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addStretch(1)
        actions.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.policy_label)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.enabled_box.toggled.connect(self._form_changed)
        self.months.valueChanged.connect(self._form_changed)
        self.acknowledged_box.toggled.connect(self._form_changed)
        self.retranslate()
        self.resize(640, 480)
        self.saved = retention.get_policy(session)
        self._show_policy(self.saved)
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Retention"))
        self.title.setText(_("Retention of personal data"))
        self.intro.setText(
            _(
                "Old calls can lose what identifies people: names, phone numbers, the caller's "
                "region, summaries, notes, screening answers and referral reasons. Codes stay, "
                "so the statistics still count every call. Removed values cannot be brought "
                "back, except from a backup made before."
            )
        )
        self.enabled_box.setText(_("Remove personal data from old calls"))
        self.months_label.setText(_("Keep it for (whole months):"))
        self.acknowledged_box.setText(
            _("Only after the recipient confirmed receiving the batch with the call")
        )
        self.save_button.setText(_("Save the policy"))
        self.apply_button.setText(_("Apply now…"))

    # -- state -------------------------------------------------------------------------
    def form_policy(self) -> retention.Policy:
        return retention.Policy(
            months=self.months.value() if self.enabled_box.isChecked() else None,
            only_acknowledged=self.acknowledged_box.isChecked(),
        )

    def _show_policy(self, policy: retention.Policy) -> None:
        for widget in (self.enabled_box, self.months, self.acknowledged_box):
            widget.blockSignals(True)
        self.enabled_box.setChecked(policy.enabled)
        if policy.months is not None:
            self.months.setValue(policy.months)
        self.acknowledged_box.setChecked(policy.only_acknowledged)
        for widget in (self.enabled_box, self.months, self.acknowledged_box):
            widget.blockSignals(False)
        self.policy_label.setText(policy_text(policy))
        self._update_buttons()

    def _form_changed(self) -> None:
        self._update_buttons()

    @property
    def unsaved(self) -> bool:
        return self.form_policy() != self.saved

    def _update_buttons(self) -> None:
        self.months.setEnabled(self.enabled_box.isChecked() and not self.busy)
        self.acknowledged_box.setEnabled(self.enabled_box.isChecked() and not self.busy)
        self.enabled_box.setEnabled(not self.busy)
        self.save_button.setEnabled(self.unsaved and not self.busy)
        ready = self.counts is not None and self.counts.calls + self.counts.drafts > 0
        self.apply_button.setEnabled(
            self.saved.enabled and ready and not self.unsaved and not self.busy
        )

    def _start(self, text: str) -> None:
        self.busy = True
        self.message.show_info(text)
        self._update_buttons()

    def _stop(self) -> None:
        self.busy = False
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._stop()
        self._count_again = False
        self.message.show_error(error_text(error))

    # -- actions -------------------------------------------------------------------------
    def save(self) -> None:
        self.done_text = ""
        try:
            self.saved = retention.set_policy(self.session, self.form_policy())
        except Exception as error:  # shown, never swallowed
            self.message.show_error(error_text(error))
            return
        self.message.clear_message()
        self._show_policy(self.saved)
        self.refresh()

    def refresh(self) -> None:
        """Count in the background what applying the saved policy would remove."""
        if self.busy:  # one count at a time on the session's connection; the next one follows
            self._count_again = True
            return
        self.counts = None
        if not self.saved.enabled:
            self.preview_label.setText("")
            self._update_buttons()
            return
        self.preview_label.setText(_("Counting…"))
        policy = self.saved
        self._start(_("Counting the old calls…"))
        self.context.runner.submit(
            lambda: retention.preview(self.session, policy), self._previewed, self._failed
        )

    def _previewed(self, counts: Any) -> None:
        if self._count_again:
            self._count_again = False
            self._stop()
            self.refresh()
            return
        self.counts = counts
        self.preview_label.setText("\n".join(counts_lines(counts)))
        self._stop()
        if self.done_text:
            self.message.show_info(self.done_text)
        else:
            self.message.clear_message()

    def ask_to_apply(self) -> None:
        if self.counts is None:
            return
        calls = self.counts.calls
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Apply the retention policy"))
        box.setText(
            ngettext(
                "Remove names, phone numbers and notes from %(n)d call for good?",
                "Remove names, phone numbers and notes from %(n)d calls for good?",
                calls,
            )
            % {"n": calls}
        )
        box.setInformativeText(
            _(
                "This cannot be undone. Make a backup first if the data may still be needed. "
                "The database is compacted afterwards; this can take a few minutes."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(
            ngettext("Remove from %(n)d call", "Remove from %(n)d calls", calls) % {"n": calls}
        )
        box.accepted.connect(lambda: self.apply(calls))
        self.confirmation = box
        box.open()

    def apply(self, calls: int) -> None:
        self.confirmation = None
        policy = self.saved
        self._start(_("Removing personal data and compacting the database…"))
        self.context.runner.submit(
            lambda: retention.apply(self.session, policy, expected_calls=calls),
            self._applied,
            self._failed,
        )

    def _applied(self, counts: Any) -> None:
        self._stop()
        self.done_text = ngettext(
            "Personal data was removed from %(n)d call, and the database was compacted.",
            "Personal data was removed from %(n)d calls, and the database was compacted.",
            counts.calls,
        ) % {"n": counts.calls}
        self.refresh()


def add_to_menu(menu: QMenu, context: AppContext, session: Session, parent: QWidget) -> None:
    """Add "Retention…" to ``menu`` for the roles that may use it (administrators)."""
    if not allowed(session.user.role, Action.APPLY_RETENTION):
        return
    action = QAction(_("Retention…"), parent)
    action.setObjectName("retention_action")

    def relabel(_language: str) -> None:
        action.setText(_("Retention…"))

    add_listener(relabel)
    action.destroyed.connect(lambda: remove_listener(relabel))
    holder: dict[str, RetentionDialog] = {}

    def show() -> None:
        dialog = holder.get("dialog")
        if dialog is None:
            dialog = RetentionDialog(context, session, parent)
            holder["dialog"] = dialog
        dialog.open()

    action.triggered.connect(show)
    menu.addAction(action)
