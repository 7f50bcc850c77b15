"""Item pipelines of the gather crawl: check and fingerprint articles, then hand them over.

The crawl runs on the reactor thread; the database belongs to the caller's thread.
:class:`SinkPipeline` therefore only puts items on the crawl's :class:`Sink` queue,
which :func:`crawler.gather.stage.gather_pass` drains into SQLite in batches.
"""

from __future__ import annotations

import queue
from typing import Self

from scrapy.crawler import Crawler

from crawler.base.fingerprint import content_hash
from crawler.gather.records import Article, Record, Reject
from crawler.gather.validtext import valid_text


class Sink:
    """A thread-safe hand-over of items from the crawl to the writer."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Record] = queue.SimpleQueue()

    def put(self, item: Record) -> None:
        self._queue.put(item)

    def drain(self, limit: int = 1000) -> list[Record]:
        out: list[Record] = []
        while len(out) < limit:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return out


class ArticlePipeline:
    """Makes every text field valid (no lone surrogates or control characters, which SQLite's
    readers and every encoder refuse), strips an article's fields and stamps it with its content
    fingerprint; an article left with neither title nor text becomes a :class:`Reject` (kind
    ``extraction``), so it is stored in ``rejects`` and not fetched again every pass."""

    def process_item(self, item: Record) -> Record:
        for name in item.__slots__:
            value = getattr(item, name)
            if isinstance(value, str):
                setattr(item, name, valid_text(value))
        if not isinstance(item, Article):
            return item
        item.title, item.text = _stripped(item.title), _stripped(item.text)
        item.summary, item.author = _stripped(item.summary), _stripped(item.author)
        if not (item.title or item.text):
            return Reject(url=item.url, canonical_url=item.canonical_url, source=item.source, kind="extraction",
                          reason="no title and no text", at=item.fetched_at)
        item.content_hash = content_hash(item.title, item.text)
        return item


def _stripped(value: str | None) -> str | None:
    return value.strip() or None if isinstance(value, str) else value


class SinkPipeline:
    """Puts every item on the spider's ``sink`` (a :class:`Sink`; settings cannot hold one,
    Scrapy deep-copies them)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Record) -> Record:
        sink = getattr(self.crawler.spider, "sink", None)
        if sink is not None:
            sink.put(item)
        return item
