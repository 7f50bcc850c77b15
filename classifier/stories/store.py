"""Every SQL statement of the stories stage (reads of items/embeddings, writes of stories)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import sqlite_utils

TEMPLATE_PAGES = 2  # other pages of one source declaring one URL: the site's template, not a copy

_PENDING = (
    "SELECT id, title, text, source, url, published, fetched_at, content_hash, score, relevant, held, "
    "nationalities, locations, count, status, canonical_url, declared_url FROM items "
    "WHERE classified_at IS NOT NULL AND story_id IS NULL "
    "ORDER BY coalesce(published, fetched_at), id LIMIT ?"
)


def to_epoch(stamp: str | None) -> float | None:
    """ISO 8601 → epoch seconds (naive times are UTC); None if missing or unparseable."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def json_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return parsed if isinstance(parsed, list) else [parsed]


@dataclass
class PendingItem:
    """A classified item waiting for its story."""

    id: int
    title: str | None
    text: str | None
    source: str | None
    url: str | None
    published: str | None
    fetched_at: str | None
    content_hash: str | None
    score: float | None
    relevant: int | None
    held: int | None
    nationalities: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    count: int | None = None
    status: str | None = None
    canonical_url: str | None = None
    declared_url: str | None = None  # the original's URL the page declares (canonical link, og:url)

    @property
    def ts(self) -> float:
        """The item's date: publication time, else fetch time, else now."""
        return to_epoch(self.published) or to_epoch(self.fetched_at) or datetime.now(UTC).timestamp()


def load_pending(db: sqlite_utils.Database, limit: int) -> list[PendingItem]:
    return [_pending_item(r) for r in db.execute(_PENDING, [limit]).fetchall()]


def _pending_item(r: Any) -> PendingItem:
    return PendingItem(id=r[0], title=r[1], text=r[2], source=r[3], url=r[4], published=r[5], fetched_at=r[6],
                       content_hash=r[7], score=r[8], relevant=r[9], held=r[10], nationalities=json_list(r[11]),
                       locations=json_list(r[12]), count=r[13], status=r[14], canonical_url=r[15],
                       declared_url=r[16])


def load_vectors(db: sqlite_utils.Database, ids: list[int]) -> dict[int, np.ndarray]:
    """Stored embeddings of ``ids`` (stories never embeds; items without one get none)."""
    if not ids or not db["embeddings"].exists():
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"SELECT item_id, vector FROM embeddings WHERE item_id IN ({marks})", ids)
    return {i: np.frombuffer(blob, dtype=np.float32) for i, blob in rows if blob is not None}


def embedding_dim(db: sqlite_utils.Database) -> int | None:
    if not db["embeddings"].exists():
        return None
    row = db.execute("SELECT dim FROM embeddings ORDER BY rowid DESC LIMIT 1").fetchone()
    return int(row[0]) if row and row[0] else None


def lsh_candidates(db: sqlite_utils.Database, keys: Iterable[int]) -> set[int]:
    keys = list(keys)
    if not keys:
        return set()
    marks = ",".join("?" * len(keys))
    return {r[0] for r in db.execute(f"SELECT DISTINCT item_id FROM story_lsh WHERE key IN ({marks})", keys)}


def same_hash(db: sqlite_utils.Database, content_hash: str | None) -> set[int]:
    if not content_hash:
        return set()
    sql = "SELECT id FROM items WHERE content_hash = ? AND story_id IS NOT NULL"
    return {r[0] for r in db.execute(sql, [content_hash])}


def same_declared(db: sqlite_utils.Database, item: PendingItem, lo: float, hi: float,
                  limit: int) -> dict[int, int]:
    """Grouped items dated within [lo, hi] that declare the same original as ``item``, that ``item``
    declares (its canonical URL), or that declare ``item``'s URL: id → story id, in id order.

    A URL that two other pages of ``item``'s own source declare as well is that site's template
    (a section or tag page), not an original: those pages are left out.

    Index lookups only (``declared_url``, ``canonical_url``, then ``story_index`` by item), each
    bounded to the newest ``limit`` matches: the cost follows the copies of one article, not the
    database, even where a site declares one URL for all its pages."""
    ids: set[int] = set()
    for column, value in (("declared_url", item.declared_url), ("canonical_url", item.declared_url),
                          ("declared_url", item.canonical_url)):
        if not value:
            continue
        rows = db.execute(f"SELECT id, source FROM items WHERE {column} = ? AND story_id IS NOT NULL"
                          " ORDER BY id DESC LIMIT ?", [value, limit]).fetchall()
        own_source = [r[0] for r in rows if item.source is not None and r[1] == item.source]
        if column == "declared_url" and len(own_source) >= TEMPLATE_PAGES:
            rows = [r for r in rows if r[1] != item.source]
        ids.update(r[0] for r in rows)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    sql = (f"SELECT item_id, story_id FROM story_index WHERE item_id IN ({marks}) AND ts BETWEEN ? AND ? "
           "ORDER BY item_id LIMIT ?")
    return dict(db.execute(sql, [*ids, lo, hi, limit]).fetchall())


def texts(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """id → (title, text, nationalities, locations, count) of already stored items."""
    ids = list(ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    sql = f"SELECT id, title, text, nationalities, locations, count FROM items WHERE id IN ({marks})"
    return {r[0]: (r[1], r[2], json_list(r[3]), json_list(r[4]), r[5]) for r in db.execute(sql, ids)}


def story_facts(db: sqlite_utils.Database, story_id: int) -> dict[str, Any] | None:
    row = db.execute("SELECT nationalities, locations, count, first_published, first_seen FROM stories "
                     "WHERE id = ?", [story_id]).fetchone()
    if row is None:
        return None
    return {"nationalities": json_list(row[0]), "locations": json_list(row[1]), "count": row[2],
            "ts": to_epoch(row[3]) or to_epoch(row[4])}


def new_story(db: sqlite_utils.Database, now: str) -> int:
    cursor = db.execute("INSERT INTO stories (created_at, updated_at, item_count, source_count, new_incidents) "
                        "VALUES (?, ?, 0, 0, '[]')", [now, now])
    return int(cursor.lastrowid or 0)


def attach(db: sqlite_utils.Database, item: PendingItem, story_id: int, bands: Iterable[int]) -> None:
    """Point the item at its story and index it for later candidate lookups."""
    db.execute("UPDATE items SET story_id = ? WHERE id = ?", [story_id, item.id])
    db.execute("INSERT OR REPLACE INTO story_index (item_id, story_id, ts) VALUES (?, ?, ?)",
               [item.id, story_id, item.ts])
    db.conn.executemany("INSERT INTO story_lsh (key, item_id) VALUES (?, ?)", [(k, item.id) for k in bands])


def link(db: sqlite_utils.Database, a: int, b: int, score: float, reason: str, now: str) -> None:
    """Record two stories as related (both directions, first reason kept)."""
    for x, y in ((a, b), (b, a)):
        db.execute("INSERT OR IGNORE INTO story_links (story_id, related_id, score, reason, created_at) "
                   "VALUES (?, ?, ?, ?, ?)", [x, y, round(score, 4), reason, now])


def load_items(db: sqlite_utils.Database, ids: list[int]) -> list[PendingItem]:
    """Classified items ``ids`` still waiting for a story, in the order of ``ids`` (a replay's arrival order)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    sql = _PENDING.replace("ORDER BY coalesce(published, fetched_at), id LIMIT ?", f"AND id IN ({marks})")
    found = {r[0]: _pending_item(r) for r in db.execute(sql, ids).fetchall()}
    return [found[i] for i in ids if i in found]
