"""Shared fixtures: every test gets its own data folder; nothing touches the real one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Qt must never look for a display in tests (a missing one aborts the process).
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from hotline.i18n import set_language
from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services import session as session_service
from hotline.services import setup, users
from hotline.services.session import Session
from hotline.store import connection

ADMIN = "admin"
ADMIN_PASSWORD = "correct horse 1"
PASSWORDS = {
    "admin": ADMIN_PASSWORD,
    "olga": "operator pass 1",
    "bakyt": "supervisor pass 1",
    "dana": "coordinator pass 1",
}
ROLES = {
    "olga": Role.OPERATOR,
    "bakyt": Role.SUPERVISOR,
    "dana": Role.COORDINATOR,
}


@dataclass(frozen=True)
class Template:
    root: Path
    recovery_key: str


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith("HOTLINE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(home / "default-data"))
    # ``hotline demo`` on a new installation turns it off for its process: not for the next test.
    monkeypatch.setattr(connection, "_memory_security", True)
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """One installation with a user of every role, built once and copied per test."""
    root = tmp_path_factory.mktemp("template") / "data"
    result = setup.initialize(
        DataDir(root),
        setup.SetupRequest(
            org_code="KG-TEST",
            org_name="Тест",
            country="KG",
            site_name="Бишкек",
            admin_username=ADMIN,
            admin_password=ADMIN_PASSWORD,
            admin_display_name="Айгүл Администратор",
        ),
    )
    for name, role in ROLES.items():
        users.add_user(result.session, name, role, PASSWORDS[name])
    result.session.close()
    return Template(root, result.recovery_key)


@pytest.fixture
def data_dir(template: Template, tmp_path: Path) -> DataDir:
    target = tmp_path / "data"
    shutil.copytree(template.root, target)
    return DataDir(target)


@pytest.fixture
def recovery_key(template: Template) -> str:
    return template.recovery_key


@pytest.fixture
def admin(data_dir: DataDir) -> Iterator[Session]:
    session = session_service.login(data_dir, ADMIN, ADMIN_PASSWORD)
    yield session
    if not session.db.closed:
        session.close()


def sign_in(data_dir: DataDir, name: str) -> Session:
    return session_service.login(data_dir, name, PASSWORDS[name])
