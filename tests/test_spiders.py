"""Listing and sitemap spiders: real press listing pages and the real sitemaps.org sitemap."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from crawler.app.database import open_db
from crawler.gather.config import SourceConfig
from crawler.gather.stage import gather_pass
from spiders.feed import parse_feed
from spiders.listing import parse_listing
from spiders.sitemap import parse_sitemap
from tests import httpserver
from tests.test_gather import fundus_pages, make_config, serve_articles, source

# Per-page selectors, as an operator would configure them for these CMSs.
LISTING_SELECTORS = {
    "drupal_press.html": ("div.views-field-title h3.field-content a", "li.pager-next a"),
    "bill_nelson_press.html": ("div.views-field-title h3.field-content a", "li.pager-next a"),
    "rand_paul_press.html": ("h2.title a", "li.next a"),
    "ed_perlmutter_press.html": ("td.list-title a", None),
    "keating_press.html": ("td.list-title a", None),
    "vitter_press.html": ("table.table-striped td a", None),
    "house_gop_releases.html": ("ul#membernews li", None),
}


@pytest.fixture(scope="module")
def expected(corpus: Path) -> dict:
    return json.loads((corpus / "press/us-congress/expected.json").read_text("utf-8"))["listing_pages"]


def _listing(corpus: Path, name: str, url: str) -> tuple[list[tuple[str, str | None]], str | None]:
    css, next_css = LISTING_SELECTORS[name]
    src = SourceConfig(name="p", url=url, kind="listing", link_selector=css, next_page_selector=next_css)
    response = HtmlResponse(url=url, body=(corpus / "press/us-congress" / name).read_bytes())
    page = parse_listing(response, src)
    assert page.error_kind is None
    return page.links, page.next_page


@pytest.mark.parametrize("name", sorted(LISTING_SELECTORS))
def test_listing_links_match_expectations(corpus: Path, expected: dict, name: str) -> None:
    case = expected[name]
    links, _ = _listing(corpus, name, case["original_url"])
    want = case["expected"]
    assert links
    if "item_count" in want:
        assert len(links) == want["item_count"]
    if "first_item" in want:
        url, title = links[0]
        assert url == want["first_item"]["url"] and title == want["first_item"]["title"]
    if "all_item_domains" in want:
        assert {urlsplit(u).hostname for u, _ in links} == set(want["all_item_domains"])
    if "last_item_url" in want:
        last = links[-1][0]
        if name == "house_gop_releases.html":
            # The page links "republicans/other/..." relative to /republicans/news: resolved as a
            # browser does (RFC 3986), not as the upstream Ruby scraper did (domain + "/" + href).
            assert last == "http://www.gop.gov/republicans/republicans/other/relative_url_test.html"
        else:
            assert last == want["last_item_url"]


def test_listing_next_page_link(corpus: Path, expected: dict) -> None:
    _, nxt = _listing(corpus, "drupal_press.html", expected["drupal_press.html"]["original_url"])
    assert nxt == "http://walz.house.gov/media-center/press-releases?page=1"


def test_bad_selector_is_reported(corpus: Path) -> None:
    src = SourceConfig(name="p", url="http://x.invalid/", kind="listing", link_selector="td[[[")
    page = parse_listing(HtmlResponse(url="http://x.invalid/", body=b"<html></html>"), src)
    assert page.error_kind == "bad_selector"


def test_listing_source_follows_articles_and_next_pages(http_server: httpserver.TestServer, corpus: Path,
                                                        db_path: Path) -> None:
    urls = serve_articles(http_server, fundus_pages(corpus, every=40))
    half = len(urls) // 2
    for page_no, chunk in ((1, urls[:half]), (2, urls[half:]), (3, [])):
        links = "".join(f'<li class="release"><a href="{urlsplit(u).path}">Release</a></li>' for u in chunk)
        http_server.set(f"/press/{page_no}", f'<html><body><ul>{links}</ul>'
                        f'<a class="next" href="/press/{page_no + 1}">Next</a></body></html>')
    cfg = make_config([source("press", http_server.url("/press/1"), kind="listing", link_selector="li.release",
                              next_page_selector="a.next", max_pages=2)])
    db = open_db(db_path)

    report = gather_pass(cfg, db)

    assert report.ok == ["press"] and report.new_items == len(urls)
    assert not http_server.requests_for("/press/3")            # max_pages is a hard limit
    assert db["sources"].get("press")["items_found"] == len(urls)


def test_sitemaps_org_sitemap_parses(corpus: Path) -> None:
    body = (corpus / "sitemaps/sitemaps.org-sitemap.xml").read_bytes()
    plain = parse_sitemap(XmlResponse(url="https://www.sitemaps.org/sitemap.xml", body=body), 10_000_000)
    packed = parse_sitemap(TextResponse(url="https://www.sitemaps.org/sitemap.xml.gz",
                                        body=(corpus / "sitemaps/sitemaps.org-sitemap.xml.gz").read_bytes()),
                           10_000_000)
    assert plain.kind == "urlset" and len(plain.articles) == 84
    assert [a["loc"] for a in packed.articles] == [a["loc"] for a in plain.articles]
    assert parse_sitemap(TextResponse(url="http://x/s.xml.gz", body=gzip.compress(b"<urlset/>" + b" " * 5000)),
                         1000).error_kind == "too_large"


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>"""
NEWS_URL = """<url><loc>{loc}</loc><news:news><news:publication><news:name>Test Desk</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2026-11-0{day}T08:00:00+07:00
</news:publication_date><news:title>Story number {n}</news:title></news:news></url>"""


