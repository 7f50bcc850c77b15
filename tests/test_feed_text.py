"""Feeds and pages whose text is not text: malformed JSON, lone surrogates, control characters, wrong types.

Each entry is judged on its own: a link that cannot be an address is refused (``rejected``), text
holding what no encoder takes is repaired (lone surrogate -> U+FFFD, control characters dropped),
a document nothing can be read from is one clear failure; ``parse_feed`` never raises.
"""

from __future__ import annotations

import json

import pytest

from crawler.gather.extract import extract_article
from crawler.gather.pipelines import ArticlePipeline
from crawler.gather.records import Article, Reject
from crawler.gather.validtext import repair_char_refs, valid_text
from spiders.feed import parse_feed
from spiders.feedtypes import FeedEntry, ParsedFeed, feed_lang

URL = "https://desk.example.org/feed"
V11 = "https://jsonfeed.org/version/1.1"
LONE = "\\udc00"  # a JSON escape json.loads turns into a lone (low) surrogate


def json_items(items: str, extra: str = "") -> bytes:
    return f'{{"version": "{V11}"{extra}, "items": {items}}}'.encode()


def rss_items(items: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Desk</title>'
            f"<link>https://desk.example.org/</link><description>d</description>{items}</channel></rss>").encode()


def every_text(feed: ParsedFeed) -> list[str]:
    texts = [v for e in feed.entries for v in vars(e).values() if isinstance(v, str)]
    return texts + [link for link, _ in feed.rejected] + [feed.warning or "", feed.lang or ""]


def encodes(feed: ParsedFeed) -> bool:
    try:
        for text in every_text(feed):
            text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def test_valid_text_replaces_surrogates_and_drops_controls() -> None:
    assert valid_text("a\ud800b\x01c\td\ne\r\x7f\udfff") == "a\ufffdbc\td\ne\r\ufffd"
    assert valid_text("Plain words, caf\u00e9 \U0001f600") == "Plain words, caf\u00e9 \U0001f600"


@pytest.mark.parametrize(("body", "words"), [
    (json_items("[" * 50_000 + "]" * 50_000), "nested deeper"),
    (json_items('[{"url": "https://desk.example.org/1", "n": ' + "9" * 6000 + "}]"), "invalid JSON"),
    (json_items('[{"url": "https://desk.example.org/1", "title": "cut'), "invalid JSON at line 1"),
    (b'{"version": "' + V11.encode() + b'", "items": [}', "invalid JSON at line 1"),
])
def test_json_nothing_can_be_read_from_is_malformed(body: bytes, words: str) -> None:
    feed = parse_feed(body, URL)
    assert feed.error_kind == "malformed" and words in (feed.error or "") and not feed.entries


def test_json_items_not_a_list_is_not_a_feed() -> None:
    feed = parse_feed(json_items('"every item"'), URL)
    assert feed.error_kind == "not_a_feed" and "'items' is not a list" in (feed.error or "")


def test_json_surrogates_are_repaired_in_text_and_refused_in_links() -> None:
    feed = parse_feed(json_items(
        f'[{{"url": "https://desk.example.org/1", "title": "Sound"}},'
        f' {{"url": "https://desk.example.org/2", "title": "Bad {LONE} title", "summary": "s {LONE}",'
        f'   "content_text": "t {LONE}", "authors": [{{"name": "A {LONE}"}}], "id": "x{LONE}"}},'
        f' {{"url": "https://desk.example.org/3{LONE}", "title": "Bad link"}}]', ', "language": "\\ud800-x"'), URL)
    assert feed.error_kind is None and encodes(feed) and feed.lang is None
    assert [e.title for e in feed.entries] == ["Sound", "Bad \ufffd title"]
    second = feed.entries[1]
    assert (second.summary, second.text, second.author, second.entry_id) == (
        "s \ufffd", "t \ufffd", "A \ufffd", "x\ufffd")
    assert feed.repaired == 1
    assert feed.rejected == [("https://desk.example.org/3\ufffd",
                              "the link holds U+DC00, which is not text a URL can carry")]


def test_json_fields_of_the_wrong_type_are_ignored_and_the_item_kept() -> None:
    item = {"url": "https://desk.example.org/1", "title": ["a", "list"], "summary": 12, "content_html": {"a": 1},
            "date_published": 2026, "authors": "someone", "author": 5, "id": [1]}
    feed = parse_feed(json_items(json.dumps([item, "a string", 7, {"url": 9}, {"url": None}])), URL)
    assert feed.error_kind is None and feed.without_link == 4
    assert feed.entries == [FeedEntry(link="https://desk.example.org/1")]


def test_json_bytes_that_are_not_utf8_spoil_only_their_characters() -> None:
    body = json_items('[{"url": "https://desk.example.org/1", "title": "Caf\u00e9 staff freed"},'
                      ' {"url": "https://desk.example.org/2", "title": "Plain"}]')
    feed = parse_feed(body.replace("\u00e9".encode(), b"\xe9"), URL)
    assert [e.title for e in feed.entries] == ["Caf\ufffd staff freed", "Plain"]
    assert "not UTF-8" in (feed.warning or "") and encodes(feed)


@pytest.mark.parametrize("reference", ["&#xD800;", "&#55296;", "&#xdfff;", "&#x110000;", "&#99999999999;", "&#xFFFF;"])
def test_rss_references_to_what_is_not_text_are_read_as_replacement(reference: str) -> None:
    feed = parse_feed(rss_items(
        "<item><title>Sound</title><link>https://desk.example.org/1</link></item>"
        f"<item><title>Odd {reference} one</title><link>https://desk.example.org/2</link>"
        f"<description>Also {reference} here</description></item>"
        f"<item><title>In the link</title><link>https://desk.example.org/3{reference}</link></item>"), URL)
    assert feed.error_kind is None and encodes(feed)
    assert [(e.title, e.summary) for e in feed.entries] == [("Sound", ""), ("Odd \ufffd one", "Also \ufffd here")]
    assert [link for link, _ in feed.rejected] == ["https://desk.example.org/3\ufffd"]
    assert "character references" in (feed.warning or "")


