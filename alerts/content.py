"""What an alert says: the story as the alert stage sees it, its title and its key sentences.

Pure functions over :class:`StoryView`; no database, no Apprise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from alerts.wording import STATUS_VERBS, Kind, shorten, status_words
from classifier.queries import place_chain, plural_demonyms
from crawler.base.clock import parse_iso

_SENTENCE = re.compile(r"(?<=[.!?。])\s+(?=[A-Z0-9\"“‘(])")
_CUES = re.compile(
    r"\b(held|detain\w*|trapped|captive|rescu\w*|repatriat\w*|traffick\w*|compound\w*|"
    r"forced|scam\w*|stranded|freed|release\w*)\b", re.I)


@dataclass
class StoryView:
    """One story with everything an alert needs (read through :mod:`alerts.source`)."""

    id: int
    headline: str
    best_score: float
    band: str = "alert"          # as the classify stage stored it for the story's best item
    item_id: int | None = None
    url: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    first_published: str | None = None
    item_count: int = 1
    source_count: int = 1
    sources: list[str] = field(default_factory=list)
    source_tags: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    count: int | None = None
    status: str | None = None
    new_incident: bool = False
    text: str = ""
    alerted_state: dict[str, Any] | None = None
    updated_at: str | None = None
    reports: list[dict[str, Any]] = field(default_factory=list)    # items: title, url, source, lang, published…
    incidents: list[dict[str, Any]] = field(default_factory=list)  # with is_new, first_reported, trends
    places: list[str] = field(default_factory=list)  # places of captivity (Bavet), most specific first
    first_reported: str | None = None  # when the open incident it follows up was first reported
    years: list[int] = field(default_factory=list)  # years its reports' openings name
    months: list[int] = field(default_factory=list)  # months its headline report's opening names

    @property
    def follows_incident(self) -> bool:
        """True when the story joined an incident that an earlier story opened."""
        return any(not i.get("is_new") for i in self.incidents)

    def state(self, band: str) -> dict[str, Any]:
        """What was alerted, to recognise a later development."""
        return {"band": band, "nationalities": sorted(self.nationalities), "status": self.status,
                "count": self.count, "locations": sorted(self.locations), "items": self.item_count,
                "places": sorted(self.places), "published": self.first_published or self.first_seen,
                "years": sorted(self.years), "months": sorted(self.months)}


def people(nationalities: list[str], count: int | None) -> str:
    """'20 Indonesians', '1 Indonesian', 'Indonesians and Filipinos', '12 people' or 'People'."""
    names = [plural_demonyms().get(n, f"{n} nationals") for n in nationalities[:2]]
    if len(nationalities) > 2:
        names = [names[0], "others"]
    if count == 1 and len(names) == 1:
        names = [names[0][:-1] if names[0].endswith("s") else names[0]]
    who = " and ".join(names) if names else (("person" if count == 1 else "people") if count else "")
    if count and who:
        return f"{count} {who}"
    return who[:1].upper() + who[1:] if who else ""


def place(locations: list[str]) -> str:
    """The most specific location first: 'Myawaddy, Myanmar'."""
    return ", ".join(locations[:2])


def what_happened(nationalities: list[str], count: int | None, status: str | None, locations: list[str]) -> str:
    """'20 Indonesians held in Myawaddy, Myanmar' ('' when neither who nor where is known)."""
    who = people(nationalities, count)
    verb, prep = STATUS_VERBS.get(status or "held", (status_words(status), "in"))
    where = place(locations)
    if who:
        return f"{who} {verb}" + (f" {prep} {where}" if where else "")
    return f"Scam-compound report from {where}" if where else ""


def alert_title(story: StoryView, kind: Kind, changes: tuple[str, ...] | list[str] = (),
                window_days: int | None = None) -> str:
    """The kind, then what happened, the place of captivity before the country:
    'New incident: 27 Indonesians held in Bavet, Cambodia — first report in 30 days' (``window_days``),
    'Follow-up on Indonesians in Cambodia (first reported 5 Dec): 41 Indonesians rescued in Bavet, Cambodia',
    'Update (27 → 41 people): 41 Indonesians held in Bavet, Cambodia'. Only a new incident says "new"."""
    where = list(dict.fromkeys([*story.places[:1], *story.locations]))[:2]
    what = what_happened(story.nationalities, story.count, story.status, where) or shorten(story.headline, 80)
    if kind.key == "new_incident":
        return f"{kind.label}: {what}" + (f" — first report in {window_days} days" if window_days else "")
    if kind.key == "follow_up":
        opened = next((i for i in story.incidents if not i.get("is_new")), {})
        group = people([opened["nationality"]] if opened.get("nationality") else story.nationalities, None)
        country = place_chain(opened["location"])[-1] if opened.get("location") else next(iter(story.locations), "")
        day = _day(story.first_reported or opened.get("first_reported"))
        return (f"Follow-up on {group or 'people'}" + (f" in {country}" if country else "")
                + (f" (first reported {day})" if day else "") + f": {what}")
    if kind.key == "update" and changes:
        return f"Update ({'; '.join(changes)}): {what}"
    return f"{kind.label}: {what}"


def _day(stamp: str | None) -> str:
    """'5 Dec' ('' when ``stamp`` is no date)."""
    when = parse_iso(stamp)
    return f"{when.day} {when:%b}" if when else ""


def key_sentences(story: StoryView, limit: int = 2) -> list[str]:
    """Up to ``limit`` sentences of the article that carry the facts (who, where, held…)."""
    sentences = [s.strip() for s in _SENTENCE.split(" ".join(story.text.split())) if s.strip()]
    terms = [t.lower() for t in (*story.nationalities, *story.locations) if t]
    terms += [plural_demonyms().get(n, n).split()[0].lower() for n in story.nationalities]

    def weight(sentence: str) -> int:
        low = sentence.lower()
        return sum(t in low for t in terms) + 2 * bool(_CUES.search(sentence)) + bool(re.search(r"\d", sentence))

    ranked = sorted(range(len(sentences)), key=lambda i: (-weight(sentences[i]), i))
    chosen = sorted(i for i in ranked[:limit] if weight(sentences[i]) > 0) or list(range(min(1, len(sentences))))
    return [shorten(sentences[i], 400) for i in chosen]


def development(previous: dict[str, Any] | None, story: StoryView, factor: float) -> list[str]:
    """What changed since the story was alerted: new nationality, status change, larger count."""
    if not previous:
        return []
    changes = []
    added = sorted(set(story.nationalities) - set(previous.get("nationalities") or []))
    if added:
        changes.append("also " + ", ".join(plural_demonyms().get(a, a) for a in added))
    if story.status and previous.get("status") and story.status != previous["status"]:
        changes.append(f"{status_words(previous['status'])} → {status_words(story.status)}")
    old = previous.get("count")
    if story.count and (old is None or story.count >= old * factor) and story.count != old:
        changes.append(f"{old if old is not None else 'no figure'} → {story.count} people")
    return changes
