"""``scamwatch daemon`` as a real process: systemd notifications, the lock, SIGHUP, SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.app.database import open_db
from crawler.app.sdnotify import Notifier

SCAMWATCH = str(Path(sys.executable).with_name("scamwatch"))
CONFIG = '[database]\npath = "sw.db"\n[crawler]\ninclude_default_sources = false\n[daemon]\ntick = "1s"\n'


class NotifySink:
    """A datagram socket standing in for systemd's $NOTIFY_SOCKET, read by a thread as systemd would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.2)
        self.messages: list[str] = []
        self._open = True
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while self._open:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except (TimeoutError, OSError):
                continue

    def wait_for(self, state: str, timeout: float = 20.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while not any(state in m.splitlines() for m in list(self.messages)):
            if time.monotonic() > deadline:
                raise AssertionError(f"no {state} within {timeout}s; got {self.messages}")
            time.sleep(0.05)
        return self.messages

    def close(self) -> None:
        self._open = False
        self._reader.join()
        self.sock.close()


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[NotifySink]:
    s = NotifySink(tmp_path / "notify.sock")
    yield s
    s.close()


def start_daemon(tmp_path: Path, sink: NotifySink, *args: str) -> subprocess.Popen[str]:
    (tmp_path / "c.toml").write_text(CONFIG, "utf-8")
    env = {**os.environ, "NOTIFY_SOCKET": str(sink.path), "WATCHDOG_USEC": "2000000"}
    return subprocess.Popen([SCAMWATCH, "--config", str(tmp_path / "c.toml"), "daemon", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_notifier_sends_datagrams_and_is_a_no_op_without_systemd(sink: NotifySink) -> None:
    assert Notifier(address="").ready() is False
    notifier = Notifier(address=str(sink.path), watchdog_usec="4000000")
    assert notifier.watchdog_interval == 4.0
    assert notifier.ready("up") and notifier.watchdog()
    assert notifier.watchdog() is False  # rate-limited to half the interval
    assert sink.wait_for("WATCHDOG=1")[0] == "READY=1\nSTATUS=up"
    assert Notifier(address=str(sink.path), watchdog_usec="1", watchdog_pid="1").watchdog_interval is None


def test_notifier_reaches_an_abstract_socket() -> None:
    name = f"scamwatch-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(5)
        assert Notifier(address="@" + name).stopping()
        assert sock.recv(100) == b"STOPPING=1\nSTATUS=stopping"


def test_daemon_runs_holds_the_lock_reloads_and_stops_cleanly(tmp_path: Path, sink: NotifySink) -> None:
    proc = start_daemon(tmp_path, sink)
    try:
        sink.wait_for("READY=1")
        sink.wait_for("WATCHDOG=1")
        run = subprocess.run([SCAMWATCH, "--config", str(tmp_path / "c.toml"), "run"], capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 75, run.stderr
        assert "another scamwatch run is in progress" in run.stderr

        (tmp_path / "c.toml").write_text(CONFIG + "bogus = 1\n", "utf-8")
        proc.send_signal(signal.SIGHUP)
        time.sleep(1.5)
        (tmp_path / "c.toml").write_text(CONFIG.replace('tick = "1s"', 'tick = "2s"'), "utf-8")
        proc.send_signal(signal.SIGHUP)
        time.sleep(1.5)
        assert proc.poll() is None, "a broken config on SIGHUP must not stop the daemon"

        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
        assert time.monotonic() - sent < 10
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "configuration not reloaded" in err and "bogus" in err
    assert "configuration reloaded" in err
    sink.wait_for("STOPPING=1", timeout=2)
    rows = list(open_db(tmp_path / "sw.db")["cycles"].rows_where(order_by="id"))
    assert rows[-1]["result"] == "stopped" and "running" not in {r["result"] for r in rows}
    assert "\x1b[" not in err  # no colours when not a terminal


BLOCKING_STAGE = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from crawler.app import cycle
    from crawler.app.cli import main

    def stuck(*args, **kw):
        Path(sys.argv[2]).write_text("in stage")
        time.sleep(600)

    cycle._stories = stuck
    main(["--config", sys.argv[1], "daemon", "--grace", "2"])
""")


def test_sigterm_during_a_stuck_stage_still_exits_within_ten_seconds(tmp_path: Path, sink: NotifySink) -> None:
    (tmp_path / "c.toml").write_text(CONFIG, "utf-8")
    marker = tmp_path / "in-stage"
    proc = subprocess.Popen([sys.executable, "-c", BLOCKING_STAGE, str(tmp_path / "c.toml"), str(marker)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NOTIFY_SOCKET": str(sink.path)})
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), proc.stderr.read() if proc.poll() is not None else "stage never reached"
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
        elapsed = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    assert elapsed < 10 and proc.returncode == 0
    assert "still busy" in err
    open_db(tmp_path / "sw.db").close()  # the database is intact
