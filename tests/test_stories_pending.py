"""The stories stage's pending items: classified items without a membership row, found after a
progress mark, yet never missing one classified late below it."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from classifier import queries as classify
from classifier.stories import store
from crawler.app.database import open_db
from crawler.base.database import done_through


def _items(db: sqlite_utils.Database, n: int) -> None:
    db["items"].insert_all({"id": i, "canonical_url": f"https://example.org/{i}", "title": f"report {i}",
                            "published": f"2026-01-{10 - i:02d}T00:00:00+00:00"} for i in range(1, n + 1))


def _classify(db: sqlite_utils.Database, *ids: int) -> None:
    db["classifications"].insert_all({"item_id": i, "score": 0.9, "band": "alert", "relevant": 1} for i in ids)


def _group(db: sqlite_utils.Database, *ids: int) -> None:
    db["story_index"].insert_all({"item_id": i, "story_id": 1, "ts": 0.0} for i in ids)


def test_pending_items_start_after_the_mark(tmp_path: Path) -> None:
    db = open_db(tmp_path / "s.db")
    _items(db, 5)
    _classify(db, 1, 2, 3)
    _group(db, 1, 2, 3)
    assert done_through(db, store.MEMBERS, "classifications", "item_id") == 3
    assert [i.id for i in store.load_pending(db, 10)] == []
    _classify(db, 4, 5)
    # Oldest first: item 5 was published before item 4.
    assert [i.id for i in store.load_pending(db, 10)] == [5, 4]
    assert [i.id for i in store.load_pending(db, 1)] == [5]


def test_an_item_classified_late_below_the_mark_is_still_found(tmp_path: Path) -> None:
    db = open_db(tmp_path / "s.db")
    _items(db, 4)
    _classify(db, 2, 3)
    _group(db, 2, 3)
    _classify(db, 1)
    assert done_through(db, store.MEMBERS, "classifications", "item_id") == 0
    assert [i.id for i in store.load_pending(db, 10)] == [1]
    rows = classify.classified_without(db, store.MEMBERS, ("id", "title"), 10)
    assert rows == [{"id": 1, "title": "report 1"}]
