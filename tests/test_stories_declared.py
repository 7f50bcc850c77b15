"""Stories: items declaring one original URL (canonical link, og:url) are one story, whatever the wording."""

from __future__ import annotations

import pytest
import sqlite_utils

from classifier.stories.stage import group_pending
from crawler.app.config import Config
from tests import stories_fixtures
from tests.stories_fixtures import (
    OTHER_EVENT,
    OWN_WORDS,
    PARTNER_HEADLINE,
    WIRE,
    partner_excerpt,
    record,
    store,
    story_of,
)

stories_db = stories_fixtures.stories_db
config = stories_fixtures.config

KENYA = {"held": True, "nationalities": ["Kenya"], "locations": ["Myanmar"], "count": 37, "status": "held"}
HEADLINE = "37 Kenyans found held in Myanmar scam compound"
ORIGINAL = "https://wire.example.org/africa/kenyans-held"


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
def test_pages_declaring_one_original_are_one_story(stories_db: sqlite_utils.Database, config: Config,
                                                    declared: bool) -> None:
    extra = {"declared_url": ORIGINAL} if declared else {}
    config.stories.merge_events = False  # the same facts alone would join them as one event
    a, b = store(stories_db, record("a", HEADLINE, WIRE, **KENYA, **extra),
                 record("b", PARTNER_HEADLINE, partner_excerpt(WIRE), **KENYA, **extra))
    report = group_pending(config, stories_db)
    # Without the declaration the wording is too far apart: the signal alone merges them.
    assert (story_of(stories_db, a) == story_of(stories_db, b)) is declared
    assert report.new_stories == (1 if declared else 2)


def test_a_page_declaring_an_earlier_items_url_joins_its_story(stories_db: sqlite_utils.Database,
                                                               config: Config) -> None:
    (a,) = store(stories_db, record("a", HEADLINE, WIRE, canonical_url=ORIGINAL, **KENYA,
                                    published="2026-03-02T08:00:00+00:00"))
    group_pending(config, stories_db)
    (b,) = store(stories_db, record("b", PARTNER_HEADLINE, partner_excerpt(WIRE), declared_url=ORIGINAL, **KENYA,
                                    published="2026-03-02T11:00:00+00:00"))
    report = group_pending(config, stories_db)
    assert report.new_stories == 0 and story_of(stories_db, b) == story_of(stories_db, a)


def test_an_earlier_copy_declaring_a_later_items_url_is_found_too(stories_db: sqlite_utils.Database,
                                                                  config: Config) -> None:
    a, b = store(stories_db,
                 record("a", PARTNER_HEADLINE, partner_excerpt(WIRE), declared_url=ORIGINAL, **KENYA,
                        published="2026-03-02T08:00:00+00:00"),
                 record("b", HEADLINE, WIRE, canonical_url=ORIGINAL, **KENYA, published="2026-03-02T09:00:00+00:00"))
    group_pending(config, stories_db)
    assert story_of(stories_db, b) == story_of(stories_db, a)


def test_a_declared_url_of_a_story_outside_the_window_starts_a_new_story(stories_db: sqlite_utils.Database,
                                                                         config: Config) -> None:
    # No extracted facts on the old item, so nothing but the window keeps them apart.
    (a,) = store(stories_db, record("a", "Ugandans found in office tower", OTHER_EVENT, canonical_url=ORIGINAL,
                                    declared_url=ORIGINAL, published="2025-01-01T08:00:00+00:00"))
    group_pending(config, stories_db)
    (b,) = store(stories_db, record("b", HEADLINE, WIRE, declared_url=ORIGINAL, **KENYA,
                                    published="2025-03-01T08:00:00+00:00"))
    report = group_pending(config, stories_db)
    assert report.new_stories == 1 and story_of(stories_db, b) != story_of(stories_db, a)


def test_a_declared_copy_reporting_other_nationals_and_places_stays_apart(stories_db: sqlite_utils.Database,
                                                                          config: Config) -> None:
    # A template that declares one URL for every article: the facts show these are two articles.
    uganda = {"held": True, "nationalities": ["Uganda"], "locations": ["Cambodia"], "count": 52}
    a, b = store(stories_db, record("a", HEADLINE, WIRE, declared_url=ORIGINAL, **KENYA),
                 record("b", "52 Ugandans found in office tower", OTHER_EVENT, declared_url=ORIGINAL, **uganda))
    group_pending(config, stories_db)
    assert story_of(stories_db, a) != story_of(stories_db, b)


def test_an_updated_original_with_a_new_head_count_still_joins(stories_db: sqlite_utils.Database,
                                                               config: Config) -> None:
    updated = partner_excerpt(WIRE).replace("found 37 Kenyan", "found 41 Kenyan")
    a, b = store(stories_db, record("a", HEADLINE, WIRE, declared_url=ORIGINAL, **KENYA),
                 record("b", "41 Kenyans found held in Myanmar scam compound", updated, declared_url=ORIGINAL,
                        **{**KENYA, "count": 41}))
    group_pending(config, stories_db)
    assert story_of(stories_db, a) == story_of(stories_db, b)


def test_a_url_that_many_pages_of_one_site_declare_is_its_template(stories_db: sqlite_utils.Database,
                                                                   config: Config) -> None:
    section = "https://outlet.example.org/news/"
    pages = [record(key, title, text, source="outlet", declared_url=section)
             for key, title, text in (("a", HEADLINE, WIRE), ("b", "Ugandans held", OTHER_EVENT),
                                      ("c", "Kenyans freed", OWN_WORDS))]
    a, b, c = store(stories_db, *pages)
    group_pending(config, stories_db)
    assert story_of(stories_db, a) == story_of(stories_db, b)  # two pages: still taken as one article
    assert story_of(stories_db, c) != story_of(stories_db, a)  # a third one: the site's template
