"""The organisation profile after set-up: its name and the hotline site's name (the code
and country stay: references and exchanged records carry them)."""

from __future__ import annotations

from dataclasses import replace

from hotline import audit, validation
from hotline.audit import AuditAction
from hotline.i18n import _
from hotline.model.installation import Installation
from hotline.roles import Action
from hotline.services.session import Session
from hotline.store.repositories import installation as repo


def update_profile(session: Session, org_name: str, site_name: str) -> Installation:
    """Rename the organisation or the site (administrators); audited with what changed."""
    session.require(Action.EDIT_ORGANISATION)
    name = validation.required_text(org_name, _("organisation name"))
    site = validation.required_text(site_name or name, _("hotline site"))
    before = session.installation
    changed = [
        field
        for field, old, new in (
            ("org_name", before.org_name, name),
            ("site_name", before.site_name, site),
        )
        if old != new
    ]
    with session.db.transaction():
        repo.update_names(session.db, name, site)
        audit.record(
            session.db, session.user.username, AuditAction.ORGANISATION_EDITED,
            "installation", before.id, fields=",".join(changed),
        )  # fmt: skip
    session.installation = replace(before, org_name=name, site_name=site)
    return session.installation
