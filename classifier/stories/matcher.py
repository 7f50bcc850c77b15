"""StoryMatcher: which existing story (if any) a new item belongs to, and which are related.

Candidates come only from indexes. Exact copies: the same content hash, or the same declared
original (``items.declared_url``, within the time window: both declare one URL, or one declares
the other's); a declared copy is vetoed only by other nationals or other places (an updated
original changes its head count and headline, not whom and where it is about; a page template
that declares one wrong URL for every article does not). Near copies: shared MinHash LSH
buckets and the nearest embeddings within the time window; each such pair gets a match
probability (:mod:`classifier.stories.textsim`); a story's score is the mean over its
best half of its members, so one loose resemblance cannot chain unrelated reports. Failing a copy,
the story of the same event (:mod:`classifier.stories.events`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import sqlite_utils

from classifier.stories import store
from classifier.stories.config import StoriesConfig
from classifier.stories.events import EventMatch, EventMatcher
from classifier.stories.facts import Facts
from classifier.stories.textsim import Fingerprint, fingerprint, match_probability, pair_features
from classifier.stories.window import WindowIndex

LINKAGE = 5
NEIGHBOURS = 50
RELATED_FACTS_SLACK = 0.15  # how much less alike a related report may be when its facts agree


@dataclass
class Decision:
    """Where an item goes: ``story_id`` None means a new story; ``related`` maps story → score."""

    story_id: int | None
    score: float
    reason: str
    related: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Known:
    """A grouped item as the matcher sees it: fingerprint and extracted who/where."""

    fp: Fingerprint
    nationalities: frozenset[str]
    locations: frozenset[str]
    count: int | None

    def contradicts(self, item: store.PendingItem, fp: Fingerprint) -> bool:
        """The facts disagree, so these are not copies of one article however alike the wording:
        different nationals, places or head counts, or headlines with different numbers."""
        return self.reports_others(item) or self._counts_differ(item.count, fp) or fp.disagrees(self.fp)

    def reports_others(self, item: store.PendingItem) -> bool:
        """Other nationals or other places: another event, whatever the wording or declared URL says."""
        nats, locs = set(item.nationalities), set(item.locations)
        return bool((nats and self.nationalities and not nats & self.nationalities)
                    or (locs and self.locations and not locs & self.locations))

    def _counts_differ(self, count: int | None, fp: Fingerprint) -> bool:
        """Different head counts that neither text mentions: an updated copy keeps the earlier figure
        somewhere, another event's report does not."""
        if count is None or self.count is None or count == self.count:
            return False
        return count not in self.fp.numbers and self.count not in fp.numbers


