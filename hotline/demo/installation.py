"""A new installation for demo data: an administrator, a supervisor and four operators."""

from __future__ import annotations

from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services import setup, users
from hotline.services.session import Session

DEFAULT_PASSWORD = "demo hotline 2024"
ADMIN = "admin"
STAFF: tuple[tuple[str, Role, str], ...] = (
    ("bakyt", Role.SUPERVISOR, "Бакыт Супервайзер"),
    ("aigerim", Role.OPERATOR, "Айгерим Операторова"),
    ("timur", Role.OPERATOR, "Тимур Операторов"),
    ("zarina", Role.OPERATOR, "Zarina Operatorova"),
    ("nurlan", Role.OPERATOR, "Нурлан Операторов"),
)


def create(data_dir: DataDir, password: str) -> tuple[Session, str]:
    """Create the installation in ``data_dir``; every account gets ``password``. Returns the
    administrator's session and the recovery key."""
    result = setup.initialize(
        data_dir,
        setup.SetupRequest(
            org_code="KG-DEMO",
            org_name="Demo hotline",
            country="KG",
            site_name="Бишкек",
            admin_username=ADMIN,
            admin_password=password,
            admin_display_name="Demo Administrator",
        ),
    )
    for name, role, display in STAFF:
        users.add_user(result.session, name, role, password, display)
    return result.session, result.recovery_key
