"""Benchmark: end-to-end gather throughput against trafilatura-alone extraction.

Serves every corpus news page (fundus, article-extraction-benchmark, trafilatura-eval;
500+) gzip-encoded from a real HTTP server on 127.0.0.1, in a separate process as a
real server would be, behind generated RSS feeds (``--per-feed`` links each, 50+ feeds).
Then, in the same run:

* end to end: one ``gather_pass`` (Scrapy fetch of every feed and page, robots.txt,
  trafilatura extraction, fingerprints, SQLite writes) into a fresh database;
* extraction alone: ``crawler.gather.extract.extract_article`` (the call the crawl makes) over
  the same, already decompressed pages, one after another (before and after the crawl,
  averaged);

and prints articles/s for both and their ratio (goal: >= 0.8).

    /work/venv/bin/python bench/gather.py [--per-feed 10] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.app.config import Config  # noqa: E402
from crawler.app.database import open_db  # noqa: E402
from crawler.base.confschema import Duration  # noqa: E402
from crawler.gather.config import CrawlerConfig, SourceConfig  # noqa: E402
from crawler.gather.extract import extract_article  # noqa: E402
from crawler.gather.extractpool import _POOLS, default_workers  # noqa: E402
from crawler.gather.stage import gather_pass  # noqa: E402
from tests.httpserver import TestServer  # noqa: E402

SHARED = REPO.parent / "shared"


def corpus_pages(limit: int | None) -> list[Path]:
    files = json.loads((SHARED / "corpus/manifest.json").read_text("utf-8"))["files"]
    pages = [SHARED / "corpus" / f["path"] for f in files
             if f["kind"] == "page" and f["path"].endswith(".html.gz") and "feed-discovery" not in f["path"]]
    return pages[:limit] if limit else pages


def feed_xml(title: str, links: list[str]) -> bytes:
    items = "".join(f"<item><title>Bench story {i}</title><link>{escape(u)}</link>"
                    f"<description>Generated entry {i}</description></item>" for i, u in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://bench.invalid/</link><description>bench</description>{items}</channel></rss>").encode()


def serve(pages: list[str], per_feed: int, ready: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    """The server process: pages at /p/<i>.html, feeds at /feed/<n>.xml."""
    with TestServer() as server:
        urls = []
        for i, page in enumerate(pages):
            server.serve_file(f"/p/{i}.html", Path(page))
            urls.append(server.url(f"/p/{i}.html"))
        feeds = []
        for n in range(0, len(urls), per_feed):
            path = f"/feed/{n // per_feed}.xml"
            server.set(path, feed_xml(f"Bench desk {n // per_feed}", urls[n:n + per_feed]),
                       content_type="application/rss+xml")
            feeds.append(server.url(path))
        ready.put(feeds)
        stop.wait()


def worker_cpu() -> float:
    """CPU seconds used so far by the extraction pool's worker processes (Linux /proc)."""
    total = 0.0
    for pool in _POOLS.values():
        executor = pool._executor
        for pid in list(getattr(executor, "_processes", None) or {}):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def end_to_end(feeds: list[str], db_path: Path, workers: int | None) -> tuple[float, float, int]:
    crawler = CrawlerConfig(download_delay=0.0, concurrency=32, per_domain_concurrency=32, retries=0,
                            timeout=Duration(60), allow_private_hosts=True, include_default_sources=False,
                            max_articles_per_source=1000)
    if workers is not None:  # until crawler.extract_workers is a documented key
        crawler.extract_workers = workers  # type: ignore[attr-defined]
    config = Config(crawler=crawler, sources=[SourceConfig(name=f"bench{i:03d}", url=u) for i, u in enumerate(feeds)])
    db = open_db(db_path)
    start, cpu = time.perf_counter(), time.process_time() + worker_cpu()
    report = gather_pass(config, db)
    seconds, cpu = time.perf_counter() - start, time.process_time() + worker_cpu() - cpu
    stored = db.execute("SELECT count(*) FROM items WHERE extraction != 'feed' OR extraction_error NOT LIKE "
                        "'article not fetched%'").fetchone()[0]
    if report.failed:
        print(f"warning: {len(report.failed)} feeds failed: {list(report.errors.items())[:3]}")
    db.close()
    return seconds, cpu, stored


def extraction_alone(pages: list[Path]) -> tuple[float, float]:
    docs = [(gzip.decompress(p.read_bytes()), f"http://127.0.0.1/p/{i}.html") for i, p in enumerate(pages)]
    start, cpu = time.perf_counter(), time.process_time()
    for html, url in docs:
        extract_article(html, url, content_type="text/html")
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-feed", type=int, default=10, help="article links per generated feed")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N pages")
    parser.add_argument("--workers", type=int, default=None,
                        help="extraction worker processes (default: one per core, at most 4; 0: inline)")
    args = parser.parse_args()
    pages = corpus_pages(args.limit)
    extraction_alone(pages[:5])  # warm-up: imports, lazy initialisation in trafilatura/htmldate

    ctx = multiprocessing.get_context("spawn")
    ready, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=serve, args=([str(p) for p in pages], args.per_feed, ready, stop), daemon=True)
    server.start()
    try:
        feeds = ready.get(timeout=120)
        with tempfile.TemporaryDirectory() as tmp:
            # Warm-up pass: Scrapy's one-time imports and reactor start, paid once per daemon.
            end_to_end(feeds[:1], Path(tmp) / "warm.db", args.workers)
            # Extraction alone runs before and after the crawl and is averaged, so that the
            # load of a shared machine drifting during the run biases neither side.
            before = extraction_alone(pages)
            e2e_seconds, e2e_cpu, stored = end_to_end(feeds, Path(tmp) / "bench.db", args.workers)
    finally:
        stop.set()
        server.join(10)
    after = extraction_alone(pages)
    alone_seconds, alone_cpu = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2

    e2e_rate, alone_rate = stored / e2e_seconds, len(pages) / alone_seconds
    workers = default_workers() if args.workers is None else args.workers
    print(f"pages served: {len(pages)} behind {len(feeds)} feeds ({args.per_feed} links each); "
          f"{workers} extraction workers, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"end to end:       {stored} articles stored in {e2e_seconds:.2f}s = {e2e_rate:.1f} articles/s"
          f" (CPU of crawler and its extraction workers {e2e_cpu:.2f}s)")
    print(f"extraction alone: {len(pages)} pages in {alone_seconds:.2f}s = {alone_rate:.1f} pages/s"
          f" (CPU {alone_cpu:.2f}s; runs before/after the crawl: {before[0]:.1f}s, {after[0]:.1f}s)")
    print(f"ratio end-to-end / extraction-alone (wall clock): {e2e_rate / alone_rate:.2f} (goal >= 0.8)")
    # On a shared machine wall-clock rates move with other load; CPU seconds per article less so.
    cpu_ratio = (alone_cpu / len(pages)) / (e2e_cpu / stored)
    print(f"ratio by CPU seconds per article (extraction alone / end to end): {cpu_ratio:.2f}")


if __name__ == "__main__":
    main()
