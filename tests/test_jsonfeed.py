"""JSON Feed 1 and 1.1 through ``parse_feed``: field mapping and the errors a source's row records."""

from __future__ import annotations

import gzip
import json
from typing import Any

from spiders.feed import parse_feed

FEED_URL = "https://desk.example.org/news/feed.json"
V1 = "https://jsonfeed.org/version/1"
V11 = "https://jsonfeed.org/version/1.1"


def _feed(version: str, items: list[Any], **top: Any) -> bytes:
    return json.dumps({"version": version, "title": "Example desk", "items": items, **top}).encode()


def test_version_1_1_items_map_to_entries() -> None:
    body = _feed(V11, [
        {"id": 42, "url": "/news/2031/rescued-workers", "title": "Workers <em>rescued</em> from compound",
         "summary": "<p>Forty people freed.</p>", "content_html": "<p>Police freed <b>forty</b> people.</p>",
         "content_text": "ignored when there is HTML", "date_published": "2031-03-04T10:20:30+07:00",
         "authors": [{"url": "https://desk.example.org/staff"}, {"name": " Ana Reyes "}]},
        {"id": "b", "external_url": "https://elsewhere.example.net/story", "content_text": "  Plain words.  ",
         "date_published": "last Tuesday", "date_modified": "2031-03-05T08:00:00Z"},
        {"id": "c", "url": "https://desk.example.org/c", "summary": "Only a summary.", "date_published": "soon"},
    ], language="pt-BR", authors=[{"name": "The Desk"}])

    feed = parse_feed(body, FEED_URL, "application/feed+json")

    assert (feed.error_kind, feed.version, feed.lang, feed.without_link) == (None, "json11", "pt", 0)
    first, second, third = feed.entries
    assert first.link == "https://desk.example.org/news/2031/rescued-workers"      # relative, resolved
    assert first.title == "Workers rescued from compound"
    assert first.summary == "Forty people freed." and first.text == "Police freed forty people."
    assert first.published == "2031-03-04T03:20:30+00:00"
    assert first.author == "Ana Reyes" and first.entry_id == "42"
    assert second.link == "https://elsewhere.example.net/story" and second.title is None
    assert second.text == "Plain words." and second.summary == ""
    assert second.published == "2031-03-05T08:00:00+00:00"                        # bad date_published skipped
    assert second.author == "The Desk"                                            # the feed's authors
    assert third.text == "Only a summary." and third.published is None            # a bad date is no failure


def test_version_1_items_map_to_entries() -> None:
    body = _feed(V1, [
        {"id": "https://desk.example.org/1", "url": "https://desk.example.org/1", "title": "One",
         "content_text": "First text.", "date_published": "2031-01-02T03:04:05.678-05:00",
         "author": {"name": "Item Author"}},
        {"id": "https://desk.example.org/2", "url": "https://desk.example.org/2", "content_html": "<p>Second</p>"},
    ], author={"name": "Feed Author"})

    feed = parse_feed(body, FEED_URL)

    assert (feed.error_kind, feed.version, feed.lang) == (None, "json1", None)
    assert [(e.link, e.author, e.entry_id) for e in feed.entries] == [
        ("https://desk.example.org/1", "Item Author", "https://desk.example.org/1"),
        ("https://desk.example.org/2", "Feed Author", "https://desk.example.org/2")]
    assert feed.entries[0].published == "2031-01-02T08:04:05+00:00" and feed.entries[0].text == "First text."
    assert feed.entries[1].text == "Second" and feed.entries[1].published is None


def test_items_without_a_usable_link_are_skipped_and_counted() -> None:
    body = _feed(V11, [
        {"id": "no-url", "content_text": "nowhere to go"},
        {"id": "mail", "url": "mailto:desk@example.org", "external_url": "ftp://example.org/x"},
        "not an object",
        None,
        {"id": "kept", "url": "https://desk.example.org/kept"},
    ])

    feed = parse_feed(body, FEED_URL)

    assert feed.error_kind is None and feed.without_link == 4
    assert [e.entry_id for e in feed.entries] == ["kept"]


def test_invalid_json_is_malformed_and_says_where() -> None:
    feed = parse_feed(b'{"version": "https://jsonfeed.org/version/1",\n "items": [,]}', FEED_URL)
    assert feed.error_kind == "malformed"
    assert "invalid JSON at line 2 column" in (feed.error or "")


def test_json_that_is_not_a_json_feed_is_not_a_feed() -> None:
    plain = parse_feed(b'{"status": "ok", "articles": []}', FEED_URL)
    assert plain.error_kind == "not_a_feed"
    assert plain.error == "JSON, but not a JSON Feed: no jsonfeed.org version"
    no_items = parse_feed(json.dumps({"version": V11, "items": {"a": 1}}).encode(), FEED_URL)
    assert no_items.error_kind == "not_a_feed" and "'items' is not a list" in (no_items.error or "")
    array = parse_feed(b'[{"url": "https://desk.example.org/1"}]', FEED_URL)
    assert array.error_kind == "not_a_feed" and "not a JSON Feed" in (array.error or "")


def test_a_json_feed_without_items_is_empty_like_an_empty_rss_channel() -> None:
    rss = parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
                     FEED_URL, "application/rss+xml")
    json_feed = parse_feed(_feed(V11, []), FEED_URL)
    assert (rss.error_kind, rss.entries) == (None, [])
    assert (json_feed.error_kind, json_feed.entries, json_feed.version) == (None, [], "json11")


def test_gzipped_json_feed_with_a_byte_order_mark_is_read() -> None:
    body = gzip.compress(b"\xef\xbb\xbf \n" + _feed(V1, [{"id": "1", "url": "https://desk.example.org/1"}]))
    feed = parse_feed(body, FEED_URL)
    assert feed.error_kind is None and [e.link for e in feed.entries] == ["https://desk.example.org/1"]
