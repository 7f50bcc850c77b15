"""One Twisted reactor for the life of the process, so a daemon can crawl pass after pass.

The reactor cannot be restarted once stopped, so :class:`CrawlRunner` starts Twisted's
asyncio reactor once, in a daemon thread, and never stops it. Each pass runs a fresh
``AsyncCrawlerRunner`` crawl on that reactor; the caller's thread (the CLI, the
daemon's main loop, a test) submits it and waits, staying free to handle signals and
to write to its own SQLite connection. The alternative, a child process per pass,
costs ~0.7 s of start-up per pass and complicates handing results back.

:func:`stop_now` ends a crawl promptly (the daemon's SIGTERM): Scrapy's own stop is
graceful and lets every request already handed to the downloader run its course, which
behind a download delay or a slow server takes up to the download timeout per request.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy.exceptions import DownloadCancelledError

if TYPE_CHECKING:
    from scrapy.crawler import AsyncCrawlerRunner, Crawler
    from twisted.internet.defer import Deferred

log = logging.getLogger(__name__)

T = TypeVar("T")
ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


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

        loop = asyncio.new_event_loop()
        try:
            asyncioreactor.install(eventloop=loop)
        except error.ReactorAlreadyInstalledError:
            from twisted.internet import reactor

            if not isinstance(reactor, asyncioreactor.AsyncioSelectorReactor):
                raise RuntimeError("a non-asyncio Twisted reactor is already installed") from None
            loop.close()
            loop = reactor._asyncioEventloop
            if reactor.running:  # someone else runs it (e.g. an embedding application)
                return loop
        from twisted.internet import reactor

        started = threading.Event()
        reactor.callWhenRunning(started.set)

        def run() -> None:
            asyncio.set_event_loop(loop)
            reactor.run(installSignalHandlers=False)  # type: ignore[call-arg, misc]

        self._thread = threading.Thread(target=run, name="scamwatch-reactor", daemon=True)
        self._thread.start()
        if not started.wait(30):
            raise RuntimeError("the Twisted reactor did not start")
        log.debug("reactor thread started")
        return loop

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

    Each crawler gets Scrapy's graceful stop (no new requests; the spider is closed once
    the requests in progress are done), and meanwhile, every ``poll`` seconds, the requests
    still waiting in its downloader are failed and its transfers in flight cancelled, so
    they are done at once. Responses already downloaded are still parsed and their items
    still go through the pipelines. Completes when the crawls have ended.
    """
    stopping: dict[Crawler, asyncio.Future[None]] = {}
    while crawls.crawlers:
        for crawler in list(crawls.crawlers):
            engine = crawler._engine
            if crawler not in stopping and engine is not None and engine.running:
                stopping[crawler] = asyncio.ensure_future(crawler.stop_async())
            if crawler in stopping:  # an engine still starting up is stopped once it runs
                cancel_downloads(crawler)
        await asyncio.sleep(poll)
    for task in stopping.values():
        if task.done() and not task.cancelled() and task.exception() is not None:
            log.warning("the crawl did not stop cleanly: %s", task.exception())


def cancel_downloads(crawler: Crawler) -> int:
    """Fail the requests queued in ``crawler``'s downloader and cancel its transfers in flight.

    The request errbacks see :class:`~scrapy.exceptions.DownloadCancelledError` (never
    retried). Returns how many requests were cut short.
    """
    from twisted.internet import reactor
    from twisted.internet.defer import Deferred

    downloader = getattr(crawler._engine, "downloader", None)
    if downloader is None:
        return 0
    cut = 0
    for slot in list(downloader.slots.values()):
        while slot.queue:  # waiting for a download delay or a free connection
            request, waiting = slot.queue.popleft()
            waiting.errback(DownloadCancelledError(f"the crawl stopped before {request.url} was fetched"))
            cut += 1
    # A transfer in flight is reachable only through the download-timeout call that
    # Scrapy's HTTP handler schedules for it; cancelling its Deferred early aborts the
    # connection just as the timeout would.
    for call in reactor.getDelayedCalls():  # type: ignore[misc]
        transfer = getattr(call.func, "__self__", None)
        if (isinstance(transfer, Deferred) and getattr(call.func, "__name__", "") == "cancel"
                and _transfer_of(transfer, crawler)):
            transfer.cancel()
            cut += 1
    return cut


def _transfer_of(deferred: Deferred[Any], crawler: Crawler) -> bool:
    """True when ``deferred`` is a download of ``crawler``'s (its chain has the agent's timeout check)."""
    for callback, _errback in getattr(deferred, "_callbacks", ()):  # the public .callbacks is deprecated
        function = callback[0]
        agent = getattr(function, "__self__", None)
        if getattr(function, "__name__", "") == "_cb_timeout" and getattr(agent, "_crawler", None) is crawler:
            return True
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
