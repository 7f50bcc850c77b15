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
from typing import Any, Literal
from urllib.parse import urlsplit

from alerts.config import AlertsConfig
from classifier.config import ClassifierConfig, StoriesConfig
from crawler.base.confschema import ConfigError, Duration, build, setting

CONFIG_ENV = "SCAMWATCH_CONFIG"
DB_ENV = "SCAMWATCH_DB"
DEFAULT_SOURCES = "sources.toml"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass
class SourceConfig:
    """One place scamwatch reads: a feed, a listing page or a sitemap."""

    name: str = setting(help="Unique name (lowercase letters, digits, . _ -)")
    url: str = setting(help="http(s) URL of the feed, listing page or sitemap")
    kind: Literal["feed", "listing", "sitemap"] = setting("feed", help="feed, listing or sitemap")
    lang: str | None = setting(None, help="ISO 639-1 language of the outlet, if known")
    country: str | None = setting(None, help="ISO 3166-1 alpha-2 country of the outlet")
    poll_interval: Duration = setting(Duration(1800), help="How often to poll (e.g. '30m'); adapts within crawler.poll_floor/poll_ceiling")
    enabled: bool = setting(True, help="Set false to keep a source listed but never polled")
    link_selector: str | None = setting(None, help="Listings: CSS selector of article links")
    link_xpath: str | None = setting(None, help="Listings: XPath of article links (instead of CSS)")
    next_page_selector: str | None = setting(None, help="Listings: CSS selector of the next-page link")
    next_page_xpath: str | None = setting(None, help="Listings: XPath of the next-page link")
    max_pages: int = setting(1, help="Listings: how many listing pages to follow, next-page links included")
    obey_robots: bool | None = setting(None, help="Override crawler.obey_robots for this source")
    download_delay: float | None = setting(None, help="Override crawler.download_delay (seconds) for this source's host")
    concurrency: int | None = setting(None, help="Override crawler.per_domain_concurrency for this source's host")
    allow_private: bool = setting(False, help="Allow this source's host to resolve to private/loopback addresses")
    tags: list[str] = setting([], help="Free-form labels, usable in alert routing")

    def validate(self, key: str) -> None:
        if not _NAME.match(self.name):
            raise ConfigError(f"{key}.name", f"{self.name!r} is not a valid name (lowercase letters, digits, '.', '_', '-')")
        check_url(self.url, f"{key}.url")
        if self.kind == "listing" and not (self.link_selector or self.link_xpath):
            raise ConfigError(key, f"listing source {self.name!r} needs link_selector or link_xpath")
        if self.max_pages < 1:
            raise ConfigError(f"{key}.max_pages", "must be at least 1")
        if self.poll_interval < 60:
            raise ConfigError(f"{key}.poll_interval", "must be at least 60 seconds")


@dataclass
class DatabaseConfig:
    path: str = setting("scamwatch.db", help="SQLite database file (relative paths: to the config file's folder)")
    busy_timeout: Duration = setting(Duration(30), help="How long a writer waits for a lock before failing")


@dataclass
class CrawlerConfig:
    """Politeness, safety and scheduling for every source (sources may override some)."""

    user_agent: str = setting("scamwatch/0.1 (+{contact})", help="User-Agent; {contact} is replaced by contact_url")
    contact_url: str = setting("https://example.org/scamwatch-contact", help="Where site owners can reach the operator")
    obey_robots: bool = setting(True, help="Obey robots.txt")
    concurrency: int = setting(16, help="Concurrent requests in total")
    per_domain_concurrency: int = setting(2, help="Concurrent requests per host")
    download_delay: float = setting(1.0, help="Seconds between requests to one host")
    timeout: Duration = setting(Duration(30), help="Download timeout per request")
    retries: int = setting(2, help="Retries of a failed request (with backoff)")
    max_response_bytes: int = setting(10_000_000, help="Largest response accepted, compressed or decompressed")
    max_redirects: int = setting(5, help="Longest redirect chain followed")
    allow_private_hosts: bool = setting(False, help="Allow hosts that resolve to private, loopback or link-local addresses")
    poll_floor: Duration = setting(Duration(600), help="Shortest adaptive poll interval")
    poll_ceiling: Duration = setting(Duration(6 * 3600), help="Longest adaptive poll interval")
    backoff_after: int = setting(5, help="Consecutive failures after which a source is backed off")
    backoff_max: Duration = setting(Duration(24 * 3600), help="Longest back-off of a failing source")
    max_articles_per_source: int = setting(50, help="Most new article links fetched from one source per pass")
    extract_workers: int | None = setting(None, help="Extraction worker processes (default: one per core, at most 4; 0 = inline)")
    include_default_sources: bool = setting(True, help="Also poll the shipped source list (config/sources.toml)")

    def validate(self, key: str) -> None:
        check_url(self.contact_url, f"{key}.contact_url")
        if self.poll_floor > self.poll_ceiling:
            raise ConfigError(f"{key}.poll_floor", "must not exceed poll_ceiling")
        for name in ("concurrency", "per_domain_concurrency", "max_redirects", "max_response_bytes"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{key}.{name}", "must be at least 1")


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


def check_url(url: str, key: str) -> None:
    """Raise a ConfigError unless ``url`` is an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(key, f"{url!r} is not an http(s) URL")


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
