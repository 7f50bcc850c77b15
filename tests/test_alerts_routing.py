"""Routing, bands, updates, titles and templates: pure functions, no delivery."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.config import AlertsConfig, RouteConfig
from alerts.content import StoryView, alert_title, key_sentences
from alerts.kinds import material_changes as development
from alerts.routing import decide, matches
from alerts.templates import Link, TemplateSet
from alerts.wording import KINDS, alert_kind
from crawler.base.confschema import ConfigError, build


def story(**kw: object) -> StoryView:
    base: dict[str, object] = {"id": 7, "headline": "Workers trapped", "best_score": 0.9,
                               "nationalities": ["Indonesia"], "locations": ["Myawaddy", "Myanmar"],
                               "count": 20, "status": "held", "sources": ["outlet-a"]}
    base.update(kw)
    return StoryView(**base)  # type: ignore[arg-type]


def route(**kw: object) -> RouteConfig:
    return build(RouteConfig, {"name": "r", **kw})


def test_title_says_kind_who_where_how_many() -> None:
    assert alert_title(story(), KINDS["new_incident"]) == "New incident: 20 Indonesians held in Myawaddy, Myanmar"
    chinese = story(nationalities=["China"], count=None)
    assert alert_title(chinese, KINDS["report"]) == "Report: Chinese nationals held in Myawaddy, Myanmar"
    assert alert_title(story(nationalities=[], count=None, locations=[]), KINDS["update"]) == "Update: Workers trapped"
    back = story(status="repatriated", count=None, locations=["Cambodia"], nationalities=["Philippines", "Kenya"])
    assert alert_title(back, KINDS["update"], ("held in a compound → repatriated, back home",)) == (
        "Update (held in a compound → repatriated, back home): Filipinos and Kenyans repatriated from Cambodia")
    follow = story(incidents=[{"nationality": "Indonesia", "location": "Myanmar", "is_new": 0,
                               "first_reported": "2026-12-01T08:00:00+00:00"}])
    assert alert_title(follow, KINDS["follow_up"]) == (
        "Follow-up on Indonesians in Myanmar (first reported 1 Dec): 20 Indonesians held in Myawaddy, Myanmar")


@pytest.mark.parametrize(("kind", "new_incident", "follows", "expected"), [
    ("new", True, False, "new_incident"), ("new", False, True, "follow_up"), ("new", False, False, "report"),
    ("update", True, False, "update"), ("review", False, False, "review"),
    ("follow_up", False, False, "follow_up"), ("new_incident", False, False, "new_incident")])
def test_kinds_map_todays_outbox_kinds(kind: str, new_incident: bool, follows: bool, expected: str) -> None:
    got = alert_kind(kind, new_incident, follows)
    assert got.key == expected
    assert ("new" in got.label.lower()) is (expected == "new_incident")


@pytest.mark.parametrize(
    ("rule", "expected"),
    [({}, True), ({"nationalities": ["indonesia"]}, True), ({"nationalities": ["Philippines"]}, False),
     ({"locations": ["Myanmar"]}, True), ({"locations": ["Cambodia"]}, False),
     ({"statuses": ["rescued"]}, False), ({"statuses": ["held"]}, True), ({"sources": ["outlet-b"]}, False),
     ({"sources": ["outlet-a"]}, True), ({"new_incident": True}, False), ({"min_score": 0.95}, False)],
)
def test_route_filters(rule: dict[str, object], expected: bool) -> None:
    assert matches(route(**rule), story()) is expected


def test_fan_out_and_bands() -> None:
    routes = [route(name="team"), route(name="indo", nationalities=["Indonesia"]),
              route(name="ph", nationalities=["Philippines"]), route(name="daily", mode="digest")]
    got = {(d.route.name, d.kind, d.immediate) for d in decide(story(), routes, 1.5)}
    assert got == {("team", "new", True), ("indo", "new", True), ("daily", "new", False)}
    review = decide(story(best_score=0.4, band="review"), routes, 1.5)
    assert {(d.kind, d.immediate) for d in review} == {("review", False)}
    assert decide(story(best_score=0.1, band="discard"), routes, 1.5) == []
    # The stored band decides, never the score against thresholds.
    assert decide(story(best_score=0.1, band="review"), routes, 1.5) != []


def test_updates_only_on_development() -> None:
    alerted = story().state("alert")
    routes = [route(name="team")]
    assert decide(story(alerted_state=alerted, item_count=5), routes, 1.5) == []
    assert decide(story(alerted_state=alerted, count=25), routes, 1.5) == []
    [d] = decide(story(alerted_state=alerted, count=45), routes, 1.5)
    assert d.kind == "update" and "20 → 45 people" in d.changes
    assert development(alerted, story(status="rescued"), 1.5) == ["held in a compound → rescued"]
    assert development(alerted, story(status="awaiting_repatriation"), 1.5) == [
        "held in a compound → rescued, awaiting repatriation"]
    assert development(alerted, story(nationalities=["Indonesia", "Philippines"]), 1.5) == ["also Filipinos"]


def test_key_sentences_prefer_facts() -> None:
    text = ("The minister spoke on Monday. Twenty Indonesians were held in a compound in Myawaddy. "
            "Weather was mild. Families asked for their rescue.")
    assert key_sentences(story(text=text))[0].startswith("Twenty Indonesians were held")


def test_templates_escape_html_and_link() -> None:
    msg = TemplateSet().render("email", "story", {"title": "T", "headline_link": Link("<b>x</b>", "https://e.org/?a=1&b=2"),
                                                   "sentences": ["a < b"]})
    assert msg.body_format == "html"
    assert "&lt;b&gt;x&lt;/b&gt;" in msg.body and 'href="https://e.org/?a=1&amp;b=2"' in msg.body
    assert "a &lt; b</li>" in TemplateSet().render("email", "story", {"reports": ["a < b"]}).body
    chat = TemplateSet().render("chat", "story", {"title": "T", "story_link": Link("x", "https://e.org")})
    assert chat.body_format == "markdown" and "[x](https://e.org)" in chat.body and chat.title == "T"


def test_shipped_template_sets_are_complete() -> None:
    for name in ("chat", "email", "text"):
        TemplateSet().check(name)


def test_operator_templates_override_shipped(tmp_path: Path) -> None:
    (tmp_path / "chat.story.md").write_text("Mine: $title\n\nonly $headline\n", "utf-8")
    msg = TemplateSet(tmp_path).render("chat", "story", {"title": "T", "headline": "H"})
    assert msg.title == "Mine: T" and msg.body == "only H\n"
    with pytest.raises(ConfigError, match="no template nosuch.story"):
        TemplateSet(tmp_path).render("nosuch", "story", {})


@pytest.mark.parametrize(
    ("data", "key", "problem"),
    [({"routes": [{"name": "a"}, {"name": "a"}]}, "routes[1].name", "duplicate"),
     ({"routes": [{"name": "a", "digest_at": ["25:00"]}]}, "routes[0].digest_at[0]", "HH:MM"),
     ({"routes": [{"name": "a", "timezone": "Mars/Base"}]}, "routes[0].timezone", "unknown time zone"),
     ({"routes": [{"name": "a", "mode": "sometimes"}]}, "routes[0].mode", "must be one of"),
     ({"routes": [{"name": "a", "rate_limit": 0}]}, "routes[0].rate_limit", "at least 1")],
)
def test_route_config_errors(data: dict[str, object], key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as err:
        build(AlertsConfig, data, "alerts")
    assert err.value.key == f"alerts.{key}" and problem in err.value.problem
