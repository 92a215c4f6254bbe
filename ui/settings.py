"""Per-machine preferences that are not secret, kept in ``settings.json`` in the data dir.

The file is read before sign-in, so it never holds anything from the encrypted database:
only the last user name typed and the interface language.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from hotline.fsutil import atomic_write
from hotline.i18n import normalize_language

log = logging.getLogger(__name__)


@dataclass
class Settings:
    last_username: str = ""
    language: str = ""


def load_settings(path: Path) -> Settings:
    """The saved settings; defaults if the file is missing or unreadable (never fatal)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as error:
        log.warning("ignoring unreadable settings file %s: %s", path, error)
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    username = data.get("last_username")
    language = data.get("language")
    return Settings(
        last_username=username if isinstance(username, str) else "",
        language=(normalize_language(language) or "") if isinstance(language, str) else "",
    )


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings atomically; the folder must already exist (it holds the database)."""
    text = json.dumps(asdict(settings), ensure_ascii=False, indent=2, sort_keys=True)
    atomic_write(path, (text + "\n").encode("utf-8"))
