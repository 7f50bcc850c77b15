"""Source health: what went wrong (by kind), and when to poll next.

Pure functions over values: classifying a failed download, adapting a source's poll
interval between ``crawler.poll_floor`` and ``poll_ceiling``, and backing off a source
that keeps failing (failure kinds by exception type). The storage module turns the results into ``sources`` rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    NotSupported,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet import error as tx_error
from twisted.web.client import ResponseFailed, ResponseNeverReceived
from twisted.web.error import SchemeNotSupported

from crawler.base.clock import iso, later
from crawler.gather.config import CrawlerConfig
from crawler.gather.downloads import CrawlStopped, HeadersTooLarge, ResponseTooLarge
from crawler.gather.middlewares import (
    BadRedirect,
    BodyTooLarge,
    PrivateAddressRefused,
    RobotsForbidden,
    TooManyRedirects,
)

# Failure kinds that will not go away by asking again soon (for article URLs).
PERMANENT_KINDS = frozenset({"robots", "http_4xx", "http_404", "http_410", "private_address", "too_large",
                             "headers_too_large", "redirects", "bad_redirect", "bad_link", "not_http", "too_slow"})
GROW, SHRINK = 1.5, 0.5  # interval factors: nothing new / something new


@dataclass
class SourceOutcome:
    """What one poll of one source produced."""

    name: str
    ok: bool = False
    status: int | None = None           # HTTP status of the source's own URL
    kind: str = "pending"               # new | unchanged | not_modified | empty-handed | an error kind
    error: str | None = None
    entries: int = 0                    # entries/links the source listed
    new_links: int = 0                  # of which not seen before
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    elapsed: float = 0.0
    newest: str | None = None           # newest entry date the source gave, ISO 8601
    notes: list[str] = field(default_factory=list)


# Failure kinds by exception type, most specific first. Scrapy wraps Twisted's download
# errors into its own (scrapy.exceptions); Twisted's and the stdlib's stay for older paths.
_KINDS: tuple[tuple[str, tuple[type[BaseException], ...]], ...] = (
    ("robots", (RobotsForbidden,)),
    ("private_address", (PrivateAddressRefused,)),
    ("redirects", (TooManyRedirects,)),
    ("bad_redirect", (BadRedirect,)),
    ("download", (CrawlStopped,)),
    ("headers_too_large", (HeadersTooLarge,)),
    ("too_large", (BodyTooLarge, ResponseTooLarge, DownloadCancelledError)),  # Scrapy cancels only for size
    ("timeout", (DownloadTimeoutError, tx_error.TimeoutError, defer.TimeoutError, TimeoutError)),
    ("dns", (CannotResolveHostError, tx_error.DNSLookupError)),
    ("not_http", (UnsupportedURLSchemeError, SchemeNotSupported, NotSupported)),
    ("connection", (DownloadConnectionRefusedError, DownloadFailedError, ResponseDataLossError,
                    tx_error.ConnectError, tx_error.ConnectionLost, ResponseFailed, ResponseNeverReceived,
                    ConnectionError)),
)


def classify_failure(exc: BaseException | None) -> tuple[str, str]:
    """``(kind, message)`` for an exception that ended a download."""
    if exc is None:
        return "download", "failed without an exception"
    text = str(exc) or type(exc).__name__
    if isinstance(exc, HttpError):
        status = exc.response.status
        return http_kind(status), f"HTTP {status}"
    for kind, types in _KINDS:
        if isinstance(exc, types):
            return kind, text
    return "download", f"{type(exc).__name__}: {text}"


def http_kind(status: int) -> str:
    """``http_404``, ``http_410`` keep their codes; others group as ``http_4xx``/``http_5xx``."""
    if status in (404, 410):
        return f"http_{status}"
    return "http_5xx" if status >= 500 else "http_4xx"


def clamp_interval(seconds: float, config: CrawlerConfig) -> float:
    return float(min(max(seconds, config.poll_floor), config.poll_ceiling))


def schedule(row: dict[str, Any], outcome: SourceOutcome, config: CrawlerConfig,
             now: datetime) -> dict[str, Any]:
    """The ``sources`` columns to update after ``outcome`` (health counters and next poll)."""
    configured = float(row.get("poll_interval") or config.poll_floor)
    current = clamp_interval(float(row.get("current_interval") or configured), config)
    stamp = iso(now)
    update: dict[str, Any] = {"last_attempt": stamp, "last_status": outcome.status}
    if outcome.ok:
        current = clamp_interval(current * (SHRINK if outcome.new_links else GROW), config)
        update.update(last_success=stamp, last_error=None, last_error_kind=None, consecutive_failures=0,
                      backoff_until=None, current_interval=current, next_poll_at=later(now, current))
        if outcome.kind == "new":  # 304/unchanged bodies were not parsed: keep the last count
            update["items_found"] = outcome.entries
        for key in ("etag", "last_modified", "body_hash"):
            value = getattr(outcome, key)
            if value is not None or outcome.kind == "new":
                update[key] = value
        return update
    failures = int(row.get("consecutive_failures") or 0) + 1
    counts = json.loads(row.get("failure_counts") or "{}")
    counts[outcome.kind] = counts.get(outcome.kind, 0) + 1
    update.update(last_error=outcome.error, last_error_kind=outcome.kind, consecutive_failures=failures,
                  failure_counts=json.dumps(counts, sort_keys=True), current_interval=current)
    wait = current
    if failures >= config.backoff_after:
        wait = min(float(config.backoff_max), current * 2 ** (failures - config.backoff_after + 1))
        update["backoff_until"] = later(now, wait)
    update["next_poll_at"] = later(now, wait)
    return update


def is_due(row: dict[str, Any] | None, now: datetime) -> bool:
    """A source is due when it was never polled or its next poll time has come."""
    if not row or not row.get("next_poll_at"):
        return True
    return str(row["next_poll_at"]) <= iso(now)


def backed_off(row: dict[str, Any] | None, now: datetime) -> bool:
    return bool(row and row.get("backoff_until") and str(row["backoff_until"]) > iso(now))
