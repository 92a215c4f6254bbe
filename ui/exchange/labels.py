"""Words for the exchange windows: privacy levels, outcomes, reasons, fingerprints."""

from __future__ import annotations

from hotline.exchange.folders import Schedule
from hotline.exchange.records import Privacy
from hotline.i18n import N_, _, ngettext
from hotline.store.repositories.exchange import Partner

PRIVACY_LABELS: dict[str, str] = {
    Privacy.FULL.value: N_("Full (names and phones, calls with consent to share)"),
    Privacy.PSEUDONYMOUS.value: N_("Pseudonymous (no names, phones or free text)"),
    Privacy.AGGREGATE.value: N_("Counts only (small counts withheld)"),
}
SHORT_PRIVACY: dict[str, str] = {
    Privacy.FULL.value: N_("full"),
    Privacy.PSEUDONYMOUS.value: N_("pseudonymous"),
    Privacy.AGGREGATE.value: N_("counts only"),
}
SCHEDULE_LABELS: dict[Schedule, str] = {
    Schedule.OFF: N_("Only when I send a batch myself"),
    Schedule.AT_CLOSE: N_("When Hotline Desk closes or is locked"),
    Schedule.HOURS: N_("Every few hours"),
}
KIND_LABELS: dict[str, str] = {
    "recipient": N_("We send to it"),
    "sender": N_("It sends to us"),
}
REASON_LABELS: dict[str, str] = {
    "same_version_differs": N_("Same version, different content"),
    "made_here": N_("The record was made here"),
    "other_origin": N_("The record came from another office"),
}
RECORD_LABELS: dict[str, str] = {
    "contact": N_("Call"),
    "case": N_("Case"),
    "person": N_("Person"),
}


def label(table: dict[str, str], code: str) -> str:
    text = table.get(code)
    return _(text) if text else code


def fingerprint_groups(fingerprint: str) -> str:
    """ "ABCD-EFGH-…" shown as groups with wide gaps, easy to read out by phone."""
    return "   ".join(fingerprint.split("-"))


def partner_name(partner: Partner) -> str:
    return f"{partner.org_name} ({partner.org_code}) · {partner.site_name}"


def outcome_text(outcome: dict[str, int]) -> str:
    """ "2 added, 1 updated, 0 unchanged…" for an import's outcome."""
    if "aggregate_cells" in outcome:
        return _("%(count)d counts received") % {"count": outcome["aggregate_cells"]}
    return _(
        "%(added)d added, %(updated)d updated, %(unchanged)d unchanged, %(older)d older, "
        "%(conflicts)d kept aside"
    ) % {
        "added": outcome.get("added", 0),
        "updated": outcome.get("updated", 0),
        "unchanged": outcome.get("unchanged", 0),
        "older": outcome.get("older", 0),
        "conflicts": outcome.get("conflicts", 0),
    }


def counts_text(counts: dict[str, int]) -> str:
    if "aggregate_total" in counts:
        n = counts["aggregate_total"]
        return ngettext("%(count)d call counted", "%(count)d calls counted", n) % {"count": n}
    calls, cases, persons = (counts.get(k, 0) for k in ("contacts", "cases", "persons"))
    return ", ".join(
        (
            ngettext("%(count)d call", "%(count)d calls", calls) % {"count": calls},
            ngettext("%(count)d case", "%(count)d cases", cases) % {"count": cases},
            ngettext("%(count)d person", "%(count)d persons", persons) % {"count": persons},
        )
    )


def missing_text(org_code: str, missing: tuple[int, ...] | list[int]) -> str:
    numbers = ", ".join(str(n) for n in missing[:20])
    if len(missing) > 20:
        numbers += ", …"
    return (
        _("Batches %(numbers)s from %(sender)s are missing.")
        % {
            "numbers": numbers,
            "sender": org_code,
        }
        if len(missing) > 1
        else _("Batch %(numbers)s from %(sender)s is missing.")
        % {
            "numbers": numbers,
            "sender": org_code,
        }
    )
