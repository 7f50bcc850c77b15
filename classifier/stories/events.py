"""Event grouping: does a report tell of the same event as a story of its time window?

A report joins a story when they tell of the same event: the same victims' nationality (looked up
in the facts buckets, :mod:`.event_store`, within ``event_days`` — never all pairs), compatible
places (a place is compatible with the places containing it and its country; unrelated places of one
country are too when both give the same specific head count), compatible head
counts (the same, or an updated figure: a near copy citing the earlier one) and text evidence: the
best cosine to the story's reports (a multilingual embedding when the classify stage stores one;
reports in different languages count at least ``event_other_language_cosine``) plus the names and
figures they share, plus what agreeing facts add. Different events of one nationality in one place
stay apart when their dates are far apart, their openings name other years or months, their counts
differ, or their texts are unlike. A report naming no nationality joins a near neighbour's story by text
(``event_text_threshold``), helped by a head count they share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from classifier.stories import event_store
from classifier.stories.config import StoriesConfig
from classifier.stories.event_store import Member
from classifier.stories.facts import Facts
from classifier.stories.textsim import (
    Fingerprint,
    match_probability,
    other_months,
    other_years,
    pair_features,
    shared_names,
)

DAY = 86400.0
BUCKET_LIMIT = 200  # newest reports per nationality in the window: bounds the cost of a busy key

MEMBERS = 8  # newest reports of a candidate story compared with the new one

Cosine = Callable[[int], float | None]
Prints = Callable[[int], Fingerprint | None]


@dataclass(frozen=True)
class EventMatch:
    story_id: int
    evidence: float
    reason: str


def count_relation(count: int | None, fp: Fingerprint, members: list[Member], prints: Prints,
                   is_copy: Callable[[int, Fingerprint], bool]) -> str:
    """'same', 'unknown' (a side gives none), 'chain' (a near copy of a report whose figure it cites: an
    updated figure in one report chain) or 'conflict'."""
    theirs = {m.facts.count for m in members if m.facts.count is not None}
    if count is None or not theirs:
        return "unknown"
    if count in theirs:
        return "same"
    for m in members:
        other = prints(m.item_id)
        if m.facts.count is None or other is None:
            continue
        if (m.facts.count in fp.numbers or count in other.numbers) and is_copy(m.item_id, other):
            return "chain"
    return "conflict"


def one_group_placed_apart(facts: Facts, story: Facts, counts: set[int | None], config: StoriesConfig) -> bool:
    """Whether a report putting the victims in places unrelated to the story's, in one country, still tells
    of its group: it gives a specific head count the story gives (outlets differ on the town, or name the
    state around another town). ``story``: the union of its members' facts; ``counts``: theirs."""
    return (facts.count is not None and facts.count >= config.event_specific_count
            and facts.count in counts and bool(facts.countries & story.countries))


def text_evidence(cosine: float | None, names: int, config: StoriesConfig) -> float:
    """How alike two reports are: embedding cosine plus the names and figures they share."""
    return (cosine or 0.0) + config.event_names_weight * min(1.0, names / config.event_names_full)


def evidence(text: float, relation: str, count: int | None, shares_place: bool, config: StoriesConfig) -> float:
    """Text evidence plus what agreeing facts add: the same head count (half as much for small counts,
    which unrelated events share), the same place. Differing counts take evidence off."""
    if relation == "conflict":
        return text - config.event_conflict_penalty
    bonus = 0.0
    if relation in ("same", "chain") and count is not None:
        bonus = config.event_count_bonus * (1.0 if count >= config.event_specific_count else 0.5)
    return text + bonus + (config.event_place_bonus if shares_place else 0.0)


