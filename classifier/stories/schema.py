"""Tables of the stories stage.

- ``story_index``: the membership, one row per grouped item: its story and its date (epoch
  seconds, for the time-window candidate lookup); an item without a row is still to group. m001
  put ``story_id`` on gather's ``items``; m003 moved it here.
- ``stories``: one row per story (syndicated copies and strongly matching reports of one event);
  ``band`` is the classify stage's band of its best item (m002), stored once and read by alerts.
- ``story_links``: related stories (reports of the same event that stayed apart).
- ``story_lsh``: MinHash LSH band keys per grouped item (near-copy candidate lookup by index).
- ``incidents`` and ``story_incidents``: episodes of (nationality, location) held, and which
  stories opened (``is_new = 1``) or updated them: the one place the new-incident flag is stored
  (m002 dropped ``stories.new_incidents``; :mod:`classifier.stories.queries` derives it).

The alert stage's per-story state (``alerted_at``, ``alerted_state``) moved to its own table
(``alert_story_state``, migration ``scamwatch.alerts`` m003).
"""

from __future__ import annotations

import re

import sqlite_utils
from sqlite_utils.migrations import Migrations

from crawler.base.clock import SYSTEM_CLOCK, to_epoch
from crawler.base.database import drop_columns

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
    db.table("stories").create_index(["relevant", "alerted_at"])  # dropped by scamwatch.alerts m003
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
def m002_story_band(db: sqlite_utils.Database) -> None:
    """``stories.band``: the best band among its items, as classify stored it; ``new_incidents`` goes
    (``story_incidents.is_new`` holds the same fact)."""
    db.table("stories").add_column("band", str)
    db.execute(
        "UPDATE stories SET band = (SELECT CASE max(CASE band WHEN 'alert' THEN 2 WHEN 'review' THEN 1 "
        "WHEN 'discard' THEN 0 END) WHEN 2 THEN 'alert' WHEN 1 THEN 'review' WHEN 0 THEN 'discard' END "
        "FROM classified_items WHERE story_id = stories.id)"
    )
    db.table("stories").create_index(["band", "first_seen"])
    drop_columns(db, "stories", ["new_incidents"])


@migrations()
def m003_story_membership(db: sqlite_utils.Database) -> None:
    """``items.story_id`` moves into ``story_index`` (every membership copied; an item grouped without
    an index row gets one, dated as the stage dates it), which gains an index by story; views that name
    ``items.story_id`` go first (the top layer recreates ``item_facts`` on the membership)."""
    if "story_id" in db["items"].columns_dict:
        db.execute("UPDATE story_index SET story_id = (SELECT story_id FROM items WHERE id = item_id) "
                   "WHERE EXISTS (SELECT 1 FROM items WHERE id = item_id AND items.story_id IS NOT NULL "
                   "AND items.story_id != story_index.story_id)")
        missing = db.execute("SELECT id, story_id, published, fetched_at FROM items WHERE story_id IS NOT NULL "
                             "AND NOT EXISTS (SELECT 1 FROM story_index s WHERE s.item_id = items.id)").fetchall()
        db.conn.executemany(
            "INSERT INTO story_index (item_id, story_id, ts) VALUES (?, ?, ?)",
            [(i, s, to_epoch(p) or to_epoch(f) or SYSTEM_CLOCK.now().timestamp()) for i, s, p, f in missing])
    db.table("story_index").create_index(["story_id"], if_not_exists=True)
    for view in db.views:
        if re.search(r"\bitems\.story_id\b", view.schema):
            view.drop()
    drop_columns(db, "items", ["story_id"])


@migrations()
def m004_event_facts(db: sqlite_utils.Database) -> None:
    """Event grouping's facts buckets: per grouped item and victims' nationality, where, how many,
    what status and when (looked up by nationality within a time range: ``key``, ``ts``)."""
    db.table("story_event_facts").create(
        {"key": str, "item_id": int, "story_id": int, "ts": float, "countries": str, "places": str,
         "count": int, "status": str, "lang": str, "years": str},
        pk=("key", "item_id"),
    )
    db.table("story_event_facts").create_index(["key", "ts"])
    db.table("story_event_facts").create_index(["story_id"])


@migrations()
def m005_story_places(db: sqlite_utils.Database) -> None:
    """``stories.places``: the places of captivity its reports name (JSON list, most specific first as
    reported), beside ``locations`` (countries). Stories grouped before keep NULL until a report joins."""
    db.table("stories").add_column("places", str)
