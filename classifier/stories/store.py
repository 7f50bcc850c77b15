"""Every SQL statement of the stories stage over its own tables (``story_index``: which story each
item belongs to; stories, links, near-copy keys), and its reads upstream: classified items through
:mod:`classifier.queries`, gather's URLs and content hashes through :mod:`crawler.gather.queries`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlite_utils

from classifier import queries as classify
from crawler.base.clock import SYSTEM_CLOCK, to_epoch
from crawler.gather import queries as gather

TEMPLATE_PAGES = 2  # other pages of one source declaring one URL: the site's template, not a copy

MEMBERS = "story_index"  # the membership: one row per grouped item (item_id → story_id, ts)
_PENDING = ("id", "title", "text", "source", "url", "published", "fetched_at", "content_hash", "score",
            "relevant", "held", "nationalities", "locations", "count", "status", "canonical_url", "declared_url")


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
        return to_epoch(self.published) or to_epoch(self.fetched_at) or SYSTEM_CLOCK.now().timestamp()


def load_pending(db: sqlite_utils.Database, limit: int) -> list[PendingItem]:
    """Classified items not in a story yet, oldest first."""
    rows = classify.classified_without(db, MEMBERS, _PENDING, limit)
    return [PendingItem(**{**r, "nationalities": json_list(r["nationalities"]),
                           "locations": json_list(r["locations"])}) for r in rows]


def members(db: sqlite_utils.Database, story_id: int) -> list[int]:
    """Ids of the story's items."""
    return [r[0] for r in db.execute(f"SELECT item_id FROM {MEMBERS} WHERE story_id = ?", [story_id])]


def story_of(db: sqlite_utils.Database, item_id: int) -> int | None:
    """The story ``item_id`` belongs to (None when not grouped)."""
    row = db.execute(f"SELECT story_id FROM {MEMBERS} WHERE item_id = ?", [item_id]).fetchone()
    return row[0] if row else None


def load_vectors(db: sqlite_utils.Database, ids: list[int]) -> dict[int, np.ndarray]:
    """Stored embeddings of ``ids`` (stories never embeds; items without one get none)."""
    return {i: np.frombuffer(blob, dtype=np.float32) for i, (_, blob) in classify.embeddings(db, ids).items()}


def embedding_dim(db: sqlite_utils.Database) -> int | None:
    return classify.embedding_dim(db)


def lsh_candidates(db: sqlite_utils.Database, keys: Iterable[int]) -> set[int]:
    keys = list(keys)
    if not keys:
        return set()
    marks = ",".join("?" * len(keys))
    return {r[0] for r in db.execute(f"SELECT DISTINCT item_id FROM story_lsh WHERE key IN ({marks})", keys)}


def same_hash(db: sqlite_utils.Database, content_hash: str | None) -> set[int]:
    """Grouped items with this content hash."""
    return gather.items_with_hash(db, content_hash, MEMBERS)


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
        rows = gather.items_declaring(db, column, value, MEMBERS, limit)
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
    rows = classify.classified(db, ids, ("id", "title", "text", "nationalities", "locations", "count"))
    return {r["id"]: (r["title"], r["text"], json_list(r["nationalities"]), json_list(r["locations"]), r["count"])
            for r in rows}


def story_facts(db: sqlite_utils.Database, story_id: int) -> dict[str, Any] | None:
    row = db.execute("SELECT nationalities, locations, count, first_published, first_seen FROM stories "
                     "WHERE id = ?", [story_id]).fetchone()
    if row is None:
        return None
    return {"nationalities": json_list(row[0]), "locations": json_list(row[1]), "count": row[2],
            "ts": to_epoch(row[3]) or to_epoch(row[4])}


def new_story(db: sqlite_utils.Database, now: str) -> int:
    cursor = db.execute("INSERT INTO stories (created_at, updated_at, item_count, source_count) "
                        "VALUES (?, ?, 0, 0)", [now, now])
    return int(cursor.lastrowid or 0)


def update_story(db: sqlite_utils.Database, story_id: int, values: dict[str, Any]) -> None:
    """Set a story's merged columns."""
    assignments = ", ".join(f'"{name}" = ?' for name in values)
    db.execute(f"UPDATE stories SET {assignments} WHERE id = ?", [*values.values(), story_id])


def attach(db: sqlite_utils.Database, item: PendingItem, story_id: int, bands: Iterable[int]) -> None:
    """Make the item a member of its story (dated, for the window lookup) and index its near-copy keys."""
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
    grouped = {i for i in ids if story_of(db, i) is not None}
    found = {r["id"]: PendingItem(**{**r, "nationalities": json_list(r["nationalities"]),
                                     "locations": json_list(r["locations"])})
             for r in classify.classified(db, [i for i in ids if i not in grouped], _PENDING)}
    return [found[i] for i in ids if i in found]
