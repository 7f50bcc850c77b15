"""Every feed of the corpus through one gather pass: nothing crashes, every feed's entries are stored."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from urllib.parse import urljoin

import pytest
import sqlite_utils

from crawler.app.database import open_db
from crawler.gather.stage import gather_pass
from tests import httpserver
from tests.test_gather import make_config, source


@pytest.fixture
def db(db_path: Path) -> sqlite_utils.Database:
    database = open_db(db_path)
    yield database
    database.close()


def _corpus_feeds(corpus: Path) -> list[str]:
    files = json.loads((corpus / "manifest.json").read_text("utf-8"))["files"]
    return sorted(f["path"] for f in files if f["kind"] == "feed")


def _expected_links(data: bytes, url: str) -> set[str]:
    """What the feed itself offers: the canonical links of its entries, as feedparser finds them in
    RSS/Atom, or as a JSON Feed's items give them (``url``, else ``external_url``)."""
    import feedparser

    from crawler.base.urls import canonicalize_url, is_http_url
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data.lstrip().startswith(b"{"):
        items = json.loads(data)["items"]
        links = (urljoin(url, i.get("url") or i.get("external_url") or "") for i in items)
        return {canonicalize_url(link) for link in links if is_http_url(link)}
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url,
                                                                  "content-type": "application/xml"})
    links = set()
    for entry in parsed.entries:
        link = entry.get("link") if is_http_url(entry.get("link")) else entry.get("id")
        if is_http_url(link):
            links.add(canonicalize_url(link.strip()))
    return links


JSON_FEEDS = ("feeds/feedjira/json_feed.json", "feeds/trafilatura/feed.json")
BROKEN_FEEDS = {"feeds/rss-parser/unrecognized.rss": "not_a_feed", "feeds/feed-rs/rss_2.0_invalid_1.xml": "malformed"}


@pytest.mark.slow
def test_every_corpus_feed_goes_through(http_server: httpserver.TestServer, corpus: Path,
                                        db: sqlite_utils.Database) -> None:
    paths = _corpus_feeds(corpus)
    sources, expected = [], set()
    for i, path in enumerate(paths):
        route = f"/feeds/{i}/{Path(path).name}"
        http_server.set(route, (corpus / path).read_bytes(), content_type="application/xml")
        sources.append(source(f"feed{i:03d}", http_server.url(route)))
        expected |= _expected_links((corpus / path).read_bytes(), http_server.url(route))
    config = make_config(sources, max_articles_per_source=0, per_domain_concurrency=8)

    report = gather_pass(config, db)

    by_path = dict(zip((s.name for s in sources), paths, strict=True))
    failed = {by_path[name]: db["sources"].get(name)["last_error_kind"] for name in report.failed}
    assert failed == BROKEN_FEEDS
    assert {r["canonical_url"] for r in db["items"].rows} == expected
    assert all(r["extraction"] == "feed" for r in db["items"].rows)
    json_links = {link for path in JSON_FEEDS for link in _expected_links((corpus / path).read_bytes(), "http://x/")}
    assert json_links and json_links <= expected             # JSON Feeds are read, and their links stored
