"""Bad input from sources: each case lands on the source's health row; nothing stored is lost."""

from __future__ import annotations

import base64
import gzip
import json
import os
from pathlib import Path

import pytest
import sqlite_utils

from crawler.app.database import open_db
from crawler.base.confschema import Duration
from crawler.gather.stage import gather_pass
from tests import httpserver
from tests.test_gather import make_config, rss, source

GOOD = rss([("A stored entry", "http://127.0.0.1:9/stored", "kept as it was")])


@pytest.fixture
def db(db_path: Path) -> sqlite_utils.Database:
    database = open_db(db_path)
    yield database
    database.close()


def _kind(db: sqlite_utils.Database, name: str) -> str | None:
    return db["sources"].get(name)["last_error_kind"]


@pytest.mark.parametrize(("corpus_file", "kind"), [
    ("feeds/rss-parser/unrecognized.rss", "not_a_feed"),
    ("feeds/feed-rs/rss_2.0_invalid_1.xml", "malformed"),
])
def test_broken_corpus_feeds_are_recorded(http_server: httpserver.TestServer, corpus: Path,
                                          db: sqlite_utils.Database, corpus_file: str, kind: str) -> None:
    http_server.serve_file("/feed", corpus / corpus_file)
    report = gather_pass(make_config([source("broken", http_server.url("/feed"))]), db)
    assert report.failed == ["broken"] and _kind(db, "broken") == kind
    assert db["sources"].get("broken")["last_error"]
    assert json.loads(db["sources"].get("broken")["failure_counts"]) == {kind: 1}


@pytest.mark.parametrize("corpus_file", ["feeds/feedjira/json_feed.json", "feeds/trafilatura/feed.json"])
def test_corpus_json_feeds_are_read(http_server: httpserver.TestServer, corpus: Path,
                                    db: sqlite_utils.Database, corpus_file: str) -> None:
    items = json.loads((corpus / corpus_file).read_text("utf-8"))["items"]
    http_server.serve_file("/feed.json", corpus / corpus_file)
    report = gather_pass(make_config([source("json", http_server.url("/feed.json"))], max_articles_per_source=0), db)
    assert report.ok == ["json"] and db["items"].count == len({i["url"] for i in items}) > 0
    stored = {r["entry_id"]: r for r in db["items"].rows}
    assert set(stored) == {str(i["id"]) for i in items}
    assert all(r["title"] and r["text"] and r["published"] for r in stored.values())


@pytest.mark.parametrize("corpus_file", [
    "feeds/rss-parser/uolNoticias.rss",          # no declaration, Latin-1 bytes
    "feeds/feed-rs/rss_2.0_dbengines.xml",       # undefined entity: not well-formed, recovered
    "feeds/node-feedparser/compressed.xml",      # gzip bytes under a .xml name, served raw
    "feeds/netnewswire/kc0011.rss",              # gb2312
])
def test_odd_but_readable_feeds_are_read(http_server: httpserver.TestServer, corpus: Path,
                                         db: sqlite_utils.Database, corpus_file: str) -> None:
    http_server.set("/feed", (corpus / corpus_file).read_bytes(), content_type="application/xml")
    report = gather_pass(make_config([source("odd", http_server.url("/feed"))], max_articles_per_source=0), db)
    assert report.ok == ["odd"] and db["items"].count >= 1
    assert all(r["title"] or r["text"] for r in db["items"].rows)


def _bad_routes(server: httpserver.TestServer) -> dict[str, str]:
    """Source name -> the failure kind its route must produce."""
    server.set("/404", status=404)
    server.set("/500", "oops", status=500)
    server.set("/slow", GOOD, delay=6)
    server.set("/empty", "", content_type="application/rss+xml")
    server.set("/html", "<!doctype html><html><body><h1>Moved</h1></body></html>", content_type="application/rss+xml")
    server.set("/json", '{"status": "ok", "results": [{"link": "http://127.0.0.1:9/x"}]}',
               content_type="application/json")
    server.set("/badjson", '{"version": "https://jsonfeed.org/version/1.1", "items": [',
               content_type="application/json")
    server.set("/huge", base64.b64encode(os.urandom(150_000)))                    # too big as sent
    server.set("/bomb", gzip.compress(b" " * 3_000_000), gzip_encoded=True)        # too big unpacked
    server.set("/loop-a", status=302, headers={"Location": "/loop-b"}, conditional=False)
    server.set("/loop-b", status=302, headers={"Location": "/loop-a"}, conditional=False)
    return {"404": "http_404", "500": "http_5xx", "slow": "timeout", "empty": "empty", "html": "not_a_feed",
            "json": "not_a_feed", "badjson": "malformed", "huge": "too_large", "bomb": "too_large",
            "loop-a": "redirects"}


