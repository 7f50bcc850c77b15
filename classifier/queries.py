"""What the classify stage offers the stages downstream: how to name what it extracted, and reads of
classified items (the ``classified_items`` view: items joined with their classification).

Downstream stages import this module, never the classifier's internals.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import sqlite_utils

from classifier.countries import COUNTRIES
from crawler.base.database import done_through

_BY_DATE = "ORDER BY coalesce(published, fetched_at), id"


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


def _select(columns: Sequence[str]) -> str:
    return "SELECT " + ", ".join(f'"{c}"' for c in columns) + " FROM classified_items"


def _dicts(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def classified_without(db: sqlite_utils.Database, table: str, columns: Sequence[str],
                       limit: int) -> list[dict[str, Any]]:
    """``columns`` of classified items with no row in the downstream ``table`` (keyed by ``item_id``),
    oldest first (publication time, else fetch time, then id), at most ``limit``.

    Only items after the progress mark (:func:`crawler.base.database.done_through`) are looked at:
    an index range in the usual case, not every classified item."""
    after = done_through(db, table, "classifications", "item_id")
    sql = (f'{_select(columns)} WHERE id > ? AND NOT EXISTS (SELECT 1 FROM "{table}" AS d '
           f"WHERE d.item_id = classified_items.id) {_BY_DATE} LIMIT ?")
    return _dicts(db.execute(sql, [after, limit]))


def classified(db: sqlite_utils.Database, ids: Iterable[int], columns: Sequence[str]) -> list[dict[str, Any]]:
    """``columns`` of the classified items among ``ids``, oldest first (as :func:`classified_without`)."""
    ids = list(ids)
    if not ids:
        return []
    sql = f"{_select(columns)} WHERE id IN (SELECT value FROM json_each(?)) {_BY_DATE}"
    return _dicts(db.execute(sql, [json.dumps(ids)]))


def embeddings(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, tuple[int, bytes]]:
    """item id → (dimension, float32 vector bytes) of the stored embeddings among ``ids``."""
    ids = list(ids)
    if not ids:
        return {}
    sql = "SELECT item_id, dim, vector FROM embeddings WHERE item_id IN (SELECT value FROM json_each(?))"
    return {i: (dim, blob) for i, dim, blob in db.execute(sql, [json.dumps(ids)]) if blob is not None}


def embedding_dim(db: sqlite_utils.Database) -> int | None:
    """The dimension of the latest stored embedding (None before any)."""
    row = db.execute("SELECT dim FROM embeddings ORDER BY rowid DESC LIMIT 1").fetchone()
    return int(row[0]) if row and row[0] else None


def multilingual_vectors(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, bytes]:
    """item id → float32 bytes of the multilingual title+lead vector, for the items among ``ids`` that
    have one (classify stores it for every item in the alert or review band)."""
    ids = list(ids)
    if not ids:
        return {}
    sql = "SELECT item_id, vector FROM embeddings_multilingual WHERE item_id IN (SELECT value FROM json_each(?))"
    return {int(i): blob for i, blob in db.execute(sql, [json.dumps(ids)])}


# --- Places (for the stories stage's event grouping) -------------------------------------------

def places_in(text: str) -> list[str]:
    """Canonical names of the gazetteer's compounds, towns and regions named in ``text``: places of
    captivity (cities are left out, where embassies and ministries are named, and transit points)."""
    from classifier.gazetteer import default_gazetteer
    found = (m.place for m in default_gazetteer().find(text or ""))
    return list(dict.fromkeys(p.name for p in found if p.kind in ("compound", "town", "region")))


def place_chain(name: str) -> tuple[str, ...]:
    """A place and what contains it, most specific first: ('KK Park', 'Myawaddy', 'Myanmar');
    a name the gazetteer does not know stands alone (a country is its own chain)."""
    from classifier.gazetteer import default_gazetteer
    gazetteer = default_gazetteer()
    chain: list[str] = []
    place = gazetteer.by_name(name)
    while place is not None and place.name not in chain:
        chain.append(place.name)
        parent = getattr(place, "parent", None)
        if not parent:
            break
        place = gazetteer.by_name(parent)
        if place is None:
            chain.append(parent)
    if not chain:
        return (name,)
    last = gazetteer.by_name(chain[-1])
    country = last.country if last is not None else None
    return (*chain, country) if country and country not in chain else tuple(chain)
