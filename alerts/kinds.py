"""What an alert says happened: a new incident, a follow-up, an update, or nothing (a silent join).

Decided when a story is first alerted or changes (:func:`alert_kind`):

- ``new_incident``: the story opened an incident — no story in the incident window reported nationals
  of its country held at its place (or, without a place, in its country);
- ``follow_up``: a new event on an open incident (a story repeating what the incident's alerted
  stories told, within days, joins silently instead: :func:`repeats`);
- ``update``: the story's facts changed materially since it was alerted (:func:`material_changes`:
  the count by the configured factor, the status advanced held → rescued → repatriated, a
  nationality or place added); it links the report that carries the new fact (:func:`carrier`);
- none: a report that adds nothing joins its story silently (it counts in the digest's "+N reports").

:func:`alerts.content.alert_title` words each kind. Pure functions.
"""

from __future__ import annotations

from typing import Any

from alerts.content import StoryView
from alerts.wording import status_words
from classifier.queries import place_chain, plural_demonyms
from crawler.base.clock import parse_iso
from crawler.base.dates import apart

NEW_INCIDENT, FOLLOW_UP, UPDATE, REPORT = "new_incident", "follow_up", "update", "report"
SAME_EVENT_DAYS = 10.0  # reports of one event this close together (the stories stage's event_days)
# A figure this many times smaller than the largest an incident's stories gave is another group, not a part
# of theirs that one outlet counted (measured on dev.jsonl: bench/stories_eval.py).
OTHER_GROUP_RATIO = 20
KINDS = (NEW_INCIDENT, FOLLOW_UP, UPDATE)

# Where an episode stands; a later stage is news, a step back (a report repeating "held") is not.
STAGES = {"held": 0, "mixed": 0, "detained_after_rescue": 1, "rescued": 1, "awaiting_repatriation": 2,
          "repatriated": 3}

def alert_kind(routing_kind: str, story: StoryView, siblings: list[dict[str, Any]] | None = None,
               factor: float = 1.5, days: float = SAME_EVENT_DAYS) -> str | None:
    """The kind of an alert routing decided ('new': the story's first alert; 'update': it developed).

    A first alert on an open incident is a follow-up only when it tells more than the incident's
    alerted stories of the last ``days`` (``siblings``: their alerted states): else it joins silently (None).
    An update whose only news is a figure those stories gave is silent too (:func:`already_told`).
    A relevant story on no incident (no victims' nationality named) is a plain report."""
    if routing_kind == "new":
        if story.new_incident:
            return NEW_INCIDENT
        if not story.incidents and not siblings:
            return REPORT
        return None if repeats(story, siblings or [], factor, days) else FOLLOW_UP
    if routing_kind == "update":
        return None if already_told(story, siblings or [], factor, days) else UPDATE
    return None


def repeats(story: StoryView, siblings: list[dict[str, Any]], factor: float, days: float) -> bool:
    """Whether ``story`` tells nothing beyond the alerted stories of its incident dated within ``days``
    of it (:func:`_close`): no count ``factor`` times the largest they gave (nor ``OTHER_GROUP_RATIO``
    times smaller: another group), no later status, no other nationality, no place they did not name
    (where the victims are held, when only their country was known, is news). Such a story is most
    likely the same event in other words or another language, which grouping could not join; a later,
    larger or far smaller group is news."""
    close = _close(story, siblings, days)
    if not close:
        return False
    counts = [s["count"] for s in close if s.get("count")]
    if story.count and (not counts or story.count >= max(counts) * factor
                        or story.count * OTHER_GROUP_RATIO <= max(counts)):
        return False
    stages = [STAGES[s["status"]] for s in close if s.get("status") in STAGES]
    if story.status in STAGES and (not stages or STAGES[story.status] > max(stages)):
        return False
    if set(story.nationalities) - {n for s in close for n in s.get("nationalities") or []}:
        return False
    known = {p for s in close for p in s.get("places") or []}
    return all(_within(p, known) for p in story.places)


