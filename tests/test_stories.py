"""Stories stage: copies merge, different events stay apart, re-runs and crashes leave no half state."""

from __future__ import annotations

import pytest
import sqlite_utils

from classifier.stories import incident_log, queries
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

KENYA = {"held": True, "nationalities": ["Kenya"], "locations": ["Myanmar"], "count": 37, "status": "held"}


def test_copies_with_different_boilerplate_merge(stories_db: sqlite_utils.Database, config: Config) -> None:
    a, b = store(stories_db,
                 record("a", "37 Kenyans found held in Myanmar scam compound", WIRE, **KENYA),
                 record("b", "Kenyans held in scam compound freed in raid", boilerplate_copy(WIRE), **KENYA))
    report = group_pending(config, stories_db)
    assert report.items == 2 and report.new_stories == 1
    assert story_of(stories_db, a) == story_of(stories_db, b)
    story = queries.story_detail(stories_db, story_of(stories_db, a))
    assert story["item_count"] == 2 and story["source_count"] == 2
    assert story["sources"] == ["outlet-a", "outlet-b"]
    assert story["headline"] == "37 Kenyans found held in Myanmar scam compound"
    assert story["nationalities"] == ["Kenya"] and story["count"] == 37


def test_updated_copy_with_a_new_head_count_joins_its_story(stories_db: sqlite_utils.Database,
                                                            config: Config) -> None:
    update = boilerplate_copy(WIRE) + " By Wednesday the number freed had risen to 41."
    a, b = store(stories_db, record("a", "Kenyans found held in Myanmar scam compound", WIRE, **KENYA),
                 record("b", "Kenyans found held in Myanmar scam compound", update, **{**KENYA, "count": 41}))
    group_pending(config, stories_db)
    assert story_of(stories_db, a) == story_of(stories_db, b)


def test_a_copy_whose_head_count_the_other_never_mentions_stays_apart(stories_db: sqlite_utils.Database,
                                                                      config: Config) -> None:
    other = boilerplate_copy(WIRE).replace("37 Kenyan", "many Kenyan")
    a, b = store(stories_db, record("a", "Kenyans found held in Myanmar scam compound", WIRE, **KENYA),
                 record("b", "Kenyans found held in Myanmar scam compound", other, **{**KENYA, "count": 41}))
    group_pending(config, stories_db)
    assert story_of(stories_db, a) != story_of(stories_db, b)


def test_exact_copy_at_another_url_joins_without_similarity(stories_db: sqlite_utils.Database, config: Config) -> None:
    config.stories.candidate_cosine = 1.01  # no embedding candidates: only the content hash can match
    a, b = store(stories_db, record("a", "Kenyans held", WIRE, content_hash="h1"),
                 record("b", "Kenyans held", WIRE, content_hash="h1"))
    group_pending(config, stories_db)
    assert story_of(stories_db, a) == story_of(stories_db, b)


def test_different_events_with_similar_wording_stay_apart(stories_db: sqlite_utils.Database, config: Config) -> None:
    uganda = {"held": True, "nationalities": ["Uganda"], "locations": ["Cambodia"], "count": 52}
    a, b = store(stories_db, record("a", "37 Kenyans found held in scam compound", WIRE, **KENYA),
                 record("b", "52 Ugandans found held in scam compound", OTHER_EVENT, **uganda))
    report = group_pending(config, stories_db)
    assert report.new_stories == 2 and story_of(stories_db, a) != story_of(stories_db, b)


def test_headline_numbers_keep_templated_reports_apart_without_extracted_fields(
        stories_db: sqlite_utils.Database, config: Config) -> None:
    other = WIRE.replace("37 Kenyan", "41 Kenyan")
    a, b = store(stories_db, record("a", "37 Kenyans rescued from compound", WIRE, relevant=False),
                 record("b", "41 Kenyans rescued from compound", other, relevant=False))
    group_pending(config, stories_db)
    assert story_of(stories_db, a) != story_of(stories_db, b)


def test_later_copy_of_alerted_story_updates_it(stories_db: sqlite_utils.Database, config: Config) -> None:
    (a,) = store(stories_db, record("a", "37 Kenyans found held in Myanmar scam compound", WIRE, **KENYA))
    group_pending(config, stories_db)
    sid = story_of(stories_db, a)
    [due] = queries.stories_to_alert(stories_db)
    assert due["id"] == sid and due["band"] == "alert"
    (b,) = store(stories_db, record("b", "Kenyans held in compound", boilerplate_copy(WIRE), **KENYA))
    report = group_pending(config, stories_db)
    assert report.new_stories == 0 and report.updated_stories == 1
    assert story_of(stories_db, b) == sid
    [again] = queries.stories_to_alert(stories_db)
    assert again["id"] == sid and again["updated_at"] >= due["updated_at"]
    assert queries.story_detail(stories_db, sid)["item_count"] == 2


