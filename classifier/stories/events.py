"""Event grouping: does a report tell of the same event as a story of its time window?

A report joins a story when they tell of the same event: the same victims' nationality (looked up
in the facts buckets, :mod:`.event_store`, within ``event_days`` — never all pairs), compatible
places (a place is compatible with the places containing it and its country), compatible head
counts (the same, or one figure superseding the other: a report that still cites the other's
figure) and text evidence: the best cosine to the story's reports (a multilingual embedding when
the classify stage stores one, so a report in another language counts too), plus what agreeing
facts add. Different events of one nationality in one place stay apart when their dates are far
apart, their counts differ without reference to each other, or their texts are unlike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from classifier.stories import event_store
from classifier.stories.config import StoriesConfig
from classifier.stories.event_store import Member
from classifier.stories.facts import Facts
from classifier.stories.textsim import Fingerprint

DAY = 86400.0
BUCKET_LIMIT = 200  # newest reports per nationality in the window: bounds the cost of a busy key

Cosine = Callable[[int], float | None]
Numbers = Callable[[int], frozenset[int]]


@dataclass(frozen=True)
class EventMatch:
    story_id: int
    evidence: float
    reason: str


def count_relation(count: int | None, numbers: frozenset[int], members: list[Member],
                   member_numbers: Numbers) -> str:
    """'same', 'unknown' (a side gives none), 'chain' (one report cites the other's figure: an updated
    figure in one report chain) or 'conflict'."""
    theirs = {m.facts.count for m in members if m.facts.count is not None}
    if count is None or not theirs:
        return "unknown"
    if count in theirs:
        return "same"
    if numbers & theirs or any(count in member_numbers(m.item_id) for m in members if m.facts.count is not None):
        return "chain"
    return "conflict"


def evidence(cosine: float | None, relation: str, count: int | None, shares_place: bool,
             config: StoriesConfig) -> float:
    """Text evidence (best cosine) plus what agreeing facts add: the same head count (half as much for
    small counts, which unrelated events share), the same place. Differing counts take evidence off."""
    cos = cosine if cosine is not None else 0.0
    if relation == "conflict":
        return cos - config.event_conflict_penalty
    bonus = 0.0
    if relation == "same" and count is not None:
        bonus = config.event_count_bonus * (1.0 if count >= config.event_specific_count else 0.5)
    return cos + bonus + (config.event_place_bonus if shares_place else 0.0)


class EventMatcher:
    """Finds the story of the same event for a report, among stories sharing its victims' nationality."""

    def __init__(self, db: sqlite_utils.Database, config: StoriesConfig) -> None:
        self.db, self.config = db, config

    def match(self, item_id: int, facts: Facts, fp: Fingerprint, cosine: Cosine,
              member_numbers: Numbers) -> EventMatch | None:
        """The best story of the same event as report ``item_id`` (None: no story qualifies)."""
        cfg = self.config
        if not facts.nationalities or not cfg.merge_events:
            return None
        span = cfg.event_days * DAY
        found = event_store.candidates(self.db, facts.nationalities, facts.ts - span, facts.ts + span, BUCKET_LIMIT)
        best: EventMatch | None = None
        for story_id in sorted(found):
            members = [m for m in found[story_id] if m.item_id != item_id]
            if not members:
                continue
            union = Facts(frozenset().union(*(m.facts.nationalities for m in members)),
                          frozenset().union(*(m.facts.countries for m in members)),
                          frozenset().union(*(m.facts.places for m in members)), None, None, facts.ts)
            if not facts.places_compatible(union):
                continue
            relation = count_relation(facts.count, fp.numbers if facts.count is not None else frozenset(),
                                      members, member_numbers)
            cosines = [c for c in (cosine(m.item_id) for m in members) if c is not None]
            best_cos = max(cosines) if cosines else None
            shares = facts.shares_place(union)
            score = evidence(best_cos, relation, facts.count, shares, cfg)
            if score >= cfg.event_threshold and (best is None or score > best.evidence):
                best = EventMatch(story_id, score, f"event: {relation} count, cosine {best_cos or 0:.2f}"
                                                   + (", same place" if shares else ""))
        return best
