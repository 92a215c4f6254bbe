"""Adding or changing a directory entry (supervisors and administrators)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.formatting import country_choices
from hotline.i18n import _
from hotline.model.organisation import Organisation
from hotline.services import directory
from hotline.services.session import Session
from hotline.taxonomy import taxonomy
from ui.widgets import MessageLabel, error_text


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";") if p.strip())


class CheckList(QListWidget):
    """Codes of one taxonomy list as ticks."""

    def __init__(self, list_name: str, chosen: tuple[str, ...], parent: QWidget) -> None:
        super().__init__(parent)
        self.list_name = list_name
        for term in taxonomy().terms(list_name):
            item = QListWidgetItem(term.text, self)
            item.setData(Qt.ItemDataRole.UserRole, term.code)
            item.setCheckState(
                Qt.CheckState.Checked if term.code in chosen else Qt.CheckState.Unchecked
            )
        self.setMaximumHeight(110)

    def codes(self) -> tuple[str, ...]:
        return tuple(
            str(self.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        )


class OrganisationForm(QDialog):
    def __init__(
        self, session: Session, organisation: Organisation | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.original = organisation or Organisation(id=str(uuid.uuid4()), version=0, name="")
        self.saved: Organisation | None = None
        org = self.original
        self.name = QLineEdit(org.name, self)
        self.other_names = QLineEdit("; ".join(org.other_names), self)
        self.type = QComboBox(self)
        for term in taxonomy().terms("organisation_types"):
            self.type.addItem(term.text, term.code)
        self.type.setCurrentIndex(max(self.type.findData(org.type), 0))
        self.services = CheckList("service_types", org.services, self)
        self.country = QComboBox(self)
        self.country.addItem("", None)
        for code, name in country_choices():
            self.country.addItem(name, code)
        self.country.setCurrentIndex(max(self.country.findData(org.country), 0))
        self.region = QLineEdit(org.region, self)
        self.city = QLineEdit(org.city, self)
        self.address = QLineEdit(org.address, self)
        self.phones = QLineEdit("; ".join(org.phones), self)
        self.email = QLineEdit(org.email, self)
        self.hours = QLineEdit(org.hours, self)
        self.languages = CheckList("call_languages", org.languages, self)
        self.target_groups = CheckList("target_groups", org.target_groups, self)
        self.notes = QPlainTextEdit(org.notes, self)
        self.notes.setMaximumHeight(80)
        self.source = QLineEdit(org.source, self)
        self.verified = QCheckBox(self)
        self.active = QCheckBox(self)
        self.active.setChecked(org.active)
        self.message = MessageLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        body = QWidget(self)
        body.setLayout(self.form)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.fields: list[tuple[QWidget, str]] = []
        self.resize(640, 700)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Directory entry"))
        labels = [
            (self.name, _("Name of the organisation:")),
            (self.other_names, _("Other names (separated by ;):")),
            (self.type, _("Type:")),
            (self.services, _("Services:")),
            (self.country, _("Country:")),
            (self.region, _("Region:")),
            (self.city, _("City or town:")),
            (self.address, _("Address:")),
            (self.phones, _("Phones (separated by ;):")),
            (self.email, _("E-mail:")),
            (self.hours, _("Opening hours:")),
            (self.languages, _("Languages spoken:")),
            (self.target_groups, _("For whom:")),
            (self.notes, _("Notes:")),
            (self.source, _("Source:")),
            (self.verified, ""),
            (self.active, ""),
        ]
        while self.form.rowCount():
            self.form.takeRow(0)
        for widget, label in labels:
            if label:
                self.form.addRow(label, widget)
            else:
                self.form.addRow(widget)
        self.verified.setText(_("I checked these details today"))
        self.active.setText(_("Active (offered for referrals)"))

    def values(self) -> Organisation:
        org = replace(
            self.original,
            name=self.name.text(),
            other_names=_split(self.other_names.text()),
            type=str(self.type.currentData()),
            services=self.services.codes(),
            country=self.country.currentData(),
            region=self.region.text().strip(),
            city=self.city.text().strip(),
            address=self.address.text().strip(),
            phones=_split(self.phones.text()),
            email=self.email.text().strip(),
            hours=self.hours.text().strip(),
            languages=self.languages.codes(),
            target_groups=self.target_groups.codes(),
            notes=self.notes.toPlainText().strip(),
            source=self.source.text().strip(),
            active=self.active.isChecked(),
        )
        if self.verified.isChecked():
            org = replace(
                org,
                verified_on=dt.date.today().isoformat(),
                verified_by=self.session.user.username,
                historical=False,
            )
        return org

    def save(self) -> None:
        try:
            self.saved = directory.save(self.session, self.values())
        except KnownError as error:
            self.message.show_error(error_text(error))
            return
        self.accept()
