"""Feeds: response bytes in, entries (or a named reason there are none) out, via feedparser.

RSS 0.9x/1.0/2.0 and Atom are what feedparser reads; everything it cannot read is
classified so that the source's health row says what is wrong: ``empty``,
``not_a_feed`` (HTML page, JSON Feed, anything unrecognised), ``malformed`` (a feed
whose XML breaks before any entry), ``too_large`` (a gzip bomb).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from crawler.extract import strip_html
from crawler.urls import is_http_url
from spiders.bodies import BodyError, unpack_gzip


@dataclass
class FeedEntry:
    """One entry of a feed, reduced to what the gather stage stores."""

    link: str
    title: str | None = None
    summary: str = ""
    text: str = ""
    published: str | None = None
    author: str | None = None
    entry_id: str | None = None


@dataclass
class ParsedFeed:
    """The entries of a feed, or why there are none (``error_kind``/``error``)."""

    entries: list[FeedEntry] = field(default_factory=list)
    version: str = ""
    lang: str | None = None
    error_kind: str | None = None
    error: str | None = None
    warning: str | None = None      # feedparser's bozo note when entries were still recovered
    without_link: int = 0           # entries dropped because they had no usable link


def parse_feed(body: bytes, url: str, content_type: str | None = None,
               max_size: int = 10_000_000) -> ParsedFeed:
    """Parse ``body`` (fetched from ``url``) as a feed."""
    if not body.strip():
        return ParsedFeed(error_kind="empty", error="empty response body")
    try:
        body = unpack_gzip(body, max_size)
    except BodyError as exc:
        return ParsedFeed(error_kind=exc.kind, error=str(exc))
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A BytesIO, never bare bytes: feedparser treats strings that look like paths or URLs as such.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=False)
    result = ParsedFeed(version=parsed.get("version", ""), lang=_lang(parsed.feed.get("language")))
    problem = _bozo_text(parsed)
    for raw in parsed.entries:
        entry = _entry(raw)
        if entry is None:
            result.without_link += 1
        else:
            result.entries.append(entry)
    if result.entries:
        result.warning = problem
    elif not result.version:
        result.error_kind, result.error = "not_a_feed", _not_a_feed(body, problem)
    elif problem:
        result.error_kind = "malformed"
        result.error = f"{result.version} feed breaks before any usable entry: {problem}"
    return result


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
        return datetime(*parsed[:6], tzinfo=UTC).isoformat(timespec="seconds")
    except (TypeError, ValueError):
        return None


def _lang(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().split("-")[0].split("_")[0].lower()[:3] or None


def _bozo_text(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}" if exc is not None else "not well-formed"


def _not_a_feed(body: bytes, problem: str | None) -> str:
    head = body.lstrip()[:512].lower()
    if head.startswith((b"{", b"[")):
        return "JSON, not an RSS/Atom feed (JSON Feed is not supported)"
    if b"<html" in head or b"<!doctype html" in head:
        return "an HTML page, not a feed"
    return f"not a recognisable RSS/Atom feed ({problem or 'no feed element'})"
