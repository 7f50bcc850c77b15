"""Alert kinds (alerts/kinds.py) and their titles (alerts.content.alert_title): pure functions over a story."""

from __future__ import annotations

from dataclasses import replace

from alerts import kinds
from alerts.content import StoryView, alert_title
from alerts.wording import KINDS

BAVET = StoryView(id=1, headline="h", best_score=0.9, nationalities=["Indonesia"], locations=["Cambodia"],
                  places=["Bavet"], count=27, status="held", first_published="2026-03-02T06:00:00+00:00")


def test_titles_say_new_only_for_a_new_incident() -> None:
    assert alert_title(BAVET, KINDS[kinds.NEW_INCIDENT], window_days=30) == (
        "New incident: 27 Indonesians held in Bavet, Cambodia — first report in 30 days")
    follow = alert_title(replace(BAVET, count=41, status="rescued", first_reported="2025-12-05T10:00:00+00:00"),
                         KINDS[kinds.FOLLOW_UP])
    assert follow == ("Follow-up on Indonesians in Cambodia (first reported 5 Dec): "
                      "41 Indonesians rescued in Bavet, Cambodia")
    update = alert_title(replace(BAVET, count=41), KINDS[kinds.UPDATE], ["27 → 41 people"])
    assert update == "Update (27 → 41 people): 41 Indonesians held in Bavet, Cambodia"
    for title in (follow, update):
        assert "new" not in title.lower()


def test_material_changes() -> None:
    alerted = BAVET.state("alert")
    assert kinds.material_changes(alerted, BAVET, 1.5) == []
    assert kinds.material_changes(alerted, replace(BAVET, count=35), 1.5) == []  # within the factor
    assert kinds.material_changes(alerted, replace(BAVET, count=41), 1.5) == ["27 → 41 people"]
    assert kinds.material_changes(alerted, replace(BAVET, status="repatriated"), 1.5) == [
        "held in a compound → repatriated, back home"]
    assert kinds.material_changes({**alerted, "status": "rescued"}, BAVET, 1.5) == []  # no step back
    assert kinds.material_changes(alerted, replace(BAVET, nationalities=["Indonesia", "Malaysia"],
                                                   places=["Bavet", "Poipet"]), 1.5) == [
        "also Malaysians", "also in Poipet"]


def test_a_first_alert_repeating_its_incident_within_days_is_silent() -> None:
    alerted = BAVET.state("alert")
    rewrite = replace(BAVET, id=2, first_published="2026-03-03T06:00:00+00:00", new_incident=False,
                      incidents=[{"id": 1, "is_new": 0}])  # on the incident an earlier story opened
    assert kinds.alert_kind("new", rewrite, [alerted]) is None
    assert kinds.alert_kind("new", replace(rewrite, count=60), [alerted]) == kinds.FOLLOW_UP
    assert kinds.alert_kind("new", replace(rewrite, first_published="2026-03-23T06:00:00+00:00"),
                            [alerted]) == kinds.FOLLOW_UP
    assert kinds.alert_kind("new", rewrite, []) == kinds.FOLLOW_UP
    assert kinds.alert_kind("new", replace(rewrite, new_incident=True), [alerted]) == kinds.NEW_INCIDENT
    assert kinds.alert_kind("update", rewrite, [alerted]) == kinds.UPDATE


def test_the_update_links_the_report_carrying_the_new_fact() -> None:
    reports = [{"id": 1, "count": 27, "status": "held"}, {"id": 2, "count": 41, "status": "held"},
               {"id": 3, "count": 41, "status": "held"}]
    assert kinds.carrier(reports, BAVET.state("alert"), replace(BAVET, count=41))["id"] == 2  # type: ignore[index]


def test_a_report_naming_another_year_is_not_a_repeat() -> None:
    alerted = {**BAVET.state("alert"), "years": [2025]}
    undated = replace(BAVET, id=2, new_incident=False)  # no dates: only the years its opening names tell
    assert kinds.alert_kind("new", replace(undated, years=[2025]), [alerted]) is None
    assert kinds.alert_kind("new", replace(undated, years=[2023]), [alerted]) == kinds.FOLLOW_UP


def test_an_update_whose_figure_another_story_of_the_incident_gave_is_silent() -> None:
    wire = {**replace(BAVET, count=41).state("alert")}  # another outlet's story, alerted with 41
    kept_apart = replace(BAVET, id=2, new_incident=False, incidents=[{"id": 1, "is_new": 0}],
                         alerted_state=BAVET.state("alert"))  # alerted at 27
    assert kinds.alert_kind("update", replace(kept_apart, count=41), [wire]) is None
    assert kinds.alert_kind("update", replace(kept_apart, count=45), [wire]) is None  # within the factor
    assert kinds.alert_kind("update", replace(kept_apart, count=90), [wire]) == kinds.UPDATE  # nobody gave it
    assert kinds.alert_kind("update", replace(kept_apart, count=41), []) == kinds.UPDATE
    later = replace(kept_apart, count=41, first_published="2026-03-23T06:00:00+00:00")
    assert kinds.alert_kind("update", later, [wire]) == kinds.UPDATE  # weeks apart: not the same telling
    # a status or a place is news even when a figure repeats
    assert kinds.alert_kind("update", replace(kept_apart, count=41, status="repatriated"), [wire]) == kinds.UPDATE
    assert kinds.alert_kind("update", replace(kept_apart, count=41, places=["Bavet", "Poipet"]),
                            [wire]) == kinds.UPDATE


def test_a_report_naming_another_time_of_year_is_not_a_repeat() -> None:
    alerted = {**BAVET.state("alert"), "months": [3]}
    undated = replace(BAVET, id=2, new_incident=False)
    assert kinds.alert_kind("new", replace(undated, months=[3]), [alerted]) is None
    assert kinds.alert_kind("new", replace(undated, months=[4]), [alerted]) is None    # the month after: same telling
    assert kinds.alert_kind("new", replace(undated, months=[10]), [alerted]) == kinds.FOLLOW_UP


def test_a_group_far_smaller_than_its_incident_has_told_is_a_follow_up() -> None:
    """A figure twenty times smaller than an alerted story's is another group, not part of theirs."""
    wave = {**replace(BAVET, count=2400, status="rescued", places=[]).state("alert")}
    smaller = replace(BAVET, id=2, new_incident=False, incidents=[{"id": 1, "is_new": 0}], status="rescued",
                      places=[])
    assert kinds.alert_kind("new", replace(smaller, count=400), [wave]) is None  # most likely part of theirs
    assert kinds.alert_kind("new", replace(smaller, count=34), [wave]) == kinds.FOLLOW_UP
