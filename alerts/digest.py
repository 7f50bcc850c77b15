"""Digests: stories waiting per route, and when a route's digest is due.

A digest is due at a time of day in the route's time zone (``digest_at``), every
``digest_every``, or as soon as ``digest_min_items`` stories wait. Sending one means
writing a ``digest`` outbox row and stamping the waiting entries with its key, in one
transaction, so a crash never loses an entry nor puts it in two digests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import sqlite_utils

from alerts.config import RouteConfig
from alerts.outbox import iso


@dataclass(frozen=True)
class Entry:
    """A story waiting in a route's digest."""

    story_id: int
    section: str          # new | update | review
    title: str
    data: dict[str, Any]  # url, score, sources… for the digest line


def add(db: sqlite_utils.Database, route: str, entry: Entry, now: datetime) -> bool:
    """Put ``entry`` in the route's next digest (caller's transaction); False if already there."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO alert_digest_items (route, story_id, section, title, data, added_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [route, entry.story_id, entry.section, entry.title, json.dumps(entry.data), iso(now)])
    return cursor.rowcount == 1


def add_growth(db: sqlite_utils.Database, route: str, entry: Entry, now: datetime) -> None:
    """Put or refresh ``entry`` (a story that grew without an alert) in the route's next digest (caller's
    transaction): one line per story, its count brought up to date, back in the next digest if it grows again;
    nothing while the story itself still waits for that digest."""
    db.execute(
        "INSERT INTO alert_digest_items (route, story_id, section, title, data, added_at) SELECT ?, ?, ?, ?, ?, ?"
        " WHERE NOT EXISTS (SELECT 1 FROM alert_digest_items WHERE route = ? AND story_id = ? AND section != ?"
        " AND digest_key IS NULL)"
        " ON CONFLICT (route, story_id, section) DO UPDATE SET title = excluded.title, data = excluded.data,"
        " added_at = excluded.added_at, digest_key = NULL WHERE data IS NOT excluded.data",
        [route, entry.story_id, entry.section, entry.title, json.dumps(entry.data), iso(now),
         route, entry.story_id, entry.section])


def waiting(db: sqlite_utils.Database, route: str) -> list[Entry]:
    rows = db.execute(
        "SELECT story_id, section, title, data FROM alert_digest_items WHERE route = ? AND digest_key IS NULL"
        " ORDER BY added_at, story_id", [route]).fetchall()
    return [Entry(s, sec, t, json.loads(d or "{}")) for s, sec, t, d in rows]


def last_sent(db: sqlite_utils.Database, route: str, now: datetime) -> datetime:
    """When the route's last digest went out; a route seen for the first time starts its clock now."""
    row = db.execute("SELECT last_at FROM alert_digests WHERE route = ?", [route]).fetchone()
    if row and row[0]:
        return datetime.fromisoformat(row[0])
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO alert_digests (route, last_at) VALUES (?, ?)", [route, iso(now)])
    return now


def scheduled_before(route: RouteConfig, now: datetime) -> datetime | None:
    """The latest ``digest_at`` moment at or before ``now`` (in UTC), if the route has any."""
    local = now.astimezone(route.zone)
    best: datetime | None = None
    for text in route.digest_times:
        hour, minute = (int(p) for p in text.split(":"))
        for days in (0, 1):
            day = local.date() - timedelta(days=days)
            moment = datetime.combine(day, time(hour, minute), tzinfo=route.zone)
            if moment <= local:
                best = max(best, moment) if best else moment
                break
    return best.astimezone(now.tzinfo) if best else None


def due_key(route: RouteConfig, last: datetime, n_waiting: int, now: datetime) -> str | None:
    """The digest period key if the route's digest is due now, else None."""
    moment = scheduled_before(route, now)
    if moment is not None and moment > last:
        return f"digest:{route.name}:{iso(moment)}"
    if route.digest_every and (now - last).total_seconds() >= route.digest_every:
        return f"digest:{route.name}:{iso(now)}"
    if route.digest_min_items and n_waiting >= route.digest_min_items:
        return f"digest:{route.name}:{iso(now)}"
    return None


def advance(db: sqlite_utils.Database, route: str, last: datetime, key: str, now: datetime) -> bool:
    """Move the route's clock from ``last`` to ``now`` unless another sender already did (caller's
    transaction): the compare-and-set that keeps two concurrent passes from sending two digests."""
    cursor = db.execute("UPDATE alert_digests SET last_at = ?, last_key = ? WHERE route = ? AND last_at = ?",
                        [iso(now), key, route, iso(last)])
    return cursor.rowcount == 1


def stamp(db: sqlite_utils.Database, route: str, key: str, entries: list[Entry]) -> None:
    """Mark ``entries`` as included in digest ``key`` (caller's transaction)."""
    for entry in entries:
        db.execute("UPDATE alert_digest_items SET digest_key = ? WHERE route = ? AND story_id = ? AND section = ?",
                   [key, route, entry.story_id, entry.section])
