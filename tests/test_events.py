"""One story and one alert per event: reports of one event in any outlet and language, updates, follow-ups."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from alerts.stage import alert_due
from classifier.stories import event_store, queries
from classifier.stories.stage import group_pending
from crawler.app.config import Config
from tests.alerts_fixtures import WebhookSink, alerts_setup
from tests.events_fixtures import DAY0, first_event, later_incident, second_group, updated_copy
from tests.stories_fixtures import store, story_of

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.fixture
def setup(tmp_path: Path, hook: WebhookSink) -> tuple[Config, sqlite_utils.Database]:
    route = f'urls = ["desk={hook.url("desk")}"]\n[[alerts.routes]]\nname = "desk"\ntag = "desk"\n'
    return alerts_setup(tmp_path, route)


def titles(hook: WebhookSink) -> list[str]:
    return [p.body["title"] for p in hook.at("desk")]


def test_wire_rewrite_and_other_language_report_are_one_story_with_one_alert(
        setup: tuple[Config, sqlite_utils.Database], hook: WebhookSink) -> None:
    config, db = setup
    ids = store(db, *first_event())
    report = group_pending(config, db)
    assert report.new_stories == 1 and len({story_of(db, i) for i in ids}) == 1
    assert alert_due(config, db, NOW).sent == 1
    [title] = titles(hook)
    assert title == "New incident: 27 Indonesians held in Bavet, Cambodia — first report in 30 days"
    assert queries.story_detail(db, story_of(db, ids[0]))["places"] == ["Bavet"]


def test_reports_arriving_after_the_alert_join_silently(setup: tuple[Config, sqlite_utils.Database],
                                                        hook: WebhookSink) -> None:
    config, db = setup
    wire, rewrite, foreign = first_event()
    store(db, wire)
    group_pending(config, db)
    alert_due(config, db, NOW)
    store(db, rewrite, foreign)
    group_pending(config, db)
    assert alert_due(config, db, NOW).sent == 0 and len(titles(hook)) == 1
    assert db["stories"].count == 1 and db["stories"].get(1)["item_count"] == 3


def test_a_raised_count_sends_one_update_linking_the_report_that_carries_it(
        setup: tuple[Config, sqlite_utils.Database], hook: WebhookSink) -> None:
    config, db = setup
    ids = store(db, *first_event())
    group_pending(config, db)
    alert_due(config, db, NOW)
    [new] = store(db, updated_copy())
    group_pending(config, db)
    assert story_of(db, new) == story_of(db, ids[0])
    assert alert_due(config, db, NOW).sent == 1
    update = hook.at("desk")[-1]
    assert update.body["title"] == "Update (27 → 41 people): 41 Indonesians held in Bavet, Cambodia"
    assert "https://updated.example.org/news" in update.body["message"]
    changed = next(line for line in update.body["message"].splitlines() if line.startswith("What changed"))
    assert "updated.example.org" in changed and "wire.example.org" not in changed  # the report carrying it
    kinds = [r["alert_kind"] for r in db.query("SELECT alert_kind FROM alerts ORDER BY id")]
    assert kinds == ["new_incident", "update"]
    group_pending(config, db)
    assert alert_due(config, db, NOW).sent == 0  # nothing changed since: no second update


def test_a_second_group_three_weeks_later_is_a_follow_up(setup: tuple[Config, sqlite_utils.Database],
                                                         hook: WebhookSink) -> None:
    config, db = setup
    ids = store(db, *first_event())
    group_pending(config, db)
    alert_due(config, db, NOW)
    [second] = store(db, second_group())
    report = group_pending(config, db)
    assert story_of(db, second) != story_of(db, ids[0]) and report.new_incidents == 0
    assert alert_due(config, db, NOW).sent == 1
    title = titles(hook)[-1]
    assert title == ("Follow-up on Indonesians in Cambodia (first reported 2 Mar): "
                     "15 Indonesians rescued in Bavet, Cambodia")
    assert "new" not in title.lower()
    assert [r["alert_kind"] for r in db.query("SELECT alert_kind FROM alerts ORDER BY id")] == [
        "new_incident", "follow_up"]


def test_an_incident_after_30_quiet_days_is_new_again(setup: tuple[Config, sqlite_utils.Database],
                                                      hook: WebhookSink) -> None:
    config, db = setup
    store(db, *first_event(), second_group())
    group_pending(config, db)
    alert_due(config, db, NOW)
    store(db, later_incident())
    assert group_pending(config, db).new_incidents == 1
    alert_due(config, db, NOW)
    assert titles(hook)[-1].startswith("New incident: 9 Indonesians rescued in Bavet, Cambodia")
    assert db["incidents"].count == 2


def test_a_place_elsewhere_in_the_country_is_another_incident() -> None:
    from classifier.stories.incident_log import compatible
    assert compatible("Bavet", "Cambodia") and compatible("Cambodia", "Bavet") and compatible("Bavet", "Bavet")
    assert not compatible("Bavet", "Poipet") and not compatible("Bavet", "Myanmar")


def test_rerunning_after_a_crash_changes_nothing(setup: tuple[Config, sqlite_utils.Database],
                                                 monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config, db = setup
    records = [*first_event(), updated_copy(), second_group()]
    store(db, *records)
    config.stories.batch_size = 2
    real, calls = event_store.record, []

    def crash_on_fourth(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("killed")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(event_store, "record", crash_on_fourth)
    with pytest.raises(RuntimeError):
        group_pending(config, db)
    monkeypatch.setattr(event_store, "record", real)
    group_pending(config, db)
    group_pending(config, db)  # and once more: nothing left to do
    (tmp_path / "clean").mkdir()
    clean_config, clean = alerts_setup(tmp_path / "clean", "")
    clean_config.stories.batch_size = 2
    store(clean, *records)
    group_pending(clean_config, clean)
    for table in ("stories", "incidents", "story_incidents", "story_event_facts"):
        assert rows(db, table) == rows(clean, table), table


def rows(db: sqlite_utils.Database, table: str) -> list[dict[str, object]]:
    """A table's rows without the times a run stamps (created, updated, fetched)."""
    stamped = ("_at", "_seen")
    return [{k: v for k, v in r.items() if not k.endswith(stamped)} for r in db.query(f"SELECT * FROM {table}")]