def test_copy_outside_the_window_starts_a_new_story(stories_db: sqlite_utils.Database, config: Config) -> None:
    a, b = store(stories_db,
                 record("a", "Kenyans held", WIRE, published="2025-01-01T08:00:00+00:00"),
                 record("b", "Kenyans held", boilerplate_copy(WIRE), published="2025-03-01T08:00:00+00:00"))
    group_pending(config, stories_db)
    assert story_of(stories_db, a) != story_of(stories_db, b)


def test_own_wording_report_of_same_event_is_linked_or_joined(stories_db: sqlite_utils.Database,
                                                              config: Config) -> None:
    a, b = store(stories_db, record("a", "37 Kenyans found held in Myanmar scam compound", WIRE, **KENYA),
                 record("b", "Kenyan workers freed from scam centre", OWN_WORDS, **{**KENYA, "count": 36}))
    config.stories.candidate_cosine = config.stories.related_cosine = 0.2  # the toy encoder is crude
    group_pending(config, stories_db)
    sa, sb = story_of(stories_db, a), story_of(stories_db, b)
    assert sa != sb  # counts disagree: not merged
    assert [r["id"] for r in queries.story_detail(stories_db, sb)["related"]] == [sa]
    # Same nationals, place, count and date, and worded alike enough: one story.
    config.stories.event_cosine = 0.2
    (c,) = store(stories_db, record("c", "Kenyan workers freed", OWN_WORDS + " Extra line.", **KENYA))
    group_pending(config, stories_db)
    assert story_of(stories_db, c) in (sa, sb)


def test_rerun_after_crash_leaves_no_half_state(stories_db: sqlite_utils.Database, config: Config,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    ids = store(stories_db, record("a", "Kenyans held", WIRE, **KENYA),
                record("b", "Kenyans held in compound", boilerplate_copy(WIRE), **KENYA),
                record("c", "Ugandans held", OTHER_EVENT, relevant=False))
    real, calls = incident_log.record, []

    def crash_on_second(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("simulated crash")
        return real(*args, **kwargs)

    monkeypatch.setattr(incident_log, "record", crash_on_second)
    with pytest.raises(RuntimeError):
        group_pending(config, stories_db)
    for table in ("stories", "story_index", "story_lsh", "incidents", "story_incidents", "story_links"):
        assert stories_db[table].count == 0, table
    assert all(story_of(stories_db, i) is None for i in ids)
    monkeypatch.setattr(incident_log, "record", real)
    first = group_pending(config, stories_db)
    assert first.items == 3 and first.new_stories == 2 and first.new_incidents == 1
    again = group_pending(config, stories_db)
    assert again.items == 0 and stories_db["stories"].count == 2 and stories_db["incidents"].count == 1


def test_small_batches_give_the_same_grouping(stories_db: sqlite_utils.Database) -> None:
    config = Config()
    config.stories.batch_size = 1
    a, b, c = store(stories_db, record("a", "Kenyans held", WIRE, **KENYA),
                    record("b", "Kenyans held in compound", boilerplate_copy(WIRE), **KENYA),
                    record("c", "Ugandans held", OTHER_EVENT, relevant=False))
    report = group_pending(config, stories_db)
    assert report.items == 3 and report.new_stories == 2
    assert story_of(stories_db, a) == story_of(stories_db, b) != story_of(stories_db, c)
    assert queries.story_detail(stories_db, story_of(stories_db, a))["new_incidents"] == [["Kenya", "Myanmar"]]


def test_should_stop_ends_the_pass_between_batches(stories_db: sqlite_utils.Database) -> None:
    config = Config()
    config.stories.batch_size = 1
    store(stories_db, record("a", "Kenyans held", WIRE), record("c", "Ugandans held", OTHER_EVENT))
    assert group_pending(config, stories_db, should_stop=lambda: True).items == 1
    assert group_pending(config, stories_db).items == 1


def test_items_not_yet_classified_wait(stories_db: sqlite_utils.Database, config: Config) -> None:
    (a,) = store(stories_db, record("a", "Kenyans held", WIRE))
    stories_db.execute("DELETE FROM classifications WHERE item_id = ?", [a])
    assert group_pending(config, stories_db).items == 0
    assert story_of(stories_db, a) is None
