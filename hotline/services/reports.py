"""Exports for supervisors and coordinators: the filtered call list and statistics tables as
CSV or XLSX, and the statistics behind ``hotline stats``. See docs/exports.md.

A call list holds codes and short facts by default. Taxonomy values are written as labels
in the interface language, countries as ISO codes, dates and times as local ISO text.
Names, phone numbers, the caller's region and free text are added only when chosen, by a
role allowed to export identifying data. Every export is audited once, naming the format,
the number of rows and the column codes, never what the cells hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from hotline import audit
from hotline.audit import MAX_DETAIL_LENGTH, AuditAction
from hotline.errors import InvalidInput
from hotline.i18n import N_, _
from hotline.model.call_log import CallLogFilter, CallLogRow, Sort
from hotline.model.statistics import Breakdown, CrossTab, Dimension, Period, Summary
from hotline.phones import Phone, PhoneKind
from hotline.reports.spreadsheet import CellValue, StreamedSheet, stream_csv, write_csv, write_xlsx
from hotline.reports.tables import (
    Table,
    breakdown_table,
    comparison_table,
    crosstab_table,
    summary_table,
)
from hotline.roles import Action
from hotline.services import call_log, statistics
from hotline.services.session import Session
from hotline.store.repositories import contact_fields
from hotline.taxonomy import taxonomy

Format = Literal["csv", "xlsx"]
Fields = dict[str, Any]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")

# Column code → header. Codes are stable (scripts and the audit log name them).
COLUMN_TITLES: dict[str, str] = {
    "reference": N_("Reference"),
    "time": N_("Date and time"),
    "operator": N_("Operator"),
    "channel": N_("Channel"),
    "call_type": N_("Call type"),
    "topics": N_("Topics"),
    "risk": N_("Risk level"),
    "language": N_("Language of the call"),
    "sex": N_("Caller's sex"),
    "age": N_("Caller's age"),
    "country": N_("Caller's country"),
    "share_consent": N_("Consent to share"),
    "follow_up": N_("Follow-up date"),
    "follow_up_done": N_("Follow-up done"),
    "reviewed": N_("Reviewed"),
    "name": N_("Caller's name"),
    "phone": N_("Phone number"),
    "region": N_("Caller's region"),
    "summary": N_("Summary"),
    "notes": N_("Notes"),
    "follow_up_reason": N_("Reason for the follow-up"),
}
DEFAULT_COLUMNS: tuple[str, ...] = tuple(COLUMN_TITLES)[:15]
IDENTIFYING_COLUMNS: tuple[str, ...] = tuple(COLUMN_TITLES)[15:]

# Fields fetched per page beside the call-log row, for each column that needs them.
_FIELDS: dict[str, tuple[str, ...]] = {
    "channel": ("channel",),
    "sex": ("caller_sex",),
    "age": ("caller_age_band",),
    "name": ("caller_name",),
    "phone": ("phone_typed", "phone_e164", "phone_kind", "phone_country"),
    "summary": ("summary",),
    "notes": ("notes",),
    "follow_up_reason": ("follow_up_reason",),
}


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def _phone(fields: Fields) -> str:
    if not fields["phone_kind"]:
        return ""
    phone = Phone(
        fields["phone_typed"],
        fields["phone_e164"],
        PhoneKind(fields["phone_kind"]),
        fields["phone_country"],
    )
    return phone.display()


def _label(list_name: str, code: str | None) -> str:
    return taxonomy().label(list_name, code)


def _day(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


# Column code → its cell, from the call-log row and the fields fetched for its page.
_CELLS: dict[str, Callable[[CallLogRow, Fields], CellValue]] = {
    "reference": lambda row, f: row.reference,
    "time": lambda row, f: f"{row.started_at.astimezone():%Y-%m-%d %H:%M}",
    "operator": lambda row, f: row.operator,
    "channel": lambda row, f: _label("channels", f["channel"]),
    "call_type": lambda row, f: _label("call_types", row.call_type),
    "topics": lambda row, f: "; ".join(_label("topics", t) for t in row.topics),
    "risk": lambda row, f: _label("risk_levels", row.risk_level),
    "language": lambda row, f: _label("call_languages", row.call_language),
    "sex": lambda row, f: _label("sexes", f["caller_sex"]),
    "age": lambda row, f: _label("age_bands", f["caller_age_band"]),
    "country": lambda row, f: row.caller_country or "",
    "share_consent": lambda row, f: _yes_no(row.share_consent),
    "follow_up": lambda row, f: _day(row.follow_up_date),
    "follow_up_done": lambda row, f: _yes_no(row.follow_up_done) if row.follow_up_date else "",
    "reviewed": lambda row, f: _yes_no(row.reviewed),
    "name": lambda row, f: f["caller_name"],
    "phone": lambda row, f: _phone(f),
    "region": lambda row, f: row.caller_region,
    "summary": lambda row, f: f["summary"],
    "notes": lambda row, f: f["notes"],
    "follow_up_reason": lambda row, f: f["follow_up_reason"],
}


def call_list_columns(extra_columns: Sequence[str]) -> tuple[str, ...]:
    """The default columns and the chosen extra ones (in their fixed order); InvalidInput
    for a code that is not an extra column."""
    unknown = [c for c in extra_columns if c not in IDENTIFYING_COLUMNS]
    if unknown:
        raise InvalidInput(
            _("There is no extra column %(column)s; choose from: %(choices)s.")
            % {"column": unknown[0], "choices": ", ".join(IDENTIFYING_COLUMNS)}
        )
    return DEFAULT_COLUMNS + tuple(c for c in IDENTIFYING_COLUMNS if c in extra_columns)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(_("Export as CSV or XLSX, not %(format)s.") % {"format": fmt})


@dataclass
class _Counter:
    rows: int = 0


def _call_rows(
    session: Session, query: call_log.LogQuery, columns: tuple[str, ...], counter: _Counter
) -> Iterator[tuple[CellValue, ...]]:
    """Rows a page at a time: each page of the log and, in one query, its extra fields."""
    fields = tuple(dict.fromkeys(f for c in columns for f in _FIELDS.get(c, ())))
    after = None
    while True:
        page = query.page(after=after)
        extra = contact_fields.fields_of(session.db, [r.id for r in page], fields)
        for row in page:
            counter.rows += 1
            fields_of_row = extra.get(row.id, {})
            yield tuple(_CELLS[c](row, fields_of_row) for c in columns)
        if len(page) < call_log.PAGE_SIZE:
            return
        after = page[-1].sort_key


def export_call_list(
    session: Session,
    filter: CallLogFilter,
    target: Path,
    fmt: Format,
    extra_columns: tuple[str, ...] = (),
) -> int:
    """Write the calls ``filter`` selects, oldest first, to ``target``; return how many."""
    session.require(Action.EXPORT_REPORTS)
    _check_format(fmt)
    columns = call_list_columns(extra_columns)
    if len(columns) > len(DEFAULT_COLUMNS):
        session.require(Action.EXPORT_IDENTIFYING)
    query = call_log.query(session, filter, Sort("started_at", descending=False))
    counter = _Counter()
    sheet = StreamedSheet(
        _("Calls"),
        tuple(_(COLUMN_TITLES[c]) for c in columns),
        _call_rows(session, query, columns, counter),
    )
    if fmt == "csv":
        stream_csv(sheet, target)
    else:
        write_xlsx([sheet], target)
    _audit_export(session, fmt, counter.rows, columns, filter)
    return counter.rows


def export_statistics(
    session: Session,
    filter: CallLogFilter,
    target: Path,
    fmt: Format,
    dimensions: Sequence[Dimension],
) -> int:
    """The summary and one breakdown per dimension (XLSX: a sheet each). A CSV file holds
    one table: the breakdown of the one dimension given, or the summary if none is.
    Returns the number of tables written."""
    session.require(Action.EXPORT_REPORTS)
    _check_format(fmt)
    if fmt == "csv":
        if len(dimensions) > 1:
            raise InvalidInput(
                _("A CSV file holds one table: choose one dimension, or export XLSX.")
            )
        table = (
            breakdown_table(statistics.breakdown(session, filter, dimensions[0]))
            if dimensions
            else summary_table(statistics.summary(session, filter))
        )
        write_csv(table, target)
        tables = [table]
        codes: tuple[str, ...] = tuple(dimensions) or ("summary",)
    else:
        tables = [summary_table(statistics.summary(session, filter))]
        tables += [breakdown_table(statistics.breakdown(session, filter, d)) for d in dimensions]
        write_xlsx(tables, target)
        codes = ("summary", *dimensions)
    _audit_export(session, fmt, len(tables), codes, filter)
    call_log.record_search(session, filter)
    return len(tables)


def codes_detail(codes: Sequence[str]) -> str:
    """Codes joined by commas, cut to fit an audit detail ("…,+3" says how many are left
    out)."""
    joined = ",".join(codes)
    for kept in range(len(codes), -1, -1):
        text = ",".join([*codes[:kept], f"+{len(codes) - kept}"]) if kept < len(codes) else joined
        if len(text) <= MAX_DETAIL_LENGTH:
            return text
    return f"+{len(codes)}"


def _audit_export(
    session: Session, fmt: str, count: int, codes: Sequence[str], filter: CallLogFilter
) -> None:
    audit.record(
        session.db, session.user.username, AuditAction.REPORT_EXPORTED,
        format=fmt, count=count, columns=codes_detail(codes),
        period=statistics.period_text(filter),
    )  # fmt: skip


# --- statistics as tables -------------------------------------------------------------------


@dataclass(frozen=True)
class StatisticsView:
    """What ``hotline stats`` shows: the summary, then breakdowns, cross tables or
    comparisons (one kind, for the chosen dimensions)."""

    filter: CallLogFilter
    summary: Summary
    breakdowns: tuple[Breakdown, ...] = ()
    crosstabs: tuple[CrossTab, ...] = ()
    comparisons: tuple[statistics.Comparison, ...] = ()

    def tables(self) -> list[Table]:
        return [
            summary_table(self.summary),
            *(breakdown_table(b) for b in self.breakdowns),
            *(crosstab_table(c) for c in self.crosstabs),
            *(comparison_table(c) for c in self.comparisons),
        ]


def statistics_view(
    session: Session,
    filter: CallLogFilter,
    dimensions: Sequence[Dimension] = statistics.DASHBOARD_DIMENSIONS,
    *,
    split: Dimension | None = None,
    compare_with: Period | None = None,
) -> StatisticsView:
    """Breakdowns of ``dimensions``; or each split by ``split`` into a cross table; or each
    compared between the filter's period and ``compare_with``. Audited once."""
    session.require(Action.VIEW_STATISTICS)
    summary = statistics.summary(session, filter)
    if compare_with is not None:
        if filter.since is None or filter.until is None:
            raise InvalidInput(_("Give the first and the last day of the period to compare."))
        if any(d.is_period for d in dimensions):
            raise InvalidInput(_("Periods are compared by topic, type and so on, not by time."))
        first = Period(filter.since, filter.until)
        view = StatisticsView(
            filter, summary,
            comparisons=tuple(
                statistics.compare(session, filter, d, first, compare_with) for d in dimensions
            ),
        )  # fmt: skip
    elif split is not None:
        if split not in statistics.SPLIT_DIMENSIONS:
            raise InvalidInput(
                _("A table cannot be split by %(dimension)s.") % {"dimension": split.heading}
            )
        view = StatisticsView(
            filter, summary,
            crosstabs=tuple(
                statistics.crosstab(session, filter, d, split) for d in dimensions if d != split
            ),
        )  # fmt: skip
    else:
        view = StatisticsView(
            filter, summary,
            breakdowns=tuple(statistics.breakdown(session, filter, d) for d in dimensions),
        )  # fmt: skip
    statistics.record_viewed(session, filter, summary.contacts)
    return view
