"""Where an installation keeps its files.

A data directory holds exactly one installation:
``hotline.db`` (SQLCipher), ``keyslots.json`` (wrapped keys, no secrets in clear) and
short-lived staging files of interrupted operations, which ``settle`` tidies.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_DATA_DIR = "HOTLINE_DATA_DIR"


def default_data_dir() -> Path:
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("HotlineDesk", appauthor=False))


@dataclass(frozen=True)
class DataDir:
    root: Path

    @classmethod
    def resolve(cls, given: str | os.PathLike[str] | None) -> DataDir:
        return cls(Path(given).expanduser() if given else default_data_dir())

    @property
    def database(self) -> Path:
        return self.root / "hotline.db"

    @property
    def keyslots(self) -> Path:
        return self.root / "keyslots.json"

    @property
    def wal(self) -> Path:
        """SQLite's write-ahead log beside the database (part of it while it is open)."""
        return self.root / "hotline.db-wal"

    @property
    def rekey_staging(self) -> Path:
        """The re-encrypted copy written during key rotation or restore."""
        return self.root / "hotline.db.staged"

    @property
    def settings(self) -> Path:
        """Per-machine preferences that are not secret (window size, last language)."""
        return self.root / "settings.json"

    def exists(self) -> bool:
        return self.database.exists() or self.keyslots.exists()


def resources_dir() -> Path:
    """The read-only data the program ships: ``resources/`` beside the packages, or bundled."""
    import sys

    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
