"""The one application context, passed explicitly to every window (no global singletons)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from hotline.paths import DataDir
from hotline.services.session import Session
from ui.settings import Settings, load_settings, save_settings
from ui.worker import Runner

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    data_dir: DataDir
    runner: Runner
    settings: Settings = field(default_factory=Settings)
    session: Session | None = None
    # --lang on the command line wins over each user's remembered language.
    language_forced: bool = False

    @classmethod
    def create(cls, data_dir: DataDir) -> AppContext:
        return cls(data_dir=data_dir, runner=Runner(), settings=load_settings(data_dir.settings))

    @property
    def installed(self) -> bool:
        return self.data_dir.database.exists()

    def require_session(self) -> Session:
        if self.session is None:
            raise RuntimeError("no open session")
        return self.session

    def save_settings(self) -> None:
        if not self.data_dir.root.is_dir():
            return
        try:
            save_settings(self.data_dir.settings, self.settings)
        except OSError as error:  # preferences are a convenience: never block sign-in
            log.warning("could not save settings to %s: %s", self.data_dir.settings, error)

    def close_session(self, *, locked: bool = False) -> None:
        """Close the database connection; the widgets showing its data must go too."""
        session, self.session = self.session, None
        if session is None or session.db.closed:
            return
        self.runner.wait()
        try:
            session.close(locked=locked)
        except Exception:  # the audit write failed: still close the connection
            log.exception("closing the session failed")
            session.db.close()
