"""The suite must never reach beyond loopback."""

import socket
import subprocess
import sys

import pytest

from tests.netguard import NetworkBlocked


def test_non_loopback_connect_is_blocked() -> None:
    with socket.socket() as sock, pytest.raises(NetworkBlocked):
        sock.connect(("192.0.2.1", 80))


def test_name_lookup_is_blocked() -> None:
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("example.org", 80)


def test_loopback_is_allowed(http_server) -> None:
    http_server.set("/ping", "pong")
    with socket.create_connection(("127.0.0.1", http_server.port), timeout=5):
        pass


def test_subprocesses_are_guarded() -> None:
    code = "import socket; s = socket.socket(); s.connect(('192.0.2.1', 80))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0
    assert "network guard" in proc.stderr
