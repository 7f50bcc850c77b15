"""What the gather stage offers the stages downstream: reads of ``items`` and ``sources``.

Downstream stages read gather's tables only through this module.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils


def _columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return set(db[table].columns_dict) if db[table].exists() else set()


def item_text(db: sqlite_utils.Database, item_id: int) -> str:
    """The item's extracted text, else its feed summary ('' when it has neither or is unknown)."""
    row = db.execute("SELECT text, summary FROM items WHERE id = ?", [item_id]).fetchone()
    return (row[0] or row[1] or "") if row else ""


def items_without(db: sqlite_utils.Database, table: str, after_id: int, limit: int) -> list[tuple[Any, ...]]:
    """(id, title, body, lang) of items after ``after_id`` with no row in the downstream ``table``
    (keyed by ``item_id``): the work a stage has left, in id order; body is the text, else the summary.

    When every item up to ``table``'s highest ``item_id`` has its row (counts tell, from indexes),
    only the items after it are looked at: the usual case costs an index range, not a table scan."""
    top, done = db.execute(f'SELECT coalesce(max(item_id), 0), count(*) FROM "{table}"').fetchone()
    if top > after_id:
        (total,) = db.execute("SELECT count(*) FROM items").fetchone()
        (tail,) = db.execute("SELECT count(*) FROM items WHERE id > ?", [top]).fetchone()
        if total - tail == done:
            after_id = top
    return db.execute(
        "SELECT id, title, coalesce(nullif(text, ''), summary, '') AS body, lang FROM items "
        f'WHERE id > ? AND NOT EXISTS (SELECT 1 FROM "{table}" AS d WHERE d.item_id = items.id) '
        "ORDER BY id LIMIT ?", [after_id, limit]).fetchall()


def has_item(db: sqlite_utils.Database, item_id: int) -> bool:
    return db.execute("SELECT 1 FROM items WHERE id = ?", [item_id]).fetchone() is not None


def item_bodies(db: sqlite_utils.Database, ids: list[int]) -> dict[int, tuple[str | None, str]]:
    """id → (title, body) of the given items (body: the text, else the summary)."""
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"SELECT id, title, coalesce(nullif(text, ''), summary, '') FROM items WHERE id IN ({marks})",
                      ids).fetchall() if ids else []
    return {r[0]: (r[1], r[2]) for r in rows}


def source_tags(db: sqlite_utils.Database, names: list[str]) -> list[str]:
    """The tags the named sources are configured with, merged and sorted."""
    if not names or "config" not in _columns(db, "sources"):
        return []
    marks = ",".join("?" * len(names))
    tags: set[str] = set()
    for (config,) in db.execute(f"SELECT config FROM sources WHERE name IN ({marks})", names).fetchall():
        try:
            tags.update(json.loads(config or "{}").get("tags") or [])
        except (ValueError, AttributeError):
            continue
    return sorted(tags)


def source_health(db: sqlite_utils.Database, failing_after: int = 1) -> tuple[int, int]:
    """(healthy, polled) enabled sources that were polled at least once (an import-only setup has none);
    healthy = succeeded at least once and fewer than ``failing_after`` failures in a row."""
    if not db["sources"].exists():
        return 0, 0
    total, healthy = db.execute(
        "SELECT count(*), coalesce(sum(last_success IS NOT NULL AND coalesce(consecutive_failures, 0) < ?), 0)"
        " FROM sources WHERE coalesce(enabled, 1) AND last_attempt IS NOT NULL", [failing_after]).fetchone()
    return healthy, total


def failing_sources(db: sqlite_utils.Database, threshold: int) -> dict[str, str]:
    """Enabled sources that failed ``threshold`` cycles in a row → a short description."""
    if not db["sources"].exists():
        return {}
    rows = db.execute(
        "SELECT name, consecutive_failures, last_error_kind, last_error FROM sources"
        " WHERE coalesce(enabled, 1) AND consecutive_failures >= ?", [threshold]).fetchall()
    return {n: f"{c} failures in a row ({k or 'error'}: {(e or '')[:120]})" for n, c, k, e in rows}
