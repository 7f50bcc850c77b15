"""A story's merged view of its items: headline, dates, outlets, who/where/how many."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from classifier import queries as classify
from classifier.stories.store import json_list, members, to_epoch, update_story

_MEMBER_COLUMNS = ("id", "title", "source", "url", "published", "fetched_at", "score", "band", "relevant", "held",
                   "nationalities", "locations", "places", "count", "status")


# The classify stage's bands, weakest first: a story takes the best band among its items.
BANDS = ("discard", "review", "alert")


def best_band(bands: list[str | None]) -> str | None:
    """The strongest of the items' bands (None when no item has one)."""
    known = [b for b in bands if b in BANDS]
    return max(known, key=BANDS.index) if known else None


def outlet(source: str | None, url: str | None) -> str | None:
    """The outlet an item came from: its source name, else its URL's host."""
    if source:
        return source
    host = urlsplit(url or "").hostname
    return host.removeprefix("www.") if host else None


def merge(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The story columns derived from its items (``members`` in any order)."""
    ordered = sorted(members, key=lambda m: (to_epoch(m["published"]) or to_epoch(m["fetched_at"]) or 0, m["id"]))
    first = next((m for m in ordered if m["title"]), ordered[0])
    outlets = sorted({o for m in ordered if (o := outlet(m["source"], m["url"]))})
    nationalities: list[str] = []
    locations: list[str] = []
    places: list[str] = []
    for m in ordered:
        nationalities += [n for n in json_list(m["nationalities"]) if n not in nationalities]
        locations += [loc for loc in json_list(m["locations"]) if loc not in locations]
        places += [p for p in json_list(m.get("places")) if p not in places]
    counts = [m["count"] for m in ordered if m["count"] is not None]
    statuses = [m["status"] for m in ordered if m["status"] and m["status"] != "unknown"]
    scores = [m["score"] for m in ordered if m["score"] is not None]
    published = [m["published"] for m in ordered if m["published"]]
    fetched = [m["fetched_at"] for m in ordered if m["fetched_at"]]
    return {
        "headline": first["title"],
        "headline_item_id": first["id"],
        "first_published": min(published, key=lambda s: to_epoch(s) or 0) if published else None,
        "first_seen": min(fetched) if fetched else None,
        "last_seen": max(fetched) if fetched else None,
        "item_count": len(ordered),
        "source_count": len(outlets),
        "sources": json.dumps(outlets),
        "relevant": int(any(m["relevant"] for m in ordered)),
        "held": int(any(m["held"] for m in ordered)),
        "best_score": max(scores) if scores else None,
        "band": best_band([m.get("band") for m in ordered]),
        "nationalities": json.dumps(nationalities),
        "locations": json.dumps(locations),
        "places": json.dumps(places),
        "count": max(counts) if counts else None,
        "status": statuses[-1] if statuses else None,
    }


def refresh(db: sqlite_utils.Database, story_id: int, now: str) -> None:
    """Recompute a story's merged columns from its items."""
    rows = classify.classified(db, members(db, story_id), _MEMBER_COLUMNS)
    if not rows:
        return
    values = merge(rows)
    values["updated_at"] = now
    update_story(db, story_id, values)
