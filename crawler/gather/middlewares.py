"""Downloader middlewares: refuse private addresses, wait before retrying, and name why a request was dropped.

Scrapy's robots.txt, redirect and decompression middlewares all drop a request with a plain
:class:`~scrapy.exceptions.IgnoreRequest`; the subclasses here re-raise it as
:class:`RobotsForbidden` or :class:`TooManyRedirects` through the public middleware hooks,
so the health module can tell the failures apart by type (and a decompressed body over the
size limit as :class:`BodyTooLarge`)."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

log = logging.getLogger(__name__)


class PrivateAddressRefused(IgnoreRequest):
    """The host resolves to a private, loopback, link-local or otherwise non-public address."""


class RobotsForbidden(IgnoreRequest):
    """The site's robots.txt forbids the URL."""


class TooManyRedirects(IgnoreRequest):
    """The request was redirected more than ``REDIRECT_MAX_TIMES``."""


class BodyTooLarge(IgnoreRequest):
    """The response body, once decompressed, exceeds ``DOWNLOAD_MAXSIZE``."""


class NamedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware; a refusal is a :class:`RobotsForbidden`."""

    async def process_request(self, request: Request) -> None:  # type: ignore[override]
        try:
            await super().process_request(request)
        except IgnoreRequest as exc:  # the only way it drops a request is a robots.txt refusal
            raise RobotsForbidden(str(exc)) from exc


class _NamesDroppedResponses:
    """Mixin for a Scrapy middleware whose ``process_response`` drops for one reason only."""

    dropped: type[IgnoreRequest]

    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            return super().process_response(request, response)  # type: ignore[misc]
        except IgnoreRequest as exc:
            raise self.dropped(str(exc)) from exc


class NamedRedirectMiddleware(_NamesDroppedResponses, RedirectMiddleware):  # type: ignore[misc]
    """Scrapy's redirect middleware; giving up after too many hops is a :class:`TooManyRedirects`."""

    dropped = TooManyRedirects


class NamedHttpCompressionMiddleware(_NamesDroppedResponses, HttpCompressionMiddleware):  # type: ignore[misc]
    """Scrapy's decompression middleware; a body over the size limit is a :class:`BodyTooLarge`."""

    dropped = BodyTooLarge


def is_public(address: str) -> bool:
    """True for globally routable unicast addresses (IPv4-mapped IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class PrivateHostMiddleware:
    """Resolve each request's host and refuse it when any address is not public.

    Allowed anyway: everything when ``SCAMWATCH_ALLOW_PRIVATE_HOSTS`` is set, requests
    whose ``meta["allow_private"]`` is true (sources with ``allow_private``), and
    hosts listed in ``SCAMWATCH_PRIVATE_OK_HOSTS`` (so that robots.txt requests of
    such sources, which carry no meta, get through too). Redirects pass through here
    again, so a public host cannot redirect into the private network.
    """

    def __init__(self, allow_all: bool, ok_hosts: set[str]) -> None:
        self.allow_all = allow_all
        self.ok_hosts = ok_hosts

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(settings.getbool("SCAMWATCH_ALLOW_PRIVATE_HOSTS"),
                   set(settings.getlist("SCAMWATCH_PRIVATE_OK_HOSTS")))

    async def process_request(self, request: Request) -> None:
        if self.allow_all or request.meta.get("allow_private"):
            return None
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        if host in self.ok_hosts or parts.netloc in self.ok_hosts:
            return None
        addresses = await self._resolve(host, parts.port)
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            raise PrivateAddressRefused(f"host {host} resolves to non-public address {refused[0]} "
                                        "(set crawler.allow_private_hosts or the source's allow_private)")
        return None

    async def _resolve(self, host: str, port: int | None) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
        except OSError as exc:  # let the download report the DNS failure in its usual way
            log.debug("cannot resolve %s: %s", host, exc)
            return []
        return sorted({str(info[4][0]) for info in infos})


class RetryBackoffMiddleware:
    """Delay retried requests exponentially (Scrapy's RetryMiddleware re-sends at once)."""

    def __init__(self, base: float, ceiling: float = 30.0) -> None:
        self.base, self.ceiling = base, ceiling

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.getfloat("SCAMWATCH_RETRY_BACKOFF", 0.5))

    async def process_request(self, request: Request) -> Any:
        retries = int(request.meta.get("retry_times", 0))
        if retries and self.base > 0:
            await asyncio.sleep(min(self.ceiling, self.base * 2 ** (retries - 1)))
        return None
