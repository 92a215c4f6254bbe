"""The screening panel beside the call form: pick a script, answer its questions (read
aloud in the caller's language when that differs), and always see the live risk level,
its reasons, suggested actions and services. An urgent level shows a red banner on top.

The call form owns the contact: it hands it over with ``set_contact`` and takes the
screening back with ``apply_to`` before saving.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.i18n import _, current_language
from hotline.model.contact import Contact
from hotline.screening.engine import Result, evaluate, reason_text
from hotline.screening.script import LANGUAGES, Script, Text
from hotline.services import screening
from hotline.services.session import Session
from hotline.taxonomy import taxonomy
from ui.screening.questions import QuestionView
from ui.widgets import MessageLabel, heading, hint

# Call languages (taxonomy "call_languages") whose script texts go by another name.
SCRIPT_LANGUAGE = {"uz": "uz_Latn"}
# (background, text) per risk level: calm grey to alarm red.
LEVEL_COLOURS = {
    "none": ("#eceff1", "#263238"),
    "low": ("#e3f2e6", "#1b5e20"),
    "medium": ("#fff3cd", "#6d4c00"),
    "high": ("#ffe0c2", "#8a3100"),
    "urgent": ("#c62828", "#ffffff"),
}
BANNER_STYLE = (
    "QFrame#urgentBanner { background: #b71c1c; border: 2px solid #7f0000; border-radius: 4px; }"
    " QFrame#urgentBanner QLabel { color: #ffffff; }"
)


def script_language(call_language: str | None) -> str | None:
    """The script text language for a call language; None if scripts have no such text."""
    if not call_language:
        return None
    code = SCRIPT_LANGUAGE.get(call_language, call_language)
    return code if code in LANGUAGES else None


@dataclass
class _Sheet:
    """One script being answered in this call (the version stays for an old call)."""

    script: Script
    answers: dict[str, Any] = field(default_factory=dict)
    stored: bool = False  # the contact already carries a screening with this script


class ScreeningPanel(QWidget):
    """``changed`` after every answer or script choice (not while a contact is loaded)."""

    changed = Signal()
    # The first suggested service type: open the directory filtered by it.
    find_services_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.contact: Contact | None = None
        self.read_only = False
        self.call_language: str | None = None
        self.sheets: dict[str, _Sheet] = {}
        self.sheet: _Sheet | None = None
        self.result: Result | None = None
        self.views: dict[str, QuestionView] = {}
        self.section_labels: list[tuple[QLabel, str]] = []
        self.setMinimumWidth(340)

        self.banner = QFrame(self)
        self.banner.setObjectName("urgentBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner_title = heading(self.banner, scale=1.3)
        self.banner_text = QLabel(self.banner)
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner_column = QVBoxLayout(self.banner)
        banner_column.setContentsMargins(10, 8, 10, 10)
        banner_column.addWidget(self.banner_title)
        banner_column.addWidget(self.banner_text)
        self.banner.hide()

        self.script_label = QLabel(self)
        self.script_combo = QComboBox(self)
        self.script_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.script_combo.setMinimumContentsLength(16)
        self.script_label.setBuddy(self.script_combo)
        picker = QHBoxLayout()
        picker.addWidget(self.script_label)
        picker.addWidget(self.script_combo, 1)
        self.message = MessageLabel(self)

        self.level_label = heading(self, scale=1.25)
        self.level_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.level_label.setMargin(6)

        self.questions = QWidget()
        self.questions_column = QVBoxLayout(self.questions)
        self.questions_column.setContentsMargins(0, 0, 4, 0)
        self.empty_hint = hint(self.questions)
        self.questions_column.addWidget(self.empty_hint)
        self.questions_column.addStretch(1)
        self.question_scroll = QScrollArea(self)
        self.question_scroll.setWidgetResizable(True)
        self.question_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.question_scroll.setWidget(self.questions)

        details = QWidget()
        self.reasons_title = self._title(details)
        self.reasons_text = self._list_label(details)
        self.signs_title = self._title(details)
        self.signs_text = self._list_label(details)
        self.actions_title = self._title(details)
        self.actions_text = self._list_label(details)
        self.services_title = self._title(details)
        self.services_text = self._list_label(details)
        self.find_services_button = QPushButton(details)
        self.find_services_button.setAutoDefault(False)
        self.find_services_button.clicked.connect(self._find_services)
        details_column = QVBoxLayout(details)
        details_column.setContentsMargins(0, 4, 4, 0)
        for widget in (
            self.reasons_title, self.reasons_text, self.signs_title, self.signs_text,
            self.actions_title, self.actions_text, self.services_title, self.services_text,
            self.find_services_button,
        ):  # fmt: skip
            details_column.addWidget(widget)
        details_column.addStretch(1)
        self.details_scroll = QScrollArea(self)
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.details_scroll.setWidget(details)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.question_scroll)
        self.splitter.addWidget(self.details_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([540, 200])  # the questions get most of the height

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.banner)
        layout.addLayout(picker)
        layout.addWidget(self.message)
        layout.addWidget(self.level_label)
        layout.addWidget(self.splitter, 1)

        self.script_combo.currentIndexChanged.connect(self._script_chosen)
        self.retranslate()

    @staticmethod
    def _title(parent: QWidget) -> QLabel:
        label = QLabel(parent)
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        return label

    @staticmethod
    def _list_label(parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # -- the call form's side --------------------------------------------------------
    def set_contact(self, contact: Contact, *, read_only: bool = False) -> None:
        """Show ``contact``'s screenings; read-only shows them with their own script
        versions and allows no change."""
        self.contact = contact
        self.read_only = read_only
        self.call_language = contact.call_language
        self.sheets = {}
        self.message.clear_message()
        for item in contact.screenings:
            try:
                script = screening.get_script(self.session, item.script_id, item.script_version)
            except KnownError as error:
                self.message.show_error(str(error))
                continue
            self.sheets[script.id] = _Sheet(script, dict(item.answers), stored=True)
        shown = contact.screenings[-1].script_id if contact.screenings else None
        if shown not in self.sheets:
            shown = None
        self._fill_scripts(shown)
        self.script_combo.setEnabled(not read_only)
        self._show_sheet(self.sheets.get(shown) if shown else None)

    def set_call_language(self, call_language: str | None) -> None:
        """The form's language field changed: show the questions in that language too."""
        self.call_language = call_language
        self._relabel()

    def apply_to(self, contact: Contact) -> Contact:
        """``contact`` with this panel's screenings (answers, level, flags); not saved."""
        if self.read_only:
            return contact
        for sheet in self.sheets.values():
            answers = {k: v for k, v in sheet.answers.items() if v is not None}
            if answers or sheet.stored:
                contact, _result = screening.screen(contact, sheet.script, answers)
        return contact

    # -- scripts ---------------------------------------------------------------------
    def _fill_scripts(self, selected: str | None = None) -> None:
        """Current versions for new screenings, plus the versions this call already uses."""
        combo = self.script_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("Choose a screening script"), None)
        language = current_language()
        titles: dict[str, str] = {}
        try:
            for info in screening.available(self.session):
                if info.current:
                    titles[info.id] = screening.get_script(
                        self.session, info.id, info.version
                    ).title.get_text(language)
        except KnownError as error:
            self.message.show_error(str(error))
        for sheet in self.sheets.values():  # an old version keeps its own title
            titles[sheet.script.id] = sheet.script.title.get_text(language)
        for script_id, title in sorted(titles.items(), key=lambda item: item[1]):
            combo.addItem(title, script_id)
        index = combo.findData(selected) if selected else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def choose_script(self, script_id: str) -> None:
        index = self.script_combo.findData(script_id)
        if index < 0:
            raise KeyError(script_id)
        self.script_combo.setCurrentIndex(index)

    def _script_chosen(self) -> None:
        script_id = self.script_combo.currentData()
        if not isinstance(script_id, str):
            self._show_sheet(None)
            return
        sheet = self.sheets.get(script_id)
        if sheet is None:
            try:
                sheet = _Sheet(screening.get_script(self.session, script_id))
            except KnownError as error:
                self.message.show_error(str(error))
                return
            self.sheets[script_id] = sheet
        self._show_sheet(sheet)
        self.changed.emit()

    def _show_sheet(self, sheet: _Sheet | None) -> None:
        """Build the question widgets of ``sheet``'s script."""
        self.sheet = sheet
        for view in self.views.values():
            view.hide()
            view.deleteLater()
        for label, _section in self.section_labels:
            label.hide()
            label.deleteLater()
        self.views = {}
        self.section_labels = []
        column = self.questions_column
        position = 1  # after the hint, before the stretch
        if sheet is not None:
            for section in sheet.script.sections:
                label = heading(self.questions, scale=1.1)
                column.insertWidget(position, label)
                position += 1
                self.section_labels.append((label, section.id))
                for question in section.questions:
                    view = QuestionView(question, self.questions)
                    view.set_value(sheet.answers.get(question.id))
                    view.set_read_only(self.read_only)
                    view.answered.connect(lambda q=question.id: self._answered(q))
                    column.insertWidget(position, view)
                    position += 1
                    self.views[question.id] = view
        self._relabel()
        self._evaluate()

    # -- answering -------------------------------------------------------------------
    def _answered(self, question_id: str) -> None:
        if self.sheet is None or self.read_only:
            return
        self.sheet.answers[question_id] = self.views[question_id].value()
        self._evaluate()
        self.changed.emit()

    def _evaluate(self) -> None:
        sheet = self.sheet
        self.result = None
        if sheet is not None:
            answers = {k: v for k, v in sheet.answers.items() if v is not None}
            try:
                self.result = evaluate(sheet.script, answers)
            except KnownError as error:
                self.message.show_error(str(error))
        visible = set(self.result.visible) if self.result else set()
        for question_id, view in self.views.items():
            view.setVisible(question_id in visible)
        self._show_result()

    def _find_services(self) -> None:
        if self.result is not None and self.result.services:
            self.find_services_requested.emit(self.result.services[0])

    @property
    def level(self) -> str | None:
        return self.result.level if self.result else None

    # -- texts -----------------------------------------------------------------------
    def retranslate(self) -> None:
        """After a language change: every text, script titles included."""
        selected = self.script_combo.currentData()
        self._fill_scripts(selected if isinstance(selected, str) else None)
        self._relabel()

    def _relabel(self) -> None:
        language = current_language()
        self.script_label.setText(_("Screening:"))
        self.script_combo.setItemText(0, _("Choose a screening script"))
        self.empty_hint.setText(
            _("Choose a screening script to see its questions.") if self.sheet is None else ""
        )
        self.empty_hint.setVisible(self.sheet is None)
        spoken = script_language(self.call_language)
        for view in self.views.values():
            view.retranslate(language, spoken)
        if self.sheet is not None:
            titles = {s.id: s.title for s in self.sheet.script.sections}
            for label, section_id in self.section_labels:
                label.setText(titles[section_id].get_text(language))
        self.reasons_title.setText(_("Reasons"))
        self.signs_title.setText(_("Warning signs found"))
        self.actions_title.setText(_("Suggested actions"))
        self.services_title.setText(_("Services to refer to"))
        self.find_services_button.setText(_("Find services…"))
        self.find_services_button.setToolTip(
            _("Open the referral directory filtered by the first suggested service")
        )
        self._show_result()

    def _immediate_steps(self) -> list[Text]:
        """The actions of the urgent rules that fired: the banner's steps."""
        result, sheet = self.result, self.sheet
        if result is None or sheet is None or not result.urgent:
            return []
        fired = [r.text for r in result.reasons if r.level == "urgent"]
        steps: list[Text] = []
        for rule in sheet.script.rules:
            if rule.level == "urgent" and any(rule.reason is text for text in fired):
                steps.extend(a for a in rule.actions if a not in steps)
        return steps

    def _show_result(self) -> None:
        language = current_language()
        result = self.result
        level = result.level if result else "none"
        background, colour = LEVEL_COLOURS.get(level, LEVEL_COLOURS["none"])
        self.level_label.setStyleSheet(
            f"QLabel {{ background: {background}; color: {colour}; border-radius: 4px; }}"
        )
        self.level_label.setText(taxonomy().label("risk_levels", level))
        self.level_label.setVisible(result is not None and not result.urgent)
        reasons = [reason_text(r, language) for r in result.reasons] if result else []
        signs = [i.text.get_text(language) for i in result.indicators] if result else []
        immediate = self._immediate_steps()
        actions = (
            [a.get_text(language) for a in result.actions if a not in immediate] if result else []
        )
        services = (
            [taxonomy().label("service_types", code) for code in result.services] if result else []
        )
        urgent = result is not None and result.urgent
        for title, label, lines in (
            (self.reasons_title, self.reasons_text, reasons),
            (self.signs_title, self.signs_text, signs),
            (self.actions_title, self.actions_text, actions),
            (self.services_title, self.services_text, services),
        ):
            label.setText("\n".join(f"• {line}" for line in lines))
            title.setVisible(bool(lines))
            label.setVisible(bool(lines))
        self.find_services_button.setVisible(bool(services))
        self.banner.setVisible(urgent)
        if result is not None and urgent:
            self.banner_title.setText(taxonomy().label("risk_levels", "urgent"))
            urgent_reasons = [
                reason_text(r, language) for r in result.reasons if r.level == "urgent"
            ]
            steps = [f"{n}. {a.get_text(language)}" for n, a in enumerate(immediate, 1)]
            self.banner_text.setText("\n".join([*urgent_reasons, *steps]))
