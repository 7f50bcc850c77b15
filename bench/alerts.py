"""Benchmark: deliver N pending alerts from the outbox to a local webhook sink.

Prints alerts/s through the outbox (claim → Apprise → record → finish, each a commit on a
real SQLite file in WAL mode) and through bare ``Apprise.notify`` calls on the same sink in
the same run, and the ratio of the two (outbox overhead).

    /work/venv/bin/python bench/alerts.py [--n 10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import apprise  # noqa: E402

from alerts import outbox  # noqa: E402
from alerts.dispatch import dispatch_due  # noqa: E402
from alerts.send import Channels  # noqa: E402
from alerts.templates import Message  # noqa: E402
from crawler.app.config import load_config  # noqa: E402
from crawler.app.database import open_db  # noqa: E402
from tests.alerts_fixtures import WebhookSink  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def bare(url: str, message: Message, n: int) -> float:
    """Seconds for ``n`` plain ``Apprise.notify`` calls (one service, no bookkeeping)."""
    ap = apprise.Apprise()
    ap.add(url)
    start = time.perf_counter()
    for _ in range(n):
        if not ap.notify(body=message.body, title=message.title, body_format=message.body_format):
            raise SystemExit("bare notify failed")
    return time.perf_counter() - start


class OutboxRun:
    """A database with one route to the sink; :meth:`run` enqueues and delivers a batch."""

    def __init__(self, folder: Path, url: str) -> None:
        path = folder / "scamwatch.toml"
        path.write_text(f'[crawler]\ninclude_default_sources = false\n[alerts]\nthrottle = false\n'
                        f'urls = ["team={url}"]\n[[alerts.routes]]\nname = "team"\ntag = "team"\n', "utf-8")
        self.config = load_config(path)
        self.db = open_db(self.config.db_path)
        self.channels = Channels(self.config.alerts, self.config.base_dir)
        self.done = 0
        self.queued_s = self.delivered_s = 0.0

    def run(self, message: Message, n: int) -> None:
        start = time.perf_counter()
        with self.db.atomic():
            for i in range(self.done, self.done + n):
                outbox.enqueue(self.db, key=f"bench:{i}", route="team", tag="team", kind="new",
                               message=message, now=NOW)
        self.queued_s += time.perf_counter() - start
        start = time.perf_counter()
        report = dispatch_due(self.config.alerts, self.db, self.channels, NOW)
        self.delivered_s += time.perf_counter() - start
        if report.sent != n:
            raise SystemExit(f"outbox delivered {report.sent} of {n}")
        self.done += n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="alerts per run (default 10000)")
    args = parser.parse_args()
    message = Message("NEW: 20 Indonesians held in Myawaddy, Myanmar", "A story body. " * 40, "markdown")
    half = args.n // 2
    with WebhookSink() as sink, tempfile.TemporaryDirectory() as tmp:
        bare(sink.url("warmup"), message, 200)
        run = OutboxRun(Path(tmp), sink.url("outbox"))
        # Alternate (bare, outbox, outbox, bare) so drift on a shared machine hits both alike.
        bare_s = bare(sink.url("bare"), message, half)
        run.run(message, half)
        run.run(message, args.n - half)
        bare_s += bare(sink.url("bare"), message, args.n - half)
        run.channels.close()
        assert len(sink.at("bare")) == args.n and len(sink.at("outbox")) == args.n
        assert outbox.counts(run.db)["sent"] == args.n
    queued_s, outbox_s = run.queued_s, run.delivered_s
    print(f"alerts: {args.n} to a loopback webhook sink (json://), one service")
    print(f"  bare Apprise.notify : {args.n / bare_s:8.0f} alerts/s ({bare_s:.1f} s)")
    print(f"  through the outbox  : {args.n / outbox_s:8.0f} alerts/s ({outbox_s:.1f} s)"
          f"  + enqueue {args.n / queued_s:.0f}/s")
    print(f"  outbox/bare time ratio: {outbox_s / bare_s:.2f}"
          f"  (bookkeeping {1000 * (outbox_s - bare_s) / args.n:.2f} ms per alert)")


if __name__ == "__main__":
    main()
