"""Feeds are parsed in the extraction pool, under its budget: a feed that holds its worker fails as too_slow,
and the other sources of the pass are read meanwhile."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from crawler.app.database import open_db
from crawler.base.confschema import Duration
from crawler.gather.stage import gather_pass
from spiders.feed import ParsedFeed, parse_feed
from tests import httpserver
from tests.test_gather import make_config, rss, source


def _slow_for_marked_feeds(body: bytes, url: str, *args: Any) -> ParsedFeed:
    """Runs in a worker (pickled by name): a feed under ``/slow/`` holds it for a minute, others parse."""
    if "/slow/" in url:
        time.sleep(60)
    return parse_feed(body, url, *args)


@pytest.fixture
def db(db_path: Path) -> sqlite_utils.Database:
    database = open_db(db_path)
    yield database
    database.close()


def test_a_feed_that_overruns_is_too_slow_and_other_sources_are_read(
        http_server: httpserver.TestServer, db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("spiders.gather.parse_feed", _slow_for_marked_feeds)
    http_server.set("/slow/feed.xml", rss([("Held", "http://127.0.0.1:9/held", "words")]))
    http_server.set("/feed.xml", rss([("Read anyway", "http://127.0.0.1:9/read", "words")]))
    sources = [source("stuck", http_server.url("/slow/feed.xml")), source("desk", http_server.url("/feed.xml"))]
    config = make_config(sources, max_articles_per_source=0, extract_workers=2, extract_timeout=Duration(3))

    report = gather_pass(config, db)

    assert report.ok == ["desk"] and report.new_items == 1, report
    assert report.failed == ["stuck"] and report.errors["stuck"] == "too_slow: feed parsing took longer than 3 s"
    row = db["sources"].get("stuck")
    assert row["last_error_kind"] == "too_slow" and row["consecutive_failures"] == 1
    assert [r["title"] for r in db["items"].rows] == ["Read anyway"]
