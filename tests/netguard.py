"""Fail loudly when a test tries to reach anything but loopback.

Installed in the pytest process by conftest.py and, through ``netguard_site/sitecustomize.py``
on PYTHONPATH, in every subprocess the tests start.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_ALLOWED_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class NetworkBlocked(OSError):
    """A test tried to reach beyond loopback."""


def _is_loopback(host: Any) -> bool:
    if not isinstance(host, str):
        return False
    if host in _ALLOWED_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(address: Any, family: int) -> None:
    if family == getattr(socket, "AF_UNIX", None):
        return
    host = address[0] if isinstance(address, tuple) else address
    if not _is_loopback(host):
        raise NetworkBlocked(f"test network guard: connection to {address!r} blocked (loopback only)")


def install() -> None:
    """Patch socket connect and name resolution to allow loopback only."""
    if getattr(socket, "_scamwatch_guarded", False):
        return
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_sendto, real_getaddrinfo = socket.socket.sendto, socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> Any:
        _check(address, self.family)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        _check(address, self.family)
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: bytes, *args: Any) -> Any:
        _check(args[-1], self.family)
        return real_sendto(self, data, *args)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host if isinstance(host, str) else host.decode()):
            raise NetworkBlocked(f"test network guard: lookup of {host!r} blocked (loopback only)")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = sendto  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo
    socket._scamwatch_guarded = True  # type: ignore[attr-defined]
