"""Gather stage end to end against a real HTTP server on 127.0.0.1 serving corpus pages.

Helpers here (``make_config``, ``rss``, ``fundus_pages``) are shared by the other
``test_gather_*`` modules.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
import sqlite_utils

from crawler.app.config import Config
from crawler.app.database import open_db
from crawler.base.confschema import Duration
from crawler.gather.config import CrawlerConfig, SourceConfig
from crawler.gather.stage import gather_pass
from tests import httpserver


def make_config(sources: list[SourceConfig], **crawler: Any) -> Config:
    """A config for tests: no shipped sources, no delays or retries, short timeouts."""
    options: dict[str, Any] = {"download_delay": 0.0, "retries": 0, "timeout": Duration(5),
                               "include_default_sources": False, **crawler}
    return Config(crawler=CrawlerConfig(**options), sources=sources)


def source(name: str, url: str, **kw: Any) -> SourceConfig:
    """A source allowed to live on loopback (the test server)."""
    return SourceConfig(name=name, url=url, allow_private=kw.pop("allow_private", True), **kw)


def rss(items: list[tuple[str, str, str]], title: str = "Test desk") -> str:
    """An RSS 2.0 feed of (title, link, summary) items."""
    body = "".join(f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
                   f"<description>{escape(s)}</description><guid>{escape(link)}</guid></item>"
                   for t, link, s in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link><description>test</description>{body}</channel></rss>")


def fundus_pages(corpus: Path, every: int = 1) -> list[dict[str, Any]]:
    """Fundus pages with their ground-truth titles (manifest order; every ``every``-th)."""
    files = json.loads((corpus / "manifest.json").read_text("utf-8"))["files"]
    pages = [f for f in files if f["path"].startswith("pages/fundus/") and f.get("ground_truth_key")]
    out = []
    for f in pages[::every]:
        truth = json.loads((corpus / f["ground_truth"]).read_text("utf-8"))[f["ground_truth_key"]]
        out.append({"file": corpus / f["path"], "title": truth["title"]})
    return out


def serve_articles(server: httpserver.TestServer, pages: list[dict[str, Any]], prefix: str = "/news") -> list[str]:
    """Serve each page (gzip-encoded, as stored) under ``prefix``; returns their URLs."""
    urls = []
    for i, page in enumerate(pages):
        path = f"{prefix}/{i}/story.html"
        server.serve_file(path, page["file"])
        urls.append(server.url(path))
    return urls


def same_title(a: str | None, b: str | None) -> bool:
    def norm(s: str | None) -> str:
        s = unicodedata.normalize("NFKC", s or "").replace("\xad", "")
        return " ".join(s.split()).casefold()
    x, y = norm(a), norm(b)
    return bool(x and y) and (x == y or x in y or y in x)


@pytest.fixture
def db(db_path: Path) -> sqlite_utils.Database:
    database = open_db(db_path)
    yield database
    database.close()


def test_feed_articles_are_extracted_with_ground_truth_titles(http_server: httpserver.TestServer, corpus: Path,
                                                             db: sqlite_utils.Database) -> None:
    pages = fundus_pages(corpus, every=10)
    urls = serve_articles(http_server, pages)
    http_server.set("/feed.xml", rss([(f"Entry {i}", u, f"Summary of entry {i}") for i, u in enumerate(urls)]),
                    content_type="application/rss+xml")
    config = make_config([source("desk", http_server.url("/feed.xml"))], max_articles_per_source=100)

    report = gather_pass(config, db)

    assert report.ok == ["desk"] and report.new_items == len(pages)
    rows = {r["url"]: r for r in db["items"].rows}
    matched = [same_title(rows[u]["title"], p["title"]) for u, p in zip(urls, pages, strict=True)]
    assert sum(matched) >= 0.75 * len(pages), [rows[u]["title"] for u in urls]
    assert all(r["extraction"] == "trafilatura" and len(r["text"]) > 200 for r in rows.values())
    assert all(r["source"] == "desk" and r["content_hash"] and r["fetched_at"] for r in rows.values())


def test_second_pass_is_conditional_and_stores_nothing_new(http_server: httpserver.TestServer, corpus: Path,
                                                           db: sqlite_utils.Database) -> None:
    urls = serve_articles(http_server, fundus_pages(corpus, every=60))
    http_server.set("/feed.xml", rss([(f"E{i}", u, "s") for i, u in enumerate(urls)]))
    config = make_config([source("desk", http_server.url("/feed.xml"))])
    first = gather_pass(config, db)
    assert first.new_items == len(urls)
    article_hits = len(http_server.requests) - len(http_server.requests_for("/feed.xml"))

    second = gather_pass(config, db, force=True)

    feed_requests = http_server.requests_for("/feed.xml")
    assert len(feed_requests) == 2 and "If-None-Match" in feed_requests[1].headers
    assert feed_requests[0].headers["User-Agent"] == "scamwatch/0.1 (+https://example.org/scamwatch-contact)"
    assert second.new_items == 0 and second.not_modified == ["desk"]
    assert len(http_server.requests) - len(feed_requests) == article_hits + 1   # only robots.txt again
    row = db["sources"].get("desk")
    assert row["items_found"] == len(urls) and row["last_status"] == 304
    assert row["etag"] and row["consecutive_failures"] == 0


def test_changed_feed_without_validators_is_not_reparsed_when_body_is_identical(
        http_server: httpserver.TestServer, db: sqlite_utils.Database) -> None:
    http_server.set("/feed.xml", rss([("Only entry", "http://127.0.0.1:9/x", "words")]), conditional=False)
    config = make_config([source("desk", http_server.url("/feed.xml"))], max_articles_per_source=0)
    assert gather_pass(config, db).new_items == 1
    report = gather_pass(config, db, force=True)
    assert report.not_modified == ["desk"] and db["sources"].get("desk")["last_status"] == 200


def test_robots_disallow_is_honoured(http_server: httpserver.TestServer, corpus: Path,
        db: sqlite_utils.Database) -> None:
    urls = serve_articles(http_server, fundus_pages(corpus, every=90))
    http_server.set("/robots.txt", "User-agent: *\nDisallow: /news/0/\n", content_type="text/plain")
    http_server.set("/feed.xml", rss([(f"Headline {i}", u, f"Teaser {i}") for i, u in enumerate(urls)]))
    config = make_config([source("desk", http_server.url("/feed.xml"))])

    gather_pass(config, db)

    assert not http_server.requests_for("/news/0/story.html")
    blocked = next(db["items"].rows_where("url = ?", [urls[0]]))
    assert blocked["extraction"] == "feed" and "robots" in blocked["extraction_error"]
    assert blocked["title"] == "Headline 0"
    assert http_server.requests_for("/news/1/story.html")


def test_robots_disallowed_feed_is_recorded(http_server: httpserver.TestServer, db: sqlite_utils.Database) -> None:
    http_server.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    http_server.set("/private/feed.xml", rss([("x", "http://127.0.0.1:9/x", "y")]))
    config = make_config([source("hidden", http_server.url("/private/feed.xml"))])
    report = gather_pass(config, db)
    assert report.failed == ["hidden"] and db["sources"].get("hidden")["last_error_kind"] == "robots"
    assert not http_server.requests_for("/private/feed.xml")


def test_canonicalisation_merges_url_variants(http_server: httpserver.TestServer, corpus: Path,
                                              db: sqlite_utils.Database) -> None:
    url = serve_articles(http_server, fundus_pages(corpus, every=200)[:1])[0]
    variants = [url, url + "?utm_source=rss&utm_medium=feed", url + "#comments",
                url.replace("http://", "HTTP://")]
    http_server.set("/a.xml", rss([(f"Variant {i}", v, "same") for i, v in enumerate(variants)]))
    http_server.set("/b.xml", rss([("Again", url + "?fbclid=abc", "same")]))
    config = make_config([source("a", http_server.url("/a.xml")), source("b", http_server.url("/b.xml"))])

    report = gather_pass(config, db)

    assert report.new_items == 1 and db["items"].count == 1
    assert len(http_server.requests_for("/news/0/story.html")) + sum(
        len(http_server.requests_for(f"/news/0/story.html?{q}")) for q in
        ("utm_source=rss&utm_medium=feed", "fbclid=abc")) == 1


def test_dead_source_does_not_stop_live_one(http_server: httpserver.TestServer, corpus: Path,
                                            db: sqlite_utils.Database) -> None:
    urls = serve_articles(http_server, fundus_pages(corpus, every=120))
    http_server.set("/feed.xml", rss([(f"E{i}", u, "s") for i, u in enumerate(urls)]))
    config = make_config([source("dead", "http://127.0.0.1:9/feed.xml"),
                          source("gone", http_server.url("/missing.xml")),
                          source("live", http_server.url("/feed.xml"))])

    report = gather_pass(config, db)

    assert report.ok == ["live"] and sorted(report.failed) == ["dead", "gone"]
    assert report.new_items == len(urls)
    assert db["sources"].get("gone")["last_error_kind"] == "http_404"
    assert db["sources"].get("dead")["last_error_kind"] == "connection"


def test_private_hosts_are_refused_unless_allowed(http_server: httpserver.TestServer,
        db: sqlite_utils.Database) -> None:
    http_server.set("/feed.xml", rss([("x", http_server.url("/x"), "y")]))
    refused = make_config([source("lan", http_server.url("/feed.xml"), allow_private=False)])
    report = gather_pass(refused, db)
    assert report.failed == ["lan"] and db["sources"].get("lan")["last_error_kind"] == "private_address"
    assert not http_server.requests
    allowed = make_config([source("lan", http_server.url("/feed.xml"), allow_private=False)],
                          allow_private_hosts=True, max_articles_per_source=0)
    assert gather_pass(allowed, db, force=True).ok == ["lan"]


def test_failed_extraction_falls_back_to_the_feed_entry(http_server: httpserver.TestServer,
        db: sqlite_utils.Database) -> None:
    http_server.set("/stub.html", "<html><body><p>Menu</p></body></html>")
    http_server.set("/feed.xml", rss([("A teaser headline", http_server.url("/stub.html"),
                                       "<p>Officials said forty workers were freed.</p>")]))
    gather_pass(make_config([source("desk", http_server.url("/feed.xml"))]), db)
    item = next(db["items"].rows)
    assert item["extraction"] == "feed" and item["extraction_error"]
    assert item["title"] == "A teaser headline" and "forty workers" in item["text"]


def test_rejected_article_urls_are_recorded_and_not_refetched(http_server: httpserver.TestServer,
                                                              db: sqlite_utils.Database) -> None:
    http_server.set("/list.html", '<ul><li class="r"><a href="/gone.html"></a></li></ul>')
    config = make_config([source("press", http_server.url("/list.html"), kind="listing",
                                 link_selector="li.r a")])
    gather_pass(config, db)
    reject = db["rejects"].get(http_server.url("/gone.html"))
    assert reject["kind"] == "http_404" and reject["permanent"] == 1 and reject["source"] == "press"
    gather_pass(config, db, force=True)
    assert len(http_server.requests_for("/gone.html")) == 1


def test_unchanged_content_under_new_url_is_the_same_entry(http_server: httpserver.TestServer, corpus: Path,
                                                           db: sqlite_utils.Database) -> None:
    page = fundus_pages(corpus, every=200)[0]
    http_server.serve_file("/old/story.html", page["file"])
    http_server.serve_file("/new/story.html", page["file"])
    http_server.set("/feed.xml", rss([("T", http_server.url("/old/story.html"), "s")]))
    config = make_config([source("desk", http_server.url("/feed.xml"))])
    assert gather_pass(config, db).new_items == 1
    http_server.set("/feed.xml", rss([("T, edited", http_server.url("/new/story.html"), "s")]))
    assert gather_pass(config, db, force=True).new_items == 0
    assert db["items"].count == 1


def test_per_pass_article_cap_stores_the_rest_from_the_feed(http_server: httpserver.TestServer, corpus: Path,
                                                           db: sqlite_utils.Database) -> None:
    urls = serve_articles(http_server, fundus_pages(corpus, every=50))
    http_server.set("/feed.xml", rss([(f"E{i}", u, f"S{i}") for i, u in enumerate(urls)]))
    gather_pass(make_config([source("desk", http_server.url("/feed.xml"))], max_articles_per_source=2), db)
    methods = sorted(r["extraction"] for r in db["items"].rows)
    assert db["items"].count == len(urls) and methods.count("trafilatura") == 2
    fetched = [u for u in urls if http_server.requests_for(u.split(str(http_server.port))[1])]
    assert len(fetched) == 2


def test_gzip_encoded_pages_and_feeds(http_server: httpserver.TestServer, db: sqlite_utils.Database) -> None:
    body = rss([("Compressed", "http://127.0.0.1:9/c", "zipped")]).encode()
    http_server.set("/encoded.xml", gzip.compress(body), gzip_encoded=True)
    http_server.set("/raw.xml", gzip.compress(body))
    config = make_config([source("enc", http_server.url("/encoded.xml")), source("raw", http_server.url("/raw.xml"))],
                         max_articles_per_source=0)
    report = gather_pass(config, db)
    assert sorted(report.ok) == ["enc", "raw"] and db["items"].count == 1