def test_atom_surrogate_reference_keeps_the_other_entries() -> None:
    body = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>'
            b'<entry><title>First</title><link href="https://desk.example.org/1"/><id>1</id></entry>'
            b'<entry><title>Odd &#xDBFF;</title><link href="https://desk.example.org/2"/><id>2</id></entry>'
            b"</feed>")
    feed = parse_feed(body, URL)
    assert [e.title for e in feed.entries] == ["First", "Odd \ufffd"] and encodes(feed)


def test_rss_control_characters_raw_or_referenced_are_dropped() -> None:
    feed = parse_feed(rss_items(
        "<item><title>Bell \x07 and &#x1; and &#11;</title><link>https://desk.example.org/1</link>"
        "<author>desk\x01@example.org</author></item>"
        "<item><title>Neighbour</title><link>https://desk.example.org/2</link></item>"), URL)
    assert [e.title for e in feed.entries] == ["Bell and and", "Neighbour"]
    assert feed.entries[0].author == "desk@example.org" and encodes(feed)


def test_a_feed_parser_crash_is_one_malformed_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr("spiders.feed.feedparser.parse", boom)
    feed = parse_feed(rss_items("<item><title>x</title><link>https://desk.example.org/1</link></item>"), URL)
    assert feed.error_kind == "malformed"
    assert (feed.error or "").startswith("the feed parser gave up: UnicodeEncodeError")


@pytest.mark.parametrize(("declared", "lang"), [("en-US", "en"), ("pt_BR", "pt"), ("English", "eng"), ("12", None),
                                                ("\ud800", None), (" ", None), (7, None)])
def test_feed_lang_is_letters_or_nothing(declared: object, lang: str | None) -> None:
    assert feed_lang(declared) == lang


def test_the_pipeline_makes_every_field_valid_text() -> None:
    pipeline = ArticlePipeline()
    article = Article(url="https://desk.example.org/1", canonical_url="https://desk.example.org/1", source="desk",
                      title="T \ud800", text="Body\x00 text", summary="S \udfff", author="A\x1b", lang="en",
                      published=None, fetched_at="2026-01-01T00:00:00+00:00", extraction="trafilatura",
                      extraction_error=None, entry_id="e\ud800", declared_url="https://desk.example.org/\ud800")
    out = pipeline.process_item(article)
    assert isinstance(out, Article)
    assert (out.title, out.text, out.summary, out.author, out.entry_id) == (
        "T \ufffd", "Body text", "S \ufffd", "A", "e\ufffd")
    assert out.declared_url == "https://desk.example.org/\ufffd" and out.content_hash
    reject = pipeline.process_item(Reject(url="https://desk.example.org/\ud800", canonical_url="c\ud800", source="desk",
                                           kind="bad_link", reason="r\x01", at="2026-01-01T00:00:00+00:00"))
    assert isinstance(reject, Reject) and (reject.url, reject.canonical_url, reject.reason) == (
        "https://desk.example.org/\ufffd", "c\ufffd", "r")


def test_repair_char_refs_leaves_text_references_alone() -> None:
    markup = "&#72;&#x69; &amp; &#x1F600; &#9;|&#1;|&#xd800;|&#57343|&#1114112;|&#x" + "F" * 12 + ";"
    assert repair_char_refs(markup) == ("&#72;&#x69; &amp; &#x1F600; &#9;||&#xFFFD;|&#xFFFD;|&#xFFFD;|&#xFFFD;", 5)


@pytest.mark.parametrize("reference", ["&#x1;", "&#11;", "&#xD800;", "&#1114112;"])
def test_a_page_with_references_to_what_is_not_text_keeps_its_article(reference: str) -> None:
    paragraphs = "".join(f"<p>Paragraph {i} says {reference} that the workers were taken to a guarded "
                         "compound and later sent home by their embassy.</p>" for i in range(5))
    html = (f"<html lang='en'><head><title>Sent {reference} home</title></head><body><article>{paragraphs}"
            "</article></body></html>").encode()
    article = extract_article(html, "https://desk.example.org/a", fallback_summary="The feed's summary.")
    assert article.method == "trafilatura" and article.error is None
    assert "guarded compound" in article.text and article.title in ("Sent home", "Sent \ufffd home")
    for text in (article.title or "", article.text):
        text.encode("utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_references_are_repaired_in_wide_encodings_too(codec: str) -> None:
    body = rss_items("<item><title>Odd &#xD800; one</title><link>https://desk.example.org/1</link></item>"
                     "<item><title>Sound</title><link>https://desk.example.org/2</link></item>")
    feed = parse_feed(body.decode().replace('encoding="utf-8"', f'encoding="{codec}"').encode(codec), URL)
    assert [e.title for e in feed.entries] == ["Odd \ufffd one", "Sound"] and encodes(feed)


def test_tabs_and_line_breaks_inside_a_link_are_dropped_as_browsers_do() -> None:
    feed = ParsedFeed()
    feed.add(FeedEntry(link="https://desk.example.org/long\n\t-story", title="Wrapped"))
    feed.add(FeedEntry(link="https://desk.example.org/\x02bell", title="Bell"))
    assert [e.link for e in feed.entries] == ["https://desk.example.org/long-story"]
    assert feed.rejected == [("https://desk.example.org/bell",
                              "the link holds U+0002, which is not text a URL can carry")]
