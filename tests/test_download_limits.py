"""Download limits: header sections bounded in lines and bytes, oversized bodies and non-http
redirects named for what they are (the loopback cases are in tests/test_hostile.py)."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from twisted.internet.testing import StringTransport
from twisted.python.failure import Failure
from twisted.web._newclient import Request as TxRequest
from twisted.web.client import ResponseFailed
from twisted.web.http_headers import Headers

from crawler.gather.downloads import HeadersTooLarge, ResponseTooLarge
from crawler.gather.headerlimits import HeaderLimitExceeded, HeaderLimits, bounded_factory, header_limit_exceeded
from crawler.gather.health import PERMANENT_KINDS, classify_failure
from crawler.gather.middlewares import BadRedirect, NamedRedirectMiddleware

LIMITS = HeaderLimits(lines=50, bytes=4096)


def fed(*pieces: bytes) -> tuple[Any, StringTransport, list[Failure]]:
    """A bounded client protocol that sent one request and was fed ``pieces`` as the answer."""
    protocol = bounded_factory(LIMITS)(lambda p: None, "test").buildProtocol(None)
    transport = StringTransport()
    protocol.makeConnection(transport)
    failures: list[Failure] = []
    answer = protocol.request(TxRequest(b"GET", b"/", Headers({b"host": [b"example.org"]}), None, persistent=True))
    answer.addErrback(failures.append)
    parser = protocol._parser
    for piece in pieces:
        protocol.dataReceived(piece)
    return parser, transport, failures


OK = b"HTTP/1.1 200 OK\r\n"


@pytest.mark.parametrize(("flood", "limit"), [
    (OK + b"X-Filler: 0123456789\r\n" * 1000, "50 lines"),
    (OK + b"X-Folded: start\r\n" + b" more folded text\r\n" * 1000, "50 lines"),   # one endless folded header
    (OK + b"X-Wide: " + b"w" * 3000 + b"\r\nX-Wide: " + b"w" * 3000 + b"\r\n", "4,096 bytes"),
    (b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n" * 100, "50 lines"),    # interim answers forever
])
def test_a_header_section_over_a_limit_drops_the_connection(flood: bytes, limit: str) -> None:
    parser, transport, failures = fed(*[flood] * 200)
    assert transport.disconnecting
    assert len(list(parser.headers.getAllRawHeaders())) <= LIMITS.lines   # what was kept stays bounded
    assert len(failures) == 1 and failures[0].check(ResponseFailed)
    found = header_limit_exceeded(failures[0].value)
    assert isinstance(found, HeaderLimitExceeded) and limit in str(found)


def test_a_header_section_within_the_limits_is_read() -> None:
    parser, transport, failures = fed(OK + b"X-Ok: 1\r\n" * 40 + b"Content-Length: 2\r\n\r\nhi")
    assert not failures and not transport.disconnecting
    assert parser.headers.getRawHeaders(b"x-ok") == [b"1"] * 40


def test_oversized_responses_are_kinds_of_their_own() -> None:
    assert classify_failure(HeadersTooLarge("the response headers ran past 200 lines")) == \
        ("headers_too_large", "the response headers ran past 200 lines")
    assert classify_failure(ResponseTooLarge("over the limit"))[0] == "too_large"
    assert classify_failure(BadRedirect("to file:"))[0] == "bad_redirect"
    assert {"headers_too_large", "too_large", "bad_redirect"} <= PERMANENT_KINDS


def redirect(location: str, status: int = 302, **meta: Any) -> Request | Response:
    middleware = NamedRedirectMiddleware.from_crawler(get_crawler(settings_dict={}))
    request = Request("https://news.example/feed.xml", meta=meta)
    response = Response(request.url, status=status, headers={"Location": location}, request=request)
    return middleware.process_response(request, response)


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://news.example/feed.xml", "data:,hello",
                                      "javascript:alert(1)", "gopher://news.example/"])
def test_a_redirect_to_a_non_http_scheme_is_a_bad_redirect(location: str) -> None:
    scheme = location.split(":", 1)[0]
    with pytest.raises(BadRedirect, match=f"redirects to a {scheme}: URL"):
        redirect(location)


@pytest.mark.parametrize("location", ["https://news.example/moved.xml", "/moved.xml", "//cdn.example/feed.xml"])
def test_http_redirects_are_still_followed(location: str) -> None:
    followed = redirect(location)
    assert isinstance(followed, Request) and followed.url.startswith("https://")


def test_a_redirect_the_request_handles_itself_is_left_alone() -> None:
    assert isinstance(redirect("file:///etc/passwd", dont_redirect=True), Response)
    assert isinstance(redirect("file:///etc/passwd", status=300), Response)   # not a redirect Scrapy follows
