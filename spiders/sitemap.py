"""Sitemaps (urlset, sitemap index, Google News sitemaps, robots.txt ``Sitemap:`` lines).

A small streaming reader (:class:`NewsSitemap`, parsed as Scrapy's ``Sitemap`` does) that
keeps the fields of Google News sitemaps (``<news:news>``: title, publication date,
language), which Scrapy's parser flattens away; robots.txt ``Sitemap:`` lines are read
by Scrapy's public ``sitemap_urls_from_robots``. Responses become entries or a named problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import lxml.etree
from scrapy.http import Response
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler.base.clock import normalise_date
from crawler.base.urls import is_http_url
from spiders.bodies import BodyError, unpack_gzip

NEWS_FIELDS = ("title", "publication_date", "language", "name")


class NewsSitemap:
    """A streaming sitemap reader: ``type`` is the root element's name; iterating gives one
    dict per ``<url>``/``<sitemap>`` with a ``loc`` (``loc``, ``lastmod``…, and ``news``: the
    ``<news:news>`` fields of Google News sitemaps).

    Parsed as Scrapy's ``Sitemap`` parses (lxml, recovering, no entities, no network).
    """

    def __init__(self, body: bytes) -> None:
        self._events = lxml.etree.iterparse(
            BytesIO(body), events=("start", "end"), recover=True, remove_comments=True, resolve_entities=False,
            remove_blank_text=True, collect_ids=False, remove_pis=True, no_network=True)
        _, root = next(self._events)  # StopIteration: an empty document
        self.type = _tag(root)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for event, elem in self._events:
            if event == "end" and _tag(elem) in ("url", "sitemap"):
                entry = _entry(elem)
                elem.clear()
                parent = elem.getparent()
                while parent is not None and elem.getprevious() is not None:
                    del parent[0]
                if entry.get("loc"):
                    yield entry


def _entry(elem: lxml.etree._Element) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    news: dict[str, str] = {}
    for child in elem:
        name = _tag(child)
        if name == "news":
            for sub in child.iter():
                if _tag(sub) in NEWS_FIELDS and sub.text:
                    news[_tag(sub)] = sub.text.strip()
        elif name and name != "link":
            entry.setdefault(name, (child.text or "").strip())
    if news:
        entry["news"] = news
    return entry


def _tag(elem: lxml.etree._Element) -> str:
    tag = elem.tag
    return tag.partition("}")[2] or tag if isinstance(tag, str) else ""


@dataclass
class SitemapPage:
    """What one sitemap document holds: article URLs or further sitemaps, or a problem."""

    kind: str = ""                                   # urlset | sitemapindex | robots
    articles: list[dict[str, Any]] = field(default_factory=list)   # loc, title, published
    sitemaps: list[str] = field(default_factory=list)
    error_kind: str | None = None
    error: str | None = None


def parse_sitemap(response: Response, max_size: int) -> SitemapPage:
    """Read a sitemap, sitemap index or robots.txt response."""
    if response.url.endswith("/robots.txt"):
        urls = [u for u in sitemap_urls_from_robots(response.body, base_url=response.url) if is_http_url(u)]
        return SitemapPage(kind="robots", sitemaps=urls)
    try:
        body = unpack_gzip(response.body, max_size)
    except BodyError as exc:
        return SitemapPage(error_kind=exc.kind, error=str(exc))
    if not body.strip():
        return SitemapPage(error_kind="empty", error="empty response body")
    try:
        sitemap = NewsSitemap(body)
    except (lxml.etree.XMLSyntaxError, StopIteration) as exc:
        return SitemapPage(error_kind="malformed", error=f"not XML: {exc}")
    if sitemap.type == "sitemapindex":
        return SitemapPage(kind="sitemapindex", sitemaps=[e["loc"] for e in sitemap if is_http_url(e.get("loc"))])
    if sitemap.type != "urlset":
        return SitemapPage(error_kind="not_a_sitemap", error=f"root element <{sitemap.type}> is not a sitemap")
    page = SitemapPage(kind="urlset")
    for entry in sitemap:
        if not is_http_url(entry.get("loc")):
            continue
        news = entry.get("news") or {}
        page.articles.append({
            "loc": entry["loc"],
            "title": news.get("title"),
            "published": normalise_date(news.get("publication_date") or entry.get("lastmod")),
        })
    # Newest first, so that a per-pass cap keeps the most recent articles.
    page.articles.sort(key=lambda a: a["published"] or "", reverse=True)
    return page
