"""Listing pages: article links and the next-page link, found by a source's selectors.

``link_selector``/``next_page_selector`` are CSS, ``link_xpath``/``next_page_xpath``
XPath. A selector may pick the links themselves (``a.title``), elements that contain
a link (``h3.release``: the first ``<a href>`` inside is used) or the URLs directly
(``a::attr(href)``, ``//a/@href``). Relative URLs are resolved against the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsel import Selector, SelectorList
from scrapy.http import TextResponse

from crawler.base.urls import is_http_url
from crawler.gather.config import SourceConfig


@dataclass
class ListingPage:
    """Article links (url, link text) of one listing page and where the next page is."""

    links: list[tuple[str, str | None]] = field(default_factory=list)
    next_page: str | None = None
    error_kind: str | None = None
    error: str | None = None


def parse_listing(response: TextResponse, source: SourceConfig) -> ListingPage:
    """Apply ``source``'s selectors to a listing page."""
    if not isinstance(response, TextResponse):
        return ListingPage(error_kind="not_html", error="the listing page is not a text/HTML document")
    page = ListingPage()
    try:
        found = _select(response, source.link_selector, source.link_xpath)
        nxt = _select(response, source.next_page_selector, source.next_page_xpath)
    except (ValueError, SyntaxError) as exc:  # bad XPath: ValueError; bad CSS: cssselect SyntaxError
        return ListingPage(error_kind="bad_selector", error=f"selector does not parse: {exc}")
    seen: set[str] = set()
    for node in found:
        href, text = _link_of(node)
        url = response.urljoin(href) if href else ""
        if is_http_url(url) and url not in seen:
            seen.add(url)
            page.links.append((url, text))
    for node in nxt[:1]:
        href, _ = _link_of(node)
        url = response.urljoin(href) if href else ""
        if is_http_url(url) and url != response.url:
            page.next_page = url
    return page


def _select(response: TextResponse, css: str | None, xpath: str | None) -> SelectorList[Selector]:
    if css:
        return response.css(css)
    if xpath:
        return response.xpath(xpath)
    return SelectorList([])


def _link_of(node: Selector) -> tuple[str | None, str | None]:
    """``(href, text)`` of a selected node: an attribute/text value, a link, or a link inside."""
    root = node.root
    if isinstance(root, str):  # ::attr(href) or @href selected the URL itself
        return root.strip(), None
    anchor = node if root.tag == "a" else node.css("a[href]")[:1]
    anchor = anchor[0] if isinstance(anchor, SelectorList) and anchor else anchor
    if not isinstance(anchor, Selector):
        return None, None
    href = anchor.attrib.get("href")
    text = " ".join(" ".join(anchor.css("*::text").getall()).split()) or None
    return (href.strip() if href else None), text
