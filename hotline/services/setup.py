"""Creating a new installation: database, organisation profile, first admin, recovery key."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

from hotline import audit, keys, validation
from hotline.audit import AuditAction
from hotline.errors import KnownError
from hotline.fsutil import durable_replace, remove_if_exists
from hotline.i18n import _
from hotline.model.installation import Installation
from hotline.model.user import User
from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services.session import Session, login, utc_now
from hotline.store.connection import open_encrypted
from hotline.store.migrations import migrate
from hotline.store.repositories import installation as installation_repo
from hotline.store.repositories import users as users_repo


@dataclass(frozen=True)
class SetupRequest:
    org_code: str
    org_name: str
    country: str
    site_name: str
    admin_username: str
    admin_password: str
    admin_display_name: str = ""
    language: str = "en"


@dataclass(frozen=True)
class SetupResult:
    session: Session
    recovery_key: str


def validate(request: SetupRequest) -> SetupRequest:
    name = validation.username(request.admin_username)
    org_name = validation.required_text(request.org_name, _("organisation name"))
    return SetupRequest(
        org_code=validation.org_code(request.org_code),
        org_name=org_name,
        country=validation.country(request.country),
        site_name=validation.required_text(request.site_name or org_name, _("hotline site")),
        admin_username=name,
        admin_password=validation.password(request.admin_password, name),
        admin_display_name=validation.display_name(request.admin_display_name, name),
        language=request.language,
    )


def initialize(data_dir: DataDir, request: SetupRequest) -> SetupResult:
    """Create the installation in ``data_dir``; the recovery key is returned only here.

    The database is built under a staging name and renamed into place last, so an
    interrupted set-up leaves no half-made installation behind.
    """
    req = validate(request)
    if data_dir.database.exists():
        raise KnownError(
            _("An installation already exists in %(path)s.") % {"path": data_dir.root},
            hint=_("Choose another data folder, or sign in to the existing installation."),
        )
    data_dir.root.mkdir(parents=True, exist_ok=True)
    if os.name != "nt":
        os.chmod(data_dir.root, 0o700)
    for leftover in (data_dir.rekey_staging, data_dir.keyslots):
        remove_if_exists(leftover)

    database_key = keys.new_database_key()
    now = utc_now()
    inst = Installation(
        id=str(uuid.uuid4()),
        org_code=req.org_code,
        org_name=req.org_name,
        country=req.country,
        site_name=req.site_name,
        created_at=now,
    )
    admin = User(
        id=str(uuid.uuid4()),
        username=req.admin_username,
        display_name=req.admin_display_name,
        role=Role.ADMIN,
        active=True,
        language=req.language,
        version=1,
        created_at=now,
        updated_at=now,
    )
    db = open_encrypted(data_dir.rekey_staging, database_key, create=True)
    try:
        migrate(db)
        with db.transaction():
            installation_repo.insert(db, inst)
            users_repo.insert(db, admin)
            audit.record(db, None, AuditAction.INSTALLATION_CREATED, "installation", inst.id)
            audit.record(db, None, AuditAction.USER_ADDED, "user", admin.id, role="admin")
    finally:
        db.close()

    recovery_key = keys.new_recovery_key()
    slot_file = keys.SlotFile(
        installation_id=inst.id,
        slots=(
            keys.make_user_slot(inst.id, admin.username, req.admin_password, [database_key]),
            keys.make_recovery_slot(inst.id, recovery_key, [database_key]),
        ),
    )
    keys.save_slot_file(data_dir.keyslots, slot_file)
    durable_replace(data_dir.rekey_staging, data_dir.database)
    session = login(data_dir, req.admin_username, req.admin_password)
    return SetupResult(session=session, recovery_key=recovery_key)


def recovery_sheet(installation: Installation, recovery_key: str, data_folder: str) -> bytes:
    """A one-page PDF with the recovery key, to print and keep locked away.

    Rendered in memory; it is written only where the administrator chooses (ideally a USB
    stick, deleted after printing), never into the data folder.
    """
    from reportlab.platypus import Spacer, Table, TableStyle

    from hotline.reports.layout import STYLES, para, render  # reportlab: only when asked

    groups = recovery_key.split("-")
    half = (len(groups) + 1) // 2
    key_rows = [["-".join(groups[:half])], ["-".join(groups[half:])]]
    title = _("Hotline Desk recovery key")

    def story() -> list[object]:
        from hotline.slips import FONT_BOLD

        key = Table(key_rows)
        key.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT_BOLD, 17),
                    ("BOX", (0, 0), (-1, -1), 1.2, "#8a7a2a"),
                    ("BACKGROUND", (0, 0), (-1, -1), "#fffbe6"),
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        return [
            para(title, STYLES.title),
            para(
                _("%(name)s (%(code)s), %(site)s")
                % {
                    "name": installation.org_name,
                    "code": installation.org_code,
                    "site": installation.site_name,
                },
                STYLES.subtitle,
            ),
            para(
                _("Installation %(id)s, created %(date)s, data folder %(folder)s")
                % {
                    "id": installation.id,
                    "date": installation.created_at[:10],
                    "folder": data_folder,
                },
                STYLES.small,
            ),
            Spacer(1, 14),
            key,
            Spacer(1, 14),
            para(
                _(
                    "This key opens the database if every administrator has forgotten their "
                    "password. Keep this paper locked away. Anyone with this key and the "
                    "computer can read every record. If the paper is lost, make a new key at "
                    "once with the command: hotline key recovery"
                ),
                STYLES.body,
            ),
            para(
                _("If you saved this sheet as a file to print it, delete the file after printing."),
                STYLES.body,
            ),
        ]

    return render(title, installation.org_code, story)
