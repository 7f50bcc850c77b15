"""Read API over stories and incidents, for the alert stage and the ``stories`` command.

- :func:`stories_to_alert` — relevant stories never alerted (``alerted_at IS NULL``), oldest first.
- :func:`story_detail` — one story with its items, outlets, incidents (``is_new`` marks the
  ones it opened: flag those "NEW") and related stories.
- :func:`recent_stories` — the latest stories, for people.
- :func:`incident_siblings` — the other stories on a story's incidents or related to it (is a first
  alert news?).

Every function returns plain dicts with JSON columns decoded.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from classifier.stories import event_store

_JSON_COLUMNS = ("sources", "nationalities", "locations", "new_incidents", "alerted_state")


def _rows(db: sqlite_utils.Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        for column in _JSON_COLUMNS:
            if column in row and isinstance(row[column], str):
                row[column] = json.loads(row[column])
    return rows


def stories_to_alert(db: sqlite_utils.Database, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Relevant stories not yet alerted, oldest first; ``new_incidents`` lists the keys they opened."""
    sql = "SELECT * FROM stories WHERE relevant = 1 AND alerted_at IS NULL ORDER BY first_seen, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _rows(db, sql, [])


def story_detail(db: sqlite_utils.Database, story_id: int) -> dict[str, Any] | None:
    """A story with ``items`` (earliest first), ``incidents`` and ``related``; None if unknown."""
    found = _rows(db, "SELECT * FROM stories WHERE id = ?", [story_id])
    if not found:
        return None
    story = found[0]
    story["items"] = _rows(db, "SELECT id, title, url, source, lang, published, fetched_at, score, relevant, "
                               "held, nationalities, locations, count, status FROM items WHERE story_id = ? "
                               "ORDER BY coalesce(published, fetched_at), id", [story_id])
    for item in story["items"]:
        for column in ("nationalities", "locations"):
            if isinstance(item[column], str):
                item[column] = json.loads(item[column])
    story["incidents"] = _rows(db, "SELECT i.*, si.is_new FROM story_incidents si JOIN incidents i "
                                   "ON i.id = si.incident_id WHERE si.story_id = ? ORDER BY si.is_new DESC, i.id",
                               [story_id])
    for incident in story["incidents"]:
        incident["count_trend"] = json.loads(incident["count_trend"] or "[]")
        incident["status_trend"] = json.loads(incident["status_trend"] or "[]")
    story["places"] = event_store.story_places(db, story_id)
    story["years"] = event_store.story_years(db, story_id)
    story["related"] = _rows(db, "SELECT s.id, s.headline, s.first_seen, l.score, l.reason FROM story_links l "
                                 "JOIN stories s ON s.id = l.related_id WHERE l.story_id = ? ORDER BY l.score DESC",
                             [story_id])
    return story


def recent_stories(db: sqlite_utils.Database, *, since: str | None = None, limit: int = 50,
                   relevant_only: bool = False) -> list[dict[str, Any]]:
    """The latest stories (by last_seen), optionally since an ISO date and only relevant ones."""
    where, params = ["item_count > 0"], []
    if since:
        where.append("last_seen >= ?")
        params.append(since)
    if relevant_only:
        where.append("relevant = 1")
    sql = f"SELECT * FROM stories WHERE {' AND '.join(where)} ORDER BY last_seen DESC, id DESC LIMIT {int(limit)}"
    return _rows(db, sql, params)


def mark_alerted(db: sqlite_utils.Database, story_id: int, when: str, state: dict[str, Any]) -> None:
    """For the alert stage: record what it alerted for a story (``alerted_at`` keeps the first time)."""
    db.execute("UPDATE stories SET alerted_at = coalesce(alerted_at, ?), alerted_state = ? WHERE id = ?",
               [when, json.dumps(state, sort_keys=True), story_id])


def incident_siblings(db: sqlite_utils.Database, story_id: int) -> list[dict[str, Any]]:
    """The other stories on the incidents of ``story_id``, and those linked to it as related (reports of
    the same event kept apart): id, first_published, alerted_at, alerted_state."""
    return _rows(db, "SELECT id, first_published, alerted_at, alerted_state FROM stories WHERE id IN ("
                     "SELECT b.story_id FROM story_incidents a JOIN story_incidents b ON b.incident_id = a.incident_id "
                     "WHERE a.story_id = ? UNION SELECT related_id FROM story_links WHERE story_id = ?) AND id != ? "
                     "ORDER BY id", [story_id, story_id, story_id])