def test_each_bad_response_is_recorded_and_the_pass_goes_on(http_server: httpserver.TestServer,
                                                            db: sqlite_utils.Database) -> None:
    expected = _bad_routes(http_server)
    http_server.set("/good", GOOD)
    names = [n.replace("-", "") for n in expected]
    sources = [source(n.replace("-", ""), http_server.url(f"/{n}")) for n in expected]
    config = make_config([*sources, source("good", http_server.url("/good"))], timeout=Duration(3),
                         max_response_bytes=100_000, max_redirects=3, max_articles_per_source=0)

    report = gather_pass(config, db)

    assert report.ok == ["good"] and sorted(report.failed) == sorted(names)
    got = {n: _kind(db, n) for n in names}
    assert got == {n.replace("-", ""): k for n, k in expected.items()}
    assert db["items"].count == 1


def test_a_source_turning_bad_changes_nothing_stored(http_server: httpserver.TestServer,
                                                     db: sqlite_utils.Database) -> None:
    http_server.set("/feed", GOOD)
    config = make_config([source("desk", http_server.url("/feed"))], max_articles_per_source=0)
    gather_pass(config, db)
    before = list(db["items"].rows)
    for body, status in (("<rss><channel><item><title>cut", 200), ("", 200), ("gone", 500)):
        http_server.set("/feed", body, status=status)
        assert gather_pass(config, db, force=True).failed == ["desk"]
    assert list(db["items"].rows) == before
    row = db["sources"].get("desk")
    assert json.loads(row["failure_counts"]) == {"malformed": 1, "empty": 1, "http_5xx": 1}
    assert row["consecutive_failures"] == 3 and row["last_success"]


def test_long_failing_source_is_backed_off_not_dropped(http_server: httpserver.TestServer,
                                                       db: sqlite_utils.Database) -> None:
    http_server.set("/feed", status=503)
    config = make_config([source("flaky", http_server.url("/feed"))], backoff_after=2)
    first = gather_pass(config, db, force=True)
    assert first.backed_off == [] and db["sources"].get("flaky")["backoff_until"] is None
    second = gather_pass(config, db, force=True)
    assert second.backed_off == ["flaky"]
    row = db["sources"].get("flaky")
    assert row["backoff_until"] and row["enabled"] == 1 and row["next_poll_at"] == row["backoff_until"]
    third = gather_pass(config, db)
    assert third.not_due == 1 and third.backed_off == ["flaky"]    # not polled while backed off...
    http_server.set("/feed", GOOD)
    assert gather_pass(config, db, force=True).ok == ["flaky"]   # ...but never forgotten
    assert db["sources"].get("flaky")["backoff_until"] is None


def test_an_unexpected_error_in_one_source_is_recorded(http_server: httpserver.TestServer,
                                                       db: sqlite_utils.Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import spiders.gather

    real = spiders.gather.parse_feed

    def fragile(body: bytes, url: str, *args: object) -> object:
        if url.endswith("/cursed"):
            raise RuntimeError("parser exploded")
        return real(body, url, *args)

    monkeypatch.setattr(spiders.gather, "parse_feed", fragile)
    http_server.set("/cursed", GOOD)
    http_server.set("/fine", GOOD)
    config = make_config([source("cursed", http_server.url("/cursed")), source("fine", http_server.url("/fine"))],
                         max_articles_per_source=0, extract_workers=0)  # inline: ``fragile`` cannot be pickled
    report = gather_pass(config, db)
    assert report.ok == ["fine"] and report.failed == ["cursed"]
    assert _kind(db, "cursed") == "internal_error" and "parser exploded" in db["sources"].get("cursed")["last_error"]
