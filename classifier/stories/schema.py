"""Tables of the stories stage.

- ``items.story_id``: the story an item belongs to (NULL = not grouped yet).
- ``stories``: one row per story (syndicated copies and strongly matching reports of one event).
- ``story_links``: related stories (reports of the same event that stayed apart).
- ``story_index``: per grouped item, its date (epoch seconds) for the time-window candidate lookup.
- ``story_lsh``: MinHash LSH band keys per grouped item (near-copy candidate lookup by index).
- ``incidents`` and ``story_incidents``: episodes of (nationality, location) held, and which
  stories opened (``is_new = 1``) or updated them.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("scamwatch.stories")


@migrations()
def m001_stories(db: sqlite_utils.Database) -> None:
    db.table("items").add_column("story_id", int)
    db.table("items").create_index(["story_id"])
    db.table("stories").create(
        {
            "id": int,
            "headline": str,
            "headline_item_id": int,
            "first_published": str,    # earliest publication time among its items (if known)
            "first_seen": str,         # earliest fetched_at among its items
            "last_seen": str,          # latest fetched_at among its items
            "created_at": str,         # when the stories stage created it
            "updated_at": str,         # when an item last joined
            "item_count": int,
            "source_count": int,       # distinct outlets: corroboration
            "sources": str,            # JSON list of outlet names
            "relevant": int,
            "held": int,
            "best_score": float,
            "nationalities": str,      # JSON list, merged
            "locations": str,          # JSON list, merged
            "count": int,              # largest count reported
            "status": str,             # status of the latest report that gave one
            "new_incidents": str,      # JSON list of [nationality, location] this story opened as new
            "alerted_at": str,         # set by the alert stage
            "alerted_state": str,      # JSON: what the alert stage last reported (set by it)
        },
        pk="id",
    )
    db.table("stories").create_index(["first_seen"])
    db.table("stories").create_index(["relevant", "alerted_at"])
    db.table("story_links").create(
        {"story_id": int, "related_id": int, "score": float, "reason": str, "created_at": str},
        pk=("story_id", "related_id"),
    )
    db.table("story_index").create({"item_id": int, "story_id": int, "ts": float}, pk="item_id")
    db.table("story_index").create_index(["ts"])
    db.table("story_lsh").create({"key": int, "item_id": int})
    db.table("story_lsh").create_index(["key"])
    db.table("incidents").create(
        {
            "id": int,
            "nationality": str,
            "location": str,
            "first_story_id": int,
            "latest_story_id": int,
            "first_reported": str,     # date of the first story of this episode
            "last_reported": str,      # date of the latest story
            "story_count": int,
            "count_trend": str,        # JSON [[date, count], ...]
            "status_trend": str,       # JSON [[date, status], ...]
        },
        pk="id",
    )
    db.table("incidents").create_index(["nationality", "location", "last_reported"])
    db.table("story_incidents").create(
        {"story_id": int, "incident_id": int, "is_new": int, "linked_at": str},
        pk=("story_id", "incident_id"),
    )


@migrations()
def m002_event_facts(db: sqlite_utils.Database) -> None:
    """Event grouping's facts buckets: per grouped item and victims' nationality, where, how many,
    what status and when (looked up by nationality within a time range: ``key``, ``ts``)."""
    db.table("story_event_facts").create(
        {"key": str, "item_id": int, "story_id": int, "ts": float, "countries": str, "places": str,
         "count": int, "status": str, "lang": str, "years": str},
        pk=("key", "item_id"),
    )
    db.table("story_event_facts").create_index(["key", "ts"])
    db.table("story_event_facts").create_index(["story_id"])
