"""What every command gets: the configuration and the database, loaded on first use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlite_utils

from crawler.app.config import Config, load_config
from crawler.app.database import open_db
from crawler.app.lock import CycleLock, lock_path
from crawler.base.clock import SYSTEM_CLOCK, Clock
from crawler.base.logs import hide, url_credentials


def hide_credentials(config: Config) -> None:
    """Keep the credentials of every source URL out of logs and stored errors."""
    hide(secret for source in config.sources for secret in url_credentials(source.url))


@dataclass
class App:
    """Command context: ``--config``/``--db`` as given, the loaded config, the open database and the clock.

    ``clock`` is the one wall clock every stage is handed (a test may pass a controlled one)."""

    config_path: str | None = None
    db_override: str | None = None
    clock: Clock = SYSTEM_CLOCK
    _config: Config | None = field(default=None, repr=False)
    _db: sqlite_utils.Database | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, self.db_override)
            hide_credentials(self._config)
        return self._config

    @property
    def loaded_config(self) -> Config | None:
        """The configuration if a command loaded it (error messages name its database)."""
        return self._config

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            self._db = open_db(self.config.db_path, self.config.database.busy_timeout)
        return self._db

    def cycle_lock(self) -> CycleLock:
        """The lock that keeps two cycles (run, gather, daemon) off the database at once."""
        return CycleLock(lock_path(self.config.db_path, self.config.daemon.lock_file))

    def reload(self, check: Callable[[Config], None] | None = None) -> Config:
        """Re-read the configuration (SIGHUP); the database stays open. ``check`` may raise to keep the
        running configuration."""
        config = load_config(self.config_path, self.db_override)
        if check is not None:
            check(config)
        self._config = config
        hide_credentials(config)
        return config

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
