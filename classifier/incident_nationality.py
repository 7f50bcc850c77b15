"""Whose nationals an item is about: weighing the country mentions of its sentences.

A mention of nationals counts fully in a sentence about victims (rescued, trafficked,
held…), much less in one about officials or organisers; the headline weighs most. A country
that repatriates "its citizens" counts for its own nationals.
"""

from __future__ import annotations

from collections import defaultdict

from .incident_counts import group_quantities
from .incident_people import Mention, is_number_word
from .incident_sentences import Sentence
from .incident_text import cue_regex, phrases, tokens, words_before

KEEP_RATIO = 0.3  # a second nationality needs this share of the first one's evidence
LISTED_MINIMUM = 0.3

_ACTOR_VERB = cue_regex("""repatriat* rescu* bring* brought evacuat* airlift* return* fre* sav*
    says said begins begin to uses helps selamatkan menyelamatkan memulangkan pulangkan""".split())
_OWN_PEOPLE = cue_regex(phrases("""its_citizens its_nationals its_own_citizens its_own_nationals
    their_citizens their_nationals our_citizens our_nationals its_people compatriots
    warganegaranya rakyatnya warganya"""))
_GENERIC = cue_regex("citizens nationals rakyat warganegara".split())
_GOV_GENERIC = cue_regex("citizens nationals workers victims people rakyat warga pekerja korban mangsa".split())


def _victim_factor(s: Sentence) -> float:
    if s.victim:
        return 1.0
    return 0.1 if s.perpetrator else 0.35


def nationality_scores(sentences: list[Sentence], lang: str | None = None) -> dict[str, float]:
    """Evidence per country that its nationals are the group the item is about.

    Only nationalities the text names count: a report in Vietnamese about "a young man" lured
    abroad names none, so none is given (``lang`` is accepted for callers, never used to guess).
    """
    del lang
    scores: dict[str, float] = defaultdict(float)
    for s in sentences:
        factor = s.weight * _victim_factor(s)
        people = [m for m in s.mentions if m.role == "people"]
        for m in people:
            scores[m.country] += factor * (1.5 if _counted(s, m) else 1.0)
        if not people and (actor := _actor(s)):
            scores[actor] += factor
    return dict(scores)


def select(scores: dict[str, float], minimum: float = 1.0, ratio: float = KEEP_RATIO,
           listed: frozenset[str] = frozenset()) -> set[str]:
    """Countries whose evidence is at least ``ratio`` of the best one's and ``minimum``.

    Countries ``listed`` together as the make-up of a group ("Vietnamese, Filipino and
    Nepalese nationals") need only :data:`LISTED_MINIMUM`.
    """
    if not scores:
        return set()
    top = max(scores.values())
    return {c for c, v in scores.items()
            if v >= max(ratio * top, minimum) or (c in listed and v >= LISTED_MINIMUM)}


def listed_nationalities(sentences: list[Sentence]) -> frozenset[str]:
    """Countries named together, three or more in one sentence, as nationals of a group."""
    out: set[str] = set()
    for s in sentences:
        people = {m.country for m in s.mentions if m.role == "people"}
        if len(people) >= 3 and (s.victim or group_quantities(s)):
            out |= people
    return frozenset(out)


def _counted(s: Sentence, m: Mention) -> bool:
    before = words_before(tokens(s.text), m.start, 3)
    return any(is_number_word(t) for t in before)


def _actor(s: Sentence) -> str | None:
    """The country that repatriates or rescues its own: "Indonesia repatriates 84 citizens"."""
    own = _OWN_PEOPLE.search(s.text)
    if own and s.mentions:
        return s.mentions[0].country  # the subject: "Kenya's envoy to Thailand said 40 of its citizens"
    if not s.mentions or len(tokens(s.text[: s.mentions[0].start])) > 2:
        return None
    first = s.mentions[0]
    verb = _ACTOR_VERB.search(s.text, first.end, first.end + 70)
    if not verb:
        return None
    generic = _GOV_GENERIC if first.role == "institution" else _GENERIC
    return first.country if generic.search(s.text, verb.end()) else None
