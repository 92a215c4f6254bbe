"""Training mode: a separate installation filled with invented calls, for practice.

Where it lives: ``<data dir>/training/``, a data directory of its own (its own
``hotline.db``, ``keyslots.json`` and settings) beside, never inside, the real database.
Nothing in the real installation refers to it; deleting the folder resets it.

How it is marked, three times over:

* ``TRAINING.txt`` in its folder (plain text, written before the database exists): the
  program can tell a training folder before anyone signs in (the banner on the login
  window), and the mark covers the moment between creating the database and writing the
  setting below;
* the setting ``training.installation`` in the encrypted database, written right after it
  is created: it travels with the database (a copy, a backup restored elsewhere);
* the organisation code ``TRAINING``, seen on every screen, slip and file name.

Whatever the path (the windows, ``hotline export``, the outbox, the coordinator's
exports, update bundles, cards), the exchange layer calls :func:`refuse` before it writes
anything meant for another installation, and an installation marked as training refuses
to import batches too, so real records never land in a database whose password is shared
among trainees. See docs/training.md.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotline.errors import KnownError
from hotline.i18n import _
from hotline.paths import DataDir

if TYPE_CHECKING:
    from hotline.services.session import Session
    from hotline.store.connection import Database

FOLDER = "training"
MARKER_FILE = "TRAINING.txt"
SETTING = "training.installation"
ORG_CODE = "TRAINING"
DEFAULT_CONTACTS = 3_000
DEFAULT_YEARS = 1
MARKER_TEXT = (
    "This folder holds a TRAINING installation of Hotline Desk: invented calls for practice.\n"
    "Nothing in it is real, and it can never be sent to a coordinator.\n"
    "Deleting this folder resets training mode; it does not touch the real data.\n"
)


class TrainingDataError(KnownError):
    """Something meant for real work (a batch, a card, an export) asked of a training
    installation, or real records offered to one."""


@dataclass(frozen=True)
class TrainingInstallation:
    data_dir: DataDir  # the training folder
    usernames: tuple[str, ...]  # the administrator first; every account has ``password``
    password: str
    recovery_key: str
    contacts: int
    seconds: float  # creating the database and writing the calls


def training_dir(data_dir: DataDir) -> DataDir:
    """The training folder of the installation in ``data_dir``: ``<data dir>/training``.
    A folder that is already a training folder is its own training folder."""
    if (data_dir.root / MARKER_FILE).exists():
        return data_dir
    return DataDir(data_dir.root / FOLDER)


def is_training(target: Session | DataDir | Database) -> bool:
    """Whether ``target`` is a training installation: a data folder (by its marker file,
    readable before sign-in), an open database (by its setting) or a session (either)."""
    from hotline.services.session import Session
    from hotline.store.repositories import settings as settings_repo

    if isinstance(target, DataDir):
        return (target.root / MARKER_FILE).exists()
    if isinstance(target, Session):
        return is_training(target.data_dir) or is_training(target.db)
    return settings_repo.get(target, SETTING) == "1"


def refuse(session: Session, what: str) -> None:
    """Raise TrainingDataError if ``session`` is a training installation. ``what`` is a
    translated noun phrase ("a batch", "an update bundle") that ends up in the message."""
    if is_training(session):
        raise TrainingDataError(
            _("This is the training installation: %(what)s cannot be made from practice data.")
            % {"what": what},
            hint=_("Nothing in training mode is real, and it is never sent anywhere. "
                   "Close training mode and sign in to the real installation."),
        )  # fmt: skip


def refuse_import(session: Session) -> None:
    """Raise TrainingDataError if real records are offered to a training installation."""
    if is_training(session):
        raise TrainingDataError(
            _("This is the training installation: it does not take in batches of real "
              "records."),
            hint=_("Import batches in the real installation."),
        )  # fmt: skip


def create_training_installation(
    data_dir: DataDir,
    password: str | None = None,
    *,
    contacts: int = DEFAULT_CONTACTS,
    seed: int = 1,
    years: int = DEFAULT_YEARS,
    country: str = "KG",
    progress: Callable[[int], None] | None = None,
) -> TrainingInstallation:
    """Create the training installation of ``data_dir`` (the real data folder, or the
    training folder itself) and fill it with ``contacts`` invented calls over ``years``.
    The accounts are those of the demo loader (``hotline.demo.installation``), each with
    ``password`` (default: the demo password). Raises KnownError if it exists already."""
    from hotline.demo import generator, installation
    from hotline.services import setup, users
    from hotline.store.repositories import settings as settings_repo

    began = time.perf_counter()
    target = training_dir(data_dir)
    if target.database.exists():
        raise KnownError(
            _("A training installation already exists in %(path)s.") % {"path": target.root},
            hint=_("Open it, or reset training mode to start again with fresh practice data."),
        )
    chosen = installation.DEFAULT_PASSWORD if password is None else password
    target.root.mkdir(parents=True, exist_ok=True)
    (target.root / MARKER_FILE).write_text(MARKER_TEXT, encoding="utf-8")
    result = setup.initialize(
        target,
        setup.SetupRequest(
            org_code=ORG_CODE,
            org_name=_("Training hotline (practice data)"),
            country=country,
            site_name=_("Training"),
            admin_username=installation.ADMIN,
            admin_password=chosen,
            admin_display_name=_("Training administrator"),
        ),
    )
    session = result.session
    try:
        with session.db.transaction():
            settings_repo.put(session.db, SETTING, "1")
        for name, role, display in installation.STAFF:
            users.add_user(session, name, role, chosen, display)
        generator.load(session, contacts, seed=seed, years=years, progress=progress)
    finally:
        session.close()
    names = (installation.ADMIN, *(name for name, _r, _d in installation.STAFF))
    return TrainingInstallation(
        data_dir=target,
        usernames=names,
        password=chosen,
        recovery_key=result.recovery_key,
        contacts=contacts,
        seconds=time.perf_counter() - began,
    )


def reset_training_installation(data_dir: DataDir) -> bool:
    """Delete the training installation of ``data_dir`` (its whole folder). Returns False
    if there is none. A folder without the training mark is never deleted."""
    target = training_dir(data_dir)
    if not target.root.exists():
        return False
    if not is_training(target):
        raise KnownError(
            _("The folder %(path)s is not marked as a training installation; it was left "
              "untouched.") % {"path": target.root}
        )  # fmt: skip
    shutil.rmtree(target.root)
    return True
