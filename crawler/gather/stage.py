"""The gather stage: one pass over the due sources, storing new articles.

:func:`gather_pass` mirrors the configured sources into ``sources``, picks those due
(or all, with ``force``), runs one Scrapy crawl on the process's reactor thread
(:mod:`crawler.gather.runner`), writes the items it hands over in batches as they come, and
finally updates every polled source's health row. :func:`check_sources` polls
sources once without storing anything, for ``scamwatch sources check``.

A pass asked to stop (``should_stop``, polled while the crawl runs) cuts the crawl
short (:func:`crawler.gather.runner.stop_now`): articles extracted by then are stored, and
sources whose poll had finished before the stop (unchanged, not modified, failed) are
recorded. Sources still being polled or whose articles were still being fetched are
left exactly as they were, still due, so the next pass polls them again in full;
fallbacks and rejects that only the stop caused are not written.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils
from scrapy.crawler import AsyncCrawlerRunner

from crawler.base.clock import Clock, or_system
from crawler.gather.config import GatherContext, SourceConfig
from crawler.gather.extractpool import get_pool
from crawler.gather.health import SourceOutcome, backed_off, is_due
from crawler.gather.pipelines import Sink
from crawler.gather.records import Article, Record, Reject
from crawler.gather.runner import get_runner, stop_now
from crawler.gather.scrapy_settings import obeys_robots, scrapy_settings
from crawler.gather.store import SeenIndex, database_file, record_outcomes, source_rows, sync_sources, write_records
from spiders.gather import GatherSpider, SourcePlan

log = logging.getLogger(__name__)


def _not_repeated(record: logging.LogRecord) -> bool:
    """Scrapy's own lines for failures that the pass records and logs itself, once."""
    return record.levelno < logging.WARNING


# robots.txt download errors and DOWNLOAD_MAXSIZE cancellations end up on a source's
# health row or in ``rejects``; Scrapy's copies of them would double every such line.
for _name in ("scrapy.downloadermiddlewares.robotstxt", "scrapy.core.downloader.handlers.http11"):
    logging.getLogger(_name).addFilter(_not_repeated)

Progress = Callable[[dict[str, int]], None]
ShouldStop = Callable[[], bool]
STOP_WAIT = 20.0        # seconds a stopped crawl may take to wind down before the pass returns anyway
INTERRUPTED = "interrupted"  # outcome kind of a source the stop cut short: its row is left alone


@dataclass
class GatherReport:
    """What a pass did: sources polled ok/failed, new items, and which sources need a look."""

    ok: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    new_items: int = 0
    not_modified: list[str] = field(default_factory=list)   # 304 or an unchanged body
    backed_off: list[str] = field(default_factory=list)     # failing for long; polled rarely
    errors: dict[str, str] = field(default_factory=dict)    # source -> "kind: message"
    not_due: int = 0
    rejects: int = 0
    duration: float = 0.0
    interrupted: bool = False                                # the pass was stopped (should_stop)
    unfinished: list[str] = field(default_factory=list)     # cut short; still due, polled next pass


def gather_pass(config: GatherContext, db: sqlite_utils.Database, *, only: list[str] | None = None,
                force: bool = False, progress: Progress | None = None,
                should_stop: ShouldStop | None = None, clock: Clock | None = None) -> GatherReport:
    """Poll the due sources (``only``: just these; ``force``: ignore schedules and back-off).

    ``should_stop`` is asked a few times a second during the crawl; once it says yes the
    crawl is stopped within seconds and the report returned (``report.interrupted``)."""
    clock = or_system(clock)
    start, now = time.monotonic(), clock.now()
    sync_sources(db, config.sources)
    rows = source_rows(db)
    report = GatherReport()
    plans = []
    for src in _selected(config, only):
        row = rows.get(src.name)
        if not force and (backed_off(row, now) or not is_due(row, now)):
            report.not_due += 1
            if backed_off(row, now):  # reported every pass until it recovers, never silently dropped
                report.backed_off.append(src.name)
            continue
        plans.append(_plan(config, src, row))
    if plans and should_stop is not None and should_stop():  # asked before it began: poll nothing
        report.interrupted, report.unfinished, plans = True, [p.source.name for p in plans], []
    if plans:
        path = database_file(db)
        seen = SeenIndex(path) if path else None
        try:
            outcomes = _run(config, plans, seen, _with_stored(progress, report),
                            lambda batch: _write(db, batch, report), should_stop, clock=clock)
        finally:
            if seen is not None:
                seen.close()
        report.unfinished = [o.name for o in outcomes if o.kind == INTERRUPTED]
        report.interrupted = bool(report.unfinished) or (should_stop is not None and should_stop())
        outcomes = [o for o in outcomes if o.kind != INTERRUPTED]
        record_outcomes(db, config, outcomes, now)
        _summarise(db, outcomes, report)
    report.duration = time.monotonic() - start
    log.info("gather: %d ok, %d failed, %d new items, %d not due (%.1fs)", len(report.ok),
             len(report.failed), report.new_items, report.not_due, report.duration)
    if report.unfinished:
        log.info("gather stopped: %d sources left for the next pass (%s)", len(report.unfinished),
                 ", ".join(report.unfinished))
    return report


