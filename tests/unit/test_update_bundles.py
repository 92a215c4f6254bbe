"""Update bundles: the coordinator signs screening scripts and directory entries, a hotline
installs only what its own coordinator signed, all or nothing, once, and never an older one.

The bundles are made once per module in a copy of the network (the coordinator's keys are
the same in every copy); each test installs them into a fresh copy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from hotline import audit
from hotline.audit import AuditAction
from hotline.errors import BatchRejected, InvalidInput, KnownError, PermissionDenied
from hotline.exchange import bundles, envelope, partners
from hotline.exchange.envelope import Kind
from hotline.model.organisation import Organisation
from hotline.paths import DataDir, resources_dir
from hotline.services import directory, screening
from hotline.services.session import Session
from hotline.store.connection import Database
from tests.unit.exchange_support import COORDINATOR, HOTLINE_A, HOTLINE_B, Network, sign_in

SEED_KEY = "kg-iom-bishkek"
NEW_ID = str(uuid.uuid4())
SCRIPT = "job-offer"


@contextmanager
def signed_in(network: Network, code: str, user: str) -> Iterator[Session]:
    session = network.session(code, user)
    try:
        yield session
    finally:
        session.close()


def _script_v2(folder: Path, title: str) -> Path:
    source = (resources_dir() / "scripts" / f"{SCRIPT}.toml").read_text("utf-8")
    assert "\nversion = 1\n" in source
    source = source.replace("\nversion = 1\n", "\nversion = 2\n", 1)
    source = source.replace('title.en = "', f'title.en = "{title} ', 1)
    path = folder / f"{SCRIPT}-v2.toml"
    path.write_text(source, "utf-8")
    return path


def _new_entry() -> Organisation:
    return Organisation(
        id=NEW_ID,
        version=0,
        name="Shelter Umut (bundle test)",
        type="NGO",
        services=("shelter", "psychological"),
        country="KG",
        city="Osh",
        phones=("+996 312 62 33 44",),
        languages=("ky", "ru"),
        target_groups=("women",),
    )


@dataclass(frozen=True)
class Bundles:
    first: Path  # script v2, the new entry, the edited seed entry
    second: Path  # the new entry changed again
    foreign: Path  # signed by the other hotline
    coordinator_fingerprint: str
    hotline_b_root: Path  # a copy of the other hotline, to sign forged bundles


@pytest.fixture(scope="module")
def made(network_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Bundles:
    root = tmp_path_factory.mktemp("bundles") / "network"
    shutil.copytree(network_template, root)
    net = Network(root)
    out = root / "bundles"
    out.mkdir()
    with signed_in(net, COORDINATOR, "admin") as admin:  # may install scripts, edit entries
        screening.install_script(admin, _script_v2(root, "KG"))
        directory.save(admin, _new_entry())
        seed = next(o for o in directory.search(admin, "IOM") if o.seed_key == SEED_KEY)
        directory.save(admin, replace(seed, hours="Mon–Fri 9–18 (bundle)"))
        seed_id = seed.id
    with signed_in(net, COORDINATOR, "dana") as dana:
        first = bundles.publish(dana, out / "first.hlupdate", (SCRIPT,), (NEW_ID, seed_id))
        fingerprint = partners.my_fingerprint(dana)
    with signed_in(net, COORDINATOR, "admin") as admin:
        entry = directory.get(admin, NEW_ID)
        directory.save(admin, replace(entry, city="Osh city", notes="moved (bundle)"))
    with signed_in(net, COORDINATOR, "dana") as dana:
        second = bundles.publish(dana, out / "second.hlupdate", (), (NEW_ID,))
    with signed_in(net, HOTLINE_B, "dana") as other:
        foreign = bundles.publish(other, out / "foreign.hlupdate", (SCRIPT,), ())
    return Bundles(first, second, foreign, fingerprint, root / HOTLINE_B)


TABLES = ("scripts", "organisations", "organisation_services", "installed_bundles")


def rows(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    # The table names are the constants above.
    return {t: [tuple(r) for r in db.query(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in TABLES}  # noqa: S608


def refused(session: Session, path: Path, expected: str) -> None:
    """Installing ``path`` is refused with a message containing ``expected``; nothing changes."""
    directory.ensure_seeded(session)
    before = rows(session.db)
    with pytest.raises(BatchRejected) as caught:
        bundles.install(session, path)
    assert expected in caught.value.message
    assert rows(session.db) == before


def last_actions(session: Session, n: int = 5) -> list[str]:
    return [r.action for r in audit.recent(session.db, n)]


# --- what arrives ---------------------------------------------------------------------------


def test_scripts_and_directory_entries_arrive_and_are_usable(
    network: Network, made: Bundles
) -> None:
    with signed_in(network, HOTLINE_A, "bakyt") as hotline:
        assert screening.get_script(hotline, SCRIPT).version == 1
        info = bundles.inspect(hotline, made.first)
        assert info.state is bundles.State.NEW
        assert info.number == 1 and info.fingerprint == made.coordinator_fingerprint
        assert info.publisher.startswith(COORDINATOR)
        assert info.counts == {"scripts": 1, "organisations": 2}
        assert [(s.id, s.version) for s in info.content.scripts] == [(SCRIPT, 2)]

        result = bundles.install(hotline, made.first)
        assert result.status is bundles.Status.INSTALLED
        assert result.outcome == {
            "scripts_added": 1, "scripts_unchanged": 0, "organisations_added": 1,
            "organisations_updated": 1, "organisations_unchanged": 0,
        }  # fmt: skip
        assert AuditAction.UPDATE_INSTALLED.value in last_actions(hotline)

        # The new script version is offered for new calls; version 1 stays for old ones.
        script = screening.get_script(hotline, SCRIPT)
        assert script.version == 2 and script.title.get_text("en").startswith("KG ")
        assert screening.get_script(hotline, SCRIPT, 1).version == 1
        current = [i for i in screening.available(hotline) if i.id == SCRIPT and i.current]
        assert [i.version for i in current] == [2]

        # The new entry keeps its id and is found; the seed entry is updated, not doubled.
        found = directory.search(hotline, "Umut", service="shelter")
        assert [o.id for o in found] == [NEW_ID]
        seeds = hotline.db.query(
            "SELECT id, hours FROM organisations WHERE seed_key = ?", (SEED_KEY,)
        )
        assert len(seeds) == 1 and seeds[0][1] == "Mon–Fri 9–18 (bundle)"
        assert bundles.inspect(hotline, made.first).state is bundles.State.INSTALLED
        [entry] = bundles.installed_bundles(hotline)
        assert entry.number == 1 and entry.installed_by == "bakyt"


def test_a_later_bundle_updates_the_same_entries(network: Network, made: Bundles) -> None:
    with signed_in(network, HOTLINE_A, "admin") as hotline:
        bundles.install(hotline, made.first)
        result = bundles.install(hotline, made.second)
        assert result.number == 2
        assert result.outcome["organisations_updated"] == 1
        entry = directory.get(hotline, NEW_ID)
        assert (entry.city, entry.notes, entry.version) == ("Osh city", "moved (bundle)", 2)
        assert hotline.db.scalar("SELECT count(*) FROM organisations WHERE id = ?", (NEW_ID,)) == 1
        # Bundle 1 itself is still "already installed", not "older".
        assert bundles.inspect(hotline, made.first).state is bundles.State.INSTALLED
        assert bundles.install(hotline, made.first).status is bundles.Status.ALREADY


def test_a_number_may_be_skipped_but_an_older_bundle_is_refused(
    network: Network, made: Bundles
) -> None:
    with signed_in(network, HOTLINE_A, "admin") as hotline:
        bundles.install(hotline, made.second)  # number 2 first: the entry is added
        assert directory.get(hotline, NEW_ID).city == "Osh city"
        assert bundles.inspect(hotline, made.first).state is bundles.State.OLDER
        refused(hotline, made.first, "older than the one installed")


def test_the_same_bundle_twice_is_already_installed_and_changes_nothing(
    network: Network, made: Bundles
) -> None:
    with signed_in(network, HOTLINE_A, "bakyt") as hotline:
        first = bundles.install(hotline, made.first)
        before = rows(hotline.db)
        again = bundles.install(hotline, made.first)
        assert again.status is bundles.Status.ALREADY
        assert again.outcome == first.outcome
        assert rows(hotline.db) == before


# --- who may sign ---------------------------------------------------------------------------


def test_a_bundle_signed_by_another_hotline_is_refused(network: Network, made: Bundles) -> None:
    with signed_in(network, HOTLINE_A, "bakyt") as hotline:
        refused(hotline, made.foreign, "not this installation's coordinator")
        with pytest.raises(BatchRejected, match="not this installation's coordinator"):
            bundles.inspect(hotline, made.foreign)


def _forge(made: Bundles, path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """Re-sign the first bundle's content with the other hotline's key, after ``change``
    to its manifest."""
    sealed = envelope.read(made.first.read_bytes(), Kind.BUNDLE)
    manifest = dict(sealed.manifest)
    change(manifest)
    other = sign_in(DataDir(made.hotline_b_root), "dana")
    try:
        key = partners.my_identity(other).signing
    finally:
        other.close()
    path.write_bytes(envelope.seal(Kind.BUNDLE, manifest, sealed.payload, key))
    return path


def test_a_bundle_naming_the_coordinator_but_signed_by_another_key_is_refused(
    network: Network, made: Bundles, tmp_path: Path
) -> None:
    forged = _forge(made, tmp_path / "forged.hlupdate", lambda m: m.update(number=9))
    with signed_in(network, HOTLINE_A, "bakyt") as hotline:
        refused(hotline, forged, "signature does not match")


def test_a_coordinator_does_not_install_its_own_bundle(network: Network, made: Bundles) -> None:
    with signed_in(network, COORDINATOR, "dana") as dana:
        info = bundles.inspect(dana, made.first)
        assert info.state is bundles.State.OWN and info.number == 1
    with signed_in(network, COORDINATOR, "admin") as admin:
        refused(admin, made.first, "signed by this installation")


# --- damaged files --------------------------------------------------------------------------


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_tampered_or_damaged_bundles_are_refused(
    network: Network, made: Bundles, tmp_path: Path
) -> None:
    data = made.first.read_bytes()
    sealed = envelope.read(data, Kind.BUNDLE)
    manifest_at = 13 + 10  # the "i" of "bundle_id" (after magic, version, length and {")
    assert b'"number":1,' in data
    variants = {
        "payload": (_flip(data, len(data) - 5), "does not match its manifest"),
        "manifest": (_flip(data, manifest_at), "manifest.bundle_id: missing"),
        "number": (data.replace(b'"number":1', b'"number":7', 1), "signature does not match"),
        "signature": (_flip(data, len(sealed.signed) + 3), "signature does not match"),
        "truncated": (data[:-1], "cut short"),
        "appended": (data + b"\0", "extra bytes"),
        "empty": (b"", "empty"),
        "batch": (b"HLDBATCH" + data[8:], "a batch, not an update bundle"),
    }
    with signed_in(network, HOTLINE_A, "bakyt") as hotline:
        for name, (content, expected) in variants.items():
            path = tmp_path / f"{name}.hlupdate"
            path.write_bytes(content)
            refused(hotline, path, expected)


def test_invalid_content_signed_by_the_coordinator_is_refused_whole(
    network: Network, made: Bundles, tmp_path: Path
) -> None:
    """Content is validated before anything is written: a bad entry after a good script
    leaves the script uninstalled."""
    sealed = envelope.read(made.first.read_bytes(), Kind.BUNDLE)
    good = envelope.decompress(sealed.payload, sealed.manifest["content_bytes"])
    builtin = screening.builtin_scripts()[(SCRIPT, 1)].source

    def entry_with(**changes: object) -> dict[str, Any]:
        content = {**good, "organisations": [dict(good["organisations"][0], **changes)]}
        return content

    cases: dict[str, tuple[dict[str, Any], dict[str, int] | None, str]] = {
        "unknown service": (entry_with(services=["teleport"]), None, "teleport"),
        "bad phone": (entry_with(phones=["+996 12"]), None, "not a valid phone number"),
        "unknown field": (entry_with(secret="x"), None, "unexpected field"),
        "script conflict": (
            {**good, "scripts": [{"id": SCRIPT, "version": 1, "source": builtin + "\n#x\n"}]},
            None,
            "already exists here with other content",
        ),
        "broken script": (
            {**good, "scripts": [{"id": SCRIPT, "version": 3, "source": "format = 1\n"}]},
            None,
            "cannot be used",
        ),
        "counts": (good, {"scripts": 0, "organisations": 2}, "different number of items"),
    }
    with signed_in(network, COORDINATOR, "dana") as dana:
        key = partners.my_identity(dana).signing
    with signed_in(network, HOTLINE_A, "bakyt") as hotline:
        for number, (name, (content, counts, expected)) in enumerate(cases.items(), start=10):
            compressed, size = envelope.compress(content)
            manifest = dict(sealed.manifest, bundle_id=str(uuid.uuid4()), number=number)
            manifest.update(content_bytes=size)
            manifest["counts"] = counts or {
                "scripts": len(content["scripts"]),
                "organisations": len(content["organisations"]),
            }
            path = tmp_path / f"{number}.hlupdate"
            path.write_bytes(envelope.seal(Kind.BUNDLE, manifest, compressed, key))
            try:
                refused(hotline, path, expected)
            except AssertionError as error:
                raise AssertionError(name) from error
        assert screening.get_script(hotline, SCRIPT).version == 1


# --- roles ----------------------------------------------------------------------------------


def test_an_operator_cannot_install_and_a_supervisor_cannot_publish(
    network: Network, made: Bundles, tmp_path: Path
) -> None:
    with signed_in(network, HOTLINE_A, "olga") as operator:
        with pytest.raises(PermissionDenied):
            bundles.install(operator, made.first)
        with pytest.raises(PermissionDenied):
            bundles.inspect(operator, made.first)
        assert operator.db.scalar("SELECT count(*) FROM installed_bundles") == 0
    with signed_in(network, COORDINATOR, "bakyt") as supervisor:
        with pytest.raises(PermissionDenied):
            bundles.publish(supervisor, tmp_path / "x.hlupdate", (SCRIPT,))
        assert not (tmp_path / "x.hlupdate").exists()
        assert supervisor.db.scalar("SELECT count(*) FROM published_bundles") == 0


def test_publishing_numbers_bundles_and_is_audited(network: Network, tmp_path: Path) -> None:
    with signed_in(network, COORDINATOR, "dana") as dana:
        with pytest.raises(InvalidInput, match="at least one"):
            bundles.publish(dana, tmp_path / "empty.hlupdate")
        first = bundles.publish(dana, tmp_path / "a.hlupdate", (SCRIPT,))
        everything = bundles.publish(dana, tmp_path / "b.hlupdate", all_directory=True)
        assert bundles.inspect(dana, first).number == 1
        info = bundles.inspect(dana, everything)
        assert info.number == 2 and info.counts["scripts"] == 0
        assert info.counts["organisations"] == dana.db.scalar("SELECT count(*) FROM organisations")
        assert bundles.suggested_name(dana) == f"{COORDINATOR}-update-0003.hlupdate"
        published = [
            r for r in audit.recent(dana.db, 20) if r.action == "exchange.update_published"
        ]
        assert len(published) == 2 and '"sequence":2' in published[0].details
        assert not list(tmp_path.glob("*.partial"))


# --- the command line -----------------------------------------------------------------------
# These build a parser with hotline.cli_updates.register the way hotline.cli.build_parser
# calls it, so that they run before and after that call is added to build_parser.


def _parser() -> argparse.ArgumentParser:
    from hotline import cli, cli_updates

    parser = argparse.ArgumentParser(prog="hotline")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(
        parent: Any, name: str, func: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = parent.add_parser(name, help=help_text)
        cli._common(sub, top=True)
        sub.set_defaults(func=func)
        return sub

    cli_updates.register(commands, command)
    return parser


def _cli(
    capsys: pytest.CaptureFixture[str], network: Network, code: str, user: str, *argv: str
) -> tuple[int, str]:
    from tests.conftest import PASSWORDS

    password = network.root / f"{user}.password"
    password.write_text(PASSWORDS[user] + "\n", "utf-8")
    saved = os.environ.pop("HOTLINE_PASSWORD", None)  # --password-file must be the one used
    try:
        args = _parser().parse_args(
            [*argv, "--data-dir", str(network.dir(code).root), "--user", user,
             "--password-file", str(password)]
        )  # fmt: skip
        status = int(args.func(args))
    finally:
        if saved is not None:
            os.environ["HOTLINE_PASSWORD"] = saved
    return status, capsys.readouterr().out


def test_the_update_commands_publish_show_and_install(
    capsys: pytest.CaptureFixture[str], network: Network
) -> None:
    target = network.outbox / "cli.hlupdate"
    status, out = _cli(
        capsys, network, COORDINATOR, "dana",
        "update", "publish", "--out", str(target), "--script", SCRIPT, "--directory",
    )  # fmt: skip
    assert status == 0 and "number 1" in out and f"{SCRIPT} v1" in out
    status, out = _cli(capsys, network, HOTLINE_A, "bakyt", "update", "show", str(target))
    assert status == 0 and made_by_coordinator(out) and "not installed here yet" in out
    status, out = _cli(capsys, network, HOTLINE_A, "bakyt", "update", "install", str(target))
    assert status == 0 and "Installed update bundle number 1" in out
    assert "already here: 1" in out  # version 1 of the script is shipped with the program
    status, out = _cli(capsys, network, HOTLINE_A, "bakyt", "update", "install", str(target))
    assert status == 0 and "already installed" in out
    with pytest.raises(KnownError, match="already exists"):
        _cli(capsys, network, COORDINATOR, "dana", "update", "publish", "--out", str(target))


def made_by_coordinator(out: str) -> bool:
    return f"Signed by: {COORDINATOR}" in out