class EventMatcher:
    """Finds the story of the same event for a report, among stories sharing its victims' nationality."""

    def __init__(self, db: sqlite_utils.Database, config: StoriesConfig) -> None:
        self.db, self.config = db, config
        self._multilingual: dict[int, np.ndarray] = {}

    def multilingual_cosine(self, item_id: int, other: int) -> float | None:
        """Cosine of two reports' multilingual vectors (None when the classify stage stores none)."""
        missing = [i for i in (item_id, other) if i not in self._multilingual]
        if missing:
            self._multilingual.update(event_store.multilingual_vectors(self.db, missing))
        a, b = self._multilingual.get(item_id), self._multilingual.get(other)
        return float(a @ b) if a is not None and b is not None and a.shape == b.shape else None

    def best_text(self, fp: Fingerprint, members: list[int], cosine: Cosine, prints: Prints,
                  other_language: set[int] | None = None, numbers: bool = False, years: bool = True,
                  multilingual: Cosine | None = None) -> float:
        """The best text evidence between a report and the newest ``MEMBERS`` of ``members`` (those in
        ``other_language`` count at least ``event_other_language_cosine``). Reports naming other years (unless
        ``years`` is false: the same head count tells more than a dateline) or months, or (``numbers``: when
        no extracted count can tell) other figures in headline or opening, give none; when they are half or
        more of those compared, the story tells of another event and the evidence is 0."""
        best, compared, against = 0.0, 0, 0
        for member in sorted(members)[-MEMBERS:]:
            other = prints(member)
            compared += 1
            if other is not None and ((years and (other_years(fp, other) or other_months(fp, other)))
                                      or (numbers and fp.disagrees(other))):
                against += 1  # this one tells of another event, however alike the wording
                continue
            names = shared_names(fp, other) if other is not None else 0
            cos = cosine(member)
            if other_language and member in other_language:
                multi = multilingual(member) if multilingual is not None else None
                cos = max(cos or 0.0, self.config.event_other_language_cosine if multi is None else multi)
            best = max(best, text_evidence(cos, names, self.config))
        return 0.0 if 2 * against >= compared else best

    def match_text(self, fp: Fingerprint, near: dict[int, int], cosine: Cosine, prints: Prints,
                   count: int | None = None, counts: Callable[[int], int | None] | None = None) -> EventMatch | None:
        """For a report without facts: the story of its near neighbours (``near``: item → story) whose text
        evidence reaches ``event_text_threshold``. A neighbour giving the report's own head count (``counts``:
        item → its count) adds what the same count adds between reports naming their victims, and other
        figures or years in the openings then no longer tell another event."""
        by_story: dict[int, list[int]] = {}
        for member, story in near.items():
            by_story.setdefault(story, []).append(member)
        best: EventMatch | None = None
        for story_id in sorted(by_story):
            members = by_story[story_id]
            same = count is not None and counts is not None and any(counts(m) == count for m in members)
            text = self.best_text(fp, members, cosine, prints, numbers=not same, years=not same)
            score = evidence(text, "same" if same else "unknown", count, False, self.config)
            if score >= self.config.event_text_threshold and (best is None or score > best.evidence):
                best = EventMatch(story_id, score, f"event by text: {text:.2f}" + (", same count" if same else ""))
        return best

    def match(self, item_id: int, facts: Facts, fp: Fingerprint, cosine: Cosine, prints: Prints) -> EventMatch | None:
        """The best story of the same event as report ``item_id`` (None: no story qualifies)."""
        cfg = self.config

        def is_copy(member: int, other: Fingerprint) -> bool:
            return match_probability(pair_features(fp, other, cosine(member))) >= cfg.match_threshold

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
            if not facts.places_compatible(union) and not one_group_placed_apart(
                    facts, union, {m.facts.count for m in members}, cfg):
                continue
            relation = count_relation(facts.count, fp, members, prints, is_copy)
            foreign = {m.item_id for m in members if facts.other_language(m.facts)}
            text = self.best_text(fp, [m.item_id for m in members], cosine, prints, foreign, years=relation != "same",
                                  multilingual=lambda other: self.multilingual_cosine(item_id, other))
            shares = facts.shares_place(union)
            score = evidence(text, relation, facts.count, shares, cfg)
            if score >= cfg.event_threshold and (best is None or score > best.evidence):
                best = EventMatch(story_id, score, f"event: {relation} count, text {text:.2f}"
                                                   + (", same place" if shares else ""))
        return best
