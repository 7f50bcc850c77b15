"""Pure parts of the gather stage: scheduling, failure kinds, settings, address checks."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    UnsupportedURLSchemeError,
)
from scrapy.utils.test import get_crawler
from twisted.internet import error as tx_error

from crawler.base.confschema import Duration
from crawler.gather.config import CrawlerConfig, SourceConfig
from crawler.gather.downloads import CrawlStopped
from crawler.gather.health import SourceOutcome, backed_off, classify_failure, is_due, schedule
from crawler.gather.middlewares import (
    PrivateAddressRefused,
    PrivateHostMiddleware,
    RobotsForbidden,
    TooManyRedirects,
    is_public,
)
from crawler.gather.scrapy_settings import download_slots, scrapy_settings, user_agent

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CFG = CrawlerConfig(poll_floor=Duration(600), poll_ceiling=Duration(6 * 3600), backoff_after=3,
                    backoff_max=Duration(24 * 3600))


def _row(**kw: object) -> dict:
    return {"poll_interval": 1800.0, "current_interval": None, "consecutive_failures": 0,
            "failure_counts": "{}", **kw}


def test_quiet_sources_are_polled_less_and_busy_ones_more() -> None:
    quiet = schedule(_row(), SourceOutcome("s", ok=True, kind="not_modified"), CFG, NOW)
    busy = schedule(_row(), SourceOutcome("s", ok=True, kind="new", new_links=3), CFG, NOW)
    assert quiet["current_interval"] == 2700 and busy["current_interval"] == 900
    assert quiet["next_poll_at"] == (NOW + timedelta(seconds=2700)).isoformat()
    floor = schedule(_row(current_interval=700.0), SourceOutcome("s", ok=True, new_links=1), CFG, NOW)
    ceiling = schedule(_row(current_interval=20000.0), SourceOutcome("s", ok=True), CFG, NOW)
    assert floor["current_interval"] == 600 and ceiling["current_interval"] == 6 * 3600


def test_failures_are_counted_by_kind_and_backed_off_exponentially() -> None:
    row = _row()
    waits = []
    for kind in ("timeout", "timeout", "http_5xx", "http_5xx"):
        update = schedule(row, SourceOutcome("s", kind=kind, error="x"), CFG, NOW)
        row = {**row, **update}
        waits.append(update.get("backoff_until"))
    assert json.loads(row["failure_counts"]) == {"timeout": 2, "http_5xx": 2}
    assert row["consecutive_failures"] == 4 and waits[:2] == [None, None]
    assert waits[2] == (NOW + timedelta(seconds=3600)).isoformat()      # 1800 s x 2
    assert waits[3] == (NOW + timedelta(seconds=7200)).isoformat()      # then x 4
    assert backed_off(row, NOW) and not is_due(row, NOW)
    recovered = schedule(row, SourceOutcome("s", ok=True, kind="new"), CFG, NOW + timedelta(days=1))
    assert recovered["backoff_until"] is None and recovered["consecutive_failures"] == 0


def test_never_polled_source_is_due() -> None:
    assert is_due(None, NOW) and is_due(_row(next_poll_at=None), NOW)
    assert not is_due(_row(next_poll_at=(NOW + timedelta(minutes=1)).isoformat()), NOW)


@pytest.mark.parametrize(("exc", "kind"), [
    (RobotsForbidden("Forbidden by robots.txt"), "robots"),
    (TooManyRedirects("max redirections reached"), "redirects"),
    (PrivateAddressRefused("host resolves to 10.0.0.1"), "private_address"),
    (DownloadTimeoutError("Getting x took longer than 3 seconds."), "timeout"),
    (TimeoutError("no answer"), "timeout"),
    (tx_error.DNSLookupError("no such host"), "dns"),
    (CannotResolveHostError("no such host"), "dns"),
    (ConnectionRefusedError("refused"), "connection"),
    (DownloadConnectionRefusedError("refused"), "connection"),
    (DownloadCancelledError("body larger than the maximum"), "too_large"),
    (CrawlStopped("stopped"), "download"),
    (UnsupportedURLSchemeError("gopher"), "not_http"),
    (IgnoreRequest("a timeout in the message is not a timeout"), "download"),
    (RuntimeError("connection refused: words decide nothing"), "download"),
])
def test_failure_kinds(exc: Exception, kind: str) -> None:
    assert classify_failure(exc)[0] == kind


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("2606:4700::1111", True), ("127.0.0.1", False), ("10.1.2.3", False),
    ("192.168.0.1", False), ("169.254.169.254", False), ("::1", False), ("fe80::1", False),
    ("::ffff:10.0.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False), ("100.64.0.1", False),
])
def test_is_public(address: str, public: bool) -> None:
    assert is_public(address) is public


def test_private_host_middleware() -> None:
    refusing = PrivateHostMiddleware.from_crawler(get_crawler(settings_dict={}))
    with pytest.raises(PrivateAddressRefused):
        asyncio.run(refusing.process_request(Request("http://127.0.0.1:8080/feed")))
    with pytest.raises(PrivateAddressRefused):
        asyncio.run(refusing.process_request(Request("http://localhost/feed")))
    with pytest.raises(PrivateAddressRefused):  # a request's meta opens nothing: only the listed host:port
        asyncio.run(refusing.process_request(Request("http://127.0.0.1/", meta={"allow_private": True})))
    listed = PrivateHostMiddleware.from_crawler(get_crawler(settings_dict={
        "SCAMWATCH_PRIVATE_OK_HOSTS": ["127.0.0.1:8080"]}))
    assert asyncio.run(listed.process_request(Request("http://127.0.0.1:8080/robots.txt"))) is None
    everything = PrivateHostMiddleware.from_crawler(get_crawler(settings_dict={"SCAMWATCH_ALLOW_PRIVATE_HOSTS": True}))
    assert asyncio.run(everything.process_request(Request("http://10.0.0.1/"))) is None


def test_settings_carry_politeness_and_limits() -> None:
    config = CrawlerConfig(contact_url="https://ngo.example/contact", download_delay=2.0, max_redirects=4,
                           max_response_bytes=5_000_000, timeout=Duration(20), retries=3)
    gentle = SourceConfig(name="a", url="https://slow.example/feed", download_delay=10.0, concurrency=1)
    also = SourceConfig(name="b", url="https://slow.example/other", download_delay=5.0)
    settings = scrapy_settings(config, [gentle, also, SourceConfig(name="c", url="https://x.example/f",
                                                                    obey_robots=False)])
    assert user_agent(config) == "scamwatch/0.1 (+https://ngo.example/contact)"
    assert settings["USER_AGENT"] == user_agent(config) and settings["ROBOTSTXT_OBEY"] is True
    assert (settings["DOWNLOAD_MAXSIZE"], settings["REDIRECT_MAX_TIMES"], settings["DOWNLOAD_TIMEOUT"],
            settings["RETRY_TIMES"], settings["DOWNLOAD_DELAY"]) == (5_000_000, 4, 20.0, 3, 2.0)
    assert download_slots(config, [gentle, also]) == {"slow.example": {"delay": 10.0, "concurrency": 1}}
    assert not scrapy_settings(CrawlerConfig(obey_robots=False), [also])["ROBOTSTXT_OBEY"]


def test_retries_wait_longer_each_time() -> None:
    import time

    from crawler.gather.middlewares import RetryBackoffMiddleware

    middleware = RetryBackoffMiddleware(base=0.05)
    waits = []
    for retries in (0, 1, 3):
        start = time.monotonic()
        asyncio.run(middleware.process_request(Request("http://x.invalid/", meta={"retry_times": retries})))
        waits.append(time.monotonic() - start)
    assert waits[0] < 0.04 and 0.05 <= waits[1] < 0.2 and waits[2] >= 0.2


class _KillsTheWorker:
    """Unpickled in a worker, it ends that process: a stand-in for a page that crashes lxml."""

    def __reduce__(self) -> tuple:
        import os
        return (os._exit, (3,))


def test_extraction_pool_survives_a_dying_worker() -> None:
    from crawler.gather.extractpool import ExtractPool

    pool = ExtractPool(1)
    page = b"<html><head><title>Pool check</title></head><body><article><p>" + b"Words here. " * 60 + b"</p>"
    try:
        crashed = asyncio.run(pool.extract(_KillsTheWorker(), "http://x.invalid/a",  # type: ignore[arg-type]
                                           fallback_title="From the feed", fallback_summary="<b>Teaser</b>"))
        assert (crashed.method, crashed.title, crashed.text) == ("feed", "From the feed", "Teaser")
        assert crashed.error == "extraction worker crashed"
        healthy = asyncio.run(pool.extract(page, "http://x.invalid/b"))
        assert healthy.method == "trafilatura" and "Words here" in healthy.text
    finally:
        pool.shutdown()


def test_an_empty_article_reaches_the_rejects_table(db_path: Path) -> None:
    from crawler.app.database import open_db
    from crawler.gather.pipelines import ArticlePipeline
    from crawler.gather.records import Article, Reject
    from crawler.gather.store import write_records

    def article(url: str, title: str | None, text: str | None) -> Article:
        return Article(url=url, canonical_url=url, source="desk", title=title, text=text, summary=" ", author=None,
                       lang="en", published=None, fetched_at="2026-03-01T08:00:00+00:00", extraction="trafilatura",
                       extraction_error=None, entry_id=None)

    pipeline = ArticlePipeline()
    kept = pipeline.process_item(article("https://example.org/a", " Title ", "Body text."))
    empty = pipeline.process_item(article("https://example.org/b", "  ", "\n"))
    assert isinstance(kept, Article) and kept.title == "Title" and kept.summary is None and kept.content_hash
    assert isinstance(empty, Reject) and empty.kind == "extraction"
    db = open_db(db_path)
    assert write_records(db, [kept, empty]) == 1
    assert [r["url"] for r in db["items"].rows] == ["https://example.org/a"]
    assert [(r["url"], r["kind"]) for r in db["rejects"].rows] == [("https://example.org/b", "extraction")]
