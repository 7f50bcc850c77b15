"""Downloader middlewares and the resolver: refuse private addresses, wait before retrying, name why a
request was dropped.

Scrapy's robots.txt, redirect and decompression middlewares all drop a request with a plain
:class:`~scrapy.exceptions.IgnoreRequest`; the subclasses here re-raise it as
:class:`RobotsForbidden` or :class:`TooManyRedirects` through the public middleware hooks,
so the health module can tell the failures apart by type (and a decompressed body over the
size limit as :class:`BodyTooLarge`). A redirect to a scheme other than http(s), which Scrapy
passes on as the 3xx response itself, is a :class:`BadRedirect`."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError
from w3lib.url import safe_url_string

log = logging.getLogger(__name__)


class PrivateAddressRefused(IgnoreRequest):
    """The host is, or resolves to, a private, loopback, link-local or otherwise non-public address."""


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_V4_COMPATIBLE = ipaddress.ip_network("::/96")
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}\.?$", re.IGNORECASE)
_PRIVATE_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 spelling carries: IPv4-mapped, NAT64, 6to4, Teredo client, IPv4-compatible."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in _NAT64) or (ip in _V4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


class RobotsForbidden(IgnoreRequest):
    """The site's robots.txt forbids the URL."""


class TooManyRedirects(IgnoreRequest):
    """The request was redirected more than ``REDIRECT_MAX_TIMES``."""


class BadRedirect(IgnoreRequest):
    """The response redirects to a URL that is not http(s) (``file:``, ``ftp:``, ``data:``…)."""


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


class NamedRedirectMiddleware(_NamesDroppedResponses, RedirectMiddleware):
    """Scrapy's redirect middleware; giving up after too many hops is a :class:`TooManyRedirects`,
    a redirect it will not follow for its scheme a :class:`BadRedirect`."""

    dropped = TooManyRedirects
    FOLLOWED = frozenset({301, 302, 303, 307, 308})

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        scheme = self._unfollowed_scheme(request, response)
        if scheme is not None:  # Scrapy would pass the 3xx on as the answer (or fail on a javascript: URL)
            raise BadRedirect(f"HTTP {response.status} redirects to a {scheme}: URL; only http and https are followed")
        return super().process_response(request, response)

    def _unfollowed_scheme(self, request: Request, response: Response) -> str | None:
        """The scheme of a redirect Scrapy would follow but for its scheme; None for any other response."""
        meta = request.meta
        handled = getattr(getattr(self.crawler, "spider", None), "handle_httpstatus_list", ())
        location = response.headers.get("Location")
        if (response.status not in self.FOLLOWED or not location or meta.get("dont_redirect")
                or meta.get("handle_httpstatus_all") or response.status in handled
                or response.status in meta.get("handle_httpstatus_list", ())):
            return None
        if location.startswith(b"//"):
            return None  # the request's own scheme
        scheme = urlsplit(urljoin(request.url, safe_url_string(location))).scheme.casefold()
        return None if scheme in ("http", "https") else scheme or "schemeless"


class NamedHttpCompressionMiddleware(_NamesDroppedResponses, HttpCompressionMiddleware):  # type: ignore[misc]
    """Scrapy's decompression middleware; a body over the size limit is a :class:`BodyTooLarge`."""

    dropped = BodyTooLarge


def is_public(address: str) -> bool:
    """True for globally routable unicast addresses; an IPv6 spelling of an IPv4 address (mapped,
    NAT64, 6to4, Teredo) is judged by that address too."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None and not (inner.is_global and not inner.is_multicast):
            return False
    return ip.is_global and not ip.is_multicast


def literal_address(host: str) -> str | None:
    """The address a URL host spells, in every form a resolver accepts (``2130706433``, ``0x7f.1``,
    ``0177.0.0.1``, ``[::ffff:127.0.0.1]``); None for a name that needs a lookup."""
    host = host.strip("[]").rstrip(".")
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return socket.inet_ntoa(socket.inet_aton(host))  # the C library's reading, as getaddrinfo's
        except OSError:
            return None
    return None


def endpoint(url: str) -> tuple[str, int]:
    """(host, port) a URL connects to, the port defaulted by scheme."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "").rstrip("."), port or (443 if parts.scheme == "https" else 80)


class PrivateHostMiddleware:
    """Refuse requests whose host spells a non-public address or a loopback name.

    Hostnames are judged where the connection is made (:class:`GuardedResolver`), on the very
    address used, so a name that resolves to a public address here and a private one there
    (DNS rebinding) cannot slip through. Allowed anyway: everything when
    ``SCAMWATCH_ALLOW_PRIVATE_HOSTS`` is set, and exactly the host and port of each source with
    ``allow_private`` (``SCAMWATCH_PRIVATE_OK_HOSTS``, netlocs), never its links or redirects
    to other hosts or ports. Redirects pass through here again.
    """

    def __init__(self, allow_all: bool, ok_hosts: set[str]) -> None:
        self.allow_all = allow_all
        self.ok = {endpoint(f"http://{netloc}") for netloc in ok_hosts} | \
                  {endpoint(f"https://{netloc}") for netloc in ok_hosts}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(settings.getbool("SCAMWATCH_ALLOW_PRIVATE_HOSTS"),
                   set(settings.getlist("SCAMWATCH_PRIVATE_OK_HOSTS")))

    async def process_request(self, request: Request) -> None:
        if self.allow_all:
            return None
        host, port = endpoint(request.url)
        if (host, port) in self.ok:
            return None
        address = literal_address(host)
        if address is not None and not is_public(address):
            raise PrivateAddressRefused(f"host {host} is the non-public address {address} "
                                        "(set crawler.allow_private_hosts or the source's allow_private)")
        if host.casefold() in _PRIVATE_NAMES or host.casefold().endswith(".localhost"):
            raise PrivateAddressRefused(f"host {host} is a loopback name")
        return None


class PrivateAddressLookup(DNSLookupError):
    """A lookup answered with a non-public address for a host not allowed one (the connection is not made)."""


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's resolver (``DNS_RESOLVER``), refusing non-public answers: the address checked is the
    address connected to. A failed lookup fails the request (closed)."""

    def __init__(self, reactor: Any, cache_size: int, timeout: float, allow_all: bool, ok_hosts: set[str]) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.allow_all = allow_all
        self.ok_hosts = {endpoint(f"http://{netloc}")[0].casefold() for netloc in ok_hosts}

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any = None) -> Self:
        """As ``TWISTED_DNS_RESOLVER`` (given the reactor), or as an extension (installs itself on the
        running reactor for this crawl, whoever set the reactor up)."""
        settings = crawler.settings
        if reactor is None:
            from twisted.internet import reactor as running

            resolver = cls.from_crawler(crawler, running)
            resolver.install_on_reactor()
            return resolver
        cache = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache, settings.getfloat("DNS_TIMEOUT"), settings.getbool("SCAMWATCH_ALLOW_PRIVATE_HOSTS"),
                   set(settings.getlist("SCAMWATCH_PRIVATE_OK_HOSTS")))

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:  # noqa: N802 - Twisted's interface
        answer = super().getHostByName(name, timeout)
        if self.allow_all or name.rstrip(".").casefold() in self.ok_hosts:
            return answer
        return answer.addCallback(self._check, name)

    @staticmethod
    def _check(address: str, name: str) -> str:
        if not is_public(address):
            log.warning("refused to connect to %s: it resolves to the non-public address %s", name, address)
            raise PrivateAddressLookup(f"{name} resolves to the non-public address {address}")
        return address


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
