"""The extraction time budget: a page that overruns it is rejected as too_slow, and its worker replaced."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.base.clock import ManualClock
from crawler.gather.extract import Article as Extracted
from crawler.gather.extractpool import ExtractPool, TooSlow
from crawler.gather.records import Article, Reject
from spiders.articles import ArticleFetching, Candidate
from spiders.feed import FeedEntry

PAGE = b"<html><head><title>Budget check</title></head><body><article><p>" + b"Plain words. " * 60 + b"</p>"


class _HoldsTheWorker:
    """Unpickled in a worker, it sleeps there for a minute: a stand-in for a page trafilatura chews on."""

    def __reduce__(self) -> tuple:
        import time
        return (time.sleep, (60,))


def test_an_overrunning_page_is_too_slow_and_the_next_page_is_extracted() -> None:
    pool = ExtractPool(1, timeout=3.0)

    async def two_pages() -> tuple[BaseException | Extracted, Extracted]:
        slow = await asyncio.gather(pool.extract(_HoldsTheWorker(), "http://x.invalid/slow"),  # type: ignore[arg-type]
                                    return_exceptions=True)
        # One worker: unless the overrunning one was replaced, this page would wait out the minute too.
        return slow[0], await pool.extract(PAGE, "http://x.invalid/next")

    try:
        slow, healthy = asyncio.run(two_pages())
    finally:
        pool.shutdown()
    assert isinstance(slow, TooSlow) and "longer than 3 s" in str(slow)
    assert healthy.method == "trafilatura" and "Plain words" in healthy.text


class _Overruns:
    async def extract(self, html: bytes, url: str, **kw: Any) -> Extracted:
        raise TooSlow("extraction took longer than 20 s")


class _Fetcher(ArticleFetching):
    def __init__(self) -> None:
        self.clock = ManualClock(datetime(2026, 12, 1, tzinfo=UTC))
        self.extractor = _Overruns()  # type: ignore[assignment]
        self.articles_done = 0


def _parse(entry: FeedEntry) -> list[Any]:
    cand = Candidate("http://news.invalid/a", entry)
    request = Request(cand.url, meta={"source": "s", "canonical": cand.url, "candidate": cand})
    response = HtmlResponse(cand.url, body=PAGE, request=request)

    async def collect() -> list[Any]:
        return [record async for record in _Fetcher().parse_article(response)]

    return asyncio.run(collect())


def test_a_too_slow_page_without_feed_text_is_a_too_slow_reject() -> None:
    [record] = _parse(FeedEntry(link="http://news.invalid/a"))
    assert isinstance(record, Reject)
    assert (record.kind, record.reason) == ("too_slow", "extraction took longer than 20 s")


def test_a_too_slow_page_with_feed_text_keeps_what_the_feed_said() -> None:
    [record] = _parse(FeedEntry(link="http://news.invalid/a", title="Teaser title", summary="Teaser"))
    assert isinstance(record, Article) and record.from_feed
    assert record.title == "Teaser title" and "too_slow" in (record.extraction_error or "")
