"""Item pipelines of the gather crawl: check and fingerprint articles, then hand them over.

The crawl runs on the reactor thread; the database belongs to the caller's thread.
:class:`SinkPipeline` therefore only puts items on the crawl's :class:`Sink` queue,
which :func:`crawler.gather.stage.gather_pass` drains into SQLite in batches.
"""

from __future__ import annotations

import queue
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.base.fingerprint import content_hash


class MissingText(DropItem):
    """An article with neither title nor text: nothing to classify."""


class Sink:
    """A thread-safe hand-over of items from the crawl to the writer."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()

    def put(self, item: dict[str, Any]) -> None:
        self._queue.put(item)

    def drain(self, limit: int = 1000) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while len(out) < limit:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return out


class ArticlePipeline:
    """Drops empty articles (as rejects) and stamps each with its content fingerprint."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if item.get("type") != "article":
            return item
        for key in ("title", "text", "summary", "author"):
            if isinstance(item.get(key), str):
                item[key] = item[key].strip() or None
        if not (item.get("title") or item.get("text")):
            raise MissingText(f"{item.get('url')}: no title and no text")
        item["content_hash"] = content_hash(item.get("title"), item.get("text"))
        return item


class SinkPipeline:
    """Puts every item on the spider's ``sink`` (a :class:`Sink`; settings cannot hold one,
    Scrapy deep-copies them)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        sink = getattr(self.crawler.spider, "sink", None)
        if sink is not None:
            sink.put(item)
        return item
