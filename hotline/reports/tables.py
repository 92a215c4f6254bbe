"""Statistics as plain tables (title, translated headers, rows of text and numbers) for the
spreadsheet exports and the ``hotline stats`` text output."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hotline.formatting import format_date, format_number
from hotline.i18n import _
from hotline.model.statistics import Breakdown, Cell, CrossTab, Dimension, Period, Summary
from hotline.reports.spreadsheet import CellValue
from hotline.services.statistics import Comparison
from hotline.statistics_labels import codes_in_order, label

# Row dimensions under which one contact (or case) may count in several rows: their rows
# cannot be added up, so a cross table of them gets no total row.
SEVERAL_PER_CONTACT = frozenset(
    {
        Dimension.TOPIC,
        Dimension.SUBTOPIC,
        Dimension.EXPLOITATION_TYPE,
        Dimension.DESTINATION_COUNTRY,
    }
)


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[CellValue, ...], ...]


def share(count: int, total: int) -> float | None:
    """Per cent of ``total``, one decimal; None when there is nothing to share."""
    return round(100 * count / total, 1) if total else None


def _in_taxonomy_order(dimension: Dimension, codes: Sequence[str | None]) -> list[str | None]:
    order = codes_in_order(dimension)
    if not order:
        return list(codes)
    rank = {code: i for i, code in enumerate(order)}
    return sorted(codes, key=lambda c: (c is None, rank.get(c or "", len(rank))))


def ordered_cells(breakdown: Breakdown) -> list[Cell]:
    """Most frequent first, except where the taxonomy's order means something (age bands
    young to old, risk levels low to high) and for periods (time order); "not recorded"
    last. Tables, charts, the PDF and the dashboard all show this order."""
    cells = list(breakdown.cells)
    if breakdown.dimension.is_period:
        return cells
    if codes_in_order(breakdown.dimension):
        by_code = {c.code: c for c in cells}
        codes = _in_taxonomy_order(breakdown.dimension, [c.code for c in cells])
        return [by_code[code] for code in codes]
    return sorted(cells, key=lambda c: (c.code is None, -c.count, c.code or ""))


def breakdown_table(breakdown: Breakdown) -> Table:
    dimension = breakdown.dimension
    rows: list[tuple[CellValue, ...]] = [
        (label(dimension, c.code), c.count, share(c.count, breakdown.total))
        for c in ordered_cells(breakdown)
    ]
    rows.append((_("Total"), breakdown.total, share(breakdown.total, breakdown.total)))
    return Table(dimension.heading, (dimension.heading, _("Count"), _("Share (%)")), tuple(rows))


def crosstab_table(crosstab: CrossTab) -> Table:
    """Rows × columns with a total per row, and a total row where rows add up."""
    row_dim, column_dim = crosstab.rows, crosstab.columns
    columns = _in_taxonomy_order(column_dim, crosstab.column_codes())
    row_codes = _in_taxonomy_order(row_dim, crosstab.row_codes())
    if not codes_in_order(row_dim) and not row_dim.is_period:
        row_codes.sort(key=lambda r: (r is None, -sum(crosstab.get(r, c) for c in columns)))
    rows: list[tuple[CellValue, ...]] = []
    for row in row_codes:
        counts = [crosstab.get(row, c) for c in columns]
        rows.append((label(row_dim, row), *counts, sum(counts)))
    if row_dim not in SEVERAL_PER_CONTACT:
        totals = [sum(crosstab.get(r, c) for r in row_codes) for c in columns]
        rows.append((_("Total"), *totals, sum(totals)))
    title = _("%(rows)s by %(columns)s") % {"rows": row_dim.heading, "columns": column_dim.heading}
    headers = (row_dim.heading, *(label(column_dim, c) for c in columns), _("Total"))
    return Table(title, headers, tuple(rows))


def period_label(period: Period) -> str:
    return _("%(first)s – %(last)s") % {
        "first": format_date(period.first, "short"),
        "last": format_date(period.last, "short"),
    }


def comparison_table(comparison: Comparison) -> Table:
    dimension = comparison.dimension
    rows: list[tuple[CellValue, ...]] = []
    for code, first, second in comparison.rows:
        rows.append((label(dimension, code), first, second, second - first, _change(first, second)))
    first_total, second_total = comparison.totals
    rows.append(
        (
            _("Total"),
            first_total,
            second_total,
            second_total - first_total,
            _change(first_total, second_total),
        )
    )
    headers = (
        dimension.heading,
        period_label(comparison.first),
        period_label(comparison.second),
        _("Change"),
        _("Change (%)"),
    )
    title = _("%(dimension)s: two periods compared") % {"dimension": dimension.heading}
    return Table(title, headers, tuple(rows))


def _change(first: int, second: int) -> float | None:
    return round(100 * (second - first) / first, 1) if first else None


def summary_table(summary: Summary) -> Table:
    figures: tuple[tuple[str, int], ...] = (
        (_("Contacts"), summary.contacts),
        (_("Contacts with caller data (not silent, prank, test…)"), summary.data_contacts),
        (_("Callers (different phone numbers)"), summary.callers),
        (_("Callers who called more than once"), summary.repeat_callers),
        (_("Contacts from those callers"), summary.repeat_contacts),
        (_("High or urgent risk"), summary.high_risk),
        (_("Referrals"), summary.referrals),
        (_("Reviewed calls"), summary.reviewed),
        (_("Follow-ups planned"), summary.follow_ups),
        (_("Follow-ups done on time"), summary.follow_ups_on_time),
        (_("Follow-ups done late"), summary.follow_ups_late),
        (_("Follow-ups overdue"), summary.follow_ups_overdue),
        (_("Follow-ups still open"), summary.follow_ups_open),
    )
    return Table(_("Summary"), (_("Figure"), _("Count")), tuple(figures))


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return format_number(value)
    return value


def plain_text(tables: Iterable[Table]) -> str:
    """Tables as aligned text: the first column to the left, numbers to the right."""
    blocks = []
    for table in tables:
        lines = [table.title, "=" * len(table.title)]
        cells = [list(table.headers)] + [[_text(v) for v in row] for row in table.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(table.headers))]
        for row in cells:
            parts = [row[0].ljust(widths[0])]
            parts += [text.rjust(width) for text, width in zip(row[1:], widths[1:], strict=True)]
            lines.append("  ".join(parts).rstrip())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
