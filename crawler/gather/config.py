"""Settings of the gather stage: the ``[crawler]`` section and the ``[[sources]]`` tables.

:class:`GatherContext` is what the stage needs of the whole configuration; the top layer's
``Config`` provides it, so the stage never imports the layer above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import urlsplit

from crawler.base.confschema import ConfigError, Duration, setting

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
    extract_timeout: Duration = setting(Duration(20), help="Most time one page's extraction or one feed's parsing may take in a worker; past it the worker is replaced and the page or source recorded as too_slow (a page keeps its feed text if any); no budget when extract_workers = 0")
    include_default_sources: bool = setting(True, help="Also poll the shipped source list (config/sources.toml)")

    def validate(self, key: str) -> None:
        check_url(self.contact_url, f"{key}.contact_url")
        if self.extract_timeout <= 0:
            raise ConfigError(f"{key}.extract_timeout", "must be more than 0 seconds")
        if self.poll_floor > self.poll_ceiling:
            raise ConfigError(f"{key}.poll_floor", "must not exceed poll_ceiling")
        for name in ("concurrency", "per_domain_concurrency", "max_redirects", "max_response_bytes"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{key}.{name}", "must be at least 1")


def check_url(url: str, key: str) -> None:
    """Raise a ConfigError unless ``url`` is an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(key, f"{url!r} is not an http(s) URL")


class GatherContext(Protocol):
    """What the gather stage reads of the configuration."""

    @property
    def crawler(self) -> CrawlerConfig: ...

    @property
    def sources(self) -> list[SourceConfig]: ...

    @property
    def enabled_sources(self) -> list[SourceConfig]: ...

    def source(self, name: str) -> SourceConfig: ...
