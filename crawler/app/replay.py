"""Replay: an archive's items as if they arrived one after another, and what each would have alerted.

``scamwatch import FILE --report OUT`` orders the file's items by ``published`` (an item without
one keeps its place after the item before it), imports and classifies them, then for each item in
turn runs the stories stage on it alone and asks the alert stage's routing what it would send
now on a route that takes everything (:func:`alerts.routing.decide` and :mod:`alerts.kinds`, the
decisions the alert stage makes). The alert stage's own tables are not written: nothing is sent,
and the configured routes alert these stories as usual on the next run. Deterministic.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from alerts import kinds, source
from alerts.config import RouteConfig
from alerts.routing import decide
from classifier.stories import queries, store
from classifier.stories.stage import group_in_order
from crawler.app.config import Config
from crawler.base.clock import Clock
from crawler.gather.importer import RecordError, to_item

EVERYTHING = RouteConfig(name="replay", tag="replay")


def arrival_order(lines: Iterable[bytes | str]) -> list[bytes | str]:
    """The non-empty lines ordered by ``published``; a line without a readable date follows the one before it."""
    keyed: list[tuple[str, int, bytes | str]] = []
    last = ""
    for n, line in enumerate(line for line in lines if line.strip()):
        try:
            record = json.loads(line)
            stamp = to_item(record, "").published if isinstance(record, dict) else None
        except (ValueError, RecordError, KeyError, TypeError):
            stamp = None
        if stamp:
            last = _utc(stamp)
        keyed.append((last, n, line))
    return [line for _, _, line in sorted(keyed)]


def _utc(stamp: str) -> str:
    when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def item_ids(db: sqlite_utils.Database, lines: Iterable[bytes | str]) -> list[tuple[str, int | None]]:
    """(record id, stored item id) of each good line, in order (the item stored under its canonical URL)."""
    out: list[tuple[str, int | None]] = []
    for line in lines:
        try:
            record = json.loads(line)
            canonical = to_item(record, "").canonical_url
        except (ValueError, RecordError, KeyError, TypeError):
            continue
        row = db.execute("SELECT id FROM items WHERE canonical_url = ?", [canonical]).fetchone()
        out.append((str(record["id"]), row[0] if row else None))
    return out


def replay(config: Config, db: sqlite_utils.Database, ids: list[tuple[str, int | None]],
           clock: Clock | None = None) -> list[dict[str, Any]]:
    """One report line per item: its story, its story's incident and the alert kind sent at that moment."""
    alerted: dict[int, dict[str, Any]] = {}  # story → state as last alerted (the alert stage's alerted_state)
    factor = config.alerts.update_count_factor
    lines = []
    for record_id, item_id in ids:
        line: dict[str, Any] = {"id": record_id, "story": None, "incident": None, "alert": None}
        lines.append(line)
        if item_id is None:
            continue
        already = store.story_of(db, item_id) is not None
        group_in_order(config, db, [item_id], clock)
        story_id = store.story_of(db, item_id)
        if story_id is None:
            continue
        line["story"] = story_id
        detail = queries.story_detail(db, story_id)
        incidents = detail["incidents"] if detail else []
        line["incident"] = incidents[0]["id"] if incidents else None
        view = source.story_view(db, story_id)
        if view is None or already:
            continue
        view = dataclasses.replace(view, alerted_state=alerted.get(story_id))
        decisions = decide(view, [EVERYTHING], factor)
        siblings = [alerted[s["id"]] for s in queries.incident_siblings(db, story_id) if s["id"] in alerted]
        line["alert"] = next((k for k in (kinds.alert_kind(d.kind, view, siblings, factor, config.stories.event_days)
                                          for d in decisions if d.immediate) if k), None)
        if line["alert"] is not None or decisions:
            alerted[story_id] = view.state(view.band)
    return lines
