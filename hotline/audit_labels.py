"""Words for the audit log in the interface language: what each action code means, what
kind of record a target is, and the details of an entry as a readable line.

Codes that have no words here (an action written by a newer version, a refused action)
are shown as the code itself, so nothing in the log is ever hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from hotline.audit import AuditAction
from hotline.formatting import format_date, format_number, language_name
from hotline.i18n import N_, UI_LANGUAGES, LazyString, _, current_language, lazy_p, pgettext
from hotline.model.audit_log import DetailValue
from hotline.roles import Role
from hotline.taxonomy import taxonomy

ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.INSTALLATION_CREATED: N_("Installation created"),
    AuditAction.ORGANISATION_EDITED: N_("Organisation profile changed"),
    AuditAction.LOGIN: N_("Signed in"),
    AuditAction.LOGIN_RECOVERY: N_("Signed in with the recovery key"),
    AuditAction.LOGOUT: N_("Signed out"),
    AuditAction.LOCK: N_("Locked after inactivity or by the user"),
    AuditAction.USER_ADDED: N_("Account added"),
    AuditAction.USER_DISABLED: N_("Account disabled"),
    AuditAction.USER_ENABLED: N_("Account enabled"),
    AuditAction.USER_ROLE_CHANGED: N_("Role changed"),
    AuditAction.USER_PASSWORD_CHANGED: N_("Password changed"),
    AuditAction.USER_UNLOCKED: N_("Account unlocked"),
    AuditAction.KEY_ROTATED: N_("Database key replaced"),
    AuditAction.RECOVERY_KEY_REPLACED: N_("Recovery key replaced"),
    AuditAction.BACKUP_CREATED: N_("Backup made"),
    AuditAction.RESTORED: N_("Backup restored"),
    AuditAction.INTEGRITY_CHECKED: N_("Integrity checked"),
    AuditAction.PERMISSION_DENIED: N_("Action refused"),
    AuditAction.RECORD_CREATED: N_("Record created"),
    AuditAction.RECORD_VIEWED: N_("Record opened"),
    AuditAction.RECORD_EDITED: N_("Record changed"),
    AuditAction.RECORD_PRINTED: N_("Record printed or saved as PDF"),
    AuditAction.EXPORTED: N_("Data exported"),
    AuditAction.REVIEW_SAVED: N_("Call review saved"),
    AuditAction.CALL_LOG_SEARCHED: N_("Call notes searched"),
    AuditAction.STATISTICS_VIEWED: N_("Statistics viewed"),
    AuditAction.REPORT_EXPORTED: N_("Report exported"),
    AuditAction.IMPORTED: N_("Data imported"),
    AuditAction.IMPORT_REJECTED: N_("Batch refused"),
    AuditAction.PARTNER_REGISTERED: N_("Partner card registered"),
    AuditAction.PARTNER_DISABLED: N_("Partner card disabled"),
    AuditAction.CARD_EXPORTED: N_("Own card exported"),
    AuditAction.RECEIPT_WRITTEN: N_("Receipt written"),
    AuditAction.RECEIPT_READ: N_("Receipt read"),
    AuditAction.CONFLICT_RESOLVED: N_("Imported record settled"),
    AuditAction.UPDATE_PUBLISHED: N_("Update bundle signed"),
    AuditAction.UPDATE_INSTALLED: N_("Update bundle installed"),
    AuditAction.UPDATE_REJECTED: N_("Update bundle refused"),
    AuditAction.RETENTION_POLICY_SET: N_("Retention policy set"),
    AuditAction.RETENTION_APPLIED: N_("Old calls cleaned by the retention policy"),
    AuditAction.DEMO_DATA_LOADED: N_("Demo calls loaded (invented data for training)"),
}

# Several actions chosen at once in the viewer's action filter.
ACTION_GROUPS: tuple[tuple[str, tuple[AuditAction, ...]], ...] = (
    (
        N_("Signing in and out"),
        (AuditAction.LOGIN, AuditAction.LOGIN_RECOVERY, AuditAction.LOGOUT, AuditAction.LOCK),
    ),
    (
        N_("Changes to accounts"),
        (
            AuditAction.USER_ADDED,
            AuditAction.USER_DISABLED,
            AuditAction.USER_ENABLED,
            AuditAction.USER_ROLE_CHANGED,
            AuditAction.USER_PASSWORD_CHANGED,
            AuditAction.USER_UNLOCKED,
        ),
    ),
    (
        N_("Work on records"),
        (
            AuditAction.RECORD_CREATED,
            AuditAction.RECORD_VIEWED,
            AuditAction.RECORD_EDITED,
            AuditAction.RECORD_PRINTED,
            AuditAction.REVIEW_SAVED,
        ),
    ),
    (
        N_("Data leaving or entering"),
        (
            AuditAction.EXPORTED,
            AuditAction.REPORT_EXPORTED,
            AuditAction.IMPORTED,
            AuditAction.IMPORT_REJECTED,
            AuditAction.RECEIPT_WRITTEN,
            AuditAction.RECEIPT_READ,
            AuditAction.CONFLICT_RESOLVED,
        ),
    ),
    (
        N_("Partners and updates"),
        (
            AuditAction.PARTNER_REGISTERED,
            AuditAction.PARTNER_DISABLED,
            AuditAction.CARD_EXPORTED,
            AuditAction.UPDATE_PUBLISHED,
            AuditAction.UPDATE_INSTALLED,
            AuditAction.UPDATE_REJECTED,
        ),
    ),
    (
        N_("Keys, backups and checks"),
        (
            AuditAction.KEY_ROTATED,
            AuditAction.RECOVERY_KEY_REPLACED,
            AuditAction.BACKUP_CREATED,
            AuditAction.RESTORED,
            AuditAction.INTEGRITY_CHECKED,
            AuditAction.RETENTION_POLICY_SET,
            AuditAction.RETENTION_APPLIED,
        ),
    ),
)

TARGET_LABELS: dict[str, LazyString] = {
    "installation": lazy_p("audit target", "Installation"),
    "user": lazy_p("audit target", "Account"),
    "contact": lazy_p("audit target", "Call"),
    "case": lazy_p("audit target", "Case"),
    "person": lazy_p("audit target", "Person in a case"),
    "referral": lazy_p("audit target", "Referral"),
    "review": lazy_p("audit target", "Call review"),
    "organisation": lazy_p("audit target", "Directory entry"),
    "directory": lazy_p("audit target", "Referral directory"),
    "script": lazy_p("audit target", "Screening script"),
}

DETAIL_LABELS: dict[str, LazyString] = {
    "role": lazy_p("audit detail", "Role"),
    "old_role": lazy_p("audit detail", "Previous role"),
    "fields": lazy_p("audit detail", "Fields"),
    "count": lazy_p("audit detail", "How many"),
    "failed_attempts": lazy_p("audit detail", "Failed attempts before signing in"),
    "key_id": lazy_p("audit detail", "Key"),
    "old_key_id": lazy_p("audit detail", "Previous key"),
    "format": lazy_p("audit detail", "Format"),
    "privacy_level": lazy_p("audit detail", "Privacy level"),
    "result": lazy_p("audit detail", "Result"),
    "reason": lazy_p("audit detail", "Reason"),
    "denied_action": lazy_p("audit detail", "Refused action"),
    "language": lazy_p("audit detail", "Language"),
    "batch_id": lazy_p("audit detail", "Batch"),
    "version": lazy_p("audit detail", "Version"),
    "columns": lazy_p("audit detail", "Columns"),
    "period": lazy_p("audit detail", "Period"),
    "sequence": lazy_p("audit detail", "Batch number"),
    "sender": lazy_p("audit detail", "Sender"),
    "recipient": lazy_p("audit detail", "Recipient"),
    "kind": lazy_p("audit detail", "Card kind"),
    "fingerprint": lazy_p("audit detail", "Fingerprint"),
    "months": lazy_p("audit detail", "Months calls are kept"),
    "acknowledged_only": lazy_p("audit detail", "Only calls whose receipt was read"),
}

KIND_LABELS: dict[str, str] = {
    "recipient": N_("receives batches"),
    "sender": N_("sends batches"),
}

RESULT_LABELS: dict[str, str] = {
    "ok": N_("passed"),
    "failed": N_("failed"),
    "consent": N_("with the caller's consent"),
    "no_consent": N_("without consent, for a written reason"),
}

FORMAT_LABELS: dict[str, str] = {"slip": N_("referral slip")}

DETAIL_SEPARATOR = "; "


def action_label(code: str) -> str:
    try:
        return _(ACTION_LABELS[AuditAction(code)])
    except ValueError:
        return code


def target_label(kind: str | None) -> str:
    if kind is None:
        return ""
    return str(TARGET_LABELS[kind]) if kind in TARGET_LABELS else kind


def short_id(target_id: str) -> str:
    """The first characters of a long id (a UUID): enough to tell entries apart."""
    return target_id if len(target_id) <= 13 else target_id[:8] + "…"


def target_text(kind: str | None, target_id: str | None, *, full: bool = False) -> str:
    """'Call 3f2a9c1e…': the kind of record and its id (shortened unless ``full``)."""
    if target_id is None:
        return target_label(kind)
    shown = target_id if full else short_id(target_id)
    if kind is None:
        return shown
    return pgettext("audit target: kind of record, its id", "%(kind)s %(id)s") % {
        "kind": target_label(kind),
        "id": shown,
    }


def detail_value(key: str, value: DetailValue, action: str = "") -> str:
    """One detail's value in words where the code has some; else as stored."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return format_number(value)
    if key in ("role", "old_role"):
        return _role(value)
    if key == "result":
        return _result(value, action)
    if key == "format" and value in FORMAT_LABELS:
        return _(FORMAT_LABELS[value])
    if key == "language" and value in UI_LANGUAGES:
        return language_name(value, current_language())
    if key == "period":
        return _period(value)
    if key == "kind" and value in KIND_LABELS:
        return _(KIND_LABELS[value])
    if key in ("fields", "columns"):
        return ", ".join(part for part in value.split(",") if part)
    return value  # codes: a refused action, a key id, a batch


