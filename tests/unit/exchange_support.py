"""A small network for exchange tests: two hotlines and a coordinator, each a real
installation (its own data folder, database and keys), with cards exchanged and registered
both ways. Built once per test session; every test gets fresh copies of the three folders.

Users in every installation: admin, olga (operator), bakyt (supervisor), dana
(coordinator), with the passwords of tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from hotline.exchange import exporting, partners
from hotline.exchange.exporting import ExportRequest, ExportResult
from hotline.exchange.records import Privacy
from hotline.model.contact import Caller, Consent, Contact, FollowUp
from hotline.paths import DataDir
from hotline.phones import parse_phone
from hotline.services import contacts, setup, users
from hotline.services.session import Session, login
from tests.conftest import ADMIN_PASSWORD, PASSWORDS, ROLES

HOTLINE_A = "KG-SEZIM"
HOTLINE_B = "KZ-SANA"
COORDINATOR = "KG-COORD"
_COUNTRIES = {HOTLINE_A: "KG", HOTLINE_B: "KZ", COORDINATOR: "KG"}


def sign_in(data_dir: DataDir, name: str) -> Session:
    return login(data_dir, name, PASSWORDS.get(name, ADMIN_PASSWORD))


def _install(root: Path, code: str) -> DataDir:
    data_dir = DataDir(root / code)
    result = setup.initialize(
        data_dir,
        setup.SetupRequest(
            org_code=code,
            org_name=f"{code} НКО",
            country=_COUNTRIES[code],
            site_name="Бишкек" if code != HOTLINE_B else "Алматы",
            admin_username="admin",
            admin_password=ADMIN_PASSWORD,
            admin_display_name="Админ",
        ),
    )
    for name, role in ROLES.items():
        users.add_user(result.session, name, role, PASSWORDS[name])
    result.session.close()
    return data_dir


def _build(root: Path) -> None:
    dirs = {code: _install(root, code) for code in (HOTLINE_A, HOTLINE_B, COORDINATOR)}
    coordinator = sign_in(dirs[COORDINATOR], "dana")
    coordinator_card = partners.export_card(
        coordinator, root / "coordinator.hlcard", recipient=True
    )
    for code in (HOTLINE_A, HOTLINE_B):
        hotline = sign_in(dirs[code], "admin")
        card = partners.read_card(root / "coordinator.hlcard")
        partners.register(hotline, card, partners.RECIPIENT, coordinator_card.fingerprint)
        own = partners.export_card(hotline, root / f"{code}.hlcard", recipient=False)
        hotline.close()
        partners.register(
            coordinator,
            partners.read_card(root / f"{code}.hlcard"),
            partners.SENDER,
            own.fingerprint,
        )
    coordinator.close()


@dataclass(frozen=True)
class Network:
    root: Path  # holds the three data folders, the cards, and an "outbox" folder

    def dir(self, code: str) -> DataDir:
        return DataDir(self.root / code)

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    def session(self, code: str, user: str) -> Session:
        return sign_in(self.dir(code), user)


@pytest.fixture(scope="session")
def network_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("network-template")
    _build(root)
    return root


@pytest.fixture
def network(network_template: Path, tmp_path: Path) -> Network:
    root = tmp_path / "network"
    shutil.copytree(network_template, root)
    (root / "outbox").mkdir()
    return Network(root)


def record_call(
    session: Session,
    *,
    phone: str | None = "+996 555 123 456",
    share: bool | None = True,
    name: str = "Айгүл Асанова",
    summary: str = "Работодатель забрал паспорт",
    call_type: str = "consultation",
    started: dt.datetime | None = None,
    **changes: object,
) -> Contact:
    """Save one call as the signed-in user (an operator or supervisor)."""
    contact = contacts.new_contact(session)
    fields: dict[str, object] = {
        "call_type": call_type,
        "caller": Caller(sex="female", age_band=None, name=name, region="Ош"),
        "phone": None if phone is None else parse_phone(phone, session.installation.country),
        "summary": summary,
        "notes": "заметки " + uuid.uuid4().hex[:6],
        "topics": ("WORK",),
        "consent": Consent(keep_data=True, refer=None, share=share),
        "follow_up": FollowUp(),
        "started_at": started or contact.started_at,
    }
    fields.update(changes)
    contact = replace(contact, **fields)  # type: ignore[arg-type]
    return contacts.save_contact(session, contact)


def coordinator_id(network: Network) -> str:
    session = network.session(COORDINATOR, "dana")
    try:
        return session.installation.id
    finally:
        session.close()


def send(
    session: Session,
    network: Network,
    privacy: Privacy = Privacy.PSEUDONYMOUS,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> ExportResult:
    """Export a batch from ``session`` (a supervisor) to the coordinator, into the outbox."""
    request = ExportRequest(coordinator_id(network), privacy, since, until)
    return exporting.export_batch(session, request, network.outbox)
