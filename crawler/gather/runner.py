"""One Twisted reactor for the life of the process, so a daemon can crawl pass after pass.

The reactor cannot be restarted once stopped, so :class:`CrawlRunner` starts Twisted's
asyncio reactor once, in a daemon thread, and never stops it. Each pass runs a fresh
``AsyncCrawlerRunner`` crawl on that reactor; the caller's thread (the CLI, the
daemon's main loop, a test) submits it and waits, staying free to handle signals and
to write to its own SQLite connection. The alternative, a child process per pass,
costs ~0.7 s of start-up per pass and complicates handing results back.

:func:`stop_now` ends a crawl promptly (the daemon's SIGTERM): Scrapy's graceful stop,
plus cutting the downloads short (:mod:`crawler.gather.downloads`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from crawler.gather.downloads import stop_downloads

if TYPE_CHECKING:
    from scrapy.crawler import AsyncCrawlerRunner, Crawler

log = logging.getLogger(__name__)

T = TypeVar("T")


class CrawlRunner:
    """Owns the reactor thread; :meth:`submit` runs a coroutine on it."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The reactor's asyncio loop, starting the reactor thread on first use."""
        with self._lock:
            if self._loop is None:
                self._loop = self._start()
            return self._loop

    def _start(self) -> asyncio.AbstractEventLoop:
        from twisted.internet import asyncioreactor, error

        loop: asyncio.AbstractEventLoop | None = asyncio.new_event_loop()
        try:
            asyncioreactor.install(eventloop=loop)
        except error.ReactorAlreadyInstalledError:
            from twisted.internet import reactor

            if not isinstance(reactor, asyncioreactor.AsyncioSelectorReactor):
                raise RuntimeError("a non-asyncio Twisted reactor is already installed") from None
            assert loop is not None
            loop.close()
            loop = None  # the installed reactor's own loop, asked for below
        from twisted.internet import reactor

        found: list[asyncio.AbstractEventLoop] = []
        started = threading.Event()

        def note_loop() -> None:  # runs on the reactor's loop
            found.append(asyncio.get_running_loop())
            started.set()

        if reactor.running:  # someone else runs it (e.g. an embedding application)
            reactor.callFromThread(note_loop)
        else:  # startup triggers fire before the loop runs: note it on the loop's first turn
            reactor.callWhenRunning(reactor.callLater, 0, note_loop)

            def run() -> None:
                if loop is not None:
                    asyncio.set_event_loop(loop)
                reactor.run(installSignalHandlers=False)  # type: ignore[call-arg, misc]

            self._thread = threading.Thread(target=run, name="scamwatch-reactor", daemon=True)
            self._thread.start()
        if not started.wait(30):
            raise RuntimeError("the Twisted reactor did not start")
        log.debug("reactor thread started")
        return found[0]

    def submit(self, factory: Callable[[], Coroutine[Any, Any, T]]) -> concurrent.futures.Future[T]:
        """Run ``factory()`` on the reactor's loop; returns a future the caller may wait on."""
        loop = self.loop
        if self._thread is not None and threading.current_thread() is self._thread:
            raise RuntimeError("a crawl cannot be waited for from the reactor thread itself")

        async def call() -> T:
            return await factory()

        return asyncio.run_coroutine_threadsafe(call(), loop)

    def run(self, factory: Callable[[], Coroutine[Any, Any, T]], timeout: float | None = None) -> T:
        """Run ``factory()`` on the reactor and wait for its result."""
        return self.submit(factory).result(timeout)


async def stop_now(crawls: AsyncCrawlerRunner, poll: float = 0.1) -> None:
    """Stop every crawl of ``crawls`` now; run it on the reactor thread.

    Each crawler gets Scrapy's graceful stop (``Crawler.stop_async``: no new requests; the
    spider is closed once the requests in progress are done), and meanwhile, every ``poll``
    seconds, its downloads are cut short (:func:`crawler.gather.downloads.stop_downloads`),
    so they are done at once. Responses already downloaded are still parsed and their items
    still go through the pipelines. Completes when the crawls have ended.
    """
    stopping: dict[Crawler, asyncio.Future[None]] = {}
    while crawls.crawlers:
        for crawler in list(crawls.crawlers):
            if crawler not in stopping and _running(crawler):
                stopping[crawler] = asyncio.ensure_future(crawler.stop_async())
            if crawler in stopping:  # an engine still starting up is stopped once it runs
                stop_downloads(crawler)
        await asyncio.sleep(poll)
    for task in stopping.values():
        if task.done() and not task.cancelled() and task.exception() is not None:
            log.warning("the crawl did not stop cleanly: %s", task.exception())


def _running(crawler: Crawler) -> bool:
    try:
        return bool(crawler.engine.running)
    except RuntimeError:  # the engine is not created yet
        return False


_RUNNER: CrawlRunner | None = None
_RUNNER_LOCK = threading.Lock()


def get_runner() -> CrawlRunner:
    """The process's one :class:`CrawlRunner`."""
    global _RUNNER
    with _RUNNER_LOCK:
        if _RUNNER is None:
            _RUNNER = CrawlRunner()
        return _RUNNER
