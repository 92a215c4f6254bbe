"""Every action of the role matrix, tried through a service that needs it, by every role:
allowed roles get through; the others get PermissionDenied and an audit entry naming the
action. A new Action without an entry here fails ``test_every_action_has_a_service``."""

from __future__ import annotations

import itertools
import json
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from hotline.errors import PermissionDenied
from hotline.exchange import bundles, exporting, importing, partners
from hotline.exchange.records import Privacy
from hotline.model.call_log import CallLogFilter
from hotline.model.organisation import Organisation
from hotline.paths import DataDir
from hotline.roles import Action, Role, allowed
from hotline.services import (
    audit_log,
    call_log,
    contacts,
    directory,
    maintenance,
    organisation,
    reports,
    retention,
    reviews,
    screening,
    setup,
    statistics,
    users,
)
from hotline.services.session import Session
from hotline.store.repositories import contacts as contacts_repo
from hotline.store.repositories import exchange as exchange_repo
from hotline.store.repositories import reviews as reviews_repo
from tests.conftest import ADMIN, PASSWORDS, Template, sign_in
from tests.unit.test_screening_engine import SCRIPT

USERS = {
    Role.ADMIN: ADMIN,
    Role.OPERATOR: "olga",
    Role.SUPERVISOR: "bakyt",
    Role.COORDINATOR: "dana",
}


@dataclass
class Installation:
    sessions: dict[Role, Session]
    folder: Path  # for files the services write
    olga_call: str
    bakyt_call: str
    backup: Path  # made before any test changed a password
    script: Path
    partner_id: str  # a coordinator registered both ways
    batch: Path  # a batch from it to this installation
    bundle: Path  # an update bundle signed by it
    conflicts: list[int]  # records kept aside, one for each allowed settling


def _partner(folder: Path, admin: Session) -> tuple[str, Path, Path, list[int]]:
    """A second installation acting as coordinator: its recipient card registered here as
    recipient and sender, ours registered there; a batch and a bundle from it; conflicts."""
    result = setup.initialize(
        DataDir(folder / "partner"),
        setup.SetupRequest(
            org_code="KG-COORD", org_name="Координатор", country="KG", site_name="Бишкек",
            admin_username="boss", admin_password="partner pass 1", admin_display_name="Босс",
        ),
    )  # fmt: skip
    partner = result.session
    users.add_user(partner, "dana", Role.COORDINATOR, PASSWORDS["dana"])
    theirs = partners.export_card(partner, folder / "partner.hlcard", recipient=True)
    ours = partners.export_card(admin, folder / "ours.hlcard", recipient=True)
    partners.register(partner, partners.read_card(folder / "ours.hlcard"), partners.RECIPIENT,
                      ours.fingerprint)  # fmt: skip
    partners.register(partner, partners.read_card(folder / "ours.hlcard"), partners.SENDER,
                      ours.fingerprint)  # fmt: skip
    for kind in (partners.RECIPIENT, partners.SENDER):
        partners.register(admin, partners.read_card(folder / "partner.hlcard"), kind,
                          theirs.fingerprint)  # fmt: skip
    partner.close()
    dana = sign_in(DataDir(folder / "partner"), "dana")
    request = exporting.ExportRequest(admin.installation.id, Privacy.PSEUDONYMOUS)
    batch = exporting.export_batch(dana, request, folder).path
    bundle = bundles.publish(dana, folder / "update.hlupdate", ("job-offer",))
    dana.close()
    ledger = exchange_repo.LedgerEntry(
        str(uuid.uuid4()), theirs.installation_id, 999, "", "", "dana", "full", "", {}
    )
    with admin.db.transaction():
        exchange_repo.add_ledger(admin.db, ledger)
        for i in range(len(Role)):
            record = {"id": f"conflict-{i}", "version": 1}
            exchange_repo.add_conflict(admin.db, ledger.batch_id, "contact", record, "made_here")
    conflicts = [c.id for c in exchange_repo.conflicts(admin.db)]
    return theirs.installation_id, batch, bundle, conflicts


@pytest.fixture(scope="module")
def installation(
    template: Template, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Installation]:
    folder = tmp_path_factory.mktemp("roles")
    shutil.copytree(template.root, folder / "data")
    sessions = {role: sign_in(DataDir(folder / "data"), name) for role, name in USERS.items()}
    olga, bakyt = sessions[Role.OPERATOR], sessions[Role.SUPERVISOR]
    olga_call = contacts.save_contact(olga, contacts.new_contact(olga)).id
    bakyt_call = contacts.save_contact(bakyt, contacts.new_contact(bakyt)).id
    backup = maintenance.backup(bakyt, folder / "before.hlbackup")
    script = folder / "script.toml"
    script.write_text(SCRIPT, "utf-8")
    partner_id, batch, bundle, conflicts = _partner(folder, sessions[Role.ADMIN])
    yield Installation(
        sessions, folder, olga_call, bakyt_call, backup, script, partner_id, batch, bundle,
        conflicts,
    )  # fmt: skip
    for session in sessions.values():
        session.close()


_names = itertools.count(1)


def _someone_elses_call(place: Installation, session: Session) -> str:
    return place.bakyt_call if session.user.username == "olga" else place.olga_call


def _edit_any_call(place: Installation, session: Session) -> None:
    call = contacts_repo.get(session.db, _someone_elses_call(place, session))
    assert call is not None
    contacts.save_contact(session, replace(call, summary=f"edit {next(_names)}"))


