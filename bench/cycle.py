"""Cycle benchmarks on loopback feeds (no network).

  python bench/cycle.py idle     [--feeds 200 --items 20]  first cycle vs. an unchanged one (conditional GETs)
  python bench/cycle.py memory   [--feeds 20 --cycles 300] RSS of a daemon-like process at cycle 1/100/300
  python bench/cycle.py latency  [--rounds 3]              item appears in a feed → alert delivered, daemon mode

Ordinary articles are real news items (AG News test split, read from ../shared at run
time); about 5% are invented reports of people held in scam compounds. All on one loopback host, so
the politeness delay is set to 0 and per-host concurrency raised: this measures scamwatch,
not the courtesy it owes real sites.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.alerts_fixtures import WebhookSink  # noqa: E402
from tests.httpserver import TestServer  # noqa: E402

SHARED = Path(os.environ.get("SCAMWATCH_SHARED", REPO.parent / "shared"))
AG_NEWS = SHARED / "corpus" / "news" / "ag_news" / "test.csv"
RELEVANT = ["{n} {nat} nationals say they are being held in a scam compound in {place} and forced to run online "
            "fraud after being lured by fake job offers.",
            "Their passports were taken on arrival, relatives said, and those who refuse are beaten or sold on.",
            "The families have asked the embassy to rescue them; the ministry said it was working with local police."]
NATIONS = [("Indonesian", "Myawaddy"), ("Kenyan", "Sihanoukville"), ("Filipino", "Bokeo"), ("Ugandan", "KK Park"),
           ("Sri Lankan", "Shwe Kokko"), ("Ethiopian", "Myawaddy"), ("Vietnamese", "Bavet")]


def ordinary_news(limit: int) -> list[tuple[str, str]]:
    """(title, text) of real news items (AG News test split, read from ../shared at run time)."""
    with AG_NEWS.open(newline="", encoding="utf-8") as fh:
        rows = [(title, text.replace("\\", " ")) for _, title, text in csv.reader(fh)]
    return rows[:limit]


class Articles:
    """Ordinary news from AG News, and invented reports of people held in scam compounds."""

    def __init__(self, rng: random.Random, count: int) -> None:
        self.rng, self.news = rng, ordinary_news(count + 500)

    def make(self, relevant: bool, serial: int) -> tuple[str, str]:
        if relevant:
            nat, place = self.rng.choice(NATIONS)
            title = f"{self.rng.randint(5, 90)} {nat} workers held in {place} compound, families say"
            paras = [p.format(n=self.rng.randint(5, 90), nat=nat, place=place) for p in RELEVANT]
        else:
            title, text = self.news[serial % len(self.news)]
            paras = [text]
        body = "".join(f"<p>{p}</p>" for p in paras)
        html = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
        return title, html


def feed_xml(server: TestServer, feed: int, entries: list[tuple[int, str]]) -> str:
    now = datetime.now(UTC)
    items = "".join(
        f"<item><title>{title}</title><link>{server.url(f'/a/{feed}/{n}.html')}</link>"
        f"<guid>{server.url(f'/a/{feed}/{n}.html')}</guid>"
        f"<pubDate>{format_datetime(now - timedelta(minutes=n))}</pubDate></item>" for n, title in entries)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>{items}</channel></rss>'


class Site:
    """``feeds`` RSS feeds of ``items`` articles each, on one loopback server."""

    def __init__(self, server: TestServer, feeds: int, items: int, seed: int = 7) -> None:
        self.server, self.rng = server, random.Random(seed)
        self.articles = Articles(self.rng, feeds * items)
        self.serial = 0
        self.entries: dict[int, list[tuple[int, str]]] = {}
        server.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        for f in range(feeds):
            self.entries[f] = []
            for n in range(items):
                self.add(f, n, relevant=self.rng.random() < 0.05, publish=False)
            self.publish(f)

    def add(self, feed: int, n: int, relevant: bool, publish: bool = True) -> str:
        title, html = self.articles.make(relevant, self.serial)
        self.serial += 1
        self.server.set(f"/a/{feed}/{n}.html", html)
        self.entries[feed].insert(0, (n, title))
        if publish:
            self.publish(feed)
        return title

    def publish(self, feed: int) -> None:
        self.server.set(f"/f/{feed}.xml", feed_xml(self.server, feed, self.entries[feed][:20]),
                        content_type="application/rss+xml")


HEAD: str | None = None  # --head: a classifier head file, until one is shipped


def write_config(folder: Path, server: TestServer, feeds: int, extra: str = "") -> Path:
    if HEAD:
        extra += f'\n\n[classifier]\nhead_path = "{HEAD}"'
    lines = ['[database]\npath = "bench.db"',
             "[crawler]\ninclude_default_sources = false\nallow_private_hosts = true\ndownload_delay = 0.0\n"
             "per_domain_concurrency = 16\nconcurrency = 16\nmax_articles_per_source = 50\npoll_floor = \"60s\"",
             extra]
    lines += [f'[[sources]]\nname = "feed-{f}"\nurl = "{server.url(f"/f/{f}.xml")}"\npoll_interval = "60s"'
              for f in range(feeds)]
    path = folder / "bench.toml"
    path.write_text("\n\n".join(lines) + "\n", "utf-8")
    return path


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_idle(args: argparse.Namespace) -> None:
    from crawler.app.context import App
    from crawler.app.cycle import run_cycle

    with TestServer() as server, tempfile.TemporaryDirectory() as tmp:
        Site(server, args.feeds, args.items)
        app = App(config_path=str(write_config(Path(tmp), server, args.feeds)))
        timings = []
        for label in ("first", "idle"):
            start = time.perf_counter()
            report = run_cycle(app.config, app.db, mode="bench", force=True)
            timings.append(time.perf_counter() - start)
            print(f"{label} cycle: {timings[-1]:.2f}s  {report.summary()}")
        requests = len(server.requests)
        print(f"feeds {args.feeds} x {args.items} items; {requests} HTTP requests in total")
        print(f"idle/first = {timings[1] / timings[0]:.3f} ({100 * timings[1] / timings[0]:.1f}%; goal < 5%)")


def bench_memory(args: argparse.Namespace) -> None:
    from crawler.app.context import App
    from crawler.app.cycle import run_cycle

    marks = {1, 10, 50, 100, 200, args.cycles}
    with TestServer() as server, tempfile.TemporaryDirectory() as tmp:
        site = Site(server, args.feeds, 20)
        app = App(config_path=str(write_config(Path(tmp), server, args.feeds)))
        start = time.perf_counter()
        for cycle in range(1, args.cycles + 1):
            if cycle % 5 == 0:  # feeds keep changing: new items to gather, classify, group
                feed = cycle % args.feeds
                site.add(feed, 100 + cycle, relevant=cycle % 25 == 0)
            report = run_cycle(app.config, app.db, mode="bench", force=True)
            if cycle in marks:
                print(f"cycle {cycle:4d}: RSS {rss_mb():7.1f} MB  ({time.perf_counter() - start:6.1f}s)  "
                      f"{report.summary()}", flush=True)


def bench_latency(args: argparse.Namespace) -> None:
    with TestServer() as server, WebhookSink() as hook, tempfile.TemporaryDirectory() as tmp:
        site = Site(server, 5, 10)
        extra = f'[daemon]\ntick = "2s"\n\n[alerts]\nurls = ["{hook.url("alerts")}"]\nthrottle = false'
        config = write_config(Path(tmp), server, 5, extra)
        daemon = subprocess.Popen([str(Path(sys.executable).with_name("scamwatch")), "--config", str(config),
                                   "--log-level", "WARNING", "daemon"], env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            _wait(lambda: len(server.requests_for("/f/0.xml")) >= 1, 300)
            time.sleep(20)  # the first cycle's alerts settle
            latencies, processing = [], []
            for r in range(args.rounds):
                seen = len(hook.at("alerts"))
                time.sleep(random.uniform(5, 40))
                feed, n = r % 5, 500 + r
                title = site.add(feed, n, relevant=True)
                appeared, fetched = time.perf_counter(), None
                deadline = appeared + 600
                while not any(title[:30] in str(p.body) for p in hook.at("alerts")[seen:]):
                    if fetched is None and server.requests_for(f"/a/{feed}/{n}.html"):
                        fetched = time.perf_counter()
                    if time.perf_counter() > deadline:
                        raise SystemExit("no alert within 600s")
                    time.sleep(0.1)
                done = time.perf_counter()
                latencies.append(done - appeared)
                processing.append(done - (fetched or appeared))
                print(f"round {r + 1}: alert {latencies[-1]:.1f}s after the item appeared, "
                      f"{processing[-1]:.1f}s after its article was fetched", flush=True)
            print(f"latency item → alert: mean {sum(latencies) / len(latencies):.1f}s, max {max(latencies):.1f}s; "
                  f"fetch → alert: mean {sum(processing) / len(processing):.1f}s "
                  "(sources poll_interval 60s, adaptive; daemon tick 2s)")
        finally:
            daemon.terminate()
            daemon.wait(30)


def _wait(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {timeout}s")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["idle", "memory", "latency"], nargs="?", default="idle")
    parser.add_argument("--feeds", type=int)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--head", help="classifier head file (classifier.head_path)")
    args = parser.parse_args()
    global HEAD
    HEAD = args.head
    args.feeds = args.feeds or (200 if args.mode == "idle" else 20)
    from crawler.base.logs import setup_logging

    setup_logging("WARNING")
    {"idle": bench_idle, "memory": bench_memory, "latency": bench_latency}[args.mode](args)


if __name__ == "__main__":
    main()
