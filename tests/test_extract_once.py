"""Each page is extracted once: one trafilatura pass gives text and metadata; the full cascade runs
again, text only, just for pages where fast mode fell short and the page holds more text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench.extract import fundus_pages, token_f1
from crawler.gather import extract
from crawler.gather.extract import MIN_TEXT_CHARS, extract_article

HEAD = ("<title>Workers sent home</title><meta property='article:published_time' content='2026-03-02T08:00:00Z'>"
        "<meta name='author' content='Desk Reporter'>")
ARTICLE = "".join(f"<p>Paragraph {i}: the embassy said the workers taken across the border were sent home "
                  f"after months in a guarded building where they were made to run online fraud.</p>"
                  for i in range(8))


def _page(body: str) -> str:
    return f"<!DOCTYPE html><html lang='en'><head>{HEAD}</head><body>{body}</body></html>"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts trafilatura passes: 'fast'/'full' text passes, and 'metadata' readings of any kind."""
    seen: Counter[str] = Counter()

    def counted(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if name == "bare_extraction":
                seen["fast" if kwargs.get("fast") else "full"] += 1
                seen["metadata"] += bool(kwargs.get("with_metadata"))
            else:
                seen["metadata"] += 1
            return real(*args, **kwargs)
        return wrapper

    for name in ("bare_extraction", "extract_metadata"):
        monkeypatch.setattr(extract.trafilatura, name, counted(name, getattr(extract.trafilatura, name)))
    return seen


def test_an_article_page_takes_one_pass(calls: Counter[str]) -> None:
    article = extract_article(_page(f"<article>{ARTICLE}</article>"), "https://example.org/a")
    assert article.method == "trafilatura" and "guarded building" in article.text
    assert (article.title, article.author) == ("Workers sent home", "Desk Reporter")
    assert article.published == "2026-03-02T08:00:00+00:00"
    assert calls == Counter(fast=1, metadata=1)


def test_a_page_with_too_little_text_takes_one_pass_and_keeps_its_metadata(calls: Counter[str]) -> None:
    article = extract_article(_page("<div><p>Subscribe to read on.</p></div>"), "https://example.org/b",
                              fallback_summary="The feed's own summary of the story, longer than the page.")
    assert article.method == "feed" and article.error and "too short" in article.error
    assert (article.title, article.author) == ("Workers sent home", "Desk Reporter")
    assert article.published == "2026-03-02T08:00:00+00:00"
    # Nothing more to find on the page: the full cascade is not run, metadata is read once.
    assert calls == Counter(fast=1, metadata=1)


def test_a_page_with_no_text_at_all_keeps_its_metadata_from_the_one_pass(calls: Counter[str]) -> None:
    article = extract_article(_page("<div></div>"), "https://example.org/c", fallback_title="Feed title")
    assert article.method == "feed" and article.error == "no article text found"
    assert article.published == "2026-03-02T08:00:00+00:00" and article.author == "Desk Reporter"
    assert calls == Counter(fast=1, metadata=1)


def test_a_trafilatura_crash_still_reads_the_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(extract.trafilatura, "bare_extraction", boom)
    article = extract_article(_page(f"<article>{ARTICLE}</article>"), "https://example.org/d")
    assert article.error == "trafilatura error: RuntimeError: parser exploded"
    assert article.published == "2026-03-02T08:00:00+00:00"


def test_where_fast_mode_falls_short_the_full_cascade_still_runs(corpus: Path, calls: Counter[str]) -> None:
    """A real page whose article fast mode misses (its markup defeats the fast heuristics)."""
    pages = [p for p in fundus_pages(corpus) if p.path.name.startswith("AnadoluAjansi_2026_04_20")]
    assert pages, "the corpus page this test reads is missing"
    page = pages[0]
    article = extract_article(page.html(), page.url)
    assert article.method == "trafilatura" and len(article.text) > 20 * MIN_TEXT_CHARS
    assert token_f1(article.text, page.body or "") > 0.9
    assert calls == Counter(fast=1, full=1, metadata=1)
