"""Article extraction off the reactor thread: a process pool that lives as long as the process.

trafilatura dominates a gather pass (~4 ms on a clean page, ~175 ms on deeply nested
markup) and holds the GIL, so run inline it stalls every download. With workers, the
reactor keeps downloading while pages are extracted on the other cores, and a page
that crashes lxml kills a worker, not the daemon. ``workers=0`` extracts inline.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from crawler.gather.extract import Article, extract_article, strip_html

log = logging.getLogger(__name__)
MAX_AUTO_WORKERS = 4


def default_workers() -> int:
    """One worker per core (at most 4); none on a single core, where a pool only adds cost."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 0 if cores < 2 else min(cores, MAX_AUTO_WORKERS)


class ExtractPool:
    """``await pool.extract(html, url, ...)``: :func:`crawler.gather.extract.extract_article`, in a worker."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # spawn, not fork: the parent runs threads (reactor, writer) that fork would copy mid-step.
                self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
            return self._executor

    async def extract(self, html: bytes, url: str, **kw: Any) -> Article:
        if self.workers <= 0:
            return extract_article(html, url, **kw)
        try:
            return await asyncio.wrap_future(self._pool().submit(extract_article, html, url, **kw))
        except BrokenProcessPool:
            log.warning("an extraction worker died (on %s or a page extracted beside it); "
                        "using the feed's text for this page", url)
            self._reset()
            return Article(title=kw.get("fallback_title"), text=strip_html(kw.get("fallback_summary")),
                           method="feed", error="extraction worker crashed")

    def _reset(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        self._reset()


_POOLS: dict[int, ExtractPool] = {}
_POOLS_LOCK = threading.Lock()


def get_pool(workers: int | None = None) -> ExtractPool:
    """The process's pool with ``workers`` workers (default: :func:`default_workers`)."""
    count = default_workers() if workers is None else max(0, workers)
    with _POOLS_LOCK:
        if count not in _POOLS:
            _POOLS[count] = ExtractPool(count)
        return _POOLS[count]
