"""What the classify stage offers the stages downstream: how to name what it extracted.

Downstream stages import this module, never the classifier's internals.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlite_utils

from classifier.countries import COUNTRIES


@cache
def plural_demonyms() -> dict[str, str]:
    """Country name → plural demonym ('Indonesia' → 'Indonesians', 'China' → 'Chinese nationals')."""
    out: dict[str, str] = {}
    for country in COUNTRIES:
        if not country.adjectives:
            continue
        adjective = country.adjectives[0]
        plural = adjective + "s"
        out[country.name] = plural if plural in country.people else f"{adjective} nationals"
    return out


def dismissed_stories(db: sqlite_utils.Database) -> set[int]:
    """Stories whose latest feedback says they are not about scam-compound trafficking."""
    if not db["feedback"].exists():
        return set()
    rows = db.execute(
        "SELECT story_id FROM feedback f WHERE id = (SELECT max(id) FROM feedback g WHERE g.story_id = f.story_id)"
        " AND verdict = 'irrelevant'").fetchall()
    return {int(r[0]) for r in rows}


def story_feedback(db: sqlite_utils.Database, story_id: int) -> list[dict[str, Any]]:
    """Every verdict given on a story, oldest first."""
    if not db["feedback"].exists():
        return []
    return list(db.query("SELECT verdict, route, received_at, via FROM feedback WHERE story_id = ? ORDER BY id",
                         [story_id]))


def record_feedback(db: sqlite_utils.Database, *, story_id: int, item_id: int | None, verdict: str, route: str,
                    received_at: str, via: str, token: str | None = None) -> bool:
    """Store one verdict (its own transaction); False when this signed link was already recorded."""
    with db.conn:
        cursor = db.execute(
            "INSERT OR IGNORE INTO feedback (story_id, item_id, verdict, route, received_at, via, token)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", [story_id, item_id, verdict, route, received_at, via, token])
    return cursor.rowcount == 1


def item_label(db: sqlite_utils.Database, item_id: int) -> dict[str, Any] | None:
    """An item's headline, outlet and date with its current label (None when there is no such item)."""
    rows = list(db.query(
        "SELECT i.id, i.title, i.source, i.url, coalesce(i.published, i.fetched_at) AS date, l.label, l.labeled_at,"
        " l.labeled_by FROM items i LEFT JOIN labels l ON l.item_id = i.id WHERE i.id = ?", [item_id]))
    return rows[0] if rows else None
