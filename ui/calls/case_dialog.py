"""Cases: pick an open case for a call, and a simple editor for one case (status,
trafficking assessment, exploitation, control, perpetrators, legal qualification, route)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import KnownError
from hotline.i18n import _
from hotline.model.contact import Case, ContactSummary, RouteEvent
from hotline.roles import Action, allowed
from hotline.services import cases, contacts
from hotline.services.contacts import ListQuery
from hotline.services.session import Session
from hotline.taxonomy import taxonomy
from ui.calls.common import (
    DateField,
    choose,
    chosen,
    combo,
    date_format,
    fill_countries,
    fill_terms,
    stamp,
    term_label,
    when,
)
from ui.widgets import MessageLabel, error_text, heading

CODE = Qt.ItemDataRole.UserRole
NO_DATE = QDate(1900, 1, 1)


class CasePicker(QDialog):
    """The open cases, newest first; ``picked`` carries the chosen case's id."""

    picked = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.message = MessageLabel(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.close)
        self.table.activated.connect(self._accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.cases: list[Case] = []
        try:
            self.cases = cases.list_cases(session, open_only=True)
        except KnownError as error:
            self.message.show_error(error_text(error))
        self.resize(640, 400)
        self.retranslate()
        if self.cases:
            self.table.selectRow(0)
        self.table.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add the call to a case"))
        self.intro.setText(
            _("Open cases, newest first. Choose the case this call is about.")
            if self.cases
            else _("There are no open cases. Open a new case from the call instead.")
        )
        self.ok_button.setText(_("Add to this case"))
        self.ok_button.setEnabled(bool(self.cases))
        self.table.setHorizontalHeaderLabels(
            [_("Case"), _("Status"), _("Trafficking"), _("Opened")]
        )
        self.table.setRowCount(len(self.cases))
        for row, case in enumerate(self.cases):
            cells = (
                case.reference,
                term_label("case_statuses", case.status),
                term_label("trafficking_statuses", case.trafficking_status),
                stamp(case.opened_at),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _accept(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.cases):
            self.picked.emit(self.cases[row].id)
            self.close()


def _checklist(parent: QWidget) -> QListWidget:
    """Long labels wrap instead of running off to the right."""
    box = QListWidget(parent)
    box.setMinimumHeight(150)
    box.setWordWrap(True)
    box.setResizeMode(QListView.ResizeMode.Adjust)
    box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return box


class CaseDialog(QDialog):
    """Edit one case; each save is a new version. ``contact_requested`` asks to show one
    of the case's calls read-only."""

    contact_requested = Signal(str)

    def __init__(self, session: Session, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session = session
        self.case = case
        self.writable = allowed(session.user.role, Action.RECORD_CALLS)
        self.calls: list[ContactSummary] = []

        self.title = heading(self, scale=1.3)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.opened = QLabel(self)
        self.message = MessageLabel(self)

        self.status = combo(self)
        self.trafficking = combo(self)
        self.decided_by = combo(self)
        self.legal = QLineEdit(self)
        self.legal.setMaxLength(500)
        self.status_label, self.trafficking_label = QLabel(self), QLabel(self)
        self.decided_label, self.legal_label = QLabel(self), QLabel(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, field in (
            (self.status_label, self.status),
            (self.trafficking_label, self.trafficking),
            (self.decided_label, self.decided_by),
            (self.legal_label, self.legal),
        ):
            label.setBuddy(field)
            form.addRow(label, field)

        self.lists: dict[str, QListWidget] = {}
        self.list_boxes: dict[str, QGroupBox] = {}
        checklists = QHBoxLayout()
        for name in ("exploitation_types", "control_methods", "perpetrator_roles"):
            group = QGroupBox(self)
            box = _checklist(group)
            QVBoxLayout(group).addWidget(box)
            for term in taxonomy().terms(name):
                item = QListWidgetItem(box)
                item.setData(CODE, term.code)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                item.setCheckState(Qt.CheckState.Unchecked)
            self.lists[name] = box
            self.list_boxes[name] = group
            checklists.addWidget(group)

        self.route_box = QGroupBox(self)
        self.route = QTableWidget(0, 4, self.route_box)
        self.route.verticalHeader().hide()
        self.route.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.route.setMinimumHeight(90)
        self.route.setMaximumHeight(150)
        self.add_route = QPushButton(self.route_box)
        self.remove_route = QPushButton(self.route_box)
        for button in (self.add_route, self.remove_route):
            button.setAutoDefault(False)
        route_buttons = QHBoxLayout()
        route_buttons.addWidget(self.add_route)
        route_buttons.addWidget(self.remove_route)
        route_buttons.addStretch(1)
        column = QVBoxLayout(self.route_box)
        column.addWidget(self.route)
        column.addLayout(route_buttons)

        self.calls_box = QGroupBox(self)
        self.calls_list = _checklist(self.calls_box)
        self.calls_list.setMinimumHeight(60)
        self.calls_list.setMaximumHeight(110)
        QVBoxLayout(self.calls_box).addWidget(self.calls_list)

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.save_button.setVisible(self.writable)

        grid = QGridLayout()
        grid.addLayout(form, 0, 0)
        grid.addWidget(self.calls_box, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.opened)
        layout.addWidget(self.message)
        layout.addLayout(grid)
        layout.addLayout(checklists, 1)
        layout.addWidget(self.route_box)
        layout.setStretch(layout.count() - 1, 0)
        layout.addWidget(self.buttons)

        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        self.add_route.clicked.connect(lambda: self._add_route_row(RouteEvent("Recruitment")))
        self.remove_route.clicked.connect(self._remove_route_row)
        self.calls_list.itemActivated.connect(self._call_chosen)
        self.resize(980, 660)
        self.retranslate()
        self._show(self.case)
        self._load_calls()
        self._set_writable()

    # -- showing ---------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Case %(reference)s") % {"reference": self.case.reference})
        self.title.setText(_("Case %(reference)s") % {"reference": self.case.reference})
        self.opened.setText(_("Opened %(when)s") % {"when": stamp(self.case.opened_at)})
        self.status_label.setText(_("Case status:"))
        self.trafficking_label.setText(_("Trafficking assessment:"))
        self.decided_label.setText(_("Decided by:"))
        self.legal_label.setText(_("Legal qualification:"))
        self.legal.setPlaceholderText(_("e.g. the article of the criminal code, if a case is open"))
        fill_terms(self.status, "case_statuses", blank=False)
        fill_terms(self.trafficking, "trafficking_statuses", blank=False)
        fill_terms(self.decided_by, "deciders")
        titles = {
            "exploitation_types": _("Exploitation"),
            "control_methods": _("Means of control"),
            "perpetrator_roles": _("Perpetrators"),
        }
        for name, box in self.lists.items():
            self.list_boxes[name].setTitle(titles[name])
            for row in range(box.count()):
                item = box.item(row)
                item.setText(term_label(name, str(item.data(CODE))))
        self.route_box.setTitle(_("Route"))
        self.route.setHorizontalHeaderLabels([_("Stage"), _("Country"), _("Place"), _("Date")])
        for row in range(self.route.rowCount()):
            kind, country = self.route.cellWidget(row, 0), self.route.cellWidget(row, 1)
            if isinstance(kind, QComboBox):
                fill_terms(kind, "route_events", blank=False)
            if isinstance(country, QComboBox):
                fill_countries(country)
        self.add_route.setText(_("Add a stage"))
        self.remove_route.setText(_("Remove the stage"))
        self.calls_box.setTitle(_("Calls in this case"))
        self._show_calls()
        self.save_button.setText(_("Save the case"))

    def _show(self, case: Case) -> None:
        choose(self.status, case.status)
        choose(self.trafficking, case.trafficking_status)
        choose(self.decided_by, case.trafficking_decided_by)
        self.legal.setText(case.legal_qualification)
        chosen_codes = {
            "exploitation_types": case.exploitation_types,
            "control_methods": case.control_methods,
            "perpetrator_roles": case.perpetrator_roles,
        }
        for name, box in self.lists.items():
            for row in range(box.count()):
                item = box.item(row)
                on = item.data(CODE) in chosen_codes[name]
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.route.setRowCount(0)
        for event in case.route:
            self._add_route_row(event)

    def _add_route_row(self, event: RouteEvent) -> None:
        row = self.route.rowCount()
        self.route.insertRow(row)
        kind = combo(self.route)
        fill_terms(kind, "route_events", blank=False)
        choose(kind, event.kind)
        country = combo(self.route)
        fill_countries(country)
        choose(country, event.country)
        place = QLineEdit(event.place, self.route)
        place.setMaxLength(200)
        date = DateField(self.route)
        date.setDisplayFormat(date_format())
        date.setMinimumDate(NO_DATE)
        date.setSpecialValueText(" ")  # no date
        day = event.date
        date.setDate(NO_DATE if day is None else QDate(day.year, day.month, day.day))
        for column, widget in enumerate((kind, country, place, date)):
            widget.setEnabled(self.writable)
            self.route.setCellWidget(row, column, widget)
        self.route.resizeRowsToContents()

    def _remove_route_row(self) -> None:
        row = self.route.currentRow()
        if row < 0:
            row = self.route.rowCount() - 1
        if row >= 0:
            self.route.removeRow(row)

    def _route(self) -> tuple[RouteEvent, ...]:
        events = []
        for row in range(self.route.rowCount()):
            kind, country = self.route.cellWidget(row, 0), self.route.cellWidget(row, 1)
            place, date = self.route.cellWidget(row, 2), self.route.cellWidget(row, 3)
            assert isinstance(kind, QComboBox) and isinstance(country, QComboBox)
            assert isinstance(place, QLineEdit) and isinstance(date, QDateEdit)
            day = date.date()
            events.append(
                RouteEvent(
                    kind=chosen(kind) or "Recruitment",
                    country=chosen(country),
                    place=place.text().strip(),
                    date=None if day == NO_DATE else dt.date(day.year(), day.month(), day.day()),
                )
            )
        return tuple(events)

    def _load_calls(self) -> None:
        try:
            self.calls = contacts.list_contacts(self.session, ListQuery(case_id=self.case.id))
        except KnownError:
            self.calls = []
        self._show_calls()

    def _show_calls(self) -> None:
        self.calls_list.clear()
        for call in self.calls:
            text = _("%(when)s · %(reference)s · %(type)s") % {
                "when": when(call.started_at, today_as_time=False),
                "reference": call.reference,
                "type": term_label("call_types", call.call_type) or _("type not recorded"),
            }
            item = QListWidgetItem(text, self.calls_list)
            item.setData(CODE, call.id)

    def _call_chosen(self, item: QListWidgetItem) -> None:
        contact_id = item.data(CODE)
        if isinstance(contact_id, str):
            self.contact_requested.emit(contact_id)

    def _set_writable(self) -> None:
        for widget in (self.status, self.trafficking, self.decided_by, self.add_route,
                       self.remove_route):  # fmt: skip
            widget.setEnabled(self.writable)
        self.legal.setReadOnly(not self.writable)
        for box in self.lists.values():
            box.setEnabled(self.writable)

    # -- saving ----------------------------------------------------------------------
    def values(self) -> Case:
        def ticked(name: str) -> tuple[str, ...]:
            box = self.lists[name]
            return tuple(
                str(box.item(r).data(CODE))
                for r in range(box.count())
                if box.item(r).checkState() == Qt.CheckState.Checked
            )

        return replace(
            self.case,
            status=chosen(self.status) or self.case.status,
            trafficking_status=chosen(self.trafficking) or self.case.trafficking_status,
            trafficking_decided_by=chosen(self.decided_by),
            exploitation_types=ticked("exploitation_types"),
            control_methods=ticked("control_methods"),
            perpetrator_roles=ticked("perpetrator_roles"),
            legal_qualification=self.legal.text().strip(),
            route=self._route(),
        )

    def save(self) -> bool:
        if not self.writable:
            return False
        try:
            self.case = cases.save_case(self.session, self.values())
        except KnownError as error:
            self.message.show_error(error_text(error))
            return False
        self.message.show_info(_("Case saved (version %(n)d).") % {"n": self.case.version})
        return True