def test_a_multilingual_vector_carries_a_report_in_another_language(
        setup: tuple[Config, sqlite_utils.Database]) -> None:
    import numpy as np

    config, db = setup
    wire, _, foreign = first_event()
    foreign = {**foreign, "count": None}  # no head count to carry it: only the text can
    ids = store(db, wire, foreign)
    same = np.full(8, 8 ** -0.5, dtype=np.float32)  # as classify stores them for items worth grouping
    db["embeddings_multilingual"].insert_all({"item_id": i, "model": "use-multilingual-v3", "dim": 8,
                                              "vector": same.tobytes()} for i in ids)
    group_pending(config, db)
    assert story_of(db, ids[0]) == story_of(db, ids[1])


def test_without_one_a_report_in_another_language_needs_the_same_count(
        setup: tuple[Config, sqlite_utils.Database]) -> None:
    config, db = setup
    wire, _, foreign = first_event()
    ids = store(db, wire, {**foreign, "count": None})
    group_pending(config, db)
    assert story_of(db, ids[0]) != story_of(db, ids[1])


def test_a_story_keeps_the_places_its_reports_name_and_its_incident_is_on_the_map(
        setup: tuple[Config, sqlite_utils.Database]) -> None:
    config, db = setup
    ids = store(db, *[{**r, "places": ["Bavet"]} for r in first_event()])
    group_pending(config, db)
    story = db["stories"].get(story_of(db, ids[0]))
    assert json.loads(story["places"]) == ["Bavet"] and json.loads(story["locations"]) == ["Cambodia"]
    [spot] = db.query("SELECT nationality, location, latitude, longitude FROM incident_map")
    assert (spot["nationality"], spot["location"]) == ("Indonesia", "Bavet") and spot["latitude"] is not None


