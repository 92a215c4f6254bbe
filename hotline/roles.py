"""Roles and what each may do. The same matrix is written out in docs/roles.md."""

from __future__ import annotations

from enum import StrEnum

from hotline.errors import PermissionDenied
from hotline.i18n import N_, _


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return _(ROLE_LABELS[self])


ROLE_LABELS: dict[Role, str] = {
    Role.OPERATOR: N_("Operator"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.ADMIN: N_("Administrator"),
}


class Action(StrEnum):
    MANAGE_USERS = "manage_users"
    VIEW_USERS = "view_users"
    CHANGE_OWN_PASSWORD = "change_own_password"
    CHECK_INTEGRITY = "check_integrity"
    VIEW_AUDIT_LOG = "view_audit_log"
    BACKUP = "backup"
    RESTORE = "restore"
    ROTATE_KEY = "rotate_key"
    EDIT_ORGANISATION = "edit_organisation"
    RECORD_CALLS = "record_calls"
    VIEW_CALLS = "view_calls"
    EDIT_ANY_CALL = "edit_any_call"
    MANAGE_SCRIPTS = "manage_scripts"
    EDIT_DIRECTORY = "edit_directory"
    VIEW_CALL_LOG = "view_call_log"
    REVIEW_CALLS = "review_calls"
    VIEW_OWN_FEEDBACK = "view_own_feedback"
    VIEW_STATISTICS = "view_statistics"
    EXPORT_REPORTS = "export_reports"
    EXPORT_IDENTIFYING = "export_identifying"
    MANAGE_PARTNERS = "manage_partners"
    EXPORT_BATCHES = "export_batches"
    IMPORT_BATCHES = "import_batches"
    RESOLVE_CONFLICTS = "resolve_conflicts"
    PUBLISH_UPDATES = "publish_updates"
    INSTALL_UPDATES = "install_updates"
    APPLY_RETENTION = "apply_retention"


_EVERYONE = frozenset(Role)

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.VIEW_USERS: frozenset({Role.ADMIN, Role.SUPERVISOR}),
    Action.CHANGE_OWN_PASSWORD: _EVERYONE,
    Action.CHECK_INTEGRITY: _EVERYONE,
    Action.VIEW_AUDIT_LOG: frozenset({Role.ADMIN, Role.SUPERVISOR}),
    Action.BACKUP: frozenset({Role.ADMIN, Role.SUPERVISOR}),
    Action.RESTORE: frozenset({Role.ADMIN}),
    Action.ROTATE_KEY: frozenset({Role.ADMIN}),
    Action.EDIT_ORGANISATION: frozenset({Role.ADMIN}),
    # Call records: the administrator runs the installation and does not read calls.
    Action.RECORD_CALLS: frozenset({Role.OPERATOR, Role.SUPERVISOR}),
    Action.VIEW_CALLS: frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.COORDINATOR}),
    Action.EDIT_ANY_CALL: frozenset({Role.SUPERVISOR}),
    Action.MANAGE_SCRIPTS: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    Action.EDIT_DIRECTORY: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    # Supervision: the whole installation's log, reviews, figures and reports.
    Action.VIEW_CALL_LOG: frozenset({Role.SUPERVISOR, Role.COORDINATOR}),
    Action.REVIEW_CALLS: frozenset({Role.SUPERVISOR}),
    Action.VIEW_OWN_FEEDBACK: frozenset({Role.OPERATOR, Role.SUPERVISOR}),
    Action.VIEW_STATISTICS: frozenset({Role.SUPERVISOR, Role.COORDINATOR}),
    Action.EXPORT_REPORTS: frozenset({Role.SUPERVISOR, Role.COORDINATOR}),
    Action.EXPORT_IDENTIFYING: frozenset({Role.SUPERVISOR}),
    # Batch exchange: cards of partners, batches out and in, update bundles.
    Action.MANAGE_PARTNERS: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Action.EXPORT_BATCHES: frozenset({Role.SUPERVISOR, Role.COORDINATOR}),
    Action.IMPORT_BATCHES: frozenset({Role.SUPERVISOR, Role.COORDINATOR}),
    Action.RESOLVE_CONFLICTS: frozenset({Role.SUPERVISOR, Role.COORDINATOR}),
    Action.PUBLISH_UPDATES: frozenset({Role.COORDINATOR}),
    Action.INSTALL_UPDATES: frozenset({Role.ADMIN, Role.SUPERVISOR}),
    # Retention: remove what identifies people from old calls (counts only, no content).
    Action.APPLY_RETENTION: frozenset({Role.ADMIN}),
}


def allowed(role: Role, action: Action) -> bool:
    return role in PERMISSIONS[action]


def denied_error() -> PermissionDenied:
    return PermissionDenied(_("Your role does not allow this action."))
