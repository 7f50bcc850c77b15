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
