"""The private-address guard: every spelling refused, the check on the connection path, and
``allow_private`` opening only the source's own host and port."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.app.database import open_db
from crawler.gather.middlewares import PrivateAddressRefused, PrivateHostMiddleware, is_public, literal_address
from crawler.gather.stage import gather_pass
from tests import httpserver
from tests.test_gather import make_config, rss, source

HOSTILE_HOSTS = ["2130706433", "0x7f.1", "0177.0.0.1", "127.1", "0", "[::ffff:127.0.0.1]", "[::1]",
                 "[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::]", "[2001:0:4136:e378:8000:63bf:80ff:fefe]",
                 "169.254.169.254", "0xa9.0xfe.0xa9.0xfe", "localhost", "LOCALHOST.", "api.localhost"]


@pytest.fixture
def db(db_path: Path) -> Iterator[sqlite_utils.Database]:
    database = open_db(db_path)
    yield database
    database.close()


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_every_spelling_of_a_private_address_is_refused(host: str) -> None:
    guard = PrivateHostMiddleware.from_crawler(get_crawler(settings_dict={}))
    with pytest.raises(PrivateAddressRefused):
        asyncio.run(guard.process_request(Request(f"http://{host}:8080/feed")))


@pytest.mark.parametrize("address", ["64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::", "::ffff:10.0.0.1", "::7f00:1",
                                     "2001:0:4136:e378:8000:63bf:3fff:fdd2", "64:ff9b:1::a00:1"])
def test_ipv6_spellings_of_private_ipv4_are_not_public(address: str) -> None:
    assert not is_public(address)


def test_public_spellings_pass() -> None:
    assert literal_address("8.8.8.8") == "8.8.8.8" and is_public("8.8.8.8")
    assert literal_address("example.org") is None and literal_address("1e2.example") is None
    guard = PrivateHostMiddleware.from_crawler(get_crawler(settings_dict={}))
    assert asyncio.run(guard.process_request(Request("http://example.org/feed"))) is None


def test_allowed_source_does_not_open_other_ports(db: sqlite_utils.Database) -> None:
    """A feed on 127.0.0.1:A with allow_private links and redirects to 127.0.0.1:B: B hears nothing."""
    with httpserver.TestServer() as own, httpserver.TestServer() as other:
        other.set("/secret.html", "<html><body><p>internal admin page</p></body></html>")
        own.set("/hop.html", b"", status=302, headers={"Location": other.url("/secret.html")})
        own.set("/feed.xml", rss([("Linked", other.url("/secret.html"), "a link elsewhere"),
                                  ("Hopped", own.url("/hop.html"), "a redirect elsewhere")]))
        gather_pass(make_config([source("lan", own.url("/feed.xml"))]), db)
        assert own.requests_for("/feed.xml") and own.requests_for("/hop.html")
        assert other.requests == []
        assert not any("internal admin" in (row["text"] or "") for row in db["items"].rows)


def test_the_check_is_where_the_connection_is_made(db: sqlite_utils.Database,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """With the request-time check fooled (as by DNS rebinding), the resolver still refuses the
    loopback answer that the connection would use."""
    async def fooled(self: PrivateHostMiddleware, request: Request) -> None:
        return None

    monkeypatch.setattr(PrivateHostMiddleware, "process_request", fooled)
    with httpserver.TestServer() as server:
        server.set("/feed.xml", rss([("x", server.url("/x"), "y")]))
        url = server.url("/feed.xml").replace("127.0.0.1", "localhost")
        report = gather_pass(make_config([source("lan", url, allow_private=False)]), db)
        assert report.failed == ["lan"] and server.requests == []
