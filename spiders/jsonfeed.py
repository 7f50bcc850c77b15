"""JSON Feed (https://www.jsonfeed.org/, versions 1 and 1.1): response bytes in, a ``ParsedFeed`` out.

Items map to the same ``FeedEntry`` fields as RSS/Atom entries: link (``url``, else
``external_url``, resolved against the feed's URL), title, summary, text (``content_html``
as plain text, else ``content_text``, else the summary), published (UTC, ISO 8601),
author (the item's, else the feed's) and id.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

from crawler.base.clock import normalise_date
from crawler.base.urls import is_http_url
from crawler.gather.extract import strip_html
from spiders.feedtypes import FeedEntry, ParsedFeed, feed_lang

_VERSION_PREFIXES = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """Parse ``body`` (fetched from ``url``, already gunzipped) as a JSON Feed."""
    text, undecodable = _decode(body)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return _malformed(f"invalid JSON at line {exc.lineno} column {exc.colno} (char {exc.pos}): {exc.msg}")
    except RecursionError:
        return _malformed("JSON nested deeper than the reader follows")
    except ValueError as exc:  # e.g. an integer longer than Python converts
        return _malformed(f"invalid JSON: {exc}")
    if not isinstance(doc, dict):
        return _not_json_feed(f"the document is a JSON {type(doc).__name__}, not an object")
    version = _version(doc.get("version"))
    if version is None:
        return _not_json_feed("no jsonfeed.org version")
    items = doc.get("items")
    if not isinstance(items, list):
        return _not_json_feed(f"{version} version given, but 'items' is not a list")
    result = ParsedFeed(version=version, lang=feed_lang(doc.get("language")))
    if undecodable:
        result.warn(undecodable)
    feed_author = _author(doc)
    for item in items:
        entry = _entry(item, url, feed_author) if isinstance(item, dict) else None
        if entry is None:
            result.without_link += 1
        else:
            result.add(entry)
    return result


def _decode(body: bytes) -> tuple[str, str | None]:
    """The document as text, and a note when bytes that are not UTF-8 (as JSON must be) became U+FFFD."""
    try:
        return body.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        note = f"bytes that are not UTF-8 read as U+FFFD (the first at offset {exc.start})"
        return body.decode("utf-8-sig", errors="replace"), note


def _malformed(reason: str) -> ParsedFeed:
    return ParsedFeed(error_kind="malformed", error=reason)


def _not_json_feed(reason: str) -> ParsedFeed:
    return ParsedFeed(error_kind="not_a_feed", error=f"JSON, but not a JSON Feed: {reason}")


def _version(value: Any) -> str | None:
    """``json1``, ``json11``... for a jsonfeed.org version URL; None for anything else."""
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    for prefix in _VERSION_PREFIXES:
        if value.startswith(prefix):
            return "json" + value[len(prefix):].strip("/").replace(".", "")
    return None


def _entry(item: dict[str, Any], base: str, feed_author: str | None) -> FeedEntry | None:
    link = _link(item, base)
    if link is None:
        return None
    summary = strip_html(item.get("summary"))
    content_text = item.get("content_text")
    plain = content_text.strip() if isinstance(content_text, str) else ""
    return FeedEntry(
        link=link,
        title=strip_html(item.get("title")) or None,
        summary=summary,
        text=strip_html(item.get("content_html")) or plain or summary,
        published=_date(item, "date_published") or _date(item, "date_modified"),
        author=_author(item) or feed_author,
        entry_id=_scalar(item.get("id")),
    )


def _link(item: dict[str, Any], base: str) -> str | None:
    for key in ("url", "external_url"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            link = urljoin(base, value.strip())
        except ValueError:
            continue
        if is_http_url(link):
            return link
    return None


def _author(obj: dict[str, Any]) -> str | None:
    """The first named author: ``authors`` (1.1), then ``author`` (1.0)."""
    authors = obj.get("authors")
    people = [*(authors if isinstance(authors, list) else []), obj.get("author")]
    for person in people:
        name = person.get("name") if isinstance(person, dict) else None
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


def _date(item: dict[str, Any], key: str) -> str | None:
    """The item's date under ``key`` (RFC 3339) as UTC ISO 8601; None when absent or unreadable."""
    value = item.get(key)
    return normalise_date(value) if isinstance(value, str) else None
