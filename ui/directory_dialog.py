"""The referral directory: search organisations by text (any script), service type and
country, read an entry's details, and, from a saved call, refer the caller and save the
referral slip as a PDF.

No temporary file is ever written: the slip is rendered in memory and written only where
the operator chooses. (QtPdf is not part of PySide6-Essentials, so printing goes through
the saved PDF.)
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import KnownError
from hotline.formatting import country_choices, country_name, language_name, ui_language_choices
from hotline.i18n import UI_LANGUAGES, _, current_language, ngettext, pgettext
from hotline.model.contact import Contact
from hotline.model.organisation import Organisation, Referral
from hotline.roles import Action, allowed
from hotline.services import directory, referrals
from hotline.services.session import Session
from hotline.slips import SlipRequest, render_slip
from hotline.store.repositories import settings
from hotline.taxonomy import taxonomy
from ui.organisation_form import OrganisationForm
from ui.widgets import MessageLabel, error_text, heading, hint

# Call languages (taxonomy "call_languages") whose slip catalogue goes by another name.
SLIP_LANGUAGE = {"uz": "uz_Latn"}
HISTORICAL_COLOUR = "#8a3100"


SLIP_SIZE = "slip.size"  # installation setting: the paper the office prints on


def slip_language(call_language: str | None) -> str:
    """The slip speaks the caller's language when we have it, else the interface's."""
    code = SLIP_LANGUAGE.get(call_language or "", call_language or "")
    return code if code in UI_LANGUAGES else current_language()


def place_text(org: Organisation) -> str:
    """'Bishkek, Kyrgyzstan': the city (data) and the country's CLDR name."""
    return ", ".join(p for p in (org.city, country_name(org.country or "")) if p)


def _service_text(code: str) -> str:
    return taxonomy().label("service_types", code)


