"""Feeds: response bytes in, entries (or a named reason there are none) out.

RSS 0.9x/1.0/2.0 and Atom are read by feedparser; JSON Feed 1/1.1 (a body that is a
JSON object) by ``spiders.jsonfeed``. Everything else is classified so that the
source's health row says what is wrong: ``empty``, ``not_a_feed`` (HTML page, JSON that
is not a JSON Feed, anything unrecognised), ``malformed`` (a feed whose XML breaks before
any entry, invalid JSON), ``too_large`` (a gzip bomb).
"""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from typing import Any

import feedparser

from crawler.base.clock import iso
from crawler.base.urls import is_http_url
from crawler.gather.extract import strip_html
from crawler.gather.validtext import repair_char_refs, valid_text
from spiders.bodies import BodyError, unpack_gzip
from spiders.feedtypes import FeedEntry, ParsedFeed, feed_lang
from spiders.jsonfeed import parse_json_feed

__all__ = ["FeedEntry", "ParsedFeed", "parse_feed"]

_UTF8_BOM = b"\xef\xbb\xbf"
# How documents in the encodings that are not ASCII-compatible begin: byte order marks, then "<?".
_WIDE_STARTS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
                (b"\xfe\xff", "utf-16"), (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"))


def parse_feed(body: bytes, url: str, content_type: str | None = None,
               max_size: int = 10_000_000) -> ParsedFeed:
    """Parse ``body`` (fetched from ``url``) as a feed."""
    if not body.strip():
        return ParsedFeed(error_kind="empty", error="empty response body")
    try:
        body = unpack_gzip(body, max_size)
    except BodyError as exc:
        return ParsedFeed(error_kind=exc.kind, error=str(exc))
    if _is_json_object(body):
        return parse_json_feed(body, url)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    body, references = _repair_references(body)
    try:
        # A BytesIO, never bare bytes: feedparser treats strings that look like paths or URLs as such.
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=False)
    except Exception as exc:  # noqa: BLE001 - feedparser's loose parser raises on odd input; one line, not a crash
        return ParsedFeed(error_kind="malformed", error=f"the feed parser gave up: {type(exc).__name__}: {exc}")
    result = ParsedFeed(version=parsed.get("version", ""), lang=feed_lang(parsed.feed.get("language")))
    problem = _bozo_text(parsed)
    for raw in parsed.entries:
        entry = _entry(raw)
        if entry is None:
            result.without_link += 1
        else:
            result.add(entry)
    if result.entries:
        result.warning = problem
        if references:
            result.warn(f"{references} character references to what is not text dropped or read as U+FFFD")
    elif not result.version:
        result.error_kind, result.error = "not_a_feed", _not_a_feed(body, problem)
    elif problem:
        result.error_kind = "malformed"
        result.error = f"{result.version} feed breaks before any usable entry: {problem}"
    return result


def _repair_references(body: bytes) -> tuple[bytes, int]:
    """``body`` with its character references to what is not text repaired, and how many there were.

    feedparser's fallback parser turns ``&#xD800;`` into a lone surrogate, then fails to encode it
    and loses the whole feed. Latin-1 maps bytes to code points one to one, so the (ASCII)
    references are found in any ASCII-compatible encoding; UTF-16 and UTF-32 are read as such."""
    codec = next((name for marks, name in _WIDE_STARTS if body.startswith(marks)), "latin-1")
    try:
        text, count = repair_char_refs(body.decode(codec))
        return (text.encode(codec) if count else body), count
    except UnicodeError:  # not the wide encoding it looked like: feedparser will say so
        return body, 0


def _entry(raw: Any) -> FeedEntry | None:
    link = raw.get("link") or ""
    if not is_http_url(link):
        candidate = raw.get("id") or ""
        link = candidate if is_http_url(candidate) else ""
    if not link:
        return None
    content = raw.get("content") or []
    body = " ".join(c.get("value", "") for c in content if c.get("value"))
    summary = strip_html(raw.get("summary"))
    return FeedEntry(
        link=link.strip(),
        title=strip_html(raw.get("title")) or None,
        summary=summary,
        text=strip_html(body) or summary,
        published=_date(dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")),
        author=(raw.get("author") or None),
        entry_id=raw.get("id") or None,
    )


def _date(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    try:
        return iso(datetime(*parsed[:6], tzinfo=UTC))
    except (TypeError, ValueError):
        return None


def _bozo_text(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    return valid_text(f"{type(exc).__name__}: {exc}") if exc is not None else "not well-formed"


def _is_json_object(body: bytes) -> bool:
    head = body.lstrip()
    if head.startswith(_UTF8_BOM):
        head = head[len(_UTF8_BOM):].lstrip()
    return head.startswith(b"{")


def _not_a_feed(body: bytes, problem: str | None) -> str:
    head = body.lstrip()[:512].lower()
    if head.startswith(b"["):
        return "JSON, but not a JSON Feed: a JSON Feed is an object, this is an array"
    if b"<html" in head or b"<!doctype html" in head:
        return "an HTML page, not a feed"
    return f"not a recognisable RSS, Atom or JSON feed ({problem or 'no feed element'})"
