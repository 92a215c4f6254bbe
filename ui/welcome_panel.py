"""The main window's home panel: which hotline this is and who is signed in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from hotline.formatting import country_name
from hotline.i18n import _
from hotline.services.session import Session
from ui.widgets import heading, hint


class WelcomePanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.card = QFrame(self)
        self.card.setObjectName("welcomeCard")
        self.card.setStyleSheet(
            "QFrame#welcomeCard { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 8px; }"
        )
        self.card.setMaximumWidth(760)
        self.organisation = heading(self.card, scale=2.0)
        self.organisation.setTextFormat(Qt.TextFormat.PlainText)
        self.place = heading(self.card, scale=1.25, bold=False)
        self.place.setTextFormat(Qt.TextFormat.PlainText)
        self.code = hint(self.card)
        self.code.setTextFormat(Qt.TextFormat.PlainText)

        self.user_label, self.user_value = QLabel(self.card), QLabel(self.card)
        self.role_label, self.role_value = QLabel(self.card), QLabel(self.card)
        for value in (self.user_value, self.role_value):
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
        people = QFormLayout()
        people.setHorizontalSpacing(16)
        people.setVerticalSpacing(8)
        people.addRow(self.user_label, self.user_value)
        people.addRow(self.role_label, self.role_value)

        line = QFrame(self.card)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        inner = QVBoxLayout(self.card)
        inner.setContentsMargins(40, 32, 40, 32)
        inner.setSpacing(10)
        inner.addWidget(self.organisation)
        inner.addWidget(self.place)
        inner.addWidget(self.code)
        inner.addSpacing(12)
        inner.addWidget(line)
        inner.addSpacing(12)
        inner.addLayout(people)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card, 3)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        inst, user = self.session.installation, self.session.user
        self.organisation.setText(inst.org_name)
        self.place.setText(
            _("%(site)s, %(country)s")
            % {"site": inst.site_name, "country": country_name(inst.country)}
        )
        self.code.setText(_("Organisation code: %(code)s") % {"code": inst.org_code})
        self.user_label.setText(_("Signed in as:"))
        if user.display_name and user.display_name != user.username:
            shown = _("%(full_name)s (%(username)s)") % {
                "full_name": user.display_name,
                "username": user.username,
            }
        else:
            shown = user.username
        self.user_value.setText(shown)
        self.role_label.setText(_("Role:"))
        self.role_value.setText(user.role.label)
