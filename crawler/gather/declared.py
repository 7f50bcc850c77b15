"""The article URL a page declares for itself: ``<link rel="canonical">``, else ``og:url``.

Syndication partners, AMP pages, CDN mirrors and proxies declare the original article's
URL; the stories stage takes two items declaring one URL as copies of one article.

trafilatura's ``Document.url`` cannot serve: when a page declares nothing (or a relative path it
cannot resolve) it returns the URL it was given, and it takes ``<base href>`` and hreflang
alternates for the page's URL.  So the ``<head>`` is read here, by lxml, and only what the
page really declares counts: relative values are resolved against the page (and its
``<base href>``), conflicting canonical links are ignored (as search engines do), and a
site's front page is never an article's URL (templates that know no better declare it).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from crawler.base.urls import canonicalize_url, is_front_page

MAX_HEAD_CHARS = 2_000_000  # heads with inline scripts and styles reach 1 MB on real news sites
_HEAD_END = re.compile(r"</head\s*>", re.I)
_BODY_START = re.compile(r"<body[\s>]", re.I)
_NOT_MARKUP = re.compile(r"<!--.*?-->|<(script|style|noscript)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"""<(?:link|meta|base)\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.I)
_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def declared_url(page: str, url: str | None) -> str | None:
    """The canonical form of the URL ``page`` (fetched from ``url``) declares as its own, or None."""
    tags = _head_tags(page)
    if not tags:
        return None
    try:  # only the head's <link>/<meta>/<base> tags: a few KB to parse even when the head is 1 MB
        tree = lxml.html.document_fromstring(f"<html><head>{tags}</head></html>".encode("utf-8", "replace"),
                                             parser=_PARSER)
    except (etree.LxmlError, ValueError):
        return None
    base = url or ""
    for href in tree.xpath("//base/@href")[:1]:
        base = urljoin(base, href.strip())
    links = {found for link in tree.xpath("//link[@rel][@href]") if _is_canonical(link)
             if (found := _article_url(link.get("href"), base))}
    if len(links) == 1:
        return links.pop()
    for meta in tree.xpath("//meta[@content][@property='og:url' or @name='og:url']"):
        if found := _article_url(meta.get("content"), base):
            return found
    return None


def _head_tags(page: str) -> str:
    """The ``<link>``, ``<meta>`` and ``<base>`` tags of the page's ``<head>``, outside comments and scripts."""
    end = _HEAD_END.search(page, 0, MAX_HEAD_CHARS)
    head = _NOT_MARKUP.sub(" ", page[: end.start()] if end else page[:MAX_HEAD_CHARS])
    if end is None and (body := _BODY_START.search(head)):
        head = head[: body.start()]
    return "".join(_TAG.findall(head))


def _is_canonical(link: lxml.html.HtmlElement) -> bool:
    return "canonical" in (link.get("rel") or "").lower().split()


def _article_url(value: str | None, base: str) -> str | None:
    """``value`` as a canonical absolute http(s) URL, unless it is unusable or a front page."""
    if not value or not value.strip():
        return None
    try:
        found = canonicalize_url(value, base or None)
    except ValueError:
        return None
    return None if is_front_page(found) else found
