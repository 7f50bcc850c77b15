"""The crawl's HTTP download handler: bounded responses, and cutting downloads short for a prompt stop.

A response over a limit fails with an exception naming the limit: :class:`HeadersTooLarge`
past the header-section bounds (:mod:`crawler.gather.headerlimits`; settings
``SCAMWATCH_MAX_HEADER_LINES``, ``SCAMWATCH_MAX_HEADER_BYTES``), :class:`ResponseTooLarge` for a
body declared or grown over ``DOWNLOAD_MAXSIZE`` (Scrapy cancels those with a bare
``DownloadCancelledError``). Neither is retried.

Scrapy's own stop is graceful: every request already handed to the downloader runs its
course, which behind a download delay or a slow server takes up to the download timeout
per request. Two pieces end them at once:

- :class:`StoppableHTTPHandler`, Scrapy's HTTP download handler (``DOWNLOAD_HANDLERS``)
  keeping its transfers in flight as asyncio tasks; on the crawler signal
  :data:`STOP_DOWNLOADS` it cancels them (the connection is aborted, as a download
  timeout would) and fails any request that reaches it afterwards.
- :func:`drain_queues`, the one adapter onto Scrapy internals: requests waiting in the
  downloader's per-slot queues (a download delay, no free connection) are reachable
  only through ``engine.downloader.slots``, which Scrapy does not document. Tested with
  the Scrapy range pinned in ``pyproject.toml`` (tests/test_gather_stop.py).

Both fail their requests with :class:`CrawlStopped`, which Scrapy never retries.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import DownloadCancelledError, DownloadFailedError

from crawler.gather.headerlimits import DEFAULT_LIMITS, HeaderLimits, bounded_factory, header_limit_exceeded

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

STOP_DOWNLOADS = object()  # crawler signal: fail every download now


class CrawlStopped(DownloadCancelledError):
    """The crawl was stopped before this request's download finished."""


class HeadersTooLarge(Exception):
    """The response's header section went past the line or byte limit (the connection was dropped)."""


class ResponseTooLarge(Exception):
    """The response body was declared, or grew, over ``DOWNLOAD_MAXSIZE`` (the connection was dropped)."""


class StoppableHTTPHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler with bounded headers, naming its refusals; :data:`STOP_DOWNLOADS`
    cancels its transfers."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        limits = HeaderLimits(settings.getint("SCAMWATCH_MAX_HEADER_LINES", DEFAULT_LIMITS.lines),
                              settings.getint("SCAMWATCH_MAX_HEADER_BYTES", DEFAULT_LIMITS.bytes))
        self._pool._factory = bounded_factory(limits)  # as Scrapy's own __init__ installs its factory
        self._maxsize = settings.getint("DOWNLOAD_MAXSIZE")
        self._transfers: set[asyncio.Future[Response]] = set()
        self._stopped = False
        crawler.signals.connect(self.stop, signal=STOP_DOWNLOADS)

    async def download_request(self, request: Request) -> Response:
        if self._stopped:
            raise CrawlStopped(f"the crawl stopped before {request.url} was fetched")
        transfer = asyncio.ensure_future(super().download_request(request))
        self._transfers.add(transfer)
        try:
            return await transfer
        except asyncio.CancelledError:
            if transfer.cancelled() and self._stopped:
                raise CrawlStopped(f"the crawl stopped while {request.url} was being fetched") from None
            raise
        except DownloadCancelledError as exc:  # Scrapy cancels a download only for its size
            if isinstance(exc, CrawlStopped):
                raise
            raise ResponseTooLarge(self._too_large(request, declared=exc.__cause__ is None)) from exc
        except DownloadFailedError as exc:
            limit = header_limit_exceeded(exc)
            if limit is None:
                raise
            raise HeadersTooLarge(f"{limit}; the connection was dropped") from exc
        finally:
            self._transfers.discard(transfer)

    def _too_large(self, request: Request, declared: bool) -> str:
        limit = int(request.meta.get("download_maxsize", self._maxsize))
        how = "declares a body over" if declared else "body ran past"
        return f"the response {how} the {limit:,}-byte limit (crawler.max_response_bytes)"

    def stop(self) -> int:
        """Cancel the transfers in flight (and refuse new ones); returns how many were cancelled."""
        self._stopped = True
        cancelled = [t for t in list(self._transfers) if t.cancel()]
        return len(cancelled)


def stop_downloads(crawler: Crawler) -> None:
    """Fail ``crawler``'s queued requests and cancel its transfers in flight."""
    drain_queues(crawler)
    crawler.signals.send_catch_log(signal=STOP_DOWNLOADS)


def drain_queues(crawler: Crawler) -> int:
    """Fail the requests waiting in the downloader's slot queues; returns how many.

    The adapter onto undocumented Scrapy attributes (``Downloader.slots``, ``Slot.queue``
    of ``(request, deferred)`` pairs); a Scrapy without them leaves the queues to drain
    on their own (a slower stop, caught by tests/test_gather_stop.py)."""
    downloader = _downloader(crawler)
    cut = 0
    for slot in list(getattr(downloader, "slots", {}).values()):
        while slot.queue:
            request, waiting = slot.queue.popleft()
            waiting.errback(CrawlStopped(f"the crawl stopped before {request.url} was fetched"))
            cut += 1
    return cut


def _downloader(crawler: Crawler) -> Any:
    try:
        engine = crawler.engine
    except RuntimeError:  # not started yet
        return None
    return getattr(engine, "downloader", None)
