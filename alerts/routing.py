"""Which routes a story goes to, and as what: a pure function of the story and the routes.

A story fans out to **every** route it matches. Its band (decided and stored by the classify
stage, never recomputed here) picks the delivery: 'alert' → the route's normal delivery
(immediate alert or digest entry); 'review' → the route's digest under "possibly relevant",
never immediately; 'discard' → nothing. A story already alerted may produce one ``update`` per route when it developed.
"""

from __future__ import annotations

from dataclasses import dataclass

from alerts.config import RouteConfig
from alerts.content import StoryView
from alerts.kinds import material_changes


@dataclass(frozen=True)
class Decision:
    """Send ``story`` to ``route`` as ``kind`` ('new' | 'update' | 'review'), now or in the digest."""

    route: RouteConfig
    kind: str
    immediate: bool
    changes: tuple[str, ...] = ()


def matches(route: RouteConfig, story: StoryView) -> bool:
    """Whether ``story`` passes every filter of ``route`` (empty filters pass everything)."""
    if route.min_score and story.best_score < route.min_score:
        return False
    if route.new_incident and not story.new_incident:
        return False
    if route.nationalities and not _overlap(route.nationalities, story.nationalities):
        return False
    if route.locations and not _location_match(route.locations, story.locations):
        return False
    if route.statuses and not _overlap(route.statuses, [story.status] if story.status else []):
        return False
    return not (route.sources and not _overlap(route.sources, story.sources + story.source_tags))


def decide(story: StoryView, routes: list[RouteConfig], count_factor: float) -> list[Decision]:
    """Every (route, kind) this story should produce now, given what was alerted before."""
    current = story.band
    previous = story.alerted_state or {}
    was = previous.get("band")
    decisions: list[Decision] = []
    for route in routes:
        if current == "discard" or not matches(route, story):
            continue
        if current == "review":
            if was is None and route.include_review:
                decisions.append(Decision(route, "review", immediate=False))
        elif was != "alert":
            decisions.append(Decision(route, "new", immediate=route.mode == "immediate"))
        elif route.updates:
            changes = material_changes(previous, story, count_factor)
            if changes:
                decisions.append(Decision(route, "update", route.mode == "immediate", tuple(changes)))
    return decisions


def _overlap(wanted: list[str], have: list[str]) -> bool:
    have_folded = {h.casefold() for h in have}
    return any(w.casefold() in have_folded for w in wanted)


def _location_match(wanted: list[str], have: list[str]) -> bool:
    """A route location matches a story location equal to it or naming it as a part ('Myanmar')."""
    parts = {p.strip().casefold() for loc in have for p in [loc, *loc.split(",")]}
    return any(w.casefold() in parts for w in wanted)
