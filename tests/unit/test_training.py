"""Training mode (hotline/training.py): a marked practice installation that nothing can be
sent from, whatever the path (exporting, outbox, cards, bundles, coordinator exports, CLI),
and a real installation that behaves as before."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline import training
from hotline.cli import main as cli_main
from hotline.demo import installation as demo
from hotline.errors import KnownError
from hotline.exchange import bundles, exporting, folders, importing, partners
from hotline.exchange.exporting import ExportRequest
from hotline.exchange.records import Privacy
from hotline.model.call_log import CallLogFilter
from hotline.paths import DataDir
from hotline.roles import Role
from hotline.services import coordinator, users
from hotline.services.session import Session, login
from hotline.store.repositories import settings as settings_repo
from tests.unit.exchange_support import COORDINATOR, HOTLINE_A, Network, network, network_template

__all__ = ["network", "network_template"]  # fixtures used here

CONTACTS = 40


@pytest.fixture(scope="module")
def training_template(tmp_path_factory: pytest.TempPathFactory, network_template: Path) -> Path:
    """A real folder with a training installation beside it; the training installation has
    the coordinator registered as a recipient, as if someone had tried to send from it."""
    real = DataDir(tmp_path_factory.mktemp("training") / "real")
    made = training.create_training_installation(real, contacts=CONTACTS, seed=3)
    session = login(made.data_dir, demo.ADMIN, demo.DEFAULT_PASSWORD)
    try:
        card_path = network_template / "coordinator.hlcard"
        card = partners.read_card(card_path)
        partners.register(session, card, partners.RECIPIENT, card.fingerprint)
        users.add_user(session, "dana", Role.COORDINATOR, demo.DEFAULT_PASSWORD)
    finally:
        session.close()
    return real.root


@pytest.fixture
def real(training_template: Path, tmp_path: Path) -> DataDir:
    target = tmp_path / "real"
    shutil.copytree(training_template, target)
    (tmp_path / "out").mkdir()
    return DataDir(target)


@pytest.fixture
def supervisor(real: DataDir) -> Iterator[Session]:
    session = login(training.training_dir(real), "bakyt", demo.DEFAULT_PASSWORD)
    yield session
    if not session.db.closed:
        session.close()


def _coordinator(session: Session) -> str:
    return partners.partners(session, partners.RECIPIENT)[0].installation_id


def test_created_beside_the_real_folder_with_data_and_marks(real: DataDir) -> None:
    target = training.training_dir(real)
    assert target.root == real.root / "training"
    assert training.training_dir(target) == target
    assert training.is_training(target) and not training.is_training(real)
    session = login(target, demo.ADMIN, demo.DEFAULT_PASSWORD)
    try:
        assert training.is_training(session) and training.is_training(session.db)
        assert settings_repo.get(session.db, training.SETTING) == "1"
        assert session.installation.org_code == training.ORG_CODE
        assert session.db.scalar("SELECT count(*) FROM contacts") == CONTACTS
        names = {str(r[0]) for r in session.db.query("SELECT username FROM users")}
        assert names == {demo.ADMIN, "dana", *(n for n, _r, _d in demo.STAFF)}  # dana: above
    finally:
        session.close()
    with pytest.raises(KnownError, match="already exists"):
        training.create_training_installation(real, contacts=1)


def test_the_database_mark_alone_is_enough(real: DataDir) -> None:
    """A copy of the training database elsewhere (no marker file) still refuses."""
    target = training.training_dir(real)
    (target.root / training.MARKER_FILE).unlink()
    assert not training.is_training(target)
    session = login(target, "bakyt", demo.DEFAULT_PASSWORD)
    try:
        with pytest.raises(training.TrainingDataError):
            request = ExportRequest(_coordinator(session), Privacy.PSEUDONYMOUS)
            exporting.export_batch(session, request, real.root.parent / "out")
    finally:
        session.close()


def test_every_way_out_refuses(supervisor: Session, real: DataDir, tmp_path: Path) -> None:
    out = tmp_path / "out"
    recipient = _coordinator(supervisor)
    with pytest.raises(training.TrainingDataError, match="training"):
        exporting.export_batch(supervisor, ExportRequest(recipient, Privacy.PSEUDONYMOUS), out)
    with pytest.raises(training.TrainingDataError):
        coordinator.export_htcds(supervisor, CallLogFilter(), out / "h.csv")
    with pytest.raises(training.TrainingDataError):
        coordinator.export_ctdc(supervisor, CallLogFilter(), out / "c.csv", k=2)
    folders.save_outbox_settings(
        supervisor,
        folders.OutboxSettings(out, (recipient,), Privacy.PSEUDONYMOUS,
                               folders.Schedule.AT_CLOSE, 24),
    )  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    assert not folders.outbox_due(supervisor, now, closing=True)
    with pytest.raises(training.TrainingDataError):
        folders.export_to_outbox(supervisor)
    with pytest.raises(training.TrainingDataError):
        importing.import_bytes(supervisor, b"any batch")
    target = training.training_dir(real)
    for name, attempt in (
        (demo.ADMIN, lambda s: partners.export_card(s, out / "t.hlcard", recipient=False)),
        ("dana", lambda s: bundles.publish(s, out / "u.hlupdate", all_directory=True)),
    ):
        session = login(target, name, demo.DEFAULT_PASSWORD)
        try:
            with pytest.raises(training.TrainingDataError):
                attempt(session)
        finally:
            session.close()
    assert list(out.iterdir()) == []


def test_without_the_refusal_the_same_export_would_be_written(
    supervisor: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal above is the only thing that stops it (the test could fail)."""
    monkeypatch.setattr(training, "refuse", lambda session, what: None)
    request = ExportRequest(_coordinator(supervisor), Privacy.PSEUDONYMOUS)
    result = exporting.export_batch(supervisor, request, tmp_path / "out")
    assert result.path.exists()


def test_the_command_line_refuses(
    real: DataDir,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HOTLINE_PASSWORD", demo.DEFAULT_PASSWORD)
    out = tmp_path / "out"
    args = ["--data-dir", str(training.training_dir(real).root), "--user", "bakyt", "export",
            "--to", COORDINATOR, "--privacy", "pseudonymous", "--out-dir", str(out)]  # fmt: skip
    code = cli_main(args)
    assert code == 1, capsys.readouterr()
    assert "training installation" in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_a_real_installation_still_sends(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    admin = network.session(HOTLINE_A, "admin")
    try:
        assert not training.is_training(hotline)
        request = ExportRequest(
            partners.partners(hotline, partners.RECIPIENT)[0].installation_id,
            Privacy.PSEUDONYMOUS,
        )
        assert exporting.export_batch(hotline, request, network.outbox).path.exists()
        card = partners.export_card(admin, network.root / "a.hlcard", recipient=False)
        assert card.fingerprint
    finally:
        hotline.close()
        admin.close()


def test_reset_deletes_only_a_marked_folder(real: DataDir) -> None:
    assert training.reset_training_installation(real)
    assert not training.training_dir(real).root.exists()
    assert not training.reset_training_installation(real)
    (real.root / "training").mkdir()
    (real.root / "training" / "hotline.db").write_bytes(b"x")
    with pytest.raises(KnownError):
        training.reset_training_installation(real)
    assert (real.root / "training" / "hotline.db").exists()
