"""Incidents: episodes of nationals of one country held in one place (or, without a place, one country).

An incident key is (nationality, location), the location being the report's most specific
place of captivity when it names one (Bavet), else its country (Cambodia). A report of nationals
held opens a new incident when no story reported that nationality at a compatible location
within ``incident_window_days`` before it (KK Park, Myawaddy and Myanmar are compatible; Bavet
and Poipet are not); otherwise it updates the open one (latest story, count and status trends).
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from classifier.stories.facts import Facts, chain
from classifier.stories.store import PendingItem
from crawler.base.clock import from_epoch as iso

DAY = 86400.0


def incident_keys(item: PendingItem, facts: Facts | None = None) -> list[tuple[str, str]]:
    """The (nationality, location) pairs of a relevant item that says what became of the people (held,
    rescued, awaiting repatriation, repatriated, dead…: ``held`` is true only while they are still held).

    The location is each place of captivity it names in its countries, else each country."""
    if not (item.held or (item.relevant and item.status and item.status != "unknown")):
        return []
    countries = [loc for loc in item.locations if loc]
    places = sorted(p for p in (facts.places if facts else ()) if chain(p)[-1] in countries)
    wheres = places or countries
    return [(n, loc) for n in item.nationalities for loc in wheres if n and n != loc]


def compatible(a: str, b: str) -> bool:
    """Two incident locations of which one is, or contains, the other."""
    return a in chain(b) or b in chain(a)


def _open_incident(db: sqlite_utils.Database, key: tuple[str, str], ts: float, window_days: int) -> Any:
    since = iso(ts - window_days * DAY)
    rows = db.execute(
        "SELECT id, first_reported, last_reported, story_count, count_trend, status_trend, latest_story_id, "
        "location FROM incidents WHERE nationality = ? AND last_reported >= ? ORDER BY last_reported DESC, id DESC",
        [key[0], since],
    ).fetchall()
    same = [r[:7] for r in rows if r[7] == key[1]]
    return same[0] if same else next((r[:7] for r in rows if compatible(r[7], key[1])), None)


def _append(trend_json: str | None, date: str, value: Any) -> str:
    trend = json.loads(trend_json or "[]")
    if value is not None and (not trend or trend[-1][1] != value):
        trend.append([date, value])
    return json.dumps(trend)


def record(db: sqlite_utils.Database, item: PendingItem, story_id: int, window_days: int, now: str,
           facts: Facts | None = None) -> list[tuple[str, str]]:
    """Open or update the incidents ``item`` reports; return the keys it opened as new."""
    opened: list[tuple[str, str]] = []
    date = iso(item.ts)
    for key in incident_keys(item, facts):
        row = _open_incident(db, key, item.ts, window_days)
        if row is None:
            table = db.table("incidents")
            table.insert({
                "nationality": key[0], "location": key[1], "first_story_id": story_id,
                "latest_story_id": story_id, "first_reported": date, "last_reported": date,
                "story_count": 1, "count_trend": _append(None, date, item.count),
                "status_trend": _append(None, date, item.status)})
            incident_id, is_new = int(table.last_pk or 0), 1
            opened.append(key)
        else:
            incident_id, first, last, stories, counts, statuses, latest = row
            is_new = 0
            linked = db.execute("SELECT 1 FROM story_incidents WHERE story_id = ? AND incident_id = ?",
                                [story_id, incident_id]).fetchone()
            db.table("incidents").update(incident_id, {
                "latest_story_id": story_id if date >= last else latest,
                "first_reported": min(first, date), "last_reported": max(last, date),
                "story_count": stories + (0 if linked else 1),
                "count_trend": _append(counts, date, item.count),
                "status_trend": _append(statuses, date, item.status)})
        db.execute("INSERT OR IGNORE INTO story_incidents (story_id, incident_id, is_new, linked_at) "
                   "VALUES (?, ?, ?, ?)", [story_id, incident_id, is_new, now])
    return opened
