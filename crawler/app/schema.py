"""Tables of the run/daemon machinery and of browsing: ``cycles``, ``hotspots``, full-text search.

This set runs last (see ``crawler.app.database.MIGRATIONS``). Besides its numbered
migrations it keeps two things current on every open, because they depend on other
stages' tables, which may appear in a later release than this set's migrations:

* full-text indexes ``items_fts`` and ``stories_fts`` (with triggers), created as soon
  as their tables exist — Datasette then shows a search box on both;
* ``hotspots``: the gazetteer's places with coordinates, for the map, reloaded when
  ``config/gazetteer.json`` changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from importlib import resources
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from classifier.gazetteer import parse_gazetteer

log = logging.getLogger(__name__)

FTS_COLUMNS = {
    "items": ("title", "summary", "text"),
    "stories": ("headline", "nationalities", "locations"),
}
GAZETTEER = "gazetteer.json"


class OpsMigrations(Migrations):
    """Numbered migrations, then the idempotent search and hotspot upkeep."""

    def apply(self, db: sqlite_utils.Database, **kw: Any) -> None:
        super().apply(db, **kw)
        ensure_search(db)
        ensure_hotspots(db)
        ensure_views(db)


migrations = OpsMigrations("scamwatch.ops")


@migrations()
def m001_cycles(db: sqlite_utils.Database) -> None:
    db.table("cycles").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "duration": float,      # seconds
            "mode": str,            # run | daemon
            "result": str,          # running | ok | partial | error | interrupted | idle | abandoned | stopped
            "summary": str,         # the one-line summary printed at the end
            "details": str,         # JSON of every stage's report
        },
        pk="id",
    )
    db.table("cycles").create_index(["started_at"])


@migrations()
def m002_hotspots(db: sqlite_utils.Database) -> None:
    db.table("hotspots").create(
        {"name": str, "kind": str, "country": str, "latitude": float, "longitude": float},
        pk="name",
    )
    db.table("ops_meta").create({"key": str, "value": str}, pk="key")


def ensure_search(db: sqlite_utils.Database) -> None:
    """Create the FTS index of each searchable table once it exists (triggers keep it current)."""
    for table, wanted in FTS_COLUMNS.items():
        if not db[table].exists() or db[f"{table}_fts"].exists():
            continue
        columns = [c for c in wanted if c in db[table].columns_dict]
        if not columns:
            continue
        with db.atomic():
            db.table(table).enable_fts(columns, create_triggers=True, tokenize="porter")
            # Re-index only when the text changes, not on every status update of the row.
            cols, old = ", ".join(columns), ", ".join(f"old.{c}" for c in columns)
            new = ", ".join(f"new.{c}" for c in columns)
            db.execute(f"DROP TRIGGER IF EXISTS {table}_au")
            db.execute(
                f"CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
                f"INSERT INTO {table}_fts ({table}_fts, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
                f"INSERT INTO {table}_fts (rowid, {cols}) VALUES (new.rowid, {new}); END"
            )
        log.debug("full-text search enabled on %s (%s)", table, cols)


INCIDENT_MAP = """
CREATE VIEW incident_map AS
SELECT incidents.id, incidents.nationality, incidents.location, incidents.first_reported,
       incidents.last_reported, incidents.story_count, hotspots.country, hotspots.kind,
       hotspots.latitude, hotspots.longitude
FROM incidents JOIN hotspots ON lower(hotspots.name) = lower(incidents.location)
"""


ITEM_FACTS = """
CREATE VIEW item_facts AS
SELECT items.id, items.title, items.url, items.source, items.lang, items.published, items.fetched_at,
       items.extraction, c.score, c.band, c.relevant, c.held, c.nationalities, c.locations, c.count, c.status,
       c.classified_at, m.story_id
FROM items LEFT JOIN classifications AS c ON c.item_id = items.id LEFT JOIN story_index AS m ON m.item_id = items.id
"""


# What the stories table opens on in Datasette: the facts first, and the kind of each story, derived
# at query time from the one place the new-incident flag is stored (``story_incidents``).
STORY_OVERVIEW = """
CREATE VIEW story_overview AS
SELECT s.id, s.headline,
       CASE WHEN EXISTS (SELECT 1 FROM story_incidents AS i WHERE i.story_id = s.id AND i.is_new = 1)
            THEN 'new incident'
            WHEN EXISTS (SELECT 1 FROM story_incidents AS i WHERE i.story_id = s.id) THEN 'follow-up'
            ELSE 'report' END AS kind,
       s.nationalities, s.places, s.locations, s.count, s.status, s.first_published, s.first_seen,
       s.source_count, s.sources, s.item_count, s.relevant, s.band
FROM stories AS s
"""


def ensure_views(db: sqlite_utils.Database) -> None:
    """``item_facts``: every item with the classifier's verdict and its story (Datasette's facets);
    ``story_overview``: stories with their kind, facts first; ``incident_map``: incidents at their
    gazetteer coordinates (a map in Datasette)."""
    if "item_facts" not in db.view_names() and db["classifications"].exists() and db["story_index"].exists():
        with db.atomic():
            db.execute(ITEM_FACTS)
    if ("story_overview" not in db.view_names() and "places" in db["stories"].columns_dict
            and db["story_incidents"].exists()):
        with db.atomic():
            db.execute(STORY_OVERVIEW)
    if "incident_map" in db.view_names() or not db["incidents"].exists() or not db["hotspots"].exists():
        return
    if not {"nationality", "location"} <= set(db["incidents"].columns_dict):
        return
    with db.atomic():
        db.execute(INCIDENT_MAP)


def ensure_hotspots(db: sqlite_utils.Database) -> None:
    """(Re)load ``hotspots`` from the shipped gazetteer when it changed."""
    if not db["hotspots"].exists():
        return
    try:
        text = resources.files("scamwatch_config").joinpath(GAZETTEER).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return
    digest = hashlib.sha256(text.encode()).hexdigest()
    known = next(db.query("SELECT value FROM ops_meta WHERE key = 'gazetteer_sha256'"), None)
    if known and known["value"] == digest:
        return
    try:
        places = parse_gazetteer(json.loads(text), GAZETTEER)  # the classifier's reader: one format
    except ValueError as exc:
        log.warning("%s not loaded into hotspots: %s", GAZETTEER, exc)
        return
    with db.atomic():
        db.execute("DELETE FROM hotspots")
        db.table("hotspots").insert_all(
            ({"name": p.name, "kind": p.kind, "country": p.country, "latitude": p.lat, "longitude": p.lon}
             for p in places), pk="name", replace=True)
        db.table("ops_meta").upsert({"key": "gazetteer_sha256", "value": digest}, pk="key")
    log.debug("hotspots: %d places loaded from %s", len(places), GAZETTEER)
