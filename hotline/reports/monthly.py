"""The monthly report (PDF, A4): headline figures beside the previous month, contacts by
day, each main dimension as a bar chart with the table behind it, the cross tables donors
ask for, and what is counted. Words in the interface language; numbers and dates from CLDR.

Only counts from ``hotline.services.statistics`` go in: never what a caller said."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from hotline import audit, clock
from hotline.audit import AuditAction
from hotline.formatting import format_date, format_number, format_percent
from hotline.fsutil import atomic_write
from hotline.i18n import _
from hotline.model.call_log import CallLogFilter
from hotline.model.installation import Installation
from hotline.model.statistics import Breakdown, CrossTab, Dimension, Period, Summary, Unit
from hotline.reports import charts, layout
from hotline.reports.layout import STYLES, TEXT_WIDTH, grid, para
from hotline.reports.tables import SEVERAL_PER_CONTACT, crosstab_table, ordered_cells
from hotline.roles import Action
from hotline.services import call_log, statistics
from hotline.services.session import Session
from hotline.statistics_labels import label, unit_heading

MAIN_DIMENSIONS = (
    Dimension.CALL_TYPE,
    Dimension.TOPIC,
    Dimension.CALLER_SEX,
    Dimension.CALLER_AGE,
    Dimension.LANGUAGE,
    Dimension.CALLER_COUNTRY,
    Dimension.CALLER_REGION,
    Dimension.DESTINATION_COUNTRY,
    Dimension.EXPLOITATION_TYPE,
    Dimension.RISK_LEVEL,
    Dimension.REFERRAL_SERVICE,
    Dimension.REFERRAL_OUTCOME,
)
CROSS_TABLES = (
    (Dimension.TOPIC, Dimension.CALLER_SEX),
    (Dimension.TOPIC, Dimension.CALLER_AGE),
    (Dimension.CALLER_REGION, Dimension.CALLER_SEX),
)
_TOPICS = (Dimension.TOPIC, Dimension.SUBTOPIC)  # a contact may have several
MAX_BARS = 12
COLUMNS_PER_TABLE = 6  # in a cross table, beside the row labels
KEEP_WHOLE = 4  # categories: a section this short is never split across pages


@dataclass(frozen=True)
class MonthlyFigures:
    period: Period
    previous: Period
    filtered: bool  # narrowed by more than the period
    summary: Summary
    previous_summary: Summary
    series: Breakdown
    breakdowns: tuple[Breakdown, ...]
    crosstabs: tuple[CrossTab, ...]


def gather(session: Session, period: Period, filter: CallLogFilter) -> MonthlyFigures:
    """Every figure the report shows, for ``filter`` over ``period``."""
    selection = filter.with_period(period.first, period.last)
    previous = period.previous_month()
    return MonthlyFigures(
        period=period,
        previous=previous,
        filtered=not filter.with_period(None, None).empty,
        summary=statistics.summary(session, selection),
        previous_summary=statistics.summary(
            session, filter.with_period(previous.first, previous.last)
        ),
        series=statistics.breakdown(session, selection, statistics.series_dimension(selection)),
        breakdowns=tuple(statistics.breakdown(session, selection, d) for d in MAIN_DIMENSIONS),
        crosstabs=tuple(statistics.crosstab(session, selection, r, c) for r, c in CROSS_TABLES),
    )


def build_monthly_report(
    session: Session, period: Period, *, filter: CallLogFilter | None = None
) -> bytes:
    """The report as PDF bytes, built in memory; audited once (period and count only)."""
    session.require(Action.EXPORT_REPORTS)
    chosen = filter or CallLogFilter()
    figures = gather(session, period, chosen)
    words = period_words(period)
    pdf = layout.render(
        _("Monthly report"),
        _("Monthly report, %(period)s") % {"period": words},
        lambda: _story(session.installation, figures),
    )
    audit.record(
        session.db, session.user.username, AuditAction.REPORT_EXPORTED, format="pdf",
        period=statistics.period_text(chosen.with_period(period.first, period.last)),
        count=figures.summary.contacts,
    )  # fmt: skip
    call_log.record_search(session, chosen)
    return pdf


def write_monthly_report(
    session: Session, period: Period, target: Path, *, filter: CallLogFilter | None = None
) -> None:
    """Build the report and write it to ``target`` only (atomically: whole or not at all)."""
    atomic_write(target, build_monthly_report(session, period, filter=filter))


def period_words(period: Period) -> str:
    """A calendar month in words ("November 2026"); any other period by its two ends."""
    first = period.first
    if period == Period.month(first.year, first.month):
        text = label(Dimension.MONTH, f"{first:%Y-%m}")
        return text[:1].upper() + text[1:]
    return _("%(first)s – %(last)s") % {
        "first": format_date(period.first, "long"),
        "last": format_date(period.last, "long"),
    }


def _story(installation: Installation, figures: MonthlyFigures) -> list[Any]:
    story: list[Any] = [
        para(_("Monthly report"), STYLES.title),
        para(installation.org_name, STYLES.subtitle),
        para(_("Site: %(site)s") % {"site": installation.site_name}, STYLES.body),
        para(_("Period: %(period)s") % {"period": period_words(figures.period)}, STYLES.body),
        para(
            _("Generated on %(date)s") % {"date": format_date(clock.local_today(), "long")},
            STYLES.small,
        ),
    ]
    if figures.filtered:
        story.append(
            para(
                _("Only the contacts that match the chosen call-log filter are counted."),
                STYLES.small,
            )
        )
    story += _headline(figures)
    story += _series(figures)
    for found in figures.breakdowns:
        section = _dimension_section(found)
        # A short section moves whole to the next page rather than part its chart and
        # table; a long one flows (its heading stays with the chart, the table splits).
        story += [KeepTogether(section)] if len(found.cells) <= KEEP_WHOLE else section
    for table in figures.crosstabs:
        story += _crosstab_section(table)
    story.append(KeepTogether(_what_is_counted()))
    return story


def _headline(figures: MonthlyFigures) -> list[Any]:
    now, before = figures.summary, figures.previous_summary
    rows: list[tuple[str, int, int]] = [
        (_("Contacts"), now.contacts, before.contacts),
        (_("Contacts with data (not silent, prank or test calls)"),
         now.data_contacts, before.data_contacts),
        (_("Callers (different phone numbers)"), now.callers, before.callers),
        (_("Repeat callers (two or more contacts)"), now.repeat_callers, before.repeat_callers),
        (_("High or urgent risk"), now.high_risk, before.high_risk),
        (_("Referrals"), now.referrals, before.referrals),
        (_("Contacts reviewed"), now.reviewed, before.reviewed),
        (_("Follow-ups done on time"), now.follow_ups_on_time, before.follow_ups_on_time),
        (_("Follow-ups done late"), now.follow_ups_late, before.follow_ups_late),
        (_("Follow-ups overdue"), now.follow_ups_overdue, before.follow_ups_overdue),
    ]  # fmt: skip
    header = ["", period_words(figures.period), period_words(figures.previous)]
    table = grid(
        [header, *([name, format_number(a), format_number(b)] for name, a, b in rows)],
        [TEXT_WIDTH - 2 * 38 * mm, 38 * mm, 38 * mm],
    )
    return [
        para(_("Headline figures"), STYLES.heading),
        table,
        para(_("Beside each figure: the same figure for the month before."), STYLES.small),
    ]


def _series(figures: MonthlyFigures) -> list[Any]:
    series = figures.series
    title = {
        Dimension.DAY: _("Contacts by day"),
        Dimension.WEEK: _("Contacts by week"),
        Dimension.MONTH: _("Contacts by month"),
    }[series.dimension]
    parts: list[Any] = [para(title, STYLES.heading)]
    if figures.summary.contacts == 0:
        return [*parts, _nothing()]
    labels = [
        format_number(dt.date.fromisoformat(c.code).day)
        if series.dimension is Dimension.DAY and c.code
        else label(series.dimension, c.code)
        for c in series.cells
    ]
    chart = charts.column_chart(labels, [c.count for c in series.cells], TEXT_WIDTH)
    return [KeepTogether([*parts, chart])]


def _nothing() -> Any:
    return para(_("Nothing to show for this period."), STYLES.body)


def _dimension_section(found: Breakdown) -> list[Any]:
    dimension = found.dimension
    parts: list[Any] = [para(dimension.heading, STYLES.heading)]
    if found.total == 0 or not found.cells:
        return [*parts, _nothing()]
    cells = ordered_cells(found)
    shown = cells
    if len(cells) > MAX_BARS:
        largest = set(sorted(cells, key=lambda c: -c.count)[:MAX_BARS])
        shown = [c for c in cells if c in largest]
    labels = [label(dimension, c.code) for c in shown]
    parts.append(charts.bar_chart(labels, [c.count for c in shown], TEXT_WIDTH))
    parts.append(Spacer(1, 4))
    rows = [[dimension.heading, unit_heading(dimension.unit), _("Share")]]
    rows += [
        [label(dimension, c.code), format_number(c.count), format_percent(c.count / found.total)]
        for c in cells
    ]
    rows.append([_("Total"), format_number(found.total), ""])
    number = 30 * mm
    parts.append(grid(rows, [TEXT_WIDTH - 2 * number, number, number], total_row=True))
    for note in _section_notes(dimension, len(cells) > len(shown)):
        parts.append(para(note, STYLES.small))
    return parts


def _section_notes(dimension: Dimension, chart_cut: bool) -> list[str]:
    notes: list[str] = []
    if chart_cut:
        notes.append(
            _("The chart shows the %(count)d largest; the table lists all.") % {"count": MAX_BARS}
        )
    if dimension in _TOPICS:
        notes.append(
            _("A contact with several topics counts under each; the total counts it once.")
        )
    if dimension.unit is Unit.CASES:
        notes.append(_("Cases linked to the contacts of the period."))
    return notes


def _crosstab_section(table: CrossTab) -> list[Any]:
    title = _("%(rows)s × %(columns)s") % {
        "rows": table.rows.heading,
        "columns": table.columns.heading,
    }
    parts: list[Any] = [para(title, STYLES.heading)]
    if not table.counts:
        return [*parts, _nothing()]
    # The same rows, order and totals as the spreadsheet export, numbers formatted.
    shared = crosstab_table(table)
    matrix = [list(shared.headers)]
    matrix += [
        [value if isinstance(value, str) else format_number(value or 0) for value in row]
        for row in shared.rows
    ]
    summed = table.rows not in SEVERAL_PER_CONTACT
    for part in _column_groups(matrix, summed):
        parts += [part, Spacer(1, 6)]
    if not summed:
        parts.append(para(_("A contact with several topics counts under each."), STYLES.small))
    return parts


def _column_groups(matrix: list[list[str]], summed: bool) -> list[Any]:
    """The table, cut into as few side-by-side groups of columns as keep every heading
    readable (age bands: two tables of six columns), each group with the row labels."""
    figures = len(matrix[0]) - 1
    groups = math.ceil(figures / COLUMNS_PER_TABLE)
    size = math.ceil(figures / groups)
    first = 56 * mm
    width = (TEXT_WIDTH - first) / size
    return [
        grid(
            [[row[0], *row[start : start + size]] for row in matrix],
            [first, *([width] * min(size, figures + 1 - start))],
            total_row=summed,
        )
        for start in range(1, figures + 1, size)
    ]


def _what_is_counted() -> list[Any]:
    notes = [
        _("Contacts are calls, messages and visits that began in the period (local time)."),
        _(
            "Silent calls, prank calls, wrong numbers, test calls and callers who hung up "
            "carry no data: they count among all contacts and by call type only."
        ),
        _(
            "A contact with several topics counts under each of them, so the topics can add "
            "up to more than the total. Shares are of the total."
        ),
        _(
            "Countries and types of exploitation count the cases linked to the contacts; "
            "referrals count each referral made."
        ),
        _(
            "Callers are different phone numbers; a repeat caller called two or more times "
            "in the period."
        ),
        _("“Not recorded”: the operator left the field empty."),
    ]
    return [
        para(_("What is counted"), STYLES.heading),
        *(para(note, STYLES.body) for note in notes),
    ]