def test_reports_naming_other_months_stay_apart_however_alike(setup: tuple[Config, sqlite_utils.Database]) -> None:
    """An archive without dates: the months the openings name are the clock (March and October: two events)."""
    import numpy as np

    config, db = setup
    wire, _, foreign = first_event()
    march = {**wire, "text": wire["text"].replace("on Monday", "on Monday 2 March")}
    alike = np.full(8, 8 ** -0.5, dtype=np.float32)

    def grouped(other_text: str) -> bool:
        other = {**foreign, "count": None, "text": other_text, "id": f"f{len(other_text)}",
                 "canonical_url": f"https://f{len(other_text)}.example.org/news", "published": DAY0}
        ids = store(db, {**march, "id": f"w{len(other_text)}", "published": DAY0,
                         "canonical_url": f"https://w{len(other_text)}.example.org/news"}, other)
        db["embeddings_multilingual"].insert_all({"item_id": i, "model": "use-multilingual-v3", "dim": 8,
                                                  "vector": alike.tobytes()} for i in ids)
        group_pending(config, db)
        return story_of(db, ids[0]) == story_of(db, ids[1])

    assert grouped(foreign["text"].replace("pada hari Senin", "pada hari Senin 2 Maret"))
    assert not grouped(foreign["text"].replace("pada hari Senin", "pada 14 Oktober"))


def test_an_update_repeating_a_figure_its_incident_already_alerted_is_silent(
        tmp_path: Path, hook: WebhookSink) -> None:
    """Two outlets' stories of one event, kept apart (event merging off): the figure one alerted is no
    news when the other's story catches up with it."""
    from tests.events_fixtures import REWRITE, report

    route = f'urls = ["desk={hook.url("desk")}"]\n[[alerts.routes]]\nname = "desk"\ntag = "desk"\n'
    config, db = alerts_setup(tmp_path, route, "[stories]\nmerge_events = false\n")
    wire, rewrite, _ = first_event()
    store(db, wire)
    group_pending(config, db)
    assert alert_due(config, db, NOW).sent == 1                  # new incident: 27
    store(db, rewrite)
    group_pending(config, db)
    assert alert_due(config, db, NOW).sent == 0                  # another outlet's story of it: silent
    store(db, updated_copy())
    group_pending(config, db)
    assert alert_due(config, db, NOW).sent == 1                  # 41: a story of its own here, a follow-up
    caught_up = report("caught-up", rewrite["title"], REWRITE.replace("The 27 had", "The 41, up from 27, had")
                       .replace("Twenty-seven", "Forty-one"), published="2026-03-03T09:00:00+00:00",
                       count=41, status="held")
    [late] = store(db, caught_up)
    group_pending(config, db)
    assert story_of(db, late) == story_of(db, 2) != story_of(db, 1)
    assert alert_due(config, db, NOW).sent == 0                  # 27 → 41 again: the officer has it
    assert [r["alert_kind"] for r in db.query("SELECT alert_kind FROM alerts ORDER BY id")] == [
        "new_incident", "follow_up"]


UN_TITLE = "Regional study finds 45,000 people forced to work in fraud compounds"
UN_STUDY = (
    "A study published on Wednesday by a regional migration research group estimates that 45,000 people "
    "are being forced to work in fraud compounds across the region. The researchers interviewed survivors "
    "and relatives, and say most victims were lured with offers of office work and then held by armed guards. "
    "The report urges governments to treat the victims as trafficked people rather than as offenders, and "
    "calls for joint action against the companies that run the compounds.")
RETOLD_TITLE = "Researchers: tens of thousands trapped by scam gangs"
RETOLD = (
    "Tens of thousands of people, 45,000 by one estimate, are trapped by gangs that run online scams, say "
    "academics who spoke with former captives and their families. Most had answered job adverts for office "
    "work. The academics want victims spared from prosecution and the firms behind the gangs pursued by "
    "several countries together.")


