"""A gather pass asked to stop (the daemon's SIGTERM) ends promptly and leaves consistent rows.

The slow routes answer after a minute, longer than the whole test may take: a pass
that waited for them (Scrapy's graceful stop alone does) fails the time bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlite_utils

from crawler.app.database import open_db
from crawler.base.confschema import Duration
from crawler.gather.stage import gather_pass
from crawler.gather.store import sync_sources
from tests import httpserver
from tests.test_gather import fundus_pages, make_config, rss, serve_articles, source

SLOW = 60.0     # seconds a slow route takes to answer
BOUND = 15.0    # a pass asked to stop must be back well before that


@pytest.fixture
def db(db_path: Path) -> Iterator[sqlite_utils.Database]:
    database = open_db(db_path)
    yield database
    database.close()


class StopAfter:
    """``should_stop``: True once ``seconds`` have passed and ``ready()`` holds; notes when it first said so."""

    def __init__(self, seconds: float, ready: Callable[[], bool] = lambda: True) -> None:
        self.start, self.seconds, self.ready = time.monotonic(), seconds, ready
        self.at: float | None = None

    def __call__(self) -> bool:
        if self.at is None and time.monotonic() - self.start > self.seconds and self.ready():
            self.at = time.monotonic()
        return self.at is not None


def test_stop_ends_the_crawl_promptly_storing_what_was_extracted(http_server: httpserver.TestServer, corpus: Path,
                                                                db: sqlite_utils.Database) -> None:
    pages = fundus_pages(corpus, every=60)[:8]
    urls = serve_articles(http_server, pages)
    fast, slow = urls[:2], urls[2:]
    slow_routes = [http_server.routes[u.removeprefix(http_server.base)] for u in slow]
    for route in slow_routes:
        route.delay = SLOW
    # Entries have titles and teasers: a cancelled download must not leave a feed-text fallback behind.
    http_server.set("/desk.xml", rss([(f"Headline {i}", u, f"Teaser {i}") for i, u in enumerate(urls)]))
    slow_feed = http_server.set("/slow.xml", rss([("Late", http_server.url("/late.html"), "t")]), delay=SLOW)
    http_server.set("/gone.xml", "gone", status=404)
    sources = [source(name, http_server.url(f"/{path}.xml")) for name, path in
               (("desk", "desk"), ("slowfeed", "slow"), ("gone", "gone"))]
    config = make_config(sources, timeout=Duration(SLOW), per_domain_concurrency=16)
    sync_sources(db, config.sources)
    before = {row["name"]: row for row in db["sources"].rows}

    # ~1 s in, once the fast articles are stored (a busy machine may need longer for them)
    stop = StopAfter(1.0, ready=lambda: db["items"].count >= len(fast))

    report = gather_pass(config, db, should_stop=stop)

    assert stop.at is not None and time.monotonic() - stop.at < BOUND, time.monotonic() - (stop.at or 0)
    assert report.interrupted and sorted(report.unfinished) == ["desk", "slowfeed"]
    assert report.failed == ["gone"] and report.ok == []
    items = {row["url"]: row for row in db["items"].rows}
    assert sorted(items) == sorted(fast) and report.new_items == 2
    assert all(row["extraction"] == "trafilatura" for row in items.values())
    assert db["rejects"].count == 0
    after = {row["name"]: row for row in db["sources"].rows}
    assert after["desk"] == before["desk"] and after["slowfeed"] == before["slowfeed"]  # untouched, still due
    assert after["gone"]["last_error_kind"] == "http_404" and after["gone"]["consecutive_failures"] == 1

    for route in [*slow_routes, slow_feed]:
        route.delay = 0.0
    again = gather_pass(config, db)

    assert not again.interrupted and sorted(again.ok) == ["desk", "slowfeed"] and again.not_due == 1
    items = {row["url"]: row for row in db["items"].rows_where("source = 'desk'")}
    assert sorted(items) == sorted(urls)   # the articles the stop cut off are fetched in full now
    assert all(row["extraction"] == "trafilatura" for row in items.values())


def test_stop_also_drops_requests_queued_behind_a_slow_one(http_server: httpserver.TestServer,
                                                          db: sqlite_utils.Database) -> None:
    for name in ("a", "b", "c"):
        http_server.set(f"/{name}.xml", rss([]), delay=SLOW)
    config = make_config([source(n, http_server.url(f"/{n}.xml")) for n in ("a", "b", "c")],
                         timeout=Duration(SLOW), per_domain_concurrency=1)

    stop = StopAfter(0.5)
    report = gather_pass(config, db, should_stop=stop)

    assert stop.at is not None and time.monotonic() - stop.at < BOUND
    assert report.interrupted and sorted(report.unfinished) == ["a", "b", "c"]
    assert all(row["last_attempt"] is None and row["next_poll_at"] is None for row in db["sources"].rows)


def test_a_pass_not_asked_to_stop_is_recorded_in_full(http_server: httpserver.TestServer,
                                                      db: sqlite_utils.Database) -> None:
    http_server.set("/feed.xml", rss([("Only", http_server.url("/nothing.html"), "words")]))
    config = make_config([source("desk", http_server.url("/feed.xml"))], max_articles_per_source=0)
    asked: list[int] = []

    report = gather_pass(config, db, should_stop=lambda: bool(asked.append(1)))

    assert not report.interrupted and report.unfinished == [] and report.ok == ["desk"]
    assert report.new_items == 1 and db["sources"].get("desk")["last_success"]
