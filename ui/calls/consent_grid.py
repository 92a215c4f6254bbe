"""Consent asked per purpose: yes, no, or not asked (yet). One row of radio buttons per
purpose; Tab moves between purposes, the arrow keys between the answers."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QRadioButton, QWidget

from hotline.i18n import N_, _
from hotline.model.contact import Consent

PURPOSES: tuple[tuple[str, str], ...] = (
    ("keep_data", N_("Keep personal data")),
    ("refer", N_("Refer to a service")),
    ("share", N_("Share with the coordinator")),
)
# Column order of the answers; the id of each button in its group.
ANSWERS: tuple[tuple[bool | None, str], ...] = (
    (True, N_("Yes")),
    (False, N_("No")),
    (None, N_("Not asked")),
)


class ConsentGrid(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(0, 1)
        self.labels: dict[str, QLabel] = {}
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[str, list[QRadioButton]] = {}
        for row, (purpose, _source) in enumerate(PURPOSES):
            label = QLabel(self)
            label.setWordWrap(True)
            group = QButtonGroup(self)
            group.setExclusive(True)
            buttons = []
            for column, _answer in enumerate(ANSWERS):
                button = QRadioButton(self)
                group.addButton(button, column)
                grid.addWidget(button, row, column + 1)
                buttons.append(button)
            buttons[-1].setChecked(True)
            label.setBuddy(buttons[0])
            grid.addWidget(label, row, 0)
            group.idToggled.connect(self._toggled)
            self.labels[purpose], self.groups[purpose], self.buttons[purpose] = (
                label,
                group,
                buttons,
            )
        self._tab_stops()
        self.retranslate()

    def retranslate(self) -> None:
        for purpose, source in PURPOSES:
            self.labels[purpose].setText(_(source))
            for button, (_value, answer) in zip(self.buttons[purpose], ANSWERS, strict=True):
                button.setText(_(answer))
                button.setAccessibleName(
                    _("%(purpose)s: %(answer)s") % {"purpose": _(source), "answer": _(answer)}
                )

    def _toggled(self, _id: int, checked: bool) -> None:
        self._tab_stops()
        if checked:
            self.edited.emit()

    def _tab_stops(self) -> None:
        """Tab stops once per purpose, on its answer; the arrow keys change the answer
        (the unchecked buttons still take the focus from a click or an arrow key)."""
        for buttons in self.buttons.values():
            for button in buttons:
                policy = (
                    Qt.FocusPolicy.StrongFocus if button.isChecked() else Qt.FocusPolicy.ClickFocus
                )
                button.setFocusPolicy(policy)

    def answer(self, purpose: str) -> bool | None:
        return ANSWERS[max(self.groups[purpose].checkedId(), 0)][0]

    def value(self) -> Consent:
        return Consent(
            keep_data=self.answer("keep_data"),
            refer=self.answer("refer"),
            share=self.answer("share"),
        )

    def set_value(self, consent: Consent) -> None:
        for purpose, _source in PURPOSES:
            wanted = getattr(consent, purpose)
            column = next(i for i, (v, _a) in enumerate(ANSWERS) if v is wanted)
            group = self.groups[purpose]
            group.blockSignals(True)
            self.buttons[purpose][column].setChecked(True)
            group.blockSignals(False)
        self._tab_stops()

    def set_read_only(self, read_only: bool) -> None:
        for buttons in self.buttons.values():
            for button in buttons:
                button.setEnabled(not read_only)
