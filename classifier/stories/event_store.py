"""SQL of event grouping: the facts buckets (``story_event_facts``) and a story's facts from them."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlite_utils

from classifier import queries as classify
from classifier.stories.facts import Facts
from classifier.stories.store import json_list


@dataclass(frozen=True)
class Member:
    """A grouped item as event grouping sees it."""

    item_id: int
    story_id: int
    facts: Facts


def item_extras(db: sqlite_utils.Database, ids: list[int]) -> dict[int, tuple[list[str] | None, str | None]]:
    """id → (places of captivity, language) of ``ids``, as the classify stage stored them (places None
    when it stored none: an item classified before it kept places, so they are found from the text)."""
    rows = classify.classified(db, ids, ("id", "places", "language"))
    return {r["id"]: (json_list(r["places"]) if r["places"] is not None else None, r["language"]) for r in rows}


def record(db: sqlite_utils.Database, item_id: int, story_id: int, facts: Facts) -> None:
    """File a grouped item in the buckets of its victims' nationalities."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO story_event_facts (key, item_id, story_id, ts, countries, places, count, status, "
        "lang, years) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(n, item_id, story_id, facts.ts, json.dumps(sorted(facts.countries)), json.dumps(sorted(facts.places)),
          facts.count, facts.status, facts.lang, json.dumps(sorted(facts.years))) for n in sorted(facts.nationalities)])


def candidates(db: sqlite_utils.Database, keys: Iterable[str], lo: float, hi: float,
               limit: int) -> dict[int, list[Member]]:
    """Stories with an item of these nationalities dated within [lo, hi] (the newest ``limit`` items
    per nationality), with those items' facts."""
    found: dict[int, dict[int, Member]] = defaultdict(dict)
    for key in sorted(set(keys)):
        rows = db.execute(
            "SELECT item_id, story_id, ts, countries, places, count, status, lang FROM story_event_facts "
            "WHERE key = ? AND ts BETWEEN ? AND ? ORDER BY ts DESC LIMIT ?", [key, lo, hi, limit]).fetchall()
        for item_id, story_id, ts, countries, places, count, status, lang in rows:
            member = found[story_id].get(item_id)
            nats = (member.facts.nationalities if member else frozenset()) | {key}
            found[story_id][item_id] = Member(item_id, story_id, Facts(
                nats, frozenset(json_list(countries)), frozenset(json_list(places)), count, status, ts, lang))
    return {story: list(members.values()) for story, members in found.items()}


def story_places(db: sqlite_utils.Database, story_id: int) -> list[str]:
    """The places of captivity a story's items name, earliest report first."""
    return _union(db, "places", story_id)


def story_years(db: sqlite_utils.Database, story_id: int) -> list[int]:
    """The years the openings of a story's items name (when the event happened, where dates are missing)."""
    return sorted(_union(db, "years", story_id))


def _union(db: sqlite_utils.Database, column: str, story_id: int) -> list[Any]:
    rows = db.execute(f"SELECT {column} FROM story_event_facts WHERE story_id = ? ORDER BY ts, item_id",
                      [story_id]).fetchall()
    out: list[Any] = []
    for (values,) in rows:
        out += [v for v in json_list(values) if v not in out]
    return out


def multilingual_vectors(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, np.ndarray]:
    """The multilingual encoder's title+lead vectors of ``ids`` (L2-normalised) that classify stored."""
    return {i: np.frombuffer(blob, dtype=np.float32) for i, blob in classify.multilingual_vectors(db, ids).items()}
