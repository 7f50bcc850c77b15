"""URL canonicalisation: spellings of one article merge, different articles stay apart."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from crawler.base.urls import canonicalize_url, host_of, is_http_url, unwrap_redirect, url_key

ARTICLE = "https://news.example.org/world/asia/held-workers-freed?id=42"

# Each spelling must canonicalise to ARTICLE exactly.
SAME_CANONICAL = [
    ARTICLE,
    "https://news.example.org/world/asia/held-workers-freed?id=42#comments",
    "HTTPS://News.Example.ORG/world/asia/held-workers-freed?id=42",
    "https://news.example.org:443/world/asia/held-workers-freed?id=42",
    "https://news.example.org/world/asia/held-workers-freed?utm_source=rss&id=42&utm_medium=feed",
    "https://news.example.org/world/asia/held-workers-freed?fbclid=IwAR0abc&id=42&gclid=xyz",
    "https://news.example.org/world/asia/held-workers-freed?id=42&CMP=share_btn_tw&ref=rss",
    "https://news.example.org/world/asia/held-workers-freed?id=42&mc_cid=1&mc_eid=2&_ga=2.1",
    "https://news.example.org/world/asia/held-workers-freed?id=42&WT.mc_id=x&ns_source=y&amp=1",
    "https://news.example.org//world//asia/held-workers-freed?id=42",
    "https://news.example.org/world/./asia/../asia/held-workers-freed?id=42",
    "  https://news.example.org/world/asia/held-workers-freed?id=42  ",
    "https://news.example.org/world/asia/held%2Dworkers%2dfreed?id=42",
    "https://www.google.com/url?rct=j&sa=t&url=https://news.example.org/world/asia/held-workers-freed%3Fid%3D42"
    "&ct=ga&cd=CAIy&usg=AFQjCN",
    "https://www.google.com/url?q=https%3A%2F%2Fnews.example.org%2Fworld%2Fasia%2Fheld-workers-freed%3Fid%3D42"
    "%26utm_source%3Dalert",
]


@pytest.mark.parametrize("variant", SAME_CANONICAL)
def test_spellings_of_one_article_canonicalise_alike(variant: str) -> None:
    assert canonicalize_url(variant) == ARTICLE


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("../asia/held-workers-freed?id=42", "https://news.example.org/world/europe/index.html", ARTICLE),
        ("/world/asia/held-workers-freed?id=42", "https://news.example.org/", ARTICLE),
        ("//news.example.org/world/asia/held-workers-freed?id=42", "https://other.example/", ARTICLE),
        ("held-workers-freed?id=42", "https://news.example.org/world/asia/", ARTICLE),
        ("?id=42", "https://news.example.org/world/asia/held-workers-freed?id=7", ARTICLE),
        ("https://elsewhere.example/a", "https://news.example.org/", "https://elsewhere.example/a"),
    ],
)
def test_relative_links_resolve_against_the_base(url: str, base: str, expected: str) -> None:
    assert canonicalize_url(url, base=base) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),  # only the scheme's own default port goes
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?b=2&a=1&a=0", "https://example.com/a?a=0&a=1&b=2"),
        ("https://example.com/a?q=caf%c3%a9", "https://example.com/a?q=caf%C3%A9"),
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://example.com/a/", "https://example.com/a/"),  # trailing slash kept: servers differ
        ("https://example.com/a/index.html", "https://example.com/a/index.html"),
        ("http://example.com/a", "http://example.com/a"),  # scheme kept: it is still fetched
    ],
)
def test_canonical_form(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


# url_key merges what canonicalize_url keeps apart because servers might differ.
SAME_KEY = [
    "https://example.com/news/story-1",
    "http://example.com/news/story-1",
    "https://www.example.com/news/story-1",
    "https://example.com/news/story-1/",
    "https://example.com/news/story-1/index.html",
    "http://www.example.com:80/news/story-1/index.php?utm_campaign=x#top",
]


@pytest.mark.parametrize("variant", SAME_KEY)
def test_url_key_ignores_scheme_www_index_page_and_trailing_slash(variant: str) -> None:
    assert url_key(variant) == "example.com/news/story-1"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://example.com/article?id=1", "https://example.com/article?id=2"),
        ("https://example.com/article.php?p=100", "https://example.com/article.php?p=101"),
        ("https://example.com/news/story-1", "https://example.com/news/story-2"),
        ("https://example.com/news/story-1", "https://example.com/world/story-1"),
        ("https://example.com/news/story-1", "https://example.org/news/story-1"),
        ("https://example.com/news/story-1", "https://news.example.com/news/story-1"),
        ("https://example.com/News/Story-1", "https://example.com/news/story-1"),  # paths are case-sensitive
        ("https://example.com/a?page=2", "https://example.com/a?page=3"),
        ("https://example.com:8080/a", "https://example.com/a"),
        ("https://example.com/a%2Fb", "https://example.com/a/b"),  # an encoded slash is not a separator
    ],
)
def test_different_articles_stay_apart(first: str, second: str) -> None:
    assert canonicalize_url(first) != canonicalize_url(second)
    assert url_key(first) != url_key(second)


@pytest.mark.parametrize(
    "url",
    ["javascript:void(0)", "mailto:press@example.org", "ftp://example.org/file", "", "   ",
     "/relative/without/base", "http://", "https://example.com:99999/a", "tel:+15555550100"],
)
def test_unusable_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        canonicalize_url(url)


def test_is_http_url() -> None:
    assert is_http_url("https://example.com/a")
    assert is_http_url("HTTP://EXAMPLE.COM")
    assert not is_http_url("example.com/a")
    assert not is_http_url(None)  # type: ignore[arg-type]
    assert not is_http_url("http://[::1/")


def test_host_of() -> None:
    assert host_of("https://News.Example.org:8443/a?b") == "news.example.org"
    assert host_of("https://bücher.example/") == "xn--bcher-kva.example"
    assert host_of("not a url") == ""


@pytest.mark.parametrize(
    ("wrapped", "target"),
    [
        ("https://www.google.com/url?rct=j&sa=t&url=https://example.org/a&ct=ga", "https://example.org/a"),
        ("https://google.co.uk/url?q=https://example.org/a&sa=U", "https://example.org/a"),
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2Fa&h=AT0", "https://example.org/a"),
        ("https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexample.org%2Fa&data=x",
         "https://example.org/a"),
        # not wrappers: left alone
        ("https://www.google.com/search?q=https://example.org/a", "https://www.google.com/search?q=https://example.org/a"),
        ("https://example.org/url?url=https://evil.example/", "https://example.org/url?url=https://evil.example/"),
        ("https://evilgoogle.com/url?url=https://x.example/", "https://evilgoogle.com/url?url=https://x.example/"),
        ("https://www.google.com/url?url=javascript:alert(1)", "https://www.google.com/url?url=javascript:alert(1)"),
    ],
)
def test_redirect_wrappers_are_unwrapped(wrapped: str, target: str) -> None:
    assert unwrap_redirect(wrapped) == target


def test_google_alerts_links_from_a_real_feed(corpus: Path) -> None:
    """Every link of the saved Google Alerts feed unwraps to the publisher's own URL."""
    feed = feedparser.parse((corpus / "feeds" / "feedjira" / "google_alerts_atom.xml").read_bytes())
    links = [entry.link for entry in feed.entries]
    assert len(links) == 20
    for link in links:
        canonical = canonicalize_url(link)
        assert host_of(canonical) not in ("www.google.com", "google.com"), link
        assert "usg=" not in canonical and "ct=ga" not in canonical


def test_session_ids_are_dropped() -> None:
    assert canonicalize_url("https://example.com/a;jsessionid=0A1B2C?id=3&PHPSESSID=abc") == "https://example.com/a?id=3"