class StoryMatcher:
    """Matches items against the stories of one time window."""

    def __init__(self, db: sqlite_utils.Database, config: StoriesConfig, window: WindowIndex) -> None:
        self.db, self.config, self.window = db, config, window
        self._prints: dict[int, Known] = {}
        self.events = EventMatcher(db, config)

    def remember(self, item: store.PendingItem, fp: Fingerprint) -> None:
        self._prints[item.id] = Known(fp, frozenset(item.nationalities), frozenset(item.locations), item.count)

    def _fingerprints(self, ids: set[int]) -> dict[int, Known]:
        missing = [i for i in ids if i not in self._prints]
        for item_id, (title, text, nats, locs, count) in store.texts(self.db, missing).items():
            self._prints[item_id] = Known(fingerprint(title, text), frozenset(nats), frozenset(locs), count)
        return {i: self._prints[i] for i in ids if i in self._prints}

    def _candidates(self, item: store.PendingItem, fp: Fingerprint) -> tuple[set[int], dict[int, float | None]]:
        limit = self.config.window
        exact = store.same_hash(self.db, item.content_hash)
        cosines = self.window.nearest(item.id, self.config.candidate_cosine, NEIGHBOURS)
        near = store.lsh_candidates(self.db, fp.bands) | set(cosines)
        in_window = {c for c in near if c in self.window.ts_of and abs(self.window.ts_of[c] - item.ts) <= limit}
        return exact, {c: cosines[c] if c in cosines else self.window.cosine(item.id, c) for c in in_window}

    def decide(self, item: store.PendingItem, fp: Fingerprint, facts: Facts | None = None) -> Decision:
        """Choose the story for ``item`` (exact or declared copy, near copy, same event, or new)."""
        exact, near = self._candidates(item, fp)
        if exact:
            story = self._story_of(min(exact))
            if story is not None:
                return Decision(story, 1.0, "exact")
        declared = self._declared_story(item)
        if declared is not None:
            return Decision(declared, 1.0, "declared")
        prints = self._fingerprints(set(near))
        probs: dict[int, list[float]] = defaultdict(list)
        best_cos: dict[int, float] = defaultdict(float)
        for cand, cos in near.items():
            if cand not in prints:
                continue
            story = self.window.story_of[cand]
            known = prints[cand]
            p = 0.0 if known.contradicts(item, fp) else match_probability(pair_features(fp, known.fp, cos))
            probs[story].append(p)
            best_cos[story] = max(best_cos[story], cos if cos is not None else 0.0)
        scores = {s: self._linkage(s, ps) for s, ps in probs.items()}
        chosen, score, reason = None, 0.0, "new"
        if scores:
            top = max(scores, key=lambda s: scores[s])
            if scores[top] >= self.config.match_threshold:
                chosen, score, reason = top, scores[top], "copy"
        if chosen is None and facts is not None:
            event = self._event(item, fp, facts, near)
            if event is not None:
                chosen, score, reason = event.story_id, event.evidence, event.reason
        related = {s: max(max(probs[s]), best_cos[s]) for s in probs
                   if s != chosen and self._related(item, s, max(probs[s]), best_cos[s])}
        return Decision(chosen, score, reason, related)

    def _declared_story(self, item: store.PendingItem) -> int | None:
        """The story of the first-stored item in the window that declares the same original as ``item``,
        is the original ``item`` declares, or declares ``item`` as its original; None if there is
        none, or each reports other nationals or places."""
        limit = self.config.window
        copies = store.same_declared(self.db, item, item.ts - limit, item.ts + limit, NEIGHBOURS)
        prints = self._fingerprints(set(copies))
        for copy, story in copies.items():
            if copy not in prints or not prints[copy].reports_others(item):
                return story
        return None

    def _related(self, item: store.PendingItem, story: int, prob: float, cosine: float) -> bool:
        """Another report of the same event: alike enough, or somewhat alike and about the same nationals
        in the same place."""
        cfg = self.config
        if prob >= cfg.related_threshold or cosine >= cfg.related_cosine:
            return True
        if cosine < cfg.related_cosine - RELATED_FACTS_SLACK or not (item.nationalities and item.locations):
            return False
        facts = store.story_facts(self.db, story)
        return bool(facts and set(facts["nationalities"]) & set(item.nationalities)
                    and set(facts["locations"]) & set(item.locations))

    def _linkage(self, story: int, probs: list[float]) -> float:
        """Mean of the best probabilities over half the story's members (at most ``LINKAGE``)."""
        k = max(1, math.ceil(min(LINKAGE, self.window.members[story]) / 2))
        return sum(sorted(probs, reverse=True)[:k]) / k

    def _story_of(self, item_id: int) -> int | None:
        if item_id in self.window.story_of:
            return self.window.story_of[item_id]
        return store.story_of(self.db, item_id)

    def _event(self, item: store.PendingItem, fp: Fingerprint, facts: Facts,
               near: dict[int, float | None]) -> EventMatch | None:
        """The story of the same event: by facts when the report names its victims' nationality; else, or when
        no story of that nationality qualifies, by text among its near neighbours naming none (helped by a
        head count they share)."""
        def cosine(other: int) -> float | None:
            return self.window.cosine(item.id, other)

        found = self.events.match(item.id, facts, fp, cosine, self._print) if facts.nationalities else None
        if found is not None or not self.config.merge_events:
            return found
        prints = self._fingerprints(set(near))
        neighbours = {c: self.window.story_of[c] for c in near if c in self.window.story_of
                      and not (facts.nationalities and c in prints and prints[c].nationalities)}
        return self.events.match_text(fp, neighbours, cosine, self._print, item.count, self._count)

    def _count(self, item_id: int) -> int | None:
        known = self._fingerprints({item_id}).get(item_id)
        return known.count if known is not None else None

    def _print(self, item_id: int) -> Fingerprint | None:
        known = self._fingerprints({item_id}).get(item_id)
        return known.fp if known is not None else None
