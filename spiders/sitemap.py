"""Sitemaps (urlset, sitemap index, Google News sitemaps, robots.txt ``Sitemap:`` lines).

Parsing is Scrapy's own (``scrapy.utils.sitemap``); this module adds the fields of
Google News sitemaps (``<news:news>``: title, publication date, language), which
Scrapy's parser flattens away, and turns responses into entries or a named problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import lxml.etree
from scrapy.http import Response
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.base.urls import is_http_url
from crawler.gather.extract import normalise_date
from spiders.bodies import BodyError, unpack_gzip


class NewsSitemap(Sitemap):
    """Scrapy's Sitemap, keeping ``news:title``/``news:publication_date``/``news:language``."""

    def _process_sitemap_element(self, elem: lxml.etree._Element) -> dict[str, Any] | None:
        news: dict[str, str] = {}
        for child in elem:
            if self._get_tag_name(child) == "news":
                for sub in child.iter():
                    name = self._get_tag_name(sub)
                    if name in ("title", "publication_date", "language", "name") and sub.text:
                        news[name] = sub.text.strip()
        entry = super()._process_sitemap_element(elem)
        if entry is not None and news:
            entry.pop("news", None)
            entry["news"] = news
        return entry


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