class DirectoryDialog(QDialog):
    """Browse the directory; with ``contact`` (a saved, editable call) also refer.
    ``referred`` carries the saved Referral."""

    referred = Signal(object)

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        service: str | None = None,
        contact: Contact | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.contact = contact
        self.entries: list[Organisation] = []
        self.referral: Referral | None = None
        self._referral_org: Organisation | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1100, 640)

        self.search_label = QLabel(self)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.service_label = QLabel(self)
        self.service = QComboBox(self)
        self.service_label.setBuddy(self.service)
        self.country_label = QLabel(self)
        self.country = QComboBox(self)
        self.country.setMaxVisibleItems(20)
        self.country_label.setBuddy(self.country)
        filters = QHBoxLayout()
        filters.addWidget(self.search_label)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.service_label)
        filters.addWidget(self.service, 1)
        filters.addWidget(self.country_label)
        filters.addWidget(self.country, 1)
        self.count_label = hint(self)

        self.table = QTableWidget(0, 5, self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 150)
        header.resizeSection(2, 200)
        header.resizeSection(3, 140)
        header.resizeSection(4, 150)

        self.name_label = heading(None, scale=1.2)
        self.name_label.setWordWrap(True)
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_label.setMargin(6)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setMargin(6)
        self.historical_note = QLabel()
        self.historical_note.setWordWrap(True)
        self.historical_note.setStyleSheet(f"QLabel {{ color: {HISTORICAL_COLOUR}; }}")
        self.historical_note.setMargin(6)
        pane = QWidget()
        pane_column = QVBoxLayout(pane)
        pane_column.setContentsMargins(0, 0, 0, 0)
        pane_column.addWidget(self.name_label)
        pane_column.addWidget(self.historical_note)
        pane_column.addWidget(self.details)
        pane_column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(pane)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.addWidget(self.table)
        self.split.addWidget(scroll)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        scroll.setMinimumWidth(300)
        self.split.setSizes([700, 400])

        self.message = MessageLabel(self)
        self.refer_box = QGroupBox(self)
        self.refer_service_label = QLabel(self.refer_box)
        self.refer_service = QComboBox(self.refer_box)
        self.refer_service_label.setBuddy(self.refer_service)
        self.consent_label = QLabel(self.refer_box)
        self.consent_yes = QRadioButton(self.refer_box)
        self.consent_no = QRadioButton(self.refer_box)
        self.consent_group = QButtonGroup(self)
        self.consent_group.addButton(self.consent_yes)
        self.consent_group.addButton(self.consent_no)
        self.consent_yes.setChecked(True)
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.consent_yes)
        consent_row.addWidget(self.consent_no)
        consent_row.addStretch(1)
        self.no_consent_label = QLabel(self.refer_box)
        self.no_consent_reason = QLineEdit(self.refer_box)
        self.no_consent_label.setBuddy(self.no_consent_reason)
        self.refer_button = QPushButton(self.refer_box)
        self.refer_button.setAutoDefault(False)
        self.slip_language_label = QLabel(self.refer_box)
        self.slip_language = QComboBox(self.refer_box)
        for code, name in ui_language_choices():
            self.slip_language.addItem(name, code)
        self.slip_language_label.setBuddy(self.slip_language)
        self.slip_size = QComboBox(self.refer_box)
        self.slip_size.addItem("A6", "a6")
        self.slip_size.addItem("A4/2", "a4half")
        saved_size = settings.get(self.session.db, SLIP_SIZE) or "a6"
        self.slip_size.setCurrentIndex(max(self.slip_size.findData(saved_size), 0))
        self.caller_name_box = QCheckBox(self.refer_box)
        self.phone_in_qr_box = QCheckBox(self.refer_box)
        self.save_slip_button = QPushButton(self.refer_box)
        self.save_slip_button.setAutoDefault(False)
        self.slip_hint = hint(self.refer_box)
        form = QFormLayout(self.refer_box)
        form.addRow(self.refer_service_label, self.refer_service)
        form.addRow(self.consent_label, consent_row)
        form.addRow(self.no_consent_label, self.no_consent_reason)
        slip_row = QHBoxLayout()
        slip_row.addWidget(self.refer_button)
        slip_row.addStretch(1)
        slip_row.addWidget(self.slip_language_label)
        slip_row.addWidget(self.slip_language)
        slip_row.addWidget(self.slip_size)
        slip_row.addWidget(self.save_slip_button)
        form.addRow(slip_row)
        options_row = QHBoxLayout()
        options_row.addWidget(self.caller_name_box)
        options_row.addWidget(self.phone_in_qr_box)
        options_row.addStretch(1)
        form.addRow(options_row)
        form.addRow(self.slip_hint)
        self.refer_box.setVisible(contact is not None)
        if contact is not None:
            index = self.slip_language.findData(slip_language(contact.call_language))
            self.slip_language.setCurrentIndex(max(index, 0))

        self.close_button = QPushButton(self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.new_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.form: OrganisationForm | None = None
        may_edit = allowed(self.session.user.role, Action.EDIT_DIRECTORY)
        for button in (self.new_button, self.edit_button):
            button.setAutoDefault(False)
            button.setVisible(may_edit)
            buttons.insertWidget(0, button)
        self.new_button.clicked.connect(lambda: self.open_form(None))
        self.edit_button.clicked.connect(lambda: self.open_form(self.selected()))
        self.edit_button.setEnabled(False)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.count_label)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.refer_box)
        layout.addLayout(buttons)

        self._fill_filters(service)
        self.search.textChanged.connect(self.refresh)
        self.service.currentIndexChanged.connect(self.refresh)
        self.country.currentIndexChanged.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._selected)
        self.consent_yes.toggled.connect(self._consent_changed)
        self.refer_button.clicked.connect(self.refer)
        self.save_slip_button.clicked.connect(self.save_slip)
        self.retranslate()

    # -- filters and results -----------------------------------------------------------
    def _fill_filters(self, service: str | None = None) -> None:
        chosen_service = service if service is not None else self.service.currentData()
        chosen_country = self.country.currentData()
        for box in (self.service, self.country):
            box.blockSignals(True)
            box.clear()
        self.service.addItem(_("Any service"), None)
        for term in taxonomy().terms("service_types"):
            self.service.addItem(term.text, term.code)
        self.country.addItem(_("Any country"), None)
        for code, name in country_choices():
            self.country.addItem(name, code)
        self.service.setCurrentIndex(max(self.service.findData(chosen_service), 0))
        self.country.setCurrentIndex(max(self.country.findData(chosen_country), 0))
        for box in (self.service, self.country):
            box.blockSignals(False)

    def open_form(self, organisation: Organisation | None) -> None:
        """Add (None) or change a directory entry; refresh when it was saved."""
        self.form = OrganisationForm(self.session, organisation, self)
        self.form.accepted.connect(self.refresh)
        self.form.open()

    def set_service(self, code: str | None) -> None:
        self.service.setCurrentIndex(max(self.service.findData(code), 0))

    def refresh(self) -> None:
        selected = self.selected()
        try:
            self.entries = directory.search(
                self.session,
                self.search.text(),
                service=self.service.currentData(),
                country=self.country.currentData(),
            )
        except KnownError as error:
            self.entries = []
            self.message.show_error(error_text(error))
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.entries))
        for row, org in enumerate(self.entries):
            place = place_text(org)
            status = _("historical, unverified") if org.historical else ""
            cells = (
                org.name,
                place,
                ", ".join(_service_text(s) for s in org.services),
                ", ".join(org.phones),
                status,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if org.historical and column == 4:
                    item.setForeground(Qt.GlobalColor.darkRed)
                    item.setToolTip(
                        _("From an old list (2003–2015): verify before you refer anyone.")
                    )
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self.count_label.setText(
            ngettext("%(n)d entry found", "%(n)d entries found", len(self.entries))
            % {"n": len(self.entries)}
        )
        if selected is not None:
            self.select(selected.id)
        elif self.entries:
            self.table.selectRow(0)
        self._selected()

    def selected(self) -> Organisation | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.entries):
            return None
        return self.entries[rows[0].row()]

    def select(self, organisation_id: str) -> None:
        for row, org in enumerate(self.entries):
            if org.id == organisation_id:
                self.table.selectRow(row)
                return

    def _selected(self) -> None:
        org = self.selected()
        self.edit_button.setEnabled(org is not None)
        self.historical_note.setVisible(bool(org and org.historical))
        self.historical_note.setText(
            _(
                "Historical, unverified: this entry comes from the source documents "
                "(2003–2015). Call the service to check it before you refer anyone."
            )
        )
        self.name_label.setText(org.name if org else "")
        self.name_label.setVisible(org is not None)
        self.details.setText(self._details(org) if org else "")
        self._fill_refer_services(org)

    def _details(self, org: Organisation) -> str:
        lines: list[str] = []
        if org.other_names:
            lines.append(_("Also known as: %(names)s") % {"names": "; ".join(org.other_names)})
        term = taxonomy().get("organisation_types", org.type)
        lines.append(_("Type: %(type)s") % {"type": term.text if term else org.type})
        if org.services:
            lines.append(
                _("Services: %(services)s")
                % {"services": ", ".join(_service_text(s) for s in org.services)}
            )
        place = ", ".join(
            p for p in (org.address, org.city, org.region, country_name(org.country or "")) if p
        )
        if place:
            lines.append(_("Address: %(place)s") % {"place": place})
        if org.phones:
            lines.append(_("Phone: %(phones)s") % {"phones": ", ".join(org.phones)})
        if org.email:
            lines.append(_("E-mail: %(email)s") % {"email": org.email})
        if org.hours:
            lines.append(_("Opening hours: %(hours)s") % {"hours": org.hours})
        if org.languages:
            lines.append(
                _("Languages: %(languages)s")
                % {"languages": ", ".join(language_name(code) for code in org.languages)}
            )
        if org.target_groups:
            lines.append(
                _("For: %(groups)s")
                % {
                    "groups": ", ".join(
                        taxonomy().label("target_groups", g) for g in org.target_groups
                    )
                }
            )
        if org.notes:
            lines.append(_("Notes: %(notes)s") % {"notes": org.notes})
        if org.source:
            lines.append(_("Source: %(source)s") % {"source": org.source})
        if org.verified_on:
            lines.append(_("Last verified: %(date)s") % {"date": org.verified_on})
        return "\n".join(lines)

    # -- referring ---------------------------------------------------------------------
    def _fill_refer_services(self, org: Organisation | None) -> None:
        """The services of the chosen entry; an entry that lists none offers every type
        (most seed entries do not say what they offer)."""
        current = self.refer_service.currentData()
        wanted = self.service.currentData()
        codes = org.services if org and org.services else taxonomy().codes("service_types")
        self.refer_service.clear()
        for code in codes:
            self.refer_service.addItem(_service_text(code), code)
        for choice in (current, wanted):
            index = self.refer_service.findData(choice)
            if index >= 0:
                self.refer_service.setCurrentIndex(index)
                break
        self._update_refer()

    def _consent_changed(self) -> None:
        self._update_refer()

    def _update_refer(self) -> None:
        no_consent = self.consent_no.isChecked()
        self.no_consent_label.setEnabled(no_consent)
        self.no_consent_reason.setEnabled(no_consent)
        self.refer_button.setEnabled(self.selected() is not None and self.referral is None)
        self.save_slip_button.setEnabled(self.referral is not None)
        self.slip_language.setEnabled(self.referral is not None)
        self.slip_size.setEnabled(self.referral is not None)
        self.phone_in_qr_box.setEnabled(self.referral is not None)
        # The name goes on the slip only if the caller agreed to keep personal data.
        named = (
            self.contact is not None
            and self.contact.consent.keep_data is True
            and bool(self.contact.caller.name)
        )
        self.caller_name_box.setEnabled(self.referral is not None and named)
        if not named:
            self.caller_name_box.setChecked(False)

    def refer(self) -> Referral | None:
        org = self.selected()
        if self.contact is None or org is None or self.referral is not None:
            return None
        try:
            referral = referrals.refer(
                self.session,
                self.contact.id,
                org.id,
                self.refer_service.currentData(),
                consent=self.consent_yes.isChecked(),
                no_consent_reason=self.no_consent_reason.text(),
            )
        except Exception as error:
            self.message.show_error(error_text(error))
            if self.consent_no.isChecked():
                self.no_consent_reason.setFocus()
            return None
        self.referral = referral
        self._referral_org = org
        self.message.show_info(
            _("Referral %(reference)s saved. Save the slip for the caller if they want one.")
            % {"reference": referral.reference}
        )
        self._update_refer()
        self.referred.emit(referral)
        return referral

    def slip_bytes(self) -> bytes:
        assert self.referral is not None and self._referral_org is not None
        installation = self.session.installation
        return render_slip(
            SlipRequest(
                organisation=self._referral_org,
                service=self.referral.service,
                reference=self.referral.reference,
                hotline_name=installation.org_name,
                hotline_phone=settings.get(self.session.db, "hotline.phone") or "",
                language=str(self.slip_language.currentData()),
                date=dt.date.today(),
                size=str(self.slip_size.currentData()),
                caller_name=self.contact.caller.name
                if self.contact is not None and self.caller_name_box.isChecked()
                else "",
                phone_in_qr=self.phone_in_qr_box.isChecked(),
            )
        )

    def save_slip(self) -> bool:
        """Render the slip in memory and write it only where the operator chooses."""
        if self.referral is None or self.contact is None:
            return False
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save slip as PDF"),
            f"{self.referral.reference}.pdf",
            _("PDF documents (*.pdf)"),
        )
        if not path:
            return False
        language = str(self.slip_language.currentData())
        try:
            data = self.slip_bytes()
            with open(path, "wb") as out:
                out.write(data)
            audit.record(
                self.session.db, self.session.user.username, AuditAction.RECORD_PRINTED,
                "contact", self.contact.id, format="slip", language=language,
            )  # fmt: skip
            with self.session.db.transaction():
                settings.put(self.session.db, SLIP_SIZE, str(self.slip_size.currentData()))
        except OSError as error:
            self.message.show_error(
                _("The slip could not be saved: %(problem)s") % {"problem": error.strerror}
            )
            return False
        except Exception as error:
            self.message.show_error(error_text(error))
            return False
        self.message.show_info(_("The slip was saved. Open it to print it."))
        return True

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(
            _("Refer the caller — referral directory")
            if self.contact is not None
            else _("Referral directory")
        )
        self.search_label.setText(_("&Search:"))
        self.search.setPlaceholderText(_("Name, city, other names — any script"))
        self.service_label.setText(_("Ser&vice:"))
        self.country_label.setText(_("C&ountry:"))
        self.table.setHorizontalHeaderLabels(
            [_("Name"), _("City, country"), _("Services"), _("Phones"), _("Status")]
        )
        self.refer_box.setTitle(_("Refer the caller"))
        self.refer_service_label.setText(_("Service:"))
        self.consent_label.setText(_("The caller agrees:"))
        self.consent_yes.setText(_("Yes"))
        self.consent_no.setText(_("No"))
        self.no_consent_label.setText(_("Why refer anyway:"))
        self.no_consent_reason.setPlaceholderText(
            _("Required without consent, e.g. a child in danger")
        )
        self.refer_button.setText(_("&Refer"))
        self.slip_language_label.setText(_("Slip language:"))
        self.save_slip_button.setText(_("Save slip as &PDF…"))
        self.slip_size.setToolTip(_("Paper size of the slip"))
        self.slip_size.setItemText(0, pgettext("paper size", "A6"))
        self.slip_size.setItemText(1, pgettext("paper size", "Half of A4"))
        self.caller_name_box.setText(_("Print the caller's name (the caller agreed)"))
        self.phone_in_qr_box.setText(_("Service's phone in the QR code"))
        self.slip_hint.setText(
            _(
                "The slip carries the referral reference; the caller's name only if the "
                "caller agreed and you tick it. Open the saved PDF to print it."
            )
        )
        self.close_button.setText(_("&Close"))
        self.new_button.setText(_("&New entry…"))
        self.edit_button.setText(_("&Edit entry…"))
        if self.form is not None:
            self.form.retranslate()
        self._fill_filters()
        self.refresh()