def _review(place: Installation, session: Session) -> None:
    current = reviews_repo.for_contact(session.db, place.olga_call)
    reviews.save_review(
        session, place.olga_call, {"greeting": "met"}, "ok",
        expected_version=None if current is None else current.version,
    )  # fmt: skip


def _restore(place: Installation, session: Session) -> None:
    name = session.user.username
    target = DataDir(place.folder / f"restored-{next(_names)}")
    maintenance.restore(target, place.backup, name, PASSWORDS[name])


def _file(place: Installation, suffix: str) -> Path:
    return place.folder / f"{uuid.uuid4().hex}{suffix}"


ServiceCall = Callable[[Installation, Session], object]

SERVICES: dict[Action, ServiceCall] = {
    Action.MANAGE_USERS: lambda p, s: users.add_user(
        s, f"newuser{next(_names)}", Role.OPERATOR, "new user pass 1"
    ),
    Action.VIEW_USERS: lambda p, s: users.list_users(s),
    Action.CHANGE_OWN_PASSWORD: lambda p, s: users.change_password(
        s, s.user.username, PASSWORDS[s.user.username]
    ),
    Action.CHECK_INTEGRITY: lambda p, s: maintenance.check(s),
    Action.VIEW_AUDIT_LOG: lambda p, s: audit_log.search(s),
    Action.BACKUP: lambda p, s: maintenance.backup(s, _file(p, ".hlbackup")),
    Action.RESTORE: _restore,
    Action.ROTATE_KEY: lambda p, s: maintenance.replace_recovery_key(s),
    Action.EDIT_ORGANISATION: lambda p, s: organisation.update_profile(
        s, "Кризисный центр «Сезим»", "Ош"
    ),
    Action.RECORD_CALLS: lambda p, s: contacts.save_contact(s, contacts.new_contact(s)),
    Action.VIEW_CALLS: lambda p, s: contacts.get_contact(s, p.olga_call),
    Action.EDIT_ANY_CALL: _edit_any_call,
    Action.MANAGE_SCRIPTS: lambda p, s: screening.install_script(s, p.script),
    Action.EDIT_DIRECTORY: lambda p, s: directory.save(
        s, Organisation(id=str(uuid.uuid4()), version=0, name="Тест", services=("shelter",))
    ),
    Action.VIEW_CALL_LOG: lambda p, s: call_log.query(s).count(),
    Action.REVIEW_CALLS: _review,
    Action.VIEW_OWN_FEEDBACK: lambda p, s: reviews.my_feedback(s),
    Action.VIEW_STATISTICS: lambda p, s: statistics.summary(s, CallLogFilter()),
    Action.EXPORT_REPORTS: lambda p, s: reports.export_statistics(
        s, CallLogFilter(), _file(p, ".csv"), "csv", ()
    ),
    Action.EXPORT_IDENTIFYING: lambda p, s: reports.export_call_list(
        s, CallLogFilter(), _file(p, ".csv"), "csv", ("notes",)
    ),
    Action.MANAGE_PARTNERS: lambda p, s: partners.export_card(
        s, _file(p, ".hlcard"), recipient=False
    ),
    Action.EXPORT_BATCHES: lambda p, s: exporting.export_batch(
        s, exporting.ExportRequest(p.partner_id, Privacy.PSEUDONYMOUS), p.folder
    ),
    Action.IMPORT_BATCHES: lambda p, s: importing.import_file(s, p.batch),
    Action.RESOLVE_CONFLICTS: lambda p, s: importing.resolve_conflict(
        s, p.conflicts.pop(), "settled"
    ),
    Action.PUBLISH_UPDATES: lambda p, s: bundles.publish(s, _file(p, ".hlupdate"), ("job-offer",)),
    Action.INSTALL_UPDATES: lambda p, s: bundles.install(s, p.bundle),
    Action.APPLY_RETENTION: lambda p, s: retention.preview(s, retention.Policy(months=12)),
}
# An action whose service first checks another one: a role lacking both is refused (and
# audited) for that other one.
CHECKED_FIRST = {Action.EXPORT_IDENTIFYING: Action.EXPORT_REPORTS}
# Refused without Session.require, so without a permission.denied entry.
NOT_AUDITED = {
    Action.RESTORE: "hotline.services.maintenance.restore refuses a non-administrator while"
    " checking the backup (_verify_staged), before any session exists: no permission.denied"
    " audit entry is written",
}


def test_every_action_has_a_service() -> None:
    assert set(SERVICES) == set(Action)


def _denials(session: Session) -> list[dict[str, object]]:
    rows = session.db.query(
        "SELECT actor, details FROM audit_log WHERE action = 'permission.denied' ORDER BY seq"
    )
    return [{"actor": r["actor"], **json.loads(r["details"])} for r in rows]


@pytest.mark.parametrize("role", list(USERS))
@pytest.mark.parametrize("action", list(Action))
def test_role_and_service_agree(installation: Installation, action: Action, role: Role) -> None:
    session = installation.sessions[role]
    before = _denials(session)
    if allowed(role, action):
        SERVICES[action](installation, session)
        assert _denials(session) == before
        return
    with pytest.raises(PermissionDenied):
        SERVICES[action](installation, session)
    if action in NOT_AUDITED:
        assert _denials(session) == before
        pytest.skip(NOT_AUDITED[action])
    checked = CHECKED_FIRST.get(action)
    expected = action if checked is None or allowed(role, checked) else checked
    assert _denials(session) == [
        *before,
        {"actor": session.user.username, "denied_action": expected.value},
    ]
