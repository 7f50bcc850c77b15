"""What the gather stage offers the stages downstream: reads of ``items`` and ``sources``.

Downstream stages read gather's tables only through this module.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from crawler.base.database import done_through


def item_text(db: sqlite_utils.Database, item_id: int) -> str:
    """The item's extracted text, else its feed summary ('' when it has neither or is unknown)."""
    row = db.execute("SELECT text, summary FROM items WHERE id = ?", [item_id]).fetchone()
    return (row[0] or row[1] or "") if row else ""


def items_without(db: sqlite_utils.Database, table: str, after_id: int, limit: int) -> list[tuple[Any, ...]]:
    """(id, title, body, lang) of items after ``after_id`` with no row in the downstream ``table``
    (keyed by ``item_id``): the work a stage has left, in id order; body is the text, else the summary.

    When every item up to ``table``'s highest ``item_id`` has its row (counts tell, from indexes),
    only the items after it are looked at: the usual case costs an index range, not a table scan."""
    after_id = done_through(db, table, "items", "id", after_id)
    return db.execute(
        "SELECT id, title, coalesce(nullif(text, ''), summary, '') AS body, lang FROM items "
        f'WHERE id > ? AND NOT EXISTS (SELECT 1 FROM "{table}" AS d WHERE d.item_id = items.id) '
        "ORDER BY id LIMIT ?", [after_id, limit]).fetchall()


def _in(table: str) -> str:
    return f'EXISTS (SELECT 1 FROM "{table}" AS d WHERE d.item_id = items.id)'


def items_with_hash(db: sqlite_utils.Database, content_hash: str | None, table: str) -> set[int]:
    """Ids of the items with ``content_hash`` that have a row in the downstream ``table``."""
    if not content_hash:
        return set()
    sql = f"SELECT id FROM items WHERE content_hash = ? AND {_in(table)}"
    return {r[0] for r in db.execute(sql, [content_hash])}


def items_declaring(db: sqlite_utils.Database, column: str, url: str, table: str,
                    limit: int) -> list[tuple[int, str | None]]:
    """(id, source) of the newest ``limit`` items whose ``column`` (``declared_url`` or ``canonical_url``)
    is ``url`` and that have a row in the downstream ``table``: an index lookup."""
    if column not in ("declared_url", "canonical_url"):
        raise ValueError(f"items_declaring: {column!r} is not a URL column of items")
    sql = f"SELECT id, source FROM items WHERE {column} = ? AND {_in(table)} ORDER BY id DESC LIMIT ?"
    return [(r[0], r[1]) for r in db.execute(sql, [url, limit])]


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
    if not names:
        return []
    marks = ",".join("?" * len(names))
    tags: set[str] = set()
    for (config,) in db.execute(f"SELECT config FROM sources WHERE name IN ({marks})", names).fetchall():
        try:
            tags.update(json.loads(config or "{}").get("tags") or [])
        except (ValueError, AttributeError):
            continue
    return sorted(tags)


_HEALTH_COLUMNS = ("name", "enabled", "last_success", "last_attempt", "consecutive_failures", "last_error_kind",
                   "last_error", "next_poll_at")


def source_health(db: sqlite_utils.Database, failing_after: int = 1,
                  since: str | None = None) -> list[dict[str, Any]]:
    """One row per source, by name: its polling state, ``failing`` (``consecutive_failures >=
    failing_after``) and, with ``since`` (ISO date), ``items``: how many it fetched since then."""
    rows = [dict(zip(_HEALTH_COLUMNS, r, strict=True)) for r in db.execute(
        f"SELECT {', '.join(_HEALTH_COLUMNS)} FROM sources ORDER BY name").fetchall()]
    fetched: dict[str, int] = {}
    if since is not None:
        fetched = dict(db.execute("SELECT source, count(*) FROM items WHERE fetched_at >= ? GROUP BY source",
                                  [since]).fetchall())
    for row in rows:
        row["failing"] = (row["consecutive_failures"] or 0) >= failing_after
        if since is not None:
            row["items"] = fetched.get(row["name"], 0)
    return rows


def healthy_sources(db: sqlite_utils.Database, failing_after: int = 1) -> tuple[int, int]:
    """(healthy, polled) enabled sources that were polled at least once (an import-only setup has none);
    healthy = succeeded at least once and not failing (see :func:`source_health`)."""
    polled = [r for r in source_health(db, failing_after)
              if (r["enabled"] is None or r["enabled"]) and r["last_attempt"] is not None]
    return sum(not r["failing"] and r["last_success"] is not None for r in polled), len(polled)


def failing_sources(db: sqlite_utils.Database, threshold: int) -> dict[str, str]:
    """Enabled sources that failed ``threshold`` cycles in a row → a short description."""
    rows = db.execute(
        "SELECT name, consecutive_failures, last_error_kind, last_error FROM sources"
        " WHERE coalesce(enabled, 1) AND consecutive_failures >= ?", [threshold]).fetchall()
    return {n: f"{c} failures in a row ({k or 'error'}: {(e or '')[:120]})" for n, c, k, e in rows}
