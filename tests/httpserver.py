"""A real HTTP server on 127.0.0.1 for tests and benchmarks.

Serves registered routes and/or a directory, answers conditional requests
(ETag / Last-Modified → 304), gzips on request or passes ``.gz`` files through with
``Content-Encoding: gzip``, and records every request it gets.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Route:
    """What the server answers for one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    gzip_encoded: bool = False   # body is already gzip bytes: send Content-Encoding: gzip
    conditional: bool = True     # send ETag/Last-Modified and honour If-None-Match/If-Modified-Since
    delay: float = 0.0           # seconds to wait before answering (timeouts)
    last_modified: float = field(default_factory=time.time)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


class TestServer:
    """``with TestServer() as server: server.url('/feed.xml')``."""

    def __init__(self, root: Path | None = None, host: str = "127.0.0.1") -> None:
        self.root = root
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self.host, self.port = self._httpd.server_address[:2]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> TestServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + (path if path.startswith("/") else "/" + path)

    def set(self, path: str, body: bytes | str = b"", **kw: Any) -> Route:
        """Register (or replace) what ``path`` answers."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        route = Route(body=body, **kw)
        with self._lock:
            self.routes[path] = route
        return route

    def serve_file(self, path: str, file: Path, content_type: str | None = None) -> Route:
        """Serve ``file`` at ``path``; ``.gz`` files go out gzip-encoded as their inner type."""
        data = file.read_bytes()
        name = file.name[:-3] if file.name.endswith(".gz") else file.name
        ctype = content_type or _guess_type(name)
        return self.set(path, data, content_type=ctype, gzip_encoded=file.name.endswith(".gz"),
                        last_modified=file.stat().st_mtime)

    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _lookup(self, path: str) -> Route | None:
        with self._lock:
            route = self.routes.get(path)
        if route is None and self.root is not None:
            file = (self.root / path.lstrip("/")).resolve()
            if file.is_file() and self.root.resolve() in file.parents:
                return Route(body=file.read_bytes(), content_type=_guess_type(file.name.removesuffix(".gz")),
                             gzip_encoded=file.name.endswith(".gz"), last_modified=file.stat().st_mtime)
        return route


def _guess_type(name: str) -> str:
    if name.endswith((".rss", ".atom", ".xml", ".rdf")):
        return "application/xml"
    if name == "robots.txt" or name.endswith(".txt"):
        return "text/plain; charset=utf-8"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _make_handler(server: TestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def do_HEAD(self) -> None:  # noqa: N802
            self.do_GET(head=True)

        def do_GET(self, head: bool = False) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0]
            server._record(Request(self.command, self.path, dict(self.headers)))
            route = server._lookup(path)
            if route is None:
                return self._send(404, b"not found", {"Content-Type": "text/plain"}, head)
            if route.delay:
                time.sleep(route.delay)
            headers = {"Content-Type": route.content_type, **route.headers}
            body = route.body
            if route.conditional and route.status == 200:
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                headers["ETag"] = etag
                headers["Last-Modified"] = formatdate(route.last_modified, usegmt=True)
                if self._not_modified(etag, route.last_modified):
                    return self._send(304, b"", {"ETag": etag}, head=True)
            if route.gzip_encoded:
                headers["Content-Encoding"] = "gzip"
            elif "gzip" in self.headers.get("Accept-Encoding", "") and len(body) > 512:
                body = gzip.compress(body, mtime=0)
                headers["Content-Encoding"] = "gzip"
            self._send(route.status, body, headers, head)

        def _not_modified(self, etag: str, last_modified: float) -> bool:
            if_none_match = self.headers.get("If-None-Match")
            if if_none_match is not None:
                return etag in [t.strip() for t in if_none_match.split(",")]
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    return int(last_modified) <= parsedate_to_datetime(since).timestamp()
                except (TypeError, ValueError):
                    return False
            return False

        def _send(self, status: int, body: bytes, headers: dict[str, str], head: bool = False) -> None:
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler
