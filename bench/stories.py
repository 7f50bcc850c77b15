"""Stories stage throughput as the database grows: items/s on a fresh batch at 0, 100k and 1M items.

    python bench/stories.py [--sizes 0,100000,1000000] [--batch 10000] [--rate 2000] [--keep DIR]

For each size, a database is pre-filled by bulk inserts with that many already-grouped items
(synthetic text, random unit vectors, random LSH keys; three items per story), dated at a
constant ingest rate (``--rate`` items/day) up to now: a database grows by time, so the
stories window (14 days) holds about the same number of items at 100k as at 1M. Then a fresh
batch of corpus items (distinct articles plus ~40% syndicated copies, see stories_corpus.py)
is inserted as classified, and only ``group_pending`` is timed. Vectors come from a fast
deterministic hashing encoder, not the real model. Prints items/s per size and the ratio of
the per-item cost at the largest size to the smallest; with three sizes or more, also to the second
(an empty database has no window to search, so its items cost less: the second ratio is the growth alone).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.append(str(Path(__file__).resolve().parent))  # last: bench/alerts.py must not shadow alerts/

from stories_corpus import base_articles, make_items  # noqa: E402

from classifier.stories.stage import group_pending  # noqa: E402
from classifier.stories.textsim import BANDS  # noqa: E402
from classifier.windows import lead_text  # noqa: E402
from crawler.app.config import Config  # noqa: E402
from crawler.app.database import open_db  # noqa: E402
from tests.seed import HashingEncoder, insert_classified  # noqa: E402

DIM = 384
CHUNK = 50_000
WORDS = ("police ministry market shares trade rescue border workers report officials said government company "
         "price bank court rain election city port union oil").split()


def prefill(db, n: int, rate: float, now: float, rng: np.random.Generator) -> None:  # type: ignore[no-untyped-def]
    """Bulk-insert ``n`` grouped items (items, embeddings, story_index, story_lsh, stories)."""
    stamp = datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds")
    conn = db.conn
    # Bulk load: secondary indexes are dropped and rebuilt afterwards, writes are not synced.
    tables = "('items', 'classifications', 'embeddings', 'story_index', 'story_lsh', 'stories')"
    indexes = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
                           + tables).fetchall()
    names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
                         + tables).fetchall()
    for (name,) in names:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")
    for start in range(0, n, CHUNK):
        ids = range(start + 1, min(n, start + CHUNK) + 1)
        ts = [now - (n - i) / rate * 86400 - 86400 for i in ids]  # the newest a day before the batch
        vecs = rng.standard_normal((len(ids), DIM)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        keys = rng.integers(-(2**62), 2**62, size=(len(ids), BANDS))
        with conn:
            conn.executemany(
                "INSERT INTO items (id, url, canonical_url, source, title, text, fetched_at, published, content_hash, "
                "extraction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'import')",
                [(i, f"https://old.example.org/{i}", f"https://old.example.org/{i}", f"outlet{i % 300}",
                  f"old report {i}", " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(60)) + f" {i}",
                  stamp, datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds"), f"h{i}")
                 for i, t in zip(ids, ts, strict=True)])
            conn.executemany(
                "INSERT INTO classifications (item_id, classified_at, score, band, relevant, held, nationalities, "
                "locations) VALUES (?, ?, 0.1, 'discard', 0, 0, '[]', '[]')", [(i, stamp) for i in ids])
            conn.executemany("INSERT INTO embeddings (item_id, model, dim, vector) VALUES (?, 'fake', ?, ?)",
                             [(i, DIM, v.tobytes()) for i, v in zip(ids, vecs, strict=True)])
            conn.executemany("INSERT INTO story_index (item_id, story_id, ts) VALUES (?, ?, ?)",
                             [(i, (i + 2) // 3, t) for i, t in zip(ids, ts, strict=True)])
            conn.executemany("INSERT INTO story_lsh (key, item_id) VALUES (?, ?)",
                             [(int(k), i) for i, row in zip(ids, keys, strict=True) for k in row])
            conn.executemany("INSERT INTO stories (id, headline, first_seen, last_seen, item_count, source_count, "
                             "relevant, band) VALUES (?, ?, ?, ?, 3, 3, 0, 'discard')",
                             [((i + 2) // 3, f"old report {i}", stamp, stamp) for i in ids if i % 3 == 1])
    with conn:
        for (sql,) in indexes:
            conn.execute(sql)
    conn.execute("PRAGMA synchronous = NORMAL")
    db.execute("ANALYZE")


def run_size(size: int, batch: list[dict], rate: float, folder: Path) -> tuple[float, str]:
    """Pre-fill a database with ``size`` items, then time the stories stage on ``batch``."""
    path = folder / f"stories-{size}.db"
    path.unlink(missing_ok=True)
    db = open_db(path)
    now = time.time()
    t0 = time.perf_counter()
    prefill(db, size, rate, now, np.random.default_rng(size))
    fill = time.perf_counter() - t0
    base = size + 1
    vectors = HashingEncoder(DIM).encode([lead_text(r["title"], r["text"]) for r in batch])
    stamp = datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds")
    insert_classified(db, [{**r, "published": stamp, "canonical_url": f"{r['canonical_url']}?n={base}"}
                           for r in batch], vectors, model="fake")
    config = Config()
    t0 = time.perf_counter()
    report = group_pending(config, db)
    elapsed = time.perf_counter() - t0
    db.close()
    print(f"  size {size:>9,}: prefill {fill:6.1f}s; stories stage {elapsed:6.1f}s for {report.items:,} items "
          f"= {report.items / elapsed:7.0f} items/s; {report}", flush=True)
    return elapsed / max(1, report.items), str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0,100000,1000000", help="database sizes (items) to measure at")
    parser.add_argument("--batch", type=int, default=10_000, help="fresh items grouped at each size")
    parser.add_argument("--rate", type=float, default=2000.0, help="items per day the pre-filled database grew by")
    parser.add_argument("--keep", help="folder for the databases (default: a temporary folder, removed)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(42)
    batch = make_items(args.batch, base_articles(), rng)
    copies = sum(1 for r in batch if r["title"].startswith(("Update: ", "Report: ")))
    print(f"fresh batch: {len(batch):,} items from the news corpora (~40% syndicated copies; {copies} retitled); "
          f"vectors: hashing encoder (dim {DIM}), not the real model; ingest rate {args.rate:.0f}/day")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        costs = [run_size(size, batch, args.rate, folder)[0] for size in sizes]
    print(f"cost per new item: {costs[0] * 1000:.2f} ms at {sizes[0]:,} -> {costs[-1] * 1000:.2f} ms at "
          f"{sizes[-1]:,} items; ratio last/first = {costs[-1] / costs[0]:.2f}")
    if len(sizes) > 2 and sizes[1] > 0:
        # From the second size on, the stories window holds as many items: only the stored total grows.
        print(f"ratio last/second = {costs[-1] / costs[1]:.2f} ({sizes[1]:,} -> {sizes[-1]:,} items, "
              "the window as full at both)")


if __name__ == "__main__":
    main()
