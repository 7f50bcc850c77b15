"""The alert stage's only window on other stages' tables: stories, incidents, items, sources.

Stories are read through ``classifier.stories.queries`` (``story_detail``, ``mark_alerted``);
kept thin so a change there changes only this module. Everything here reads, except
:func:`record`, which notes on the story what the alert stage saw and reported.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from alerts.content import StoryView
from classifier.stories import queries


def _columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return set(db[table].columns_dict) if db[table].exists() else set()


def stories_to_consider(db: sqlite_utils.Database, review_threshold: float) -> list[StoryView]:
    """Stories at or above the review band that are new, or changed since the alert stage last looked.

    ``queries.stories_to_alert`` covers only relevant, never-alerted stories; the alert stage also
    needs review-band stories and developments of alerted ones, hence its own selection here:
    a story is looked at again when its ``updated_at`` differs from the one recorded in
    ``alerted_state.seen``.
    """
    if "updated_at" not in _columns(db, "stories"):
        return []
    rows = db.execute(
        "SELECT id FROM stories WHERE best_score >= ? AND (alerted_state IS NULL"
        " OR coalesce(updated_at, '') IS NOT coalesce(json_extract(alerted_state, '$.seen'), ''))"
        " ORDER BY first_seen, id",
        [review_threshold],
    ).fetchall()
    return [s for s in (story_view(db, r[0]) for r in rows) if s is not None]


def story_view(db: sqlite_utils.Database, story_id: int) -> StoryView | None:
    """One story as alerts see it, from ``queries.story_detail`` plus the headline item's text."""
    detail = queries.story_detail(db, story_id)
    if detail is None:
        return None
    items = detail["items"]
    top = next((i for i in items if i["id"] == detail.get("headline_item_id")), items[0] if items else {})
    text = ""
    if top:
        row = db.execute("SELECT text, summary FROM items WHERE id = ?", [top["id"]]).fetchone()
        text = (row[0] or row[1] or "") if row else ""
    sources = list(detail.get("sources") or sorted({i["source"] for i in items if i.get("source")}))
    state = detail.get("alerted_state")
    return StoryView(
        id=detail["id"],
        headline=detail.get("headline") or top.get("title") or f"story {story_id}",
        best_score=float(detail.get("best_score") or 0.0),
        item_id=top.get("id"),
        url=top.get("url"),
        first_seen=detail.get("first_seen"),
        last_seen=detail.get("last_seen"),
        first_published=detail.get("first_published") or top.get("published"),
        item_count=int(detail.get("item_count") or len(items) or 1),
        source_count=int(detail.get("source_count") or len(sources) or 1),
        sources=sources,
        source_tags=_source_tags(db, sources),
        nationalities=list(detail.get("nationalities") or []),
        locations=list(detail.get("locations") or []),
        count=detail.get("count"),
        status=detail.get("status"),
        new_incident=bool(detail.get("new_incidents")) or any(i.get("is_new") for i in detail["incidents"]),
        text=text,
        alerted_state=state if isinstance(state, dict) else None,
        updated_at=detail.get("updated_at"),
        places=list(detail.get("places") or []),
        years=list(detail.get("years") or []),
        first_reported=min((i["first_reported"] for i in detail["incidents"] if i.get("first_reported")), default=None),
    )


def reports(db: sqlite_utils.Database, story_id: int) -> list[dict[str, Any]]:
    """A story's reports, earliest first (id, url, title, count, status, nationalities…)."""
    detail = queries.story_detail(db, story_id)
    return list(detail["items"]) if detail else []


def alerted_siblings(db: sqlite_utils.Database, story_id: int) -> list[dict[str, Any]]:
    """What was alerted for the other stories on this story's incidents (their ``alerted_state``)."""
    return [row["alerted_state"] for row in queries.incident_siblings(db, story_id)
            if row["alerted_at"] and isinstance(row["alerted_state"], dict)]


def _source_tags(db: sqlite_utils.Database, names: list[str]) -> list[str]:
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


def record(db: sqlite_utils.Database, story: StoryView, state: dict[str, Any], now: str, alerted: bool) -> None:
    """Record on the story what the alert stage saw and reported (within the caller's transaction).

    ``alerted_at`` (first alert time) is set only when the story was alerted in the alert band;
    review-band and unrouted stories only get ``alerted_state``.
    """
    state = {**state, "seen": story.updated_at}
    if alerted:
        queries.mark_alerted(db, story.id, now, state)
    else:
        db.execute("UPDATE stories SET alerted_state = ? WHERE id = ?", [json.dumps(state, sort_keys=True), story.id])


def source_health(db: sqlite_utils.Database, failing_after: int = 1) -> tuple[int, int]:
    """(healthy, total) enabled sources; failing = ``consecutive_failures >= failing_after``."""
    if not db["sources"].exists():
        return 0, 0
    total, failing = db.execute(
        "SELECT count(*), coalesce(sum(coalesce(consecutive_failures, 0) >= ?), 0)"
        " FROM sources WHERE coalesce(enabled, 1)", [failing_after]).fetchone()
    return total - failing, total


def failing_sources(db: sqlite_utils.Database, threshold: int) -> dict[str, str]:
    """Enabled sources that failed ``threshold`` cycles in a row → a short description."""
    if not db["sources"].exists():
        return {}
    rows = db.execute(
        "SELECT name, consecutive_failures, last_error_kind, last_error FROM sources"
        " WHERE coalesce(enabled, 1) AND consecutive_failures >= ?", [threshold]).fetchall()
    return {n: f"{c} failures in a row ({k or 'error'}: {(e or '')[:120]})" for n, c, k, e in rows}