def test_sitemap_source_via_robots_and_index(http_server: httpserver.TestServer, corpus: Path,
                                             db_path: Path) -> None:
    urls = serve_articles(http_server, fundus_pages(corpus, every=70))
    entries = "".join(NEWS_URL.format(loc=u, day=i + 1, n=i) for i, u in enumerate(urls))
    http_server.set("/news-sitemap.xml", NEWS_SITEMAP.format(urls=entries), content_type="application/xml")
    http_server.set("/sitemap-index.xml.gz", gzip.compress(
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>'
        f'{http_server.url("/news-sitemap.xml")}</loc></sitemap></sitemapindex>'.encode()),
        content_type="application/octet-stream")
    http_server.set("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {http_server.url('/sitemap-index.xml.gz')}\n",
                    content_type="text/plain")
    cfg = make_config([source("maps", http_server.url("/robots.txt"), kind="sitemap")])
    db: sqlite_utils.Database = open_db(db_path)

    report = gather_pass(cfg, db)

    assert report.ok == ["maps"] and report.new_items == len(urls)
    row = db["sources"].get("maps")
    assert row["items_found"] == len(urls)
    first = next(db["items"].rows_where("url = ?", [urls[0]]))
    assert first["extraction"] == "trafilatura" and first["title"]


def test_news_sitemap_fields(http_server: httpserver.TestServer) -> None:
    body = NEWS_SITEMAP.format(urls=NEWS_URL.format(loc="http://a.invalid/1", day=3, n=7)).encode()
    page = parse_sitemap(XmlResponse(url="http://a.invalid/s.xml", body=body), 10_000_000)
    assert page.articles == [{"loc": "http://a.invalid/1", "title": "Story number 7",
                              "published": "2026-11-03T01:00:00+00:00"}]


def test_parse_feed_reports_what_is_wrong() -> None:
    assert parse_feed(b"  \n", "http://x/f").error_kind == "empty"
    assert parse_feed(b'{"status": "ok", "data": []}', "http://x/f").error_kind == "not_a_feed"
    cut_json = b'{"version": "https://jsonfeed.org/version/1", "items": [}'
    assert parse_feed(cut_json, "http://x/f").error_kind == "malformed"
    assert parse_feed(b"<!DOCTYPE html><html><body>moved</body></html>", "http://x/f").error_kind == "not_a_feed"
    cut = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x'
    assert parse_feed(cut, "http://x/f").error_kind == "malformed"
    assert parse_feed(gzip.compress(b"<rss>" + b" " * 20_000), "http://x/f", max_size=1000).error_kind == "too_large"
