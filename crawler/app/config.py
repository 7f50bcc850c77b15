"""The one validated configuration object: built from TOML file < environment < flags.

Each stage owns its section (``classifier.config``, ``alerts.config``…); this module
owns the crawler's sections and the sources, and composes the whole :class:`Config`.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from alerts.config import AlertsConfig
from classifier.config import ClassifierConfig
from classifier.stories.config import StoriesConfig
from crawler.base.confschema import ConfigError, Duration, build, setting
from crawler.gather.config import CrawlerConfig, SourceConfig

CONFIG_ENV = "SCAMWATCH_CONFIG"
DB_ENV = "SCAMWATCH_DB"
DEFAULT_SOURCES = "sources.toml"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass
class DatabaseConfig:
    path: str = setting("scamwatch.db", help="SQLite database file (relative paths: to the config file's folder)")
    busy_timeout: Duration = setting(Duration(30), help="How long a writer waits for a lock before failing")


@dataclass
class DaemonConfig:
    tick: Duration = setting(Duration(60), help="How often the daemon wakes to look for due work")
    stall_after: Duration = setting(Duration(3600), help="Report a daemon that completed no cycle for this long")
    lock_file: str | None = setting(None, help="Lock file (default: the database path + '.lock')")


@dataclass
class Config:
    """The whole configuration. ``source_file`` is where it was read from, if anywhere."""

    database: DatabaseConfig = dataclasses.field(default_factory=DatabaseConfig)
    crawler: CrawlerConfig = dataclasses.field(default_factory=CrawlerConfig)
    classifier: ClassifierConfig = dataclasses.field(default_factory=ClassifierConfig)
    stories: StoriesConfig = dataclasses.field(default_factory=StoriesConfig)
    alerts: AlertsConfig = dataclasses.field(default_factory=AlertsConfig)
    daemon: DaemonConfig = dataclasses.field(default_factory=DaemonConfig)
    sources: list[SourceConfig] = dataclasses.field(default_factory=list)
    source_file: str | None = dataclasses.field(default=None, metadata={"internal": True})

    @property
    def base_dir(self) -> Path:
        """Folder that relative paths in the config are resolved against."""
        return Path(self.source_file).resolve().parent if self.source_file else Path.cwd()

    def resolve(self, path: str) -> Path:
        """Resolve a path from the config against :attr:`base_dir`."""
        p = Path(os.path.expanduser(path))
        return p if p.is_absolute() else self.base_dir / p

    @property
    def db_path(self) -> Path:
        return self.resolve(self.database.path)

    @property
    def enabled_sources(self) -> list[SourceConfig]:
        return [s for s in self.sources if s.enabled]

    def source(self, name: str) -> SourceConfig:
        for src in self.sources:
            if src.name == name:
                return src
        raise ConfigError("sources", f"no source named {name!r}", self.source_file)


def load_config(path: str | os.PathLike[str] | None = None, db: str | None = None) -> Config:
    """Load and validate the configuration: file (``path`` or $SCAMWATCH_CONFIG) < env < flags."""
    path = path or os.environ.get(CONFIG_ENV) or None
    data: dict[str, Any] = {}
    file = str(path) if path else None
    if file:
        data = _read_toml(Path(file))
    try:
        user_sources = data.pop("sources", [])
        if not isinstance(user_sources, list):
            raise ConfigError("sources", "expected [[sources]] tables")
        config = build(Config, data)
        config.source_file = file
        config.sources = _merge_sources(config, user_sources)
    except ConfigError as exc:
        raise exc.in_file(file or "(defaults)") from None
    db = db or os.environ.get(DB_ENV)
    if db:
        config.database.path = str(Path(db).resolve())
    return config


def _merge_sources(config: Config, user_sources: list[Any]) -> list[SourceConfig]:
    """User sources, plus shipped defaults not overridden by name (when enabled)."""
    sources = [build(SourceConfig, s, f"sources[{i}]") for i, s in enumerate(user_sources)]
    seen: set[str] = set()
    for i, src in enumerate(sources):
        if src.name in seen:
            raise ConfigError(f"sources[{i}].name", f"duplicate source name {src.name!r}")
        seen.add(src.name)
    if config.crawler.include_default_sources:
        sources += [s for s in default_sources() if s.name not in seen]
    return sources


def default_sources() -> list[SourceConfig]:
    """The shipped source list (``config/sources.toml``)."""
    text = resources.files("scamwatch_config").joinpath(DEFAULT_SOURCES).read_text("utf-8")
    try:
        raw = tomllib.loads(text).get("sources", [])
        return [build(SourceConfig, s, f"sources[{i}]") for i, s in enumerate(raw)]
    except (tomllib.TOMLDecodeError, ConfigError) as exc:
        raise ConfigError("", f"shipped source list is broken: {exc}", DEFAULT_SOURCES) from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError("", "config file not found (run 'scamwatch init' to write one)", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("", f"not valid TOML: {exc}", str(path)) from None
    except OSError as exc:
        raise ConfigError("", f"cannot read: {exc.strerror}", str(path)) from None
