"""What an alert says: the story as the alert stage sees it, its title and its key sentences.

Pure functions over :class:`StoryView`; no database, no Apprise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from classifier.queries import plural_demonyms

_SENTENCE = re.compile(r"(?<=[.!?。])\s+(?=[A-Z0-9\"“‘(])")
_CUES = re.compile(
    r"\b(held|detain\w*|trapped|captive|rescu\w*|repatriat\w*|traffick\w*|compound\w*|"
    r"forced|scam\w*|stranded|freed|release\w*)\b", re.I)

# The classifier's statuses (classifier.incident_status.STATUSES) as title words.
_STATUS_WORDS = {"held": ("held", "in"), "rescued": ("rescued", "in"), "repatriated": ("repatriated", "from"),
                 "detained_after_rescue": ("detained after rescue", "in"), "dead": ("dead", "in"),
                 "mixed": ("held or freed", "in")}


@dataclass
class StoryView:
    """One story with everything an alert needs (read through :mod:`alerts.source`)."""

    id: int
    headline: str
    best_score: float
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
    places: list[str] = field(default_factory=list)  # places of captivity (Bavet), most specific first
    first_reported: str | None = None  # when the open incident it follows up was first reported
    years: list[int] = field(default_factory=list)  # years its reports' openings name

    def state(self, band: str) -> dict[str, Any]:
        """What was alerted, to recognise a later development."""
        return {"band": band, "nationalities": sorted(self.nationalities), "status": self.status,
                "count": self.count, "locations": sorted(self.locations), "places": sorted(self.places),
                "published": self.first_published or self.first_seen, "years": sorted(self.years)}


def people(nationalities: list[str], count: int | None) -> str:
    """'20 Indonesians', 'Indonesians and Filipinos', '12 people' or 'People'."""
    names = [plural_demonyms().get(n, f"{n} nationals") for n in nationalities[:2]]
    if len(nationalities) > 2:
        names = [names[0], "others"]
    who = " and ".join(names) if names else ("people" if count else "")
    if count and who:
        return f"{count} {who}"
    return who[:1].upper() + who[1:] if who else ""


def place(locations: list[str]) -> str:
    """The most specific location first: 'Myawaddy, Myanmar'."""
    return ", ".join(locations[:2])


def alert_title(story: StoryView, kind: str) -> str:
    """A few words on what happened: 'NEW: 20 Indonesians held in Myawaddy, Myanmar'."""
    prefix = {"new": "NEW", "update": "UPDATE", "review": "POSSIBLY RELEVANT"}.get(kind, kind.upper())
    who = people(story.nationalities, story.count)
    verb, prep = _STATUS_WORDS.get(story.status or "held", (str(story.status).replace("_", " "), "in"))
    where = place(story.locations)
    if who:
        what = f"{who} {verb}" + (f" {prep} {where}" if where else "")
    elif where:
        what = f"Scam-compound report from {where}"
    else:
        what = _shorten(story.headline, 80)
    return f"{prefix}: {what}"


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
    return [_shorten(sentences[i], 400) for i in chosen]


def development(previous: dict[str, Any] | None, story: StoryView, factor: float) -> list[str]:
    """What changed since the story was alerted: new nationality, status change, larger count."""
    if not previous:
        return []
    changes = []
    added = sorted(set(story.nationalities) - set(previous.get("nationalities") or []))
    if added:
        changes.append("new nationality: " + ", ".join(added))
    if story.status and previous.get("status") and story.status != previous["status"]:
        changes.append(f"status {previous['status']} → {story.status}")
    old = previous.get("count")
    if story.count and (old is None or story.count >= old * factor) and story.count != old:
        changes.append(f"count {old if old is not None else 'unknown'} → {story.count}")
    return changes


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
