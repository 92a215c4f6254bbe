"""The call form: sections filled in any order, tab order following the conversation
(number, caller, type, topics, what was said, what was done, consent, follow-up, safety).
Nothing is required: a half-filled call can always be saved."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _
from hotline.model.contact import Caller, Consent, Contact, FollowUp
from hotline.phones import Phone
from hotline.taxonomy import taxonomy
from ui.calls.common import (
    DateField,
    choose,
    chosen,
    combo,
    date_format,
    fill_countries,
    fill_terms,
)
from ui.calls.consent_grid import ConsentGrid
from ui.calls.phone_field import PhoneField
from ui.calls.repeat_panel import RepeatCallersPanel
from ui.calls.topics_tree import TopicsTree
from ui.widgets import CheckBoxLabel, checkbox_row, hint

SAFETY_STYLE = (
    "QGroupBox#safety { border: 2px solid #c62828; border-radius: 6px; margin-top: 1.4em;"
    " background: #fdecea; }"
    " QGroupBox#safety::title { subcontrol-origin: margin; left: 10px; padding: 0 4px;"
    " color: #8c1d18; font-weight: bold; }"
    " QGroupBox#safety QCheckBox { color: #8c1d18; font-weight: bold; }"
)


READ_ONLY_STYLE = (
    "QComboBox:disabled, QCheckBox:disabled, QRadioButton:disabled, QTreeView:disabled,"
    " QDateEdit:disabled { color: palette(window-text); }"
)


def _to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class CallForm(QScrollArea):
    """``edited`` on every change made by the person; ``phone_changed`` with the parsed
    Phone (or None) for the repeat-caller lookup."""

    edited = Signal()
    phone_changed = Signal(object)

    def __init__(self, home_country: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.read_only = False
        self._loading = False
        page = QWidget(self)
        self.page = page
        self.setWidget(page)

        # -- number
        self.phone_box = QGroupBox(page)
        self.phone = PhoneField(home_country, self.phone_box)
        self.repeat = RepeatCallersPanel(self.phone_box)
        column = QVBoxLayout(self.phone_box)
        column.addWidget(self.phone)
        column.addWidget(self.repeat)

        # -- caller
        self.caller_box = QGroupBox(page)
        self.relationship = combo(self.caller_box)
        self.sex = combo(self.caller_box)
        self.age_band = combo(self.caller_box)
        self.citizenship = combo(self.caller_box)
        self.country = combo(self.caller_box)
        self.region = QLineEdit(self.caller_box)
        self.region.setMaxLength(200)
        self.caller_name = QLineEdit(self.caller_box)
        self.caller_name.setMaxLength(200)
        self.name_note = hint(self.caller_box)
        self.call_language = combo(self.caller_box)
        self.caller_form = QFormLayout(self.caller_box)
        self.caller_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.caller_labels: dict[QWidget, QLabel] = {}
        for field in (
            self.relationship,
            self.sex,
            self.age_band,
            self.citizenship,
            self.country,
            self.region,
            self.caller_name,
            self.call_language,
        ):
            label = QLabel(self.caller_box)
            label.setBuddy(field)
            self.caller_labels[field] = label
            self.caller_form.addRow(label, field)
            if field is self.caller_name:
                self.caller_form.addRow("", self.name_note)

        # -- call type and topics
        self.type_box = QGroupBox(page)
        self.call_type = combo(self.type_box)
        self.call_type_label = QLabel(self.type_box)
        self.call_type_label.setBuddy(self.call_type)
        self.topics_label = QLabel(self.type_box)
        self.topics = TopicsTree(self.type_box)
        self.topics_label.setBuddy(self.topics)
        self.topics.setMinimumHeight(220)
        type_form = QFormLayout()
        type_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        type_form.addRow(self.call_type_label, self.call_type)
        column = QVBoxLayout(self.type_box)
        column.addLayout(type_form)
        column.addWidget(self.topics_label)
        column.addWidget(self.topics, 1)

        # -- what was said
        self.talk_box = QGroupBox(page)
        self.summary_label = QLabel(self.talk_box)
        self.summary = QLineEdit(self.talk_box)
        self.summary.setMaxLength(2000)
        self.summary_label.setBuddy(self.summary)
        self.notes_label = QLabel(self.talk_box)
        self.notes = QPlainTextEdit(self.talk_box)
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(160)
        self.notes_label.setBuddy(self.notes)
        column = QVBoxLayout(self.talk_box)
        column.addWidget(self.summary_label)
        column.addWidget(self.summary)
        column.addWidget(self.notes_label)
        column.addWidget(self.notes, 1)

        # -- what was done
        self.actions_box = QGroupBox(page)
        self.action_boxes: dict[str, QCheckBox] = {}
        self.action_labels: dict[str, CheckBoxLabel] = {}
        grid = QGridLayout(self.actions_box)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        for index, term in enumerate(taxonomy().terms("actions")):
            box = QCheckBox(self.actions_box)
            # A label beside the box wraps long translations (a check box's own text
            # never does).
            label = CheckBoxLabel(box, self.actions_box)
            self.action_boxes[term.code] = box
            self.action_labels[term.code] = label
            grid.addLayout(checkbox_row(box, label), index // 2, index % 2)

        # -- consent
        self.consent_box = QGroupBox(page)
        self.consent = ConsentGrid(self.consent_box)
        QVBoxLayout(self.consent_box).addWidget(self.consent)

        # -- follow-up
        self.follow_box = QGroupBox(page)
        self.follow_needed = QCheckBox(self.follow_box)
        self.follow_date = DateField(self.follow_box)
        self.follow_reason = QLineEdit(self.follow_box)
        self.follow_reason.setMaxLength(500)
        self.follow_done = QCheckBox(self.follow_box)
        self.follow_date_label = QLabel(self.follow_box)
        self.follow_date_label.setBuddy(self.follow_date)
        self.follow_reason_label = QLabel(self.follow_box)
        self.follow_reason_label.setBuddy(self.follow_reason)
        follow = QFormLayout(self.follow_box)
        follow.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        follow.addRow(self.follow_needed)
        follow.addRow(self.follow_date_label, self.follow_date)
        follow.addRow(self.follow_reason_label, self.follow_reason)
        follow.addRow(self.follow_done)

        # -- safety
        self.safety_box = QGroupBox(page)
        self.safety_box.setObjectName("safety")
        self.safety_box.setStyleSheet(SAFETY_STYLE)
        self.minor = QCheckBox(self.safety_box)
        self.danger = QCheckBox(self.safety_box)
        self.safety_note = hint(self.safety_box)
        column = QVBoxLayout(self.safety_box)
        column.addWidget(self.minor)
        column.addWidget(self.danger)
        column.addWidget(self.safety_note)
        column.addStretch(1)

        # Two columns that grow independently (no empty cells beside a tall section),
        # then the closing sections in pairs.
        left, right = QWidget(page), QWidget(page)
        left_column, right_column = QVBoxLayout(left), QVBoxLayout(right)
        for column, boxes in ((left_column, (self.phone_box, self.type_box)),
                              (right_column, (self.caller_box, self.talk_box))):  # fmt: skip
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(10)
            column.addWidget(boxes[0])
            column.addWidget(boxes[1], 1)
        layout = QGridLayout(page)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.setHorizontalSpacing(12)
        layout.setVerticalSpacing(10)
        layout.addWidget(left, 0, 0)
        layout.addWidget(right, 0, 1)
        layout.addWidget(self.actions_box, 1, 0)
        layout.addWidget(self.consent_box, 1, 1)
        layout.addWidget(self.follow_box, 2, 0)
        layout.addWidget(self.safety_box, 2, 1)
        layout.setColumnStretch(0, 1)
        layout.setColumnStretch(1, 1)
        layout.setRowStretch(3, 1)

        self._tab_order()
        self._fill_lists()
        self._connect()
        self.clear_form()
        self.retranslate()

    # -- construction helpers -----------------------------------------------------
    def _tab_order(self) -> None:
        chain: list[QWidget] = [
            self.phone.line,
            self.phone.withheld,
            self.repeat.list,
            self.relationship,
            self.sex,
            self.age_band,
            self.citizenship,
            self.country,
            self.region,
            self.caller_name,
            self.call_language,
            self.call_type,
            self.topics,
            self.summary,
            self.notes,
            *self.action_boxes.values(),
            *(b for buttons in self.consent.buttons.values() for b in buttons),
            self.follow_needed,
            self.follow_date,
            self.follow_reason,
            self.follow_done,
            self.minor,
            self.danger,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _fill_lists(self) -> None:
        fill_terms(self.relationship, "relationships")
        fill_terms(self.sex, "sexes")
        fill_terms(self.age_band, "age_bands")
        fill_countries(self.citizenship)
        fill_countries(self.country)
        fill_terms(self.call_language, "call_languages")
        fill_terms(self.call_type, "call_types")

    def _connect(self) -> None:
        self.phone.edited.connect(self._edited)
        self.phone.phone_changed.connect(self.phone_changed)
        for box in (
            self.relationship,
            self.sex,
            self.age_band,
            self.citizenship,
            self.country,
            self.call_language,
            self.call_type,
        ):
            box.currentIndexChanged.connect(self._edited)
        for line in (self.region, self.caller_name, self.summary, self.follow_reason):
            line.textEdited.connect(self._edited)
        self.notes.textChanged.connect(self._edited)
        self.topics.edited.connect(self._edited)
        self.consent.edited.connect(self._consent_edited)
        for check in (*self.action_boxes.values(), self.follow_done, self.minor, self.danger):
            check.toggled.connect(self._edited)
        self.follow_needed.toggled.connect(self._follow_toggled)
        self.follow_date.dateChanged.connect(self._edited)

    def _edited(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _consent_edited(self) -> None:
        self._update_enabled()
        self._edited()

    def _follow_toggled(self) -> None:
        self._update_enabled()
        self._edited()

    def _update_enabled(self) -> None:
        writable = not self.read_only
        # The caller's name is kept only with consent to keep personal data.
        self.caller_name.setEnabled(writable and self.consent.answer("keep_data") is True)
        follow = self.follow_needed.isChecked()
        for widget in (self.follow_date, self.follow_reason, self.follow_done):
            widget.setEnabled(writable and follow)

    # -- language ------------------------------------------------------------------
    def retranslate(self) -> None:
        self._loading = True
        self.phone_box.setTitle(_("Phone number"))
        self.phone.retranslate()
        self.repeat.retranslate()
        self.caller_box.setTitle(_("Caller"))
        labels = {
            self.relationship: _("Who is calling:"),
            self.sex: _("Sex:"),
            self.age_band: _("Age:"),
            self.citizenship: _("Citizenship:"),
            self.country: _("Where now:"),
            self.region: _("Region, town:"),
            self.caller_name: _("Name:"),
            self.call_language: _("Language of the call:"),
        }
        for field, text in labels.items():
            self.caller_labels[field].setText(text)
        self.name_note.setText(_("Kept only if the caller agrees to keep personal data."))
        self._fill_lists()
        self.type_box.setTitle(_("Call type and topics"))
        self.call_type_label.setText(_("Call type:"))
        self.topics_label.setText(_("Topics (Space ticks the topic under the cursor):"))
        self.topics.retranslate()
        self.topics.setAccessibleName(_("Topics"))
        self.talk_box.setTitle(_("What the caller said"))
        self.summary_label.setText(_("Summary in one line:"))
        self.notes_label.setText(_("Notes:"))
        self.actions_box.setTitle(_("Actions taken"))
        for code, box in self.action_boxes.items():
            term = taxonomy().get("actions", code)
            self.action_labels[code].setText(term.text if term else code)
            box.setAccessibleName(term.text if term else code)
        self.consent_box.setTitle(_("Consent of the caller"))
        self.consent.retranslate()
        self.follow_box.setTitle(_("Follow-up"))
        self.follow_date.setDisplayFormat(date_format())
        self.follow_needed.setText(_("Follow up on this call"))
        self.follow_date_label.setText(_("Date:"))
        self.follow_reason_label.setText(_("Reason:"))
        self.follow_done.setText(_("Follow-up done"))
        self.safety_box.setTitle(_("Safety"))
        self.minor.setText(_("A minor is involved"))
        self.danger.setText(_("Immediate danger"))
        self.safety_note.setText(
            _("Tell the supervisor at once if someone is in immediate danger.")
        )
        self._loading = False

    # -- values --------------------------------------------------------------------
    def clear_form(self) -> None:
        self._loading = True
        self.phone.set_value(None, "")
        self.repeat.show_contacts([])
        for box in (
            self.relationship,
            self.sex,
            self.age_band,
            self.citizenship,
            self.country,
            self.call_language,
            self.call_type,
        ):
            box.setCurrentIndex(0)
        for line in (self.region, self.caller_name, self.summary, self.follow_reason):
            line.clear()
        self.notes.clear()
        self.topics.set_codes(())
        for check in (*self.action_boxes.values(), self.follow_done, self.minor, self.danger):
            check.setChecked(False)
        self.consent.set_value(Consent())
        self.follow_needed.setChecked(False)
        self.follow_date.setDate(_to_qdate(dt.date.today() + dt.timedelta(days=1)))
        self._update_enabled()
        self._loading = False

    def load(self, contact: Contact, phone_text: str | None = None) -> None:
        """Show ``contact``; ``phone_text`` is what was typed (drafts keep it even when it
        is not a valid number)."""
        self._loading = True
        self.clear_form()
        self._loading = True
        self.phone.set_value(contact.phone, phone_text)
        caller = contact.caller
        choose(self.relationship, caller.relationship)
        choose(self.sex, caller.sex)
        choose(self.age_band, caller.age_band)
        choose(self.citizenship, caller.citizenship)
        choose(self.country, caller.country)
        self.region.setText(caller.region)
        self.caller_name.setText(caller.name)
        choose(self.call_language, contact.call_language)
        choose(self.call_type, contact.call_type)
        self.topics.set_codes(contact.topics)
        self.summary.setText(contact.summary)
        self.notes.setPlainText(contact.notes)
        for code, box in self.action_boxes.items():
            box.setChecked(code in contact.actions)
        self.consent.set_value(contact.consent)
        follow = contact.follow_up
        self.follow_needed.setChecked(follow.date is not None)
        if follow.date is not None:
            self.follow_date.setDate(_to_qdate(follow.date))
        self.follow_reason.setText(follow.reason)
        self.follow_done.setChecked(follow.done)
        self.minor.setChecked(contact.minor)
        self.danger.setChecked(contact.danger)
        for line in (self.region, self.caller_name, self.summary, self.follow_reason):
            line.setCursorPosition(0)  # show the beginning of a long text
        self._update_enabled()
        self._loading = False

    def values(self, base: Contact) -> Contact:
        """``base`` with everything the form shows."""
        consent = self.consent.value()
        follow = self.follow_needed.isChecked()
        return replace(
            base,
            phone=self.phone.recorded,
            caller=Caller(
                relationship=chosen(self.relationship),
                sex=chosen(self.sex),
                age_band=chosen(self.age_band),
                citizenship=chosen(self.citizenship),
                country=chosen(self.country),
                region=self.region.text().strip(),
                name=self.caller_name.text().strip() if consent.keep_data else "",
            ),
            call_language=chosen(self.call_language),
            call_type=chosen(self.call_type),
            topics=self.topics.codes(),
            summary=self.summary.text().strip(),
            notes=self.notes.toPlainText(),
            actions=tuple(code for code, box in self.action_boxes.items() if box.isChecked()),
            consent=consent,
            follow_up=FollowUp(
                date=_from_qdate(self.follow_date.date()) if follow else None,
                reason=self.follow_reason.text().strip() if follow else "",
                done=self.follow_done.isChecked() if follow else False,
            ),
            minor=self.minor.isChecked(),
            danger=self.danger.isChecked(),
        )

    @property
    def phone_text(self) -> str:
        return self.phone.text

    @property
    def parsed_phone(self) -> Phone | None:
        return self.phone.phone

    def set_call_type(self, code: str) -> None:
        choose(self.call_type, code)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        # Disabled fields are grey; a call that is only read must still be easy to read.
        self.page.setStyleSheet(READ_ONLY_STYLE if read_only else "")
        self.phone.set_read_only(read_only)
        for line in (self.region, self.caller_name, self.summary, self.follow_reason):
            line.setReadOnly(read_only)
        self.notes.setReadOnly(read_only)
        for widget in (
            self.relationship,
            self.sex,
            self.age_band,
            self.citizenship,
            self.country,
            self.call_language,
            self.call_type,
            self.topics,
            *self.action_boxes.values(),
            self.follow_needed,
            self.minor,
            self.danger,
        ):
            widget.setEnabled(not read_only)
        self.consent.set_read_only(read_only)
        self._update_enabled()

    def start(self) -> None:
        """Focus where a call begins: the number."""
        self.ensureVisible(0, 0)
        self.phone.line.setFocus(Qt.FocusReason.OtherFocusReason)