def _role(value: str) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value


def _result(value: str, action: str) -> str:
    if value in RESULT_LABELS:
        return _(RESULT_LABELS[value])
    if action == AuditAction.RECORD_EDITED and taxonomy().get("referral_outcomes", value):
        return taxonomy().label("referral_outcomes", value)
    return value


def _period(value: str) -> str:
    """'2024-05-01..2024-05-31' (either end may be empty) as dates of the language."""
    since_text, separator, until_text = value.partition("..")
    try:
        since = dt.date.fromisoformat(since_text) if since_text else None
        until = dt.date.fromisoformat(until_text) if until_text else None
    except ValueError:
        return value
    if not separator:
        return value
    if since and until:
        return _("%(since)s to %(until)s") % {
            "since": format_date(since, "short"),
            "until": format_date(until, "short"),
        }
    if since:
        return _("from %(since)s") % {"since": format_date(since, "short")}
    if until:
        return _("until %(until)s") % {"until": format_date(until, "short")}
    return _("all dates")


def detail_text(key: str, value: DetailValue, action: str = "") -> str:
    """'Role: Supervisor'."""
    name = str(DETAIL_LABELS[key]) if key in DETAIL_LABELS else key
    return _("%(name)s: %(value)s") % {"name": name, "value": detail_value(key, value, action)}


def details_text(details: Mapping[str, DetailValue], action: str = "") -> str:
    """Every detail of an entry, in the order of DETAIL_LABELS (unknown keys last)."""
    order = {key: index for index, key in enumerate(DETAIL_LABELS)}
    keys = sorted(details, key=lambda k: (order.get(k, len(order)), k))
    return DETAIL_SEPARATOR.join(detail_text(k, details[k], action) for k in keys)
