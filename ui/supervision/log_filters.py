"""The call log's filters: a period, search words, and one choice per field ("All …"
first); ``current()`` gives the ``CallLogFilter`` they describe. The source (here, or a
hotline whose batches were imported) shows only where records came from elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hotline import clock
from hotline.formatting import country_choices
from hotline.i18n import N_, _
from hotline.model.call_log import CallLogFilter, ReviewState, ShareConsent
from hotline.model.statistics import Period
from hotline.taxonomy import taxonomy
from ui.calls.flow_layout import FlowLayout
from ui.supervision.period_picker import PeriodPicker

ALL = ""
# (attribute, first choice, tooltip)
COMBOS: tuple[tuple[str, str, str], ...] = (
    ("operator", N_("All operators"), N_("Operator")),
    ("call_type", N_("All call types"), N_("Call type")),
    ("topic", N_("All topics"), N_("Topic")),
    ("risk_level", N_("All risk levels"), N_("Risk level")),
    ("language", N_("All languages"), N_("Language of the call")),
    ("country", N_("All countries"), N_("Caller's country")),
    ("consent", N_("Any consent to share"), N_("Consent to share with the coordinating NGO")),
    ("review", N_("Reviewed or not"), N_("Review")),
    ("source", N_("All sources"), N_("Where the call was recorded: here or at a hotline")),
)
CONSENT_CHOICES = (
    (ShareConsent.GIVEN, N_("Sharing agreed")),
    (ShareConsent.REFUSED, N_("Sharing refused")),
    (ShareConsent.NOT_ASKED, N_("Sharing not asked")),
)
REVIEW_CHOICES = (
    (ReviewState.NOT_REVIEWED, N_("Not reviewed")),
    (ReviewState.REVIEWED, N_("Reviewed")),
)
SEARCH_DELAY_MS = 400


class LogFilters(QWidget):
    """``changed`` fires (once, shortly after typing stops) whenever the filter changes."""

    changed = Signal()

    def __init__(
        self,
        operators: list[str],
        parent: QWidget | None = None,
        *,
        sources: Callable[[], list[tuple[str, str]]] | None = None,
    ) -> None:
        """``sources`` gives the sources as (id, label) in the interface language (see
        ``hotline.services.coordinator.sources``); asked again when the language changes."""
        super().__init__(parent)
        self.operators = operators
        self.sources = sources
        self.period = PeriodPicker(self)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.combos: dict[str, QComboBox] = {}
        for name, _first, _tip in COMBOS:
            box = QComboBox(self)
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(14)
            self.combos[name] = box
        self.region = QLineEdit(self)
        self.region.setMaximumWidth(160)
        self.follow_up_due = QCheckBox(self)
        self.clear_button = QPushButton(self)
        self.clear_button.clicked.connect(self.clear)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.period)
        top.addWidget(self.search, 1)
        fields = FlowLayout(spacing=6)
        for box in self.combos.values():
            fields.addWidget(box)
        fields.addWidget(self.region)
        fields.addWidget(self.follow_up_due)
        fields.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(fields)

        self.delay = QTimer(self)
        self.delay.setSingleShot(True)
        self.delay.setInterval(SEARCH_DELAY_MS)
        self.delay.timeout.connect(self.changed)
        self.period.changed.connect(self.changed)
        self.search.textChanged.connect(self.delay.start)
        self.search.returnPressed.connect(self._now)
        self.region.textChanged.connect(self.delay.start)
        for box in self.combos.values():
            box.currentIndexChanged.connect(self.changed)
        self.follow_up_due.toggled.connect(self.changed)
        self.retranslate()

    def _now(self) -> None:
        self.delay.stop()
        self.changed.emit()

    # -- choices -------------------------------------------------------------------
    def _fill(self, name: str, items: list[tuple[str, str]]) -> None:
        box = self.combos[name]
        current = box.currentData()
        first = next(_(f) for n, f, _t in COMBOS if n == name)
        box.blockSignals(True)
        box.clear()
        box.addItem(first, ALL)
        for code, text in items:
            box.addItem(text, code)
        box.setCurrentIndex(max(box.findData(current), 0))
        box.blockSignals(False)
        # The box is as wide as its "all" choice (which says what it filters), within limits;
        # its list opens as wide as its longest entry.
        box.setMinimumContentsLength(max(14, min(30, len(first))))
        box.view().setMinimumWidth(box.view().sizeHintForColumn(0) + 24)

    def _terms(self, list_name: str) -> list[tuple[str, str]]:
        return [(t.code, t.text) for t in taxonomy().terms(list_name)]

    def _topics(self) -> list[tuple[str, str]]:
        items = []
        for term in taxonomy().terms("topics"):
            indent = "    " if term.parent else ""
            items.append((term.code, indent + term.text))
        return items

    def retranslate(self) -> None:
        self.period.retranslate()
        self.search.setPlaceholderText(_("Search summaries and notes (3 letters or more)"))
        self._fill("operator", [(name, name) for name in self.operators])
        self._fill("call_type", self._terms("call_types"))
        self._fill("topic", self._topics())
        self._fill("risk_level", self._terms("risk_levels"))
        self._fill("language", self._terms("call_languages"))
        self._fill("country", list(country_choices()))
        self._fill("consent", [(code.value, _(text)) for code, text in CONSENT_CHOICES])
        self._fill("review", [(code.value, _(text)) for code, text in REVIEW_CHOICES])
        sources = [] if self.sources is None else self.sources()
        self._fill("source", sources)
        # Only this installation's records: nothing to choose.
        self.combos["source"].setVisible(len(sources) > 1)
        for name, _first, tip in COMBOS:
            self.combos[name].setToolTip(_(tip))
        self.region.setPlaceholderText(_("Region"))
        self.region.setToolTip(_("Part of the caller's region, in any spelling"))
        self.follow_up_due.setText(_("Follow-up due"))
        self.clear_button.setText(_("Clear filters"))

    # -- the filter ----------------------------------------------------------------
    def _code(self, name: str) -> tuple[str, ...]:
        value = self.combos[name].currentData()
        return (value,) if isinstance(value, str) and value else ()

    def current(self) -> CallLogFilter:
        period = self.period.period()
        consent = self._code("consent")
        review = self._code("review")
        return CallLogFilter(
            since=None if period is None else period.first,
            until=None if period is None else period.last,
            operators=self._code("operator"),
            call_types=self._code("call_type"),
            topics=self._code("topic"),
            risk_levels=self._code("risk_level"),
            languages=self._code("language"),
            caller_countries=self._code("country"),
            caller_region=self.region.text().strip(),
            share_consent=ShareConsent(consent[0]) if consent else None,
            review=ReviewState(review[0]) if review else None,
            follow_up_due=self.follow_up_due.isChecked(),
            text=self.search.text().strip(),
            sources=self._code("source"),
        )

    def show_filter(self, f: CallLogFilter) -> None:
        """Set every field from ``f`` (a saved filter), then say ``changed`` once."""
        widgets: list[QWidget] = [self.period, self.search, self.region, self.follow_up_due]
        widgets += list(self.combos.values())
        for widget in widgets:
            widget.blockSignals(True)
        self.period.set_period(
            None if f.since is None else Period(f.since, f.until or clock.local_today())
        )
        self.search.setText(f.text)
        self.region.setText(f.caller_region)
        self.follow_up_due.setChecked(f.follow_up_due)
        values = {
            "operator": f.operators,
            "call_type": f.call_types,
            "topic": f.topics,
            "risk_level": f.risk_levels,
            "language": f.languages,
            "country": f.caller_countries,
            "consent": () if f.share_consent is None else (f.share_consent.value,),
            "review": () if f.review is None else (f.review.value,),
            "source": f.sources,
        }
        for name, codes in values.items():
            box = self.combos[name]
            box.setCurrentIndex(max(box.findData(codes[0]), 0) if codes else 0)
        for widget in widgets:
            widget.blockSignals(False)
        self.delay.stop()
        self.changed.emit()

    def clear(self) -> None:
        self.show_filter(CallLogFilter())
