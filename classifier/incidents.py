"""Incident extraction: whose nationals, held where, how many, and what became of them.

Pure functions over a title and a text, standard library only, no model::

    >>> inc = extract_incident("Malaysia repatriates 31 citizens freed from scam compounds in Cambodia", "")
    >>> inc.nationalities, inc.locations, inc.count, inc.status
    (['Malaysia'], ['Cambodia'], 31, 'repatriated')

Nationalities are those of the people reported held, trapped, rescued or repatriated — not
every country in the text (the embassy that helped, the country that pressed for a
crackdown, the compound's host). Counts in words ("twelve", "two dozen") are read; qualified
counts give their floor ("more than 1,000" → 1000); vague ones ("hundreds") give None unless
the lead states the exact figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from .incident_counts import group_quantities, main_count
from .incident_nationality import listed_nationalities, nationality_scores, select
from .incident_numbers import parse_number_words
from .incident_places import captivity_places, location_scores
from .incident_sentences import Sentence, prepare
from .incident_status import STATUSES, STILL_HELD, detect_status, status_cues, status_from_cues

__all__ = [
    "STATUSES",
    "Incident",
    "detect_status",
    "extract_incident",
    "find_locations",
    "find_nationalities",
    "parse_count",
    "parse_number_words",
]

LEAD_SENTENCES = 3
LEAD_MIN_WORDS = 5  # shorter lines are datelines, bylines, captions …
LEAD_MIN_CHARS = 40  # … unless written without spaces (Chinese, Thai)
DUPLICATE_SHARE = 0.8
LOCATION_MINIMUM = 0.8
LOCATION_RATIO = 0.3
_QUALIFIERS = frozenset("""at least more than over about around nearly almost some approximately
up to an estimated roughly just under""".split())
MAX_EVIDENCE = 3
EVIDENCE_CHARS = 300


@dataclass(frozen=True)
class Incident:
    """What an item reports about a group of people held in or freed from scam compounds.

    ``status`` is one of :data:`STATUSES` (``unknown`` when the report does not say); ``held``
    is true only while people are reported still held (status ``held`` or ``mixed``);
    ``places`` are the gazetteer's places of captivity, ``locations`` their countries.
    """

    nationalities: list[str]
    locations: list[str]
    count: int | None
    status: str | None
    held: bool
    places: list[str]
    evidence: list[str]


def extract_incident(title: str, text: str, lang: str | None = None) -> Incident:
    """Extract the incident an item reports. ``lang`` is a hint; the rules cover all languages."""
    sentences = prepare(title, text)
    nationalities = _nationalities(sentences, lang)
    count = main_count(sentences, nationalities)
    status = _status(sentences, bool(nationalities))
    stopped = _stopped_only(sentences)
    return Incident(
        nationalities=nationalities,
        locations=[] if stopped else _locations(sentences, set(nationalities)),
        count=count,
        status=status or "unknown",
        held=status in STILL_HELD,
        places=[] if stopped else captivity_places(sentences, set(nationalities)),
        evidence=_evidence(sentences, nationalities, count),
    )


def find_nationalities(text: str, title: str = "", lang: str | None = None) -> list[str]:
    """Countries whose nationals are reported held, rescued or repatriated, by first mention."""
    return _nationalities(prepare(title, text), lang)


def find_locations(text: str, title: str = "") -> list[str]:
    """Countries where the compounds are, from country names and gazetteer places."""
    sentences = prepare(title, text)
    return _locations(sentences, set(_nationalities(sentences, None)))


def _nationalities(sentences: list[Sentence], lang: str | None) -> list[str]:
    chosen = select(nationality_scores(sentences, lang), listed=listed_nationalities(sentences))
    return _ordered(sentences, chosen)


def _locations(sentences: list[Sentence], victims: set[str]) -> list[str]:
    chosen = select(location_scores(sentences, victims), minimum=LOCATION_MINIMUM,
                    ratio=LOCATION_RATIO)
    return _ordered(sentences, chosen, places=True)


def parse_count(text: str) -> int | None:
    """Size of the group a short text (a headline, a sentence) is about, else None.

    Digits ("1,000", "2.493", "১৮"), words ("twelve", "two dozen") and qualifiers ("at least
    45" → 45, "more than 1,000" → 1000) are read. Vague amounts ("hundreds") give None. A bare
    quantity with no noun ("more than 1,000") is taken as it is.
    """
    sentences = prepare("", text)
    for s in sentences:
        for q, _ in group_quantities(s):
            if q.value is not None:
                return q.value
    if len(sentences) == 1 and len(sentences[0].quantities) == 1:
        s, q = sentences[0], sentences[0].quantities[0]
        rest = (s.text[:q.start] + " " + s.text[q.end:]).lower().split()
        if set(rest) <= _QUALIFIERS:
            return q.value
    return None


def _status(sentences: list[Sentence], has_victims: bool) -> str | None:
    """Status from the cues of headline and lead; named victims with no news of release are
    still held (unless they were stopped before leaving)."""
    title = {c for s in sentences if s.is_title for c in status_cues(s.text)}
    body = _lead(sentences)
    status = status_from_cues(title, {c for s in body for c in status_cues(s.text)})
    lead_victims = any(s.victim for s in sentences if s.is_title) or any(s.victim for s in body)
    if status is None and has_victims and lead_victims and "intercepted" not in title:
        return "held"
    return status


def _stopped_only(sentences: list[Sentence]) -> bool:
    """The headline reports people stopped before leaving, nothing else: no compound held them."""
    title = {c for s in sentences if s.is_title for c in status_cues(s.text)}
    return "intercepted" in title and not title & {"held", "rescued", "repatriated", "dead", "still"}


def _lead(sentences: list[Sentence]) -> list[Sentence]:
    """The first body sentences that say something: not a dateline, byline or caption
    fragment (too few words), nor the headline or an earlier sentence repeated."""
    title = {w.lower() for s in sentences if s.is_title for w in s.text.split()}
    lead: list[Sentence] = []
    seen: set[str] = set()
    for s in sentences:
        words = {w.lower() for w in s.text.split()}
        if s.is_title or len(words) < LEAD_MIN_WORDS and len(s.text) < LEAD_MIN_CHARS:
            continue
        if s.text in seen:  # pages often repeat the standfirst
            continue
        seen.add(s.text)
        if title and len(words & title) >= DUPLICATE_SHARE * len(words):
            continue
        lead.append(s)
        if len(lead) == LEAD_SENTENCES:
            break
    return lead


def _ordered(sentences: list[Sentence], countries: set[str], places: bool = False) -> list[str]:
    """Countries in order of first mention (title first)."""
    seen: dict[str, int] = {}
    for s in sentences:
        spans = [(m.start, m.country) for m in s.mentions]
        if places:
            spans += [(p.start, p.place.country) for p in s.places]
        for _, country in sorted(spans):
            if country in countries and country not in seen:
                seen[country] = len(seen)
    return sorted(countries, key=lambda c: seen.get(c, len(seen)))


def _evidence(sentences: list[Sentence], nationalities: list[str], count: int | None) -> list[str]:
    """The body sentences that best support the extraction, in text order."""
    scored = []
    for i, s in enumerate(sentences):
        if s.is_title:
            continue
        score = 2.0 * any(m.role == "people" and m.country in nationalities for m in s.mentions)
        score += 2.0 * any(q.value == count for q in s.quantities) if count is not None else 0.0
        score += 1.0 * s.victim + 0.5 * (s.compound or bool(s.places)) + s.weight / 4
        if score >= 2.5:
            scored.append((score, i, s.text))
    best = sorted(scored, key=lambda t: (-t[0], t[1]))[:MAX_EVIDENCE]
    out = [_clip(text) for _, _, text in sorted(best, key=lambda t: t[1])]
    if not out:
        out = [_clip(s.text) for s in sentences[:1]]
    return out


def _clip(text: str) -> str:
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1].rstrip() + "…"
