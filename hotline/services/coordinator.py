"""The coordinator's views of the records gathered from many hotlines: where records came
from (the source filter of the call log and the statistics), and the exports in the
layouts of the standards: HTCDS columns (CSV or XLSX) and a CTDC-style k-anonymised CSV.
See docs/coordinator.md."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from hotline import audit, clock, training
from hotline.audit import AuditAction
from hotline.errors import InvalidInput
from hotline.exchange import standards
from hotline.exchange.aggregates import DEFAULT_K, MAX_K, MIN_K
from hotline.exchange.partners import SENDER, matching
from hotline.i18n import _
from hotline.model.call_log import LOCAL_SOURCE, CallLogFilter
from hotline.reports.spreadsheet import StreamedSheet, stream_csv, write_xlsx
from hotline.roles import Action
from hotline.services import call_log, statistics
from hotline.services.session import Session
from hotline.store.repositories import exchange as exchange_repo

HtcdsFormat = Literal["csv", "xlsx"]
HTCDS_FORMATS: tuple[HtcdsFormat, ...] = ("csv", "xlsx")


def sources(session: Session) -> list[tuple[str, str]]:
    """The sources a filter can name, as (id, label): this installation first, then every
    registered sender, then any other installation records came from (through a station
    that gathered them) that is not registered here."""
    session.require(Action.VIEW_CALL_LOG)
    here = session.installation
    result = [(LOCAL_SOURCE, _("Recorded here (%(site)s)") % {"site": here.site_name})]
    known = {LOCAL_SOURCE}
    for partner in exchange_repo.partners(session.db, SENDER):
        if partner.installation_id not in known:
            result.append((partner.installation_id, partner.label))
            known.add(partner.installation_id)
    for (origin,) in session.db.query(
        "SELECT DISTINCT origin_id FROM contacts WHERE origin_id IS NOT NULL ORDER BY origin_id"
    ):
        if origin not in known:
            result.append((origin, _("Unregistered installation %(id)s") % {"id": str(origin)[:8]}))
            known.add(origin)
    return result


def source_id(session: Session, name: str) -> str:
    """A source named by ``local``, an installation id, an organisation code or
    "CODE/site" (as ``sources`` lists them); raises InvalidInput if none or several match."""
    wanted = name.strip().casefold()
    if wanted == LOCAL_SOURCE:
        return LOCAL_SOURCE
    found = {partner.installation_id for partner in matching(session, SENDER, name)}
    if not found:
        for source, _label in sources(session):
            if source.casefold() == wanted:
                return source
        raise InvalidInput(
            _('There is no source %(name)s. "hotline coordinator sources" lists them.')
            % {"name": name}
        )
    if len(found) > 1:
        raise InvalidInput(
            _("Several sources match %(name)s; give the installation id.") % {"name": name}
        )
    return found.pop()


def _sources(session: Session) -> standards.Sources:
    here = session.installation
    orgs = {p.installation_id: p.org_code for p in exchange_repo.partners(session.db)}
    return standards.Sources(here.id, here.org_code, orgs)


def _pseudonyms(session: Session) -> standards.Pseudonyms:
    key = session.db.scalar("SELECT pseudonym_key FROM identity")
    return standards.Pseudonyms(None if key is None else bytes(key))


def _records(session: Session, filter: CallLogFilter) -> list[standards.Record]:
    return standards.records(session.db, call_log.where_for(filter), clock.utc_offset_minutes())


def _audit(session: Session, fmt: str, count: int, filter: CallLogFilter, privacy: str) -> None:
    audit.record(
        session.db, session.user.username, AuditAction.REPORT_EXPORTED,
        format=fmt, count=count, period=statistics.period_text(filter), privacy_level=privacy,
    )  # fmt: skip


def export_htcds(
    session: Session, filter: CallLogFilter, target: Path, fmt: HtcdsFormat = "csv"
) -> int:
    """Write the records ``filter`` selects in the HTCDS column layout; returns the number
    of rows. Codes only; people and phones as pseudonyms; no names, phones or free text."""
    session.require(Action.EXPORT_REPORTS)
    training.refuse(session, _("an HTCDS export"))
    if fmt not in HTCDS_FORMATS:
        raise ValueError(fmt)
    items = _records(session, filter)
    sheet = StreamedSheet(
        "HTCDS",
        standards.HTCDS_HEADERS,
        standards.htcds_rows(items, _sources(session), _pseudonyms(session)),
    )
    if fmt == "csv":
        count = stream_csv(sheet, target)
    else:
        write_xlsx([sheet], target)
        count = len(items)
    _audit(session, f"htcds-{fmt}", count, filter, "pseudonymous")
    return count


@dataclass(frozen=True)
class CtdcResult:
    rows: int  # rows written
    blanked: int  # values blanked to reach k
    dropped: int  # rows left out because they stayed under k
    k: int


def check_k(k: int) -> int:
    if not MIN_K <= k <= MAX_K:
        raise InvalidInput(
            _("k must be a whole number from %(low)d to %(high)d.") % {"low": MIN_K, "high": MAX_K}
        )
    return k


def export_ctdc(
    session: Session, filter: CallLogFilter, target: Path, k: int = DEFAULT_K
) -> CtdcResult:
    """Write a CTDC-style CSV of the records ``filter`` selects: a few quasi-identifiers per
    row, no ids or pseudonyms, every combination of values shared by at least ``k`` rows."""
    session.require(Action.EXPORT_REPORTS)
    training.refuse(session, _("a CTDC export"))
    check_k(k)
    here = _sources(session)
    values = [standards.ctdc_values(r, here) for r in _records(session, filter)]
    result = standards.k_anonymise(values, k)
    sheet = StreamedSheet(
        "CTDC",
        standards.CTDC_HEADERS,
        (standards.ctdc_row(kind, quasi) for kind, quasi in result.rows),
    )
    count = stream_csv(sheet, target)
    _audit(session, "ctdc-csv", count, filter, f"k{k}")
    return CtdcResult(count, result.blanked, result.dropped, k)
