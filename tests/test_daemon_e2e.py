"""End to end: the daemon, in its own process, against loopback feeds, SMTP and webhook sinks.

Feeds change between cycles; a new relevant article reaches both sinks at the next poll;
a daemon killed in the middle of a cycle and restarted loses nothing and sends nothing
twice; SIGTERM exits cleanly. Uses the real model.

The daemon runs on a controlled clock (the system clock plus an offset the test moves):
instead of waiting out a 60-second poll interval, the test moves the clock to the next poll.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

import pytest

from crawler.app.context import App
from crawler.app.daemon import Daemon
from crawler.app.database import open_db
from crawler.base.clock import parse_iso
from crawler.base.logs import setup_logging
from tests.alerts_fixtures import SmtpSink, WebhookSink
from tests.httpserver import TestServer

POLL = 60  # seconds: the shortest poll interval a source may have
SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter, as the CLI would start
DESK = "desk@example.org"

ORDINARY = [
    ("harbour-league", "Harbour United win the league",
     "A late header gave Harbour United the title on the final day of the season in front of a full stadium. "
     "The coach thanked the supporters and said the squad had shown great character all year long."),
    ("bus-routes", "Council approves night bus routes",
     "The council voted to add three night bus routes linking the port, the university and the station. "
     "Buses will run every half hour between midnight and five in the morning during a one-year trial."),
]
RELEVANT = {
    "kenyans": ("Twelve Kenyans held in Sihanoukville scam compound",
                "Twelve Kenyan nationals are being held against their will in a scam compound in Sihanoukville, "
                "Cambodia, relatives said. They were lured by fake logistics jobs, their passports were taken, and "
                "they are forced to defraud people online for up to sixteen hours a day. Their families have "
                "appealed to the Kenyan embassy to rescue them."),
    "indonesians": ("Thirty Indonesians trapped in Myawaddy compound, families say",
                    "Thirty Indonesian workers are trapped inside a guarded scam compound near Myawaddy in Myanmar, "
                    "their families say. Recruited for call-centre jobs in Bangkok, they were smuggled across the "
                    "border, had their passports confiscated and are beaten if they refuse to run online fraud. "
                    "The foreign ministry in Jakarta said it was working to free them."),
}


class Outlet:
    """One RSS feed on the loopback server whose entries the test adds over time."""

    def __init__(self, server: TestServer, name: str) -> None:
        self.server, self.name, self.entries = server, name, []

    def add(self, slug: str, title: str, text: str, delay: float = 0.0) -> None:
        path = f"/{self.name}/{slug}.html"
        html = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>" + "".join(
            f"<p>{s}.</p>" for s in text.split(". ")) + "</article></body></html>"
        self.server.set(path, html, delay=delay)
        self.entries.insert(0, (path, title))
        now = format_datetime(datetime.now(UTC))
        items = "".join(f"<item><title>{t}</title><link>{self.server.url(p)}</link><guid>{self.server.url(p)}</guid>"
                        f"<pubDate>{now}</pubDate></item>" for p, t in self.entries)
        self.server.set(f"/{self.name}.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>{self.name}'
                        f"</title>{items}</channel></rss>", content_type="application/rss+xml")


class OffsetClock:
    """The system clock plus a number of seconds shared with the test process."""

    def __init__(self, offset: Synchronized[float]) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset.value)


def run_daemon(config: str, offset: Synchronized[float]) -> None:
    """The child process: what ``scamwatch daemon`` does, on the shared clock."""
    setup_logging("INFO")
    worker = Daemon(App(config_path=config, clock=OffsetClock(offset)))
    worker.install_signal_handlers()
    sys.exit(worker.serve())


def next_poll(db_path: Path, clock: OffsetClock) -> None:
    """Move the clock to the latest ``next_poll_at`` of the sources, so every one is due."""
    with sqlite3.connect(db_path) as con:
        stamps = [parse_iso(r[0]) for r in con.execute("SELECT next_poll_at FROM sources")]
    latest = max((s for s in stamps if s is not None), default=clock.now())
    clock.offset.value += max(0.0, (latest - clock.now()).total_seconds()) + 1


def settled(db_path: Path, items: int) -> bool:
    """``items`` stored and no cycle running."""
    with sqlite3.connect(db_path) as con:
        stored = con.execute("SELECT count(*) FROM items").fetchone()[0]
        running = con.execute("SELECT count(*) FROM cycles WHERE result = 'running'").fetchone()[0]
    return bool(stored == items and not running)


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"{what}: not within {timeout:.0f}s")
        time.sleep(0.25)
    return time.monotonic() - start


@pytest.mark.slow
def test_daemon_end_to_end(tmp_path: Path) -> None:
    with TestServer() as server, SmtpSink() as smtp, WebhookSink() as hook:
        server.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        news, wire = Outlet(server, "news"), Outlet(server, "wire")
        for slug, title, text in ORDINARY:
            news.add(slug, title, text)
        wire.add("kenyans", *RELEVANT["kenyans"])
        config, db_file = tmp_path / "c.toml", tmp_path / "e2e.db"
        config.write_text(
            '[database]\npath = "e2e.db"\n[crawler]\ninclude_default_sources = false\nallow_private_hosts = true\n'
            'download_delay = 0.0\npoll_floor = "60s"\n[daemon]\ntick = "1s"\n'
            f'[alerts]\nurls = ["{smtp.url(DESK)}", "{hook.url("alerts")}"]\nthrottle = false\n'
            f'[[sources]]\nname = "news"\nurl = "{server.url("/news.xml")}"\npoll_interval = "60s"\n'
            f'[[sources]]\nname = "wire"\nurl = "{server.url("/wire.xml")}"\npoll_interval = "60s"\n', "utf-8")

        offset = SPAWN.Value("d", 0.0)
        clock = OffsetClock(offset)

        def start() -> BaseProcess:
            process = SPAWN.Process(target=run_daemon, args=(str(config), offset), name="daemon")
            process.start()
            return process

        def alerted(words: str) -> tuple[int, int]:
            return (sum(words in m.subject + m.body for m in smtp.to(DESK)),
                    sum(words in str(p.body) for p in hook.at("alerts")))

        daemon = start()
        try:
            # 1. the first cycle alerts on the relevant report already in the feed
            wait_for(lambda: alerted("Kenya") >= (1, 1), 240, "first alert (model load + first cycle)")

            # 2. a new relevant report appears: alerted at the next poll
            news.add("indonesians", *RELEVANT["indonesians"])
            next_poll(db_file, clock)
            wait_for(lambda: alerted("Indonesia") >= (1, 1), 30, "alert on a new report")

            # 3. killed in the middle of a cycle (an article download hangs), then restarted
            wire.add("bus-copy", ORDINARY[1][1] + " (wire)", ORDINARY[1][2], delay=8)
            next_poll(db_file, clock)
            wait_for(lambda: any("bus-copy" in r.path for r in server.requests), 30, "the next poll")
            daemon.kill()
            daemon.join(10)
            daemon = start()
            wait_for(lambda: len(server.requests_for("/wire/bus-copy.html")) >= 2, 60, "poll after restart")
            wait_for(lambda: settled(db_file, 5), 60, "the restarted cycle storing the article")
            assert alerted("Kenya") == (1, 1) and alerted("Indonesia") == (1, 1), "nothing is sent twice"

            # 4. SIGTERM: a clean exit within 10 s
            daemon.terminate()
            daemon.join(10)
            assert daemon.exitcode == 0
        finally:
            if daemon.is_alive():
                daemon.kill()
    db = open_db(db_file)
    urls = [r["canonical_url"] for r in db["items"].rows]
    assert len(urls) == len(set(urls)) == 5, "every article stored once, none lost"
    results = [r["result"] for r in db["cycles"].rows_where(order_by="id")]
    assert "abandoned" in results and results[-1] == "stopped"
