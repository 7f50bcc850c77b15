"""Incidents: the first report of nationals held somewhere is NEW; again after a quiet window."""

from __future__ import annotations

import sqlite_utils

from classifier.stories import queries
from classifier.stories.stage import group_pending
from crawler.app.config import Config
from tests import stories_fixtures
from tests.stories_fixtures import (
    OTHER_EVENT,
    OWN_WORDS,
    WIRE,
    boilerplate_copy,
    record,
    store,
    story_of,
)

stories_db = stories_fixtures.stories_db
config = stories_fixtures.config

KENYA = {"held": True, "nationalities": ["Kenya"], "locations": ["Myanmar"]}


def _new_keys(db: sqlite_utils.Database, item_id: int) -> list[list[str]]:
    return queries.story_detail(db, story_of(db, item_id))["new_incidents"]


def test_incident_is_new_once_then_updated_then_new_after_the_window(
        stories_db: sqlite_utils.Database, config: Config) -> None:
    (a,) = store(stories_db, record("a", "37 Kenyans held", WIRE, published="2025-05-01T10:00:00+00:00",
                                    count=37, status="held", **KENYA))
    assert group_pending(config, stories_db).new_incidents == 1
    assert _new_keys(stories_db, a) == [["Kenya", "Myanmar"]]

    (b,) = store(stories_db, record("b", "Kenyan workers freed", OWN_WORDS, published="2025-05-11T10:00:00+00:00",
                                    count=40, status="rescued", **KENYA))
    assert group_pending(config, stories_db).new_incidents == 0
    assert story_of(stories_db, b) != story_of(stories_db, a)
    assert _new_keys(stories_db, b) == []
    incident = stories_db["incidents"].get(1)
    assert incident["story_count"] == 2 and incident["latest_story_id"] == story_of(stories_db, b)
    assert incident["first_story_id"] == story_of(stories_db, a)
    assert incident["count_trend"] == ('[["2025-05-01T10:00:00+00:00", 37], ["2025-05-11T10:00:00+00:00", 40]]')
    assert '"rescued"' in incident["status_trend"]
    detail = queries.story_detail(stories_db, story_of(stories_db, b))
    assert [(i["id"], i["is_new"]) for i in detail["incidents"]] == [(1, 0)]

    # 30 quiet days later (default window), the same nationals held there again is news.
    (c,) = store(stories_db, record("c", "Kenyans held again", boilerplate_copy(WIRE),
                                    published="2025-06-25T10:00:00+00:00", count=12, **KENYA))
    assert group_pending(config, stories_db).new_incidents == 1
    assert _new_keys(stories_db, c) == [["Kenya", "Myanmar"]]
    assert stories_db["incidents"].count == 2


def test_window_is_configurable(stories_db: sqlite_utils.Database, config: Config) -> None:
    config.stories.incident_window_days = 5
    store(stories_db, record("a", "Kenyans held", WIRE, published="2025-05-01T10:00:00+00:00", **KENYA))
    store(stories_db, record("b", "Kenyans freed", OWN_WORDS, published="2025-05-11T10:00:00+00:00", **KENYA))
    assert group_pending(config, stories_db).new_incidents == 2


def test_reports_without_nationals_held_open_no_incident(stories_db: sqlite_utils.Database, config: Config) -> None:
    store(stories_db, record("a", "Kenyans warned about fake jobs", WIRE, held=False,
                             nationalities=["Kenya"], locations=["Myanmar"]),
          record("b", "Ugandans held", OTHER_EVENT, held=True, nationalities=["Uganda"], locations=[]))
    assert group_pending(config, stories_db).new_incidents == 0
    assert stories_db["incidents"].count == 0


def test_copies_of_one_story_count_once(stories_db: sqlite_utils.Database, config: Config) -> None:
    store(stories_db, record("a", "37 Kenyans held", WIRE, count=37, **KENYA),
          record("b", "37 Kenyans held in compound", boilerplate_copy(WIRE), count=37, **KENYA))
    report = group_pending(config, stories_db)
    assert report.new_stories == 1 and report.new_incidents == 1
    incident = stories_db["incidents"].get(1)
    assert incident["story_count"] == 1
    assert stories_db["story_incidents"].count == 1


def test_stories_to_alert_lists_alert_band_with_new_incidents(
        stories_db: sqlite_utils.Database, config: Config) -> None:
    store(stories_db, record("a", "37 Kenyans held", WIRE, count=37, **KENYA),
          record("b", "Ugandans held", OTHER_EVENT, relevant=False, score=0.1))
    group_pending(config, stories_db)
    due = queries.stories_to_alert(stories_db)
    assert [s["headline"] for s in due] == ["37 Kenyans held"]
    assert due[0]["new_incidents"] == [["Kenya", "Myanmar"]] and due[0]["first_seen"]