def check_sources(config: GatherContext, only: list[str] | None = None,
                  progress: Progress | None = None) -> list[SourceOutcome]:
    """Fetch each selected enabled source once, unconditionally; store nothing."""
    plans = [_plan(config, src, None) for src in _selected(config, only)]
    return _run(config, plans, None, progress, lambda batch: None, check_only=True) if plans else []


def _selected(config: GatherContext, only: list[str] | None) -> list[SourceConfig]:
    if not only:
        return config.enabled_sources
    chosen = [config.source(name) for name in dict.fromkeys(only)]  # ConfigError for unknown names
    for src in chosen:
        if not src.enabled:
            log.warning("source %s is disabled; not polled", src.name)
    return [s for s in chosen if s.enabled]


def _plan(config: GatherContext, src: SourceConfig, row: dict[str, Any] | None) -> SourcePlan:
    row = row or {}
    return SourcePlan(source=src, etag=row.get("etag"), last_modified=row.get("last_modified"),
                      body_hash=row.get("body_hash"), obey_robots=obeys_robots(config.crawler, src),
                      allow_private=config.crawler.allow_private_hosts or src.allow_private)


def _run(config: GatherContext, plans: list[SourcePlan], seen: SeenIndex | None, progress: Progress | None,
         write: Callable[[list[Record]], None], should_stop: ShouldStop | None = None,
         check_only: bool = False, clock: Clock | None = None) -> list[SourceOutcome]:
    """Crawl on the reactor thread; meanwhile drain the sink into ``write`` in this thread.

    Sources a stop cut short come back with kind :data:`INTERRUPTED`."""
    settings = scrapy_settings(config.crawler, [p.source for p in plans])
    settings["SCAMWATCH_PRIVATE_OK_HOSTS"] = sorted({urlsplit(p.source.url).netloc for p in plans
                                                     if p.allow_private})
    sink = Sink()
    holder: dict[str, Any] = {}  # the crawl's runner and crawler, and a stop's snapshot of the outcomes
    kwargs = {"plans": plans, "seen": seen, "max_articles": config.crawler.max_articles_per_source,
              "max_size": config.crawler.max_response_bytes, "check_only": check_only, "sink": sink,
              "clock": or_system(clock),
              "extractor": get_pool(config.crawler.extract_workers, config.crawler.extract_timeout)}

    async def crawl() -> GatherSpider:
        runner = AsyncCrawlerRunner(settings)
        crawler = runner.create_crawler(GatherSpider)
        holder["runner"], holder["crawler"] = runner, crawler
        await runner.crawl(crawler, **kwargs)
        return crawler.spider  # type: ignore[return-value]

    future = get_runner().submit(crawl)
    stopping: concurrent.futures.Future[None] | None = None
    asked = 0.0
    try:
        while not future.done():
            try:
                future.result(timeout=0.25)
            except concurrent.futures.TimeoutError:
                write(sink.drain())
                _tick(progress, holder, len(plans))
                if stopping is None and should_stop is not None and should_stop():
                    log.info("gather: stop requested; stopping the crawl")
                    stopping, asked = get_runner().submit(lambda: _interrupt(holder)), time.monotonic()
                elif stopping is not None and time.monotonic() - asked > STOP_WAIT:
                    log.warning("gather: the crawl did not stop within %.0fs; leaving it", STOP_WAIT)
                    break
        if stopping is not None and future.done():
            stopping.result(timeout=STOP_WAIT)  # quick: the crawl it stops has ended
    except BaseException:
        _stop(holder)
        raise
    finally:
        while batch := sink.drain():
            write(batch)
    _tick(progress, holder, len(plans))  # the final counts
    snapshot = holder.get("snapshot")
    if snapshot is None and not future.done():  # stuck before it could even note its progress
        snapshot = {p.source.name: SourceOutcome(name=p.source.name) for p in plans}
    outcomes = list((snapshot or holder["crawler"].spider.outcomes).values())
    for outcome in outcomes:
        if snapshot is not None and outcome.kind in ("pending", "new"):
            # still polling it, or fetching its articles: what it lists may be half stored
            outcome.kind, outcome.error = INTERRUPTED, "the pass was stopped before this source was done"
        elif outcome.kind == "pending":  # the crawl ended before this source's request was handled
            outcome.kind, outcome.error = "internal_error", "the crawl ended before the source was polled"
    return outcomes


