"""Read API over stories and incidents, for the alert stage and the ``stories`` command.

- :func:`stories_to_alert` — stories in the given bands (the band classify gave their best item),
  oldest first; the alert stage keeps which of them it already reported in its own table.
- :func:`story_detail` — one story with its items, outlets, incidents (``is_new`` marks the
  ones it opened: flag those "NEW") and related stories.
- :func:`incident_detail` — one incident with its trends and stories.
- :func:`recent_stories` — the latest stories, for people.
- :func:`incident_siblings` — the other stories on a story's incidents or related to it (is a first
  alert news?).

Every function returns plain dicts with JSON columns decoded; each story carries
``new_incidents``, the [nationality, location] keys it opened, read from ``story_incidents``
(the one place that fact is stored).
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from classifier import queries as classify
from classifier.queries import dismissed_stories
from classifier.stories import event_store, store

_JSON_COLUMNS = ("sources", "nationalities", "locations")
_ITEM_COLUMNS = ("id", "title", "url", "source", "lang", "published", "fetched_at", "score", "relevant", "held",
                 "nationalities", "locations", "count", "status")


def _rows(db: sqlite_utils.Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        for column in _JSON_COLUMNS:
            if column in row and isinstance(row[column], str):
                row[column] = json.loads(row[column])
    return rows


def _stories(db: sqlite_utils.Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Story rows with ``new_incidents``: the (nationality, location) keys each opened, oldest first."""
    rows = _rows(db, sql, params)
    opened: dict[int, list[list[str]]] = {row["id"]: [] for row in rows}
    if opened:
        marks = ",".join("?" * len(opened))
        for story_id, nationality, location in db.execute(
                f"SELECT si.story_id, i.nationality, i.location FROM story_incidents si JOIN incidents i "
                f"ON i.id = si.incident_id WHERE si.is_new = 1 AND si.story_id IN ({marks}) ORDER BY i.id",
                list(opened)):
            opened[story_id].append([nationality, location])
    for row in rows:
        row["new_incidents"] = opened[row["id"]]
    return rows


def opens_incident(db: sqlite_utils.Database, story_id: int | None) -> bool:
    """Whether the story opened an incident (the new-incident flag, stored once in ``story_incidents``)."""
    if story_id is None:
        return False
    return db.execute("SELECT 1 FROM story_incidents WHERE story_id = ? AND is_new = 1 LIMIT 1",
                      [story_id]).fetchone() is not None


def stories_to_alert(db: sqlite_utils.Database, *, bands: tuple[str, ...] = ("alert",),
                     limit: int | None = None) -> list[dict[str, Any]]:
    """Stories whose band is one of ``bands`` and not dismissed by feedback, oldest first;
    ``new_incidents`` lists the keys they opened."""
    marks = ",".join("?" * len(bands))
    sql = f"SELECT * FROM stories WHERE band IN ({marks}) ORDER BY first_seen, id"
    dismissed = dismissed_stories(db)
    rows = [r for r in _stories(db, sql, list(bands)) if r["id"] not in dismissed]
    return rows if limit is None else rows[:limit]


def story_detail(db: sqlite_utils.Database, story_id: int) -> dict[str, Any] | None:
    """A story with ``items`` (earliest first), ``incidents`` and ``related``; None if unknown."""
    found = _stories(db, "SELECT * FROM stories WHERE id = ?", [story_id])
    if not found:
        return None
    story = found[0]
    story["items"] = classify.classified(db, store.members(db, story_id), _ITEM_COLUMNS)
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


def incident_detail(db: sqlite_utils.Database, incident_id: int) -> dict[str, Any] | None:
    """An incident with its trends decoded and ``stories`` (earliest first, ``is_new`` marks the opener)."""
    found = _rows(db, "SELECT * FROM incidents WHERE id = ?", [incident_id])
    if not found:
        return None
    incident = found[0]
    for column in ("count_trend", "status_trend"):
        incident[column] = json.loads(incident[column] or "[]")
    incident["stories"] = _rows(db, "SELECT s.id, s.headline, s.first_seen, si.is_new FROM story_incidents si "
                                    "JOIN stories s ON s.id = si.story_id WHERE si.incident_id = ? "
                                    "ORDER BY s.first_seen, s.id", [incident_id])
    return incident


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
    return _stories(db, sql, params)



def incident_siblings(db: sqlite_utils.Database, story_id: int) -> list[dict[str, Any]]:
    """The other stories on the incidents of ``story_id``, and those linked to it as related (reports of
    the same event kept apart): id, first_published."""
    return _rows(db, "SELECT id, first_published FROM stories WHERE id IN ("
                     "SELECT b.story_id FROM story_incidents a JOIN story_incidents b ON b.incident_id = a.incident_id "
                     "WHERE a.story_id = ? UNION SELECT related_id FROM story_links WHERE story_id = ?) AND id != ? "
                     "ORDER BY id", [story_id, story_id, story_id])
