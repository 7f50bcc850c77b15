"""Bounds on a response's header section: how many lines, how many bytes.

Twisted's HTTP/1.1 client reads header lines until the blank line with no limit on their
number (``LineReceiver.MAX_LENGTH`` bounds only one line), so a server that sends header
lines forever keeps the process growing until the download timeout (issue 14 saw it pass 500 MB).
``DOWNLOAD_TIMEOUT`` already bounds the time the header section may take (a slow drip of header
bytes fails as a timeout). This module is the one place that subclasses the client's parser, the way Scrapy's
own handler does (``scrapy.core.downloader.handlers.http11``: its connection pool's factory
builds a protocol that swaps the class of each response's parser):

- :class:`BoundedParser` counts the status and header lines and their bytes, and raises
  :class:`HeaderLimitExceeded` past either limit; the protocol then drops the connection and
  fails the response with ``ResponseFailed`` carrying it.
- :func:`bounded_factory` is the pool factory building such protocols, installed by
  :class:`crawler.gather.downloads.StoppableHTTPHandler`.
- :func:`header_limit_exceeded` finds the exception again behind Scrapy's wrapping.

It leans on Scrapy's private client classes, so it is tested with the Scrapy range pinned in
``pyproject.toml`` (tests/test_download_limits.py); a Scrapy without them fails at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.core.downloader.handlers.http11 import (
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
)
from twisted.web._newclient import HEADER, STATUS
from twisted.web.client import ResponseFailed


@dataclass(frozen=True)
class HeaderLimits:
    lines: int      # status line and header lines, continuation lines included
    bytes: int      # their total size


DEFAULT_LIMITS = HeaderLimits(lines=200, bytes=256 * 1024)   # Python's http.client allows 100 lines; curl 300 KB


class HeaderLimitExceeded(Exception):
    """A response's header section went past :class:`HeaderLimits`."""


class BoundedParser(_LenientHTTPClientParser):
    """Scrapy's lenient response parser, counting the header section against its limits."""

    limits = DEFAULT_LIMITS   # set per response by the protocol
    _seen_lines = 0
    _seen_bytes = 0

    def lineReceived(self, line: bytes) -> None:  # noqa: N802 - Twisted's interface
        if self.state in (STATUS, HEADER):
            self._seen_lines += 1
            self._seen_bytes += len(line) + 1
            if self._seen_lines > self.limits.lines:
                raise HeaderLimitExceeded(f"the response headers ran past the limit of {self.limits.lines} lines")
            if self._seen_bytes > self.limits.bytes:
                raise HeaderLimitExceeded(f"the response headers ran past the limit of {self.limits.bytes:,} bytes")
        super().lineReceived(line)


class BoundedProtocol(_LenientHTTP11ClientProtocol):
    """Scrapy's client protocol, reading each response's headers with a :class:`BoundedParser`."""

    limits: HeaderLimits = BoundedParser.limits

    def request(self, request: Any) -> Any:
        answer = super().request(request)
        parser: Any = self._parser   # created by request(), as Scrapy's own protocol relies on
        parser.__class__ = BoundedParser
        parser.limits = self.limits
        return answer


def bounded_factory(limits: HeaderLimits) -> type[_LenientHTTP11ClientFactory]:
    """A connection-pool factory class (``HTTPConnectionPool._factory``) building bounded protocols."""
    protocol = type("BoundedProtocolWithLimits", (BoundedProtocol,), {"limits": limits})

    class BoundedFactory(_LenientHTTP11ClientFactory):
        def buildProtocol(self, addr: Any) -> Any:  # noqa: N802 - Twisted's interface
            return protocol(self._quiescentCallback)

    return BoundedFactory


def header_limit_exceeded(exc: BaseException) -> HeaderLimitExceeded | None:
    """The :class:`HeaderLimitExceeded` that made the download fail, if one did."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, HeaderLimitExceeded):
            return cause
        if isinstance(cause, ResponseFailed):
            for reason in cause.reasons:
                found = reason.check(HeaderLimitExceeded)
                if found is not None:
                    return reason.value
        cause = cause.__cause__ or cause.__context__
    return None
