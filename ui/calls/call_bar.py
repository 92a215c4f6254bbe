"""The strip above the form while a call is open: running time, channel, End call and
Save, one-click buttons for calls without a conversation, version, history and case."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _
from hotline.taxonomy import taxonomy
from ui.calls.common import combo, fill_terms
from ui.calls.flow_layout import FlowLayout

BAR_STYLE = (
    "QFrame#callBar { background: palette(alternate-base); border-bottom: 1px solid palette(mid); }"
)


class CallBar(QFrame):
    """Buttons only: ``ui.calls.call_editor.CallEditor`` decides what they do."""

    end_clicked = Signal()
    non_data_clicked = Signal(str)  # a call type code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callBar")
        self.setStyleSheet(BAR_STYLE)
        self.timer_label = QLabel("0:00", self)
        font = QFont(self.timer_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.timer_label.setFont(font)
        self.timer_label.setMinimumWidth(
            self.timer_label.fontMetrics().horizontalAdvance("0:00:00")
        )
        self.state_label = QLabel(self)
        self.channel_label = QLabel(self)
        self.channel = combo(self)
        self.channel.setSizeAdjustPolicy(self.channel.SizeAdjustPolicy.AdjustToContents)
        self.channel_label.setBuddy(self.channel)
        self.record_label = QLabel(self)
        self.record_label.setTextFormat(Qt.TextFormat.PlainText)
        self.history_button = QPushButton(self)
        self.case_button = QPushButton(self)
        self.case_menu = QMenu(self.case_button)
        self.case_button.setMenu(self.case_menu)
        self.link_case_action = self.case_menu.addAction("")
        self.new_case_action = self.case_menu.addAction("")
        self.open_case_action = self.case_menu.addAction("")
        self.refer_button = QPushButton(self)
        self.referrals_button = QPushButton(self)
        self.end_button = QPushButton(self)
        self.save_button = QPushButton(self)
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        for button in (
            self.history_button, self.case_button, self.refer_button, self.referrals_button,
            self.end_button,
        ):  # fmt: skip
            button.setAutoDefault(False)
        bold = QFont(self.save_button.font())
        bold.setBold(True)
        self.save_button.setFont(bold)

        self.no_talk_label = QLabel(self)
        self.non_data_buttons: dict[str, QPushButton] = {}
        for term in taxonomy().terms("call_types"):
            if not term.data:
                button = QPushButton(self)
                button.setAutoDefault(False)
                button.clicked.connect(
                    lambda _c=False, code=term.code: self.non_data_clicked.emit(code)
                )
                self.non_data_buttons[term.code] = button

        # The essentials on one line; the rest wraps when translations run long.
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.timer_label)
        top.addWidget(self.state_label)
        top.addSpacing(8)
        top.addWidget(self.record_label, 1)
        top.addWidget(self.end_button)
        top.addWidget(self.save_button)
        self.record_label.setWordWrap(True)
        rest = FlowLayout(spacing=6)
        channel = QWidget(self)
        channel_row = QHBoxLayout(channel)
        channel_row.setContentsMargins(0, 0, 12, 0)
        self.channel_label.setParent(channel)
        self.channel.setParent(channel)
        channel_row.addWidget(self.channel_label)
        channel_row.addWidget(self.channel)
        rest.addWidget(channel)
        rest.addWidget(self.history_button)
        rest.addWidget(self.case_button)
        rest.addWidget(self.refer_button)
        rest.addWidget(self.referrals_button)
        rest.addWidget(self.no_talk_label)
        for button in self.non_data_buttons.values():
            rest.addWidget(button)
        self.no_talk_label.setContentsMargins(12, 0, 0, 0)
        self.no_talk_label.setAlignment(Qt.AlignmentFlag.AlignVCenter)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 10, 6)
        column.setSpacing(4)
        column.addLayout(top)
        column.addLayout(rest)
        self.end_button.clicked.connect(self.end_clicked)
        self.retranslate()

    def retranslate(self) -> None:
        self.channel_label.setText(_("Channel:"))
        fill_terms(self.channel, "channels", blank=False)
        self.history_button.setText(_("Histor&y…"))
        self.history_button.setToolTip(_("Every saved version of this call: who, when, what"))
        self.link_case_action.setText(_("Add to an open case…"))
        self.new_case_action.setText(_("Open a new case from this call"))
        self.open_case_action.setText(_("Show the case…"))
        self.refer_button.setText(_("Refer…"))
        self.refer_button.setToolTip(
            _("Refer the caller to a service of the directory and save a slip for them")
        )
        self.referrals_button.setText(_("Referrals…"))
        self.referrals_button.setToolTip(_("Where this caller was referred, and what came of it"))
        self.end_button.setText(_("&End call"))
        self.save_button.setText(_("&Save"))
        self.save_button.setToolTip(_("Save the call (Ctrl+S)"))
        self.no_talk_label.setText(_("No conversation, one click:"))
        for code, button in self.non_data_buttons.items():
            term = taxonomy().get("call_types", code)
            button.setText(term.text if term else code)
            button.setToolTip(_("Record as this call type, end the call and save it"))
