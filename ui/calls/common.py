"""Small helpers shared by the call windows: code-list combos, local times, field names."""

from __future__ import annotations

import datetime as dt

from babel.lists import format_list
from PySide6.QtWidgets import QComboBox, QDateEdit, QWidget

from hotline.formatting import babel_locale, country_choices, format_datetime, format_time
from hotline.i18n import N_, _, current_language
from hotline.taxonomy import taxonomy


def local(value: dt.datetime) -> dt.datetime:
    """Stored times are UTC; people read them in the computer's own time zone."""
    return value.astimezone()


def when(value: dt.datetime, *, today_as_time: bool = True) -> str:
    """'14:05' for today, a short date and time otherwise."""
    shown = local(value)
    if today_as_time and shown.date() == dt.datetime.now().astimezone().date():
        return format_time(shown, "short")
    return format_datetime(shown, "short")


def stamp(text: str) -> str:
    """An ISO time stored by the core (``saved_at``, ``updated_at``) in local time."""
    try:
        return when(dt.datetime.fromisoformat(text), today_as_time=False)
    except ValueError:
        return text


def start_of_today() -> dt.datetime:
    now = dt.datetime.now().astimezone()
    return now.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


def date_format() -> str:
    """The short date pattern of the current language for Qt's date fields (CLDR's
    pattern, with the year in full: a date typed by hand should be unambiguous)."""
    pattern = str(babel_locale(current_language()).date_formats["short"].pattern)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy") if "yy" in pattern else pattern.replace("y", "yyyy")
    return pattern.replace("'", "")


def join(items: list[str]) -> str:
    """'Notes, Topics and Consent' in the current language (CLDR list patterns)."""
    if not items:
        return ""
    return format_list(items, style="standard", locale=babel_locale(current_language()))


class DateField(QDateEdit):
    """A date field that Tab leaves (Qt's own moves between day, month and year; the
    arrow keys and typing do that here)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt override)
        return QWidget.focusNextPrevChild(self, forward)


def combo(parent: QWidget | None = None) -> QComboBox:
    box = QComboBox(parent)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)
    return box


def _keep_selection(box: QComboBox, fill: list[tuple[str | None, str]]) -> None:
    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    for code, text in fill:
        box.addItem(text, code)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    box.blockSignals(False)


def fill_terms(box: QComboBox, list_name: str, *, blank: bool = True) -> None:
    """(Re)fill ``box`` with a code list's translated labels, keeping the chosen code.
    ``blank`` puts an empty first choice: not asked, not known."""
    items: list[tuple[str | None, str]] = [(None, "")] if blank else []
    items += [(t.code, t.text) for t in taxonomy().terms(list_name)]
    _keep_selection(box, items)


def fill_countries(box: QComboBox) -> None:
    """Every country, the region first (KG KZ UZ TJ TM RU …), names from CLDR."""
    _keep_selection(box, [(None, ""), *country_choices()])


def choose(box: QComboBox, code: str | None) -> None:
    index = box.findData(code)
    box.setCurrentIndex(max(index, 0))


def chosen(box: QComboBox) -> str | None:
    value = box.currentData()
    return value if isinstance(value, str) and value else None


# The names of a contact's fields as the history shows them (never their values).
FIELD_LABELS: dict[str, str] = {
    "reference": N_("Reference"),
    "site": N_("Site"),
    "operator": N_("Operator"),
    "started_at": N_("Start of the call"),
    "ended_at": N_("End of the call"),
    "duration_seconds": N_("Duration"),
    "channel": N_("Channel"),
    "call_type": N_("Call type"),
    "caller": N_("Caller"),
    "call_language": N_("Language of the call"),
    "phone": N_("Phone number"),
    "topics": N_("Topics"),
    "summary": N_("Summary"),
    "notes": N_("Notes"),
    "actions": N_("Actions taken"),
    "consent": N_("Consent"),
    "follow_up": N_("Follow-up"),
    "minor": N_("Minor"),
    "danger": N_("Immediate danger"),
    "risk_level": N_("Risk level"),
    "case_id": N_("Case"),
}


def field_label(name: str) -> str:
    source = FIELD_LABELS.get(name)
    return _(source) if source else name


def term_label(list_name: str, code: str | None) -> str:
    """A code's translated label; codes of lists the core does not define yet (risk
    levels) are shown as they are."""
    if not code:
        return ""
    term = taxonomy().get(list_name, code)
    return term.text if term else code
