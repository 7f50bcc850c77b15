"""systemd readiness and watchdog notifications, without a dependency.

``sd_notify`` is one datagram on the AF_UNIX socket named by ``$NOTIFY_SOCKET``
(``@name`` is an abstract socket). Outside systemd the variable is unset and every
call is a no-op, so the daemon behaves the same under a terminal, cron or tests.
"""

from __future__ import annotations

import logging
import os
import socket
import time

log = logging.getLogger(__name__)


class Notifier:
    """Sends ``READY=1``, ``WATCHDOG=1``, ``STATUS=…`` and ``STOPPING=1`` to systemd when asked to."""

    def __init__(self, address: str | None = None, watchdog_usec: str | None = None,
                 watchdog_pid: str | None = None) -> None:
        env = os.environ
        self.address = address if address is not None else env.get("NOTIFY_SOCKET") or None
        usec = watchdog_usec if watchdog_usec is not None else env.get("WATCHDOG_USEC")
        pid = watchdog_pid if watchdog_pid is not None else env.get("WATCHDOG_PID")
        self.watchdog_interval = _watchdog_interval(usec, pid)
        self._last_ping = 0.0

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def send(self, *states: str) -> bool:
        """Send ``KEY=VALUE`` lines in one datagram; False (never an exception) when it cannot."""
        if not self.address:
            return False
        target = "\0" + self.address[1:] if self.address.startswith("@") else self.address
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.setblocking(False)  # never wait on systemd: drop the message instead
                sock.connect(target)
                sock.send("\n".join(states).encode())
        except OSError as exc:
            log.debug("sd_notify to %s failed: %s", self.address, exc)
            return False
        return True

    def ready(self, status: str = "") -> bool:
        return self.send("READY=1", *([f"STATUS={status}"] if status else []))

    def status(self, text: str) -> bool:
        return self.send(f"STATUS={text}")

    def stopping(self) -> bool:
        return self.send("STOPPING=1", "STATUS=stopping")

    def watchdog(self, force: bool = False) -> bool:
        """Ping the watchdog, at most every half ``WatchdogSec`` unless ``force``."""
        now = time.monotonic()
        if not force and now - self._last_ping < (self.watchdog_interval or 0) / 2:
            return False
        self._last_ping = now
        return self.send("WATCHDOG=1")


def _watchdog_interval(usec: str | None, pid: str | None) -> float | None:
    """``WatchdogSec`` in seconds when the watchdog is meant for this process."""
    if not usec:
        return None
    if pid and pid.isdigit() and int(pid) != os.getpid():
        return None
    try:
        return int(usec) / 1_000_000
    except ValueError:
        return None
