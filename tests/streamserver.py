"""A raw HTTP/1.1 server on 127.0.0.1 for hostile streams: answers that never end or barely move.

:class:`tests.httpserver.TestServer` answers whole responses; this one writes bytes straight to the
socket, so a test can serve endless header lines, an endless body (chunked or read until close),
a declared length far over any limit, or a drip of one byte per interval. It counts the bytes each
path got out, which tells how much the client read before it hung up.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator

Stream = Callable[[], Iterator[bytes]]   # the bytes of one response, in the pieces to send
CAP = 2_000_000_000                      # a server-side stop, should a client never hang up


def endless_headers() -> Iterator[bytes]:
    """A status line, then short header lines forever: the blank line never comes."""
    yield b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
    line = b"X-Filler: 0123456789\r\n"
    while True:
        yield line * 500


def endless_body(chunked: bool = False, content_type: str = "text/html") -> Stream:
    """Headers without a length, then a body that never ends (chunked, or read until close)."""
    def stream() -> Iterator[bytes]:
        framing = b"Transfer-Encoding: chunked" if chunked else b"Connection: close"
        yield b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() + b"\r\n" + framing + b"\r\n\r\n"
        piece = b"<p>more</p>" * 1000
        while True:
            yield b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
    return stream


def declared(length: int, content_type: str = "text/html") -> Stream:
    """A ``Content-Length`` of ``length``, then a trickle of the body and a held-open socket."""
    def stream() -> Iterator[bytes]:
        yield b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() + b"\r\nContent-Length: %d\r\n\r\n" % length
        while True:
            yield b"<p>x</p>"
            time.sleep(0.2)
    return stream


def drip(every: float = 1.0, headers_too: bool = False) -> Stream:
    """One byte per ``every`` seconds: of the body (``Content-Length`` 10,000), or of the header lines."""
    def stream() -> Iterator[bytes]:
        if headers_too:
            yield b"HTTP/1.1 200 OK\r\n"
            while True:
                for byte in b"X-Slow: y\r\n":
                    time.sleep(every)
                    yield bytes([byte])
        yield b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10000\r\n\r\n"
        while True:
            time.sleep(every)
            yield b"x"
    return stream


class StreamServer:
    """``with StreamServer({"/h": endless_headers}) as server: server.url("/h")``."""

    def __init__(self, routes: dict[str, Stream]) -> None:
        self.routes = dict(routes)
        self.sent: dict[str, int] = {}
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> StreamServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _count(self, path: str, n: int) -> None:
        with self._lock:
            self.sent[path] = self.sent.get(path, 0) + n

    def _handler(self) -> type[socketserver.BaseRequestHandler]:
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                conn: socket.socket = self.request
                path = _request_path(conn)
                stream = server.routes.get(path)
                try:
                    if stream is None:
                        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        return
                    for piece in stream():
                        if server._closing.is_set() or server.sent.get(path, 0) > CAP:
                            return
                        conn.sendall(piece)
                        server._count(path, len(piece))
                except OSError:  # the client hung up: that is the point
                    return

        return Handler


def _request_path(conn: socket.socket) -> str:
    """The path of the request line (the rest of the request is read and ignored)."""
    conn.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    conn.settimeout(None)
    parts = data.split(b" ", 2)
    return parts[1].decode("latin-1").split("?", 1)[0] if len(parts) > 2 else "/"

