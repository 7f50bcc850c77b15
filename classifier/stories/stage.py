"""The stories stage: group classified items into stories and record incidents.

``group_pending`` takes classified items without a story (no ``story_index`` row), in
batches of ``stories.batch_size``; each batch is one transaction, so a crash leaves
either the whole batch grouped or none of it, and a re-run picks up where it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC

import sqlite_utils

from classifier.stories import aggregate, event_store, incident_log, store
from classifier.stories.config import StoriesContext
from classifier.stories.facts import item_facts
from classifier.stories.matcher import StoryMatcher
from classifier.stories.textsim import fingerprint
from classifier.stories.window import WindowIndex
from crawler.base.clock import Clock, or_system

log = logging.getLogger(__name__)


@dataclass
class StoriesReport:
    """What one run of the stage did."""

    items: int = 0
    new_stories: int = 0
    updated_stories: int = 0
    new_incidents: int = 0
    links: int = 0
    new_story_ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.items} items grouped: {self.new_stories} new stories, {self.updated_stories} "
                f"updated, {self.new_incidents} new incidents, {self.links} related links")


def group_in_order(config: StoriesContext, db: sqlite_utils.Database, ids: list[int],
                   clock: Clock | None = None) -> StoriesReport:
    """Group the pending items ``ids`` in this order (one transaction): a replay's arrival order."""
    report = StoriesReport()
    with db.atomic():
        items = store.load_items(db, ids)
        if items:
            group_items(config, db, items, report, clock)
    return report



def group_pending(config: StoriesContext, db: sqlite_utils.Database, *, limit: int | None = None,
                  should_stop: Callable[[], bool] | None = None, clock: Clock | None = None) -> StoriesReport:
    """Group every pending item (or at most ``limit``); idempotent and crash-safe per batch.

    ``should_stop`` is asked between batches (the daemon's SIGTERM): the rest waits for the next run."""
    report = StoriesReport()
    batch_size = config.stories.batch_size
    while limit is None or report.items < limit:
        size = batch_size if limit is None else min(batch_size, limit - report.items)
        with db.atomic():
            done = _group_batch(config, db, size, report, clock)
        if done < size or (should_stop is not None and should_stop()):
            break
    if report.items:
        log.info("stories: %s", report)
    return report


def _group_batch(config: StoriesContext, db: sqlite_utils.Database, size: int, report: StoriesReport,
                 clock: Clock | None = None) -> int:
    items = store.load_pending(db, size)
    if not items:
        return 0
    return group_items(config, db, items, report, clock)


def group_items(config: StoriesContext, db: sqlite_utils.Database, items: list[store.PendingItem],
                report: StoriesReport, clock: Clock | None = None) -> int:
    """Group ``items`` (pending, in this order) within the caller's transaction."""
    cfg = config.stories
    vectors = store.load_vectors(db, [i.id for i in items])
    dim = next((len(v) for v in vectors.values()), None) or store.embedding_dim(db)
    stamps = [i.ts for i in items]
    window = WindowIndex.load(db, min(stamps) - cfg.window, max(stamps) + cfg.window, dim)
    window.prepare(vectors)
    matcher = StoryMatcher(db, cfg, window)
    now = or_system(clock).now().astimezone(UTC).isoformat(timespec="microseconds")  # two runs in a second: two changes
    touched: set[int] = set()
    created: set[int] = set()
    extras = event_store.item_extras(db, [i.id for i in items])
    for item in items:
        fp = fingerprint(item.title, item.text)
        facts = item_facts(item, *extras.get(item.id, (None, None)), years=fp.years)
        decision = matcher.decide(item, fp, facts)
        story_id = decision.story_id
        if story_id is None:
            story_id = store.new_story(db, now)
            created.add(story_id)
            report.new_story_ids.append(story_id)
        touched.add(story_id)
        store.attach(db, item, story_id, fp.bands)
        matcher.remember(item, fp)
        window.add(item.id, story_id, item.ts)
        event_store.record(db, item.id, story_id, facts)
        for other, score in decision.related.items():
            store.link(db, story_id, other, score, "similar", now)
            report.links += 1
        aggregate.refresh(db, story_id, now)
        report.new_incidents += len(incident_log.record(db, item, story_id, cfg.incident_window_days, now,
                                                                facts))
        log.debug("item %s -> story %s (%s, %.2f)", item.id, story_id, decision.reason, decision.score)
    report.items += len(items)
    report.new_stories += len(created)
    report.updated_stories += len(touched - created)
    return len(items)
