"""Article extraction off the reactor thread: a process pool that lives as long as the process.

trafilatura dominates a gather pass (~4 ms on a clean page, ~175 ms on deeply nested
markup) and holds the GIL, so run inline it stalls every download. With workers, the
reactor keeps downloading while pages are extracted on the other cores, and a page
that crashes lxml kills a worker, not the daemon. A page gets ``timeout`` seconds from being
handed to a worker (a fresh worker's start-up, well under a second, included): past that
the pool's workers are killed, the pool is replaced, pages caught in it are retried once,
and the page raises :class:`TooSlow`. ``workers=0`` extracts inline, with no time budget.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.queues import SimpleQueue
from typing import Any, TypeVar

from crawler.gather.extract import Article, extract_article, strip_html

log = logging.getLogger(__name__)
MAX_AUTO_WORKERS = 4
DEFAULT_TIMEOUT = 20.0


T = TypeVar("T")


class TooSlow(Exception):
    """A task overran its budget; its worker was replaced."""


class WorkerCrashed(Exception):
    """The worker running a task died (a crash in lxml, a kill)."""


def _announce(pids: SimpleQueue) -> None:
    """Pool initializer: tell the parent which process this worker is, so an overrun can be killed."""
    pids.put(os.getpid())


def default_workers() -> int:
    """One worker per core (at most 4); none on a single core, where a pool only adds cost."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 0 if cores < 2 else min(cores, MAX_AUTO_WORKERS)


class ExtractPool:
    """``await pool.extract(html, url, ...)``: :func:`crawler.gather.extract.extract_article`, in a worker;
    ``await pool.call(...)``: any picklable function, under the same budget."""

    def __init__(self, workers: int, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.workers = workers
        self.timeout = timeout
        self._executor: ProcessPoolExecutor | None = None
        self._pids: SimpleQueue | None = None
        self._lock = threading.Lock()
        # At most one page per worker is submitted, so a page's budget starts when a worker takes it.
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = \
            weakref.WeakKeyDictionary()

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # spawn, not fork: the parent runs threads (reactor, writer) that fork would copy mid-step.
                context = multiprocessing.get_context("spawn")
                self._pids = context.SimpleQueue()
                self._executor = ProcessPoolExecutor(self.workers, mp_context=context,
                                                     initializer=_announce, initargs=(self._pids,))
            return self._executor

    def _slot(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if loop not in self._slots:
            self._slots[loop] = asyncio.Semaphore(self.workers)
        return self._slots[loop]

    async def extract(self, html: bytes, url: str, **kw: Any) -> Article:
        """The page's article; raises :class:`TooSlow` when it overruns ``timeout``."""
        try:
            return await self.call("extraction", url, extract_article, html, url, **kw)
        except WorkerCrashed:
            log.warning("an extraction worker died (on %s or a page extracted beside it); "
                        "using the feed's text for this page", url)
            return Article(title=kw.get("fallback_title"), text=strip_html(kw.get("fallback_summary")),
                           method="feed", error="extraction worker crashed")

    async def call(self, task: str, url: str, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        """``fn(*args, **kw)`` in a worker (inline without workers, with no budget).

        Raises :class:`TooSlow` past ``timeout`` (``task`` and ``url`` name the work in messages),
        :class:`WorkerCrashed` when the worker died."""
        if self.workers <= 0:
            return fn(*args, **kw)
        async with self._slot():
            for attempt in (1, 2):
                executor = self._pool()
                try:
                    future = executor.submit(fn, *args, **kw)
                    return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
                except TimeoutError:
                    log.warning("%s of %s overran its %g s budget; replacing its worker", task, url, self.timeout)
                    self._kill(executor)
                    raise TooSlow(f"{task} took longer than {self.timeout:g} s") from None
                except BrokenProcessPool:
                    if attempt == 1 and executor is not self._executor:
                        continue  # the pool was replaced under this task (another one overran): once more
                    break
            self._drop(executor)
            raise WorkerCrashed(f"the worker died during {task} of {url} or work beside it")

    def _kill(self, executor: ProcessPoolExecutor) -> None:
        """Kill ``executor``'s workers (a running task cannot be cancelled otherwise) and drop it."""
        with self._lock:
            if executor is not self._executor:
                return  # already replaced
            pids = self._pids
        while pids is not None and not pids.empty():
            try:
                os.kill(pids.get(), signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._drop(executor)

    def _drop(self, executor: ProcessPoolExecutor | None = None) -> None:
        """Shut ``executor`` (default: the current pool) down; the next page starts a new pool."""
        with self._lock:
            if executor is not None and executor is not self._executor:
                return
            executor, self._executor, self._pids = self._executor, None, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        self._drop()


_POOLS: dict[int, ExtractPool] = {}
_POOLS_LOCK = threading.Lock()


def get_pool(workers: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> ExtractPool:
    """The process's pool with ``workers`` workers (default: :func:`default_workers`) and page budget ``timeout``."""
    count = default_workers() if workers is None else max(0, workers)
    with _POOLS_LOCK:
        if count not in _POOLS:
            _POOLS[count] = ExtractPool(count, timeout)
        _POOLS[count].timeout = float(timeout)
        return _POOLS[count]