def already_told(story: StoryView, siblings: list[dict[str, Any]], factor: float, days: float) -> bool:
    """Whether the only material change of ``story`` since its alert is a head count that an alerted
    story of its incident dated within ``days`` already gave (within ``factor``): the officer heard the
    figure from another outlet's story of the event, which grouping kept apart. A figure nobody gave is
    news, however small beside another group's; so is a status, a nationality or a place (a story
    alerted silently as a repeat must not stay silent when it develops)."""
    previous = story.alerted_state or {}
    changes = material_changes(previous, story, factor)
    if len(changes) != 1 or not count_changed(previous.get("count"), story.count, factor) or not story.count:
        return False
    return any(s.get("count") and max(s["count"], story.count) < min(s["count"], story.count) * factor
               for s in _close(story, siblings, days))


def _close(story: StoryView, siblings: list[dict[str, Any]], days: float) -> list[dict[str, Any]]:
    """The siblings dated within ``days`` of ``story`` that name the same years and no months apart from its
    own, where both name some (an archive without dates has only those)."""
    return [s for s in siblings if (gap := _days_between(story.first_published or story.first_seen,
                                                         s.get("published"))) is not None and gap <= days
            and not (story.years and s.get("years") and not set(story.years) & set(s["years"]))
            and not apart(frozenset(story.months), frozenset(s.get("months") or []))]


def _days_between(a: str | None, b: str | None) -> float | None:
    first, second = parse_iso(a), parse_iso(b)
    return abs((first - second).total_seconds()) / 86400 if first and second else None


def advanced(old: str | None, new: str | None) -> bool:
    """Whether status ``new`` is a later stage than ``old`` (held → rescued → repatriated)."""
    return old in STAGES and new in STAGES and STAGES[new] > STAGES[old]


def count_changed(old: int | None, new: int | None, factor: float) -> bool:
    """A head count that grew by ``factor`` or more since the alert (a smaller figure is most often
    part of the group, not news)."""
    if not old or not new:
        return False
    return new >= old * factor


def material_changes(previous: dict[str, Any] | None, story: StoryView, factor: float) -> list[str]:
    """What changed materially since ``previous`` (the alerted state), in plain words: '27 → 41 people',
    'held in a compound → repatriated', 'also Malaysians', 'also in Poipet'."""
    if not previous:
        return []
    changes = []
    old_count = previous.get("count")
    if count_changed(old_count, story.count, factor):
        changes.append(f"{old_count} → {story.count} people")
    if advanced(previous.get("status"), story.status):
        changes.append(f"{status_words(previous['status'])} → {status_words(story.status)}")
    added = sorted(set(story.nationalities) - set(previous.get("nationalities") or []))
    if added:
        changes.append("also " + ", ".join(plural_demonyms().get(a, f"{a} nationals") for a in added))
    known = set(previous.get("places") or []) | set(previous.get("locations") or [])
    places = [p for p in dict.fromkeys([*story.places, *story.locations]) if not _within(p, known)]
    if places and "places" in previous:
        changes.append("also in " + ", ".join(places))
    return changes


def _within(place: str, known: set[str]) -> bool:
    """Whether ``place`` is no other place than ``known``: one of them, containing or inside one of
    their places (KK Park and Myawaddy), or inside a known country none of whose known places it is
    apart from (Myawaddy when only Myanmar was known; not Poipet when Bavet was)."""
    chain = place_chain(place)
    places = {k: place_chain(k) for k in known if len(place_chain(k)) > 1}
    if place in known or any(k in chain or place in c for k, c in places.items()):
        return True
    if any(c[-1] == chain[-1] for c in places.values()):
        return False
    return chain[-1] in known


def carrier(reports: list[dict[str, Any]], previous: dict[str, Any] | None,
            story: StoryView) -> dict[str, Any] | None:
    """The earliest report (``reports`` earliest first) giving a fact the alerted state lacked and the
    story now has: its count, its status, one of its nationalities; else the latest report."""
    previous = previous or {}
    nats = set(story.nationalities) - set(previous.get("nationalities") or [])
    for report in reports:
        if ((story.count is not None and story.count != previous.get("count") and report.get("count") == story.count)
                or (story.status != previous.get("status") and story.status and report.get("status") == story.status)
                or nats & set(report.get("nationalities") or [])):
            return report
    return reports[-1] if reports else None
