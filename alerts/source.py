"""The alert stage's only window on other stages' tables, and its own per-story state.

Stories are read through ``classifier.stories.queries`` (``stories_to_alert``, ``story_detail``),
items and sources through ``crawler.gather.queries``; kept thin so a change there changes only
this module. What the alert stage reported about a story is kept in its own table,
``alert_story_state`` (:func:`record`).
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from alerts.content import StoryView
from classifier.stories import queries
from classifier.stories.queries import opens_incident
from crawler.base.dates import opening_months
from crawler.gather import queries as gather
from crawler.gather.queries import failing_sources, healthy_sources

__all__ = ["failing_sources", "healthy_sources", "opens_incident", "record", "stories_to_consider", "story_view"]

# The bands alerts act on: 'alert' goes out, 'review' to digests as "possibly relevant".
BANDS = ("alert", "review")


def _state(db: sqlite_utils.Database, story_id: int) -> dict[str, Any] | None:
    row = db.execute("SELECT alerted_state FROM alert_story_state WHERE story_id = ?", [story_id]).fetchone()
    return json.loads(row[0]) if row and row[0] else None


def stories_to_consider(db: sqlite_utils.Database) -> list[StoryView]:
    """Stories in the alert or review band that are new, or changed since the alert stage last looked.

    A story is looked at again when its ``updated_at`` differs from the one recorded in its
    ``alerted_state.seen``.
    """
    seen = {story_id: json.loads(state or "{}").get("seen") for story_id, state in
            db.execute("SELECT story_id, alerted_state FROM alert_story_state").fetchall()}
    due = [s["id"] for s in queries.stories_to_alert(db, bands=BANDS)
           if s["id"] not in seen or (s.get("updated_at") or "") != (seen[s["id"]] or "")]
    return [s for s in (story_view(db, story_id) for story_id in due) if s is not None]


def story_view(db: sqlite_utils.Database, story_id: int) -> StoryView | None:
    """One story as alerts see it, from ``queries.story_detail`` plus the headline item's text."""
    detail = queries.story_detail(db, story_id)
    if detail is None:
        return None
    items = detail["items"]
    top = next((i for i in items if i["id"] == detail.get("headline_item_id")), items[0] if items else {})
    text = gather.item_text(db, top["id"]) if top else ""
    sources = list(detail.get("sources") or sorted({i["source"] for i in items if i.get("source")}))
    return StoryView(
        id=detail["id"],
        headline=detail.get("headline") or top.get("title") or f"story {story_id}",
        best_score=float(detail.get("best_score") or 0.0),
        band=detail.get("band") or "discard",
        item_id=top.get("id"),
        url=top.get("url"),
        first_seen=detail.get("first_seen"),
        last_seen=detail.get("last_seen"),
        first_published=detail.get("first_published") or top.get("published"),
        item_count=int(detail.get("item_count") or len(items) or 1),
        source_count=int(detail.get("source_count") or len(sources) or 1),
        sources=sources,
        source_tags=gather.source_tags(db, sources),
        nationalities=list(detail.get("nationalities") or []),
        locations=list(detail.get("locations") or []),
        count=detail.get("count"),
        status=detail.get("status"),
        new_incident=bool(detail["new_incidents"]),
        text=text,
        alerted_state=_state(db, story_id),
        updated_at=detail.get("updated_at"),
        reports=items,
        incidents=list(detail["incidents"]),
        places=list(detail.get("places") or []),
        years=list(detail.get("years") or []),
        months=sorted(opening_months(top.get("title"), text)),
        first_reported=min((i["first_reported"] for i in detail["incidents"] if i.get("first_reported")),
                           default=None),
    )


def reports(db: sqlite_utils.Database, story_id: int) -> list[dict[str, Any]]:
    """A story's reports, earliest first (id, url, title, count, status, nationalities…)."""
    detail = queries.story_detail(db, story_id)
    return list(detail["items"]) if detail else []


def alerted_siblings(db: sqlite_utils.Database, story_id: int) -> list[dict[str, Any]]:
    """What was alerted for the other stories on this story's incidents (their ``alerted_state``)."""
    siblings = [row["id"] for row in queries.incident_siblings(db, story_id)]
    if not siblings:
        return []
    marks = ",".join("?" * len(siblings))
    rows = db.execute(f"SELECT alerted_state FROM alert_story_state WHERE alerted_at IS NOT NULL "
                      f"AND story_id IN ({marks}) ORDER BY story_id", siblings).fetchall()
    states = [json.loads(state) for (state,) in rows if state]
    return [state for state in states if isinstance(state, dict)]


def record(db: sqlite_utils.Database, story: StoryView, state: dict[str, Any], now: str, alerted: bool) -> None:
    """Record what the alert stage saw and reported of a story (within the caller's transaction).

    ``alerted_at`` (first alert time) is set only when the story was alerted in the alert band;
    review-band and unrouted stories only get ``alerted_state``.
    """
    stored = json.dumps({**state, "seen": story.updated_at}, sort_keys=True)
    db.execute(
        "INSERT INTO alert_story_state (story_id, alerted_at, alerted_state) VALUES (?, ?, ?) "
        "ON CONFLICT (story_id) DO UPDATE SET alerted_at = coalesce(alerted_at, excluded.alerted_at), "
        "alerted_state = excluded.alerted_state",
        [story.id, now if alerted else None, stored])
