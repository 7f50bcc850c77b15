"""Downloader middlewares: refuse private addresses, and wait before retrying."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

log = logging.getLogger(__name__)


class PrivateAddressRefused(IgnoreRequest):
    """The host resolves to a private, loopback, link-local or otherwise non-public address."""


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