async def _interrupt(holder: dict[str, Any]) -> None:
    """On the reactor thread: note how far each source got, then stop the crawl at once."""
    runner, crawler = holder.get("runner"), holder.get("crawler")
    if runner is None or crawler is None:
        return
    while runner.crawlers and crawler.spider is None:  # still starting up
        await asyncio.sleep(0.05)
    if not runner.crawlers:
        return  # it ended on its own: nothing was cut short
    spider = crawler.spider
    holder["snapshot"] = {name: dataclasses.replace(o, notes=list(o.notes)) for name, o in spider.outcomes.items()}
    spider.sink = _ExtractedOnly(spider.sink)
    await stop_now(runner)


class _ExtractedOnly:
    """The sink once a stop is asked: passes on extracted articles only.

    Feed fallbacks and rejects arriving now come from downloads the stop cancelled; their
    sources are left due, so the next pass fetches those articles properly.
    """

    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    def put(self, item: Record) -> None:
        if isinstance(item, Article) and not item.from_feed:
            self.sink.put(item)


def _tick(progress: Progress | None, holder: dict[str, Any], total: int) -> None:
    spider = getattr(holder.get("crawler"), "spider", None)
    if progress is not None and spider is not None:
        progress({"sources_done": spider.sources_done, "sources": total, "articles_done": spider.articles_done})


def _with_stored(progress: Progress | None, report: GatherReport) -> Progress | None:
    """``progress`` told the articles stored so far as well (``items_stored``)."""
    if progress is None:
        return None
    return lambda state: progress({**state, "items_stored": report.new_items})


def _stop(holder: dict[str, Any]) -> None:
    """Stop the crawl (interrupted: KeyboardInterrupt, a signal's exception)."""
    runner = holder.get("runner")
    if runner is None:
        return

    async def stop() -> None:
        await stop_now(runner)

    try:
        get_runner().run(stop, timeout=30)
    except Exception:  # noqa: BLE001 - best effort; the reactor thread is a daemon
        log.warning("the crawl did not stop cleanly", exc_info=True)


def _write(db: sqlite_utils.Database, batch: list[Record], report: GatherReport) -> None:
    if batch:
        report.new_items += write_records(db, batch)
        report.rejects += sum(1 for r in batch if isinstance(r, Reject))


def _summarise(db: sqlite_utils.Database, outcomes: list[SourceOutcome], report: GatherReport) -> None:
    rows = source_rows(db)
    for outcome in outcomes:
        if outcome.ok:
            report.ok.append(outcome.name)
            if outcome.kind in ("not_modified", "unchanged"):
                report.not_modified.append(outcome.name)
            continue
        report.failed.append(outcome.name)
        report.errors[outcome.name] = f"{outcome.kind}: {outcome.error}"
        row = rows.get(outcome.name, {})
        if row.get("backoff_until"):
            report.backed_off.append(outcome.name)
            log.warning("source %s backed off until %s after %s consecutive failures (last: %s: %s)",
                        outcome.name, row["backoff_until"], row.get("consecutive_failures"),
                        outcome.kind, outcome.error)
        else:
            log.warning("source %s failed: %s: %s", outcome.name, outcome.kind, outcome.error)


__all__ = ["GatherReport", "check_sources", "gather_pass"]