def _alike(db: sqlite_utils.Database, ids: list[int]) -> None:
    """Give the reports one title+lead vector, as a good encoder would for two tellings of one study."""
    vector = db.execute("SELECT vector FROM embeddings WHERE item_id = ?", [ids[0]]).fetchone()[0]
    db.execute("UPDATE embeddings SET vector = ? WHERE item_id IN (SELECT value FROM json_each(?))",
               [vector, json.dumps(ids)])


@pytest.mark.parametrize(("retold", "together"), [
    ({"count": 45000}, True),                                  # the study's own figure: its event
    ({"count": None}, False),                                  # wording alone is not enough
    ({"count": 45000, "nationalities": ["Indonesia"]}, True),  # naming some victims' country changes nothing
])
def test_reports_naming_no_victims_join_by_the_figure_they_share(
        setup: tuple[Config, sqlite_utils.Database], retold: dict[str, object], together: bool) -> None:
    from tests.events_fixtures import report

    config, db = setup
    study = report("study", UN_TITLE, UN_STUDY, count=45000, status="held", nationalities=[])
    ids = store(db, study, report("retold", RETOLD_TITLE, RETOLD, status="held", **{"nationalities": [], **retold}))
    _alike(db, ids)
    group_pending(config, db)
    assert (story_of(db, ids[0]) == story_of(db, ids[1])) is together


def test_a_story_whose_reports_name_a_victims_country_is_not_joined_by_the_figure_alone(
        setup: tuple[Config, sqlite_utils.Database]) -> None:
    from tests.events_fixtures import report

    config, db = setup
    study = report("study", UN_TITLE, UN_STUDY, count=45000, status="held", nationalities=["Vietnam"])
    retold = report("retold", RETOLD_TITLE, RETOLD, count=45000, status="held", nationalities=["Indonesia"])
    ids = store(db, study, retold)
    _alike(db, ids)
    group_pending(config, db)
    assert story_of(db, ids[0]) != story_of(db, ids[1])


def test_a_story_tells_of_another_event_only_when_most_of_its_reports_do() -> None:
    from classifier.stories.config import StoriesConfig
    from classifier.stories.events import EventMatcher
    from classifier.stories.textsim import fingerprint

    matcher = EventMatcher(None, StoriesConfig())  # type: ignore[arg-type]
    new = fingerprint("Workers freed", "Police freed the workers in March 2024 after a raid.")
    dated = {1: "Police freed the workers in March 2019 after a raid.", 2: "Police freed the workers after a raid.",
             3: "Police freed the workers after a long raid."}
    prints = {k: fingerprint("Workers freed", v) for k, v in dated.items()}
    assert matcher.best_text(new, [1, 2, 3], lambda m: 0.9, prints.get) >= 0.9  # one of three names 2019
    prints[2] = fingerprint("Workers freed", "Police freed the workers in 2019 after a raid.")
    assert matcher.best_text(new, [1, 2, 3], lambda m: 0.9, prints.get) == 0.0  # two of three do


@pytest.mark.parametrize(("count", "together"), [(27, True), (15, False)])
def test_an_outlet_placing_the_same_group_elsewhere_in_the_country_joins_by_its_count(
        setup: tuple[Config, sqlite_utils.Database], count: int, together: bool) -> None:
    """One outlet puts the 27 in Poipet, not Bavet: the same specific figure still tells one group (no second
    'new incident' for it); another figure there is another group."""
    config, db = setup
    wire, rewrite, _ = first_event()
    elsewhere = {**rewrite, "places": ["Poipet"], "count": count,
                 "text": rewrite["text"].replace("27", str(count)).replace("Bavet", "Poipet")}
    ids = store(db, {**wire, "places": ["Bavet"]}, elsewhere)
    group_pending(config, db)
    assert (story_of(db, ids[0]) == story_of(db, ids[1])) is together
