"""Where the compounds are: countries named in compound context and gazetteer places.

Strong evidence: "trafficked to Myanmar", "held in Cambodia", "scam centres in Laos",
"Cambodian scam compounds", "rescued from Myanmar", a named compound or hub (KK Park,
Sihanoukville). Weak evidence (any other mention of a country in a sentence about victims)
is used only when there is no strong evidence. "Thai police", "flown home from Thailand",
"crossed into Mae Sot" are not evidence. The victims' own country counts only through a
named compound, hub or region (a POGO in Bamban for Filipinos).
"""

from __future__ import annotations

import re
from collections import defaultdict

from .gazetteer import default_gazetteer
from .incident_lexicon import COMPOUND_CUES
from .incident_people import HOST_COUNTRIES, is_number_word
from .incident_sentences import Sentence
from .incident_text import Token, is_latin, tokens, words_after, words_before

_TO = frozenset({"to", "into"})
_IN = frozenset({"in", "at", "inside", "within", "across", "throughout"})
_FOREIGN_PREPS = frozenset("di ke dari sang tại ở em en no na sa para au à aux".split())
_SKIP = frozenset("""such as like including namely notably mainly mostly especially primarily the
southeast south-east asian nations countries neighbouring neighboring other various several
and or some many few certain""".split())
_TRAFFIC_VERBS = frozenset("""trafficked lured taken sold sent smuggled recruited tricked duped
deceived transported transferred moved forced enticed travelled traveled went gone lure luring
trafficking recruiting travelling traveling""".split())
_HELD_WORDS = frozenset("""held trapped stranded detained working work worked jobs job stuck
captive confined imprisoned kept employed operating operate operated based located exploited
enslaved hostage remain remaining compound compounds centre centres center centers hub hubs camp
camps farm farms syndicate syndicates ring rings networks network operations park zone casino
casinos den dens gangs gang companies company scams scam fraud victims affected enterprises
businesses industry industries""".split())
_FREED_WORDS = frozenset("""rescued freed escaped released saved evacuated extracted repatriated
returned returning deported""".split())
_ARRIVAL = frozenset("""arrive arrived arrives arriving landed land lands return returned flew flown
fly crossed fled escaped""".split())
# People stopped on the way never reached the compounds: "bound for a Cambodian scam hub".
_NOT_REACHED = re.compile(r"\b(?:bound|destined|headed|heading|en route|on their way)\s+(?:for|to)\s+"
                          r"(?:(?:the|a|an|some)\s+)?$", re.IGNORECASE)
# "the embassy in Phnom Penh": where officials sit, not where people were held.
_OFFICE_BEFORE = re.compile(r"(?:embass\w*|consulat\w*|kedutaan|kbri|kedubes|đại sứ quán|ambassade|embaixada|"
                            r"embajada|посольств\w*|консульств\w*|大使館|大使馆|领事馆|領事館|代表處|대사관|영사관|"
                            r"สถานทูต|สถานเอกอัครราชทูต)[^.!?。]{0,25}$", re.IGNORECASE)
_PLACE_WEIGHT = {"compound": 2.0, "town": 2.0, "region": 1.2, "area": 1.2, "city": 1.0, "transit": 0.0}
_NON_HOST = 0.5


def location_scores(sentences: list[Sentence], victims: set[str]) -> dict[str, float]:
    """Evidence per country that the item's compounds are there (strong evidence if any)."""
    strong: dict[str, float] = defaultdict(float)
    weak: dict[str, float] = defaultdict(float)
    for s in sentences:
        cue = s.compound or s.victim
        toks = tokens(s.text)
        for m in s.mentions:
            if m.country in victims or m.role == "people":
                continue
            head = m.head if m.head >= 0 else m.start
            factor = s.weight * (1.0 if m.country in HOST_COUNTRIES else _NON_HOST)
            if m.role != "institution" and _strong(s, toks, head, m.end):
                strong[m.country] += factor * (1.0 if cue else 0.6)
            elif cue:
                weak[m.country] += factor * (0.3 if m.role in ("institution", "bare") else 0.6)
        for p in s.places:
            kind = p.place.kind
            if kind == "transit" or (p.place.country in victims and kind == "city"):
                continue
            target = strong if kind != "city" or _strong(s, toks, p.start, p.end) else weak
            target[p.place.country] += s.weight * _PLACE_WEIGHT[kind] * (1.0 if cue else 0.6)
    return dict(strong) if strong and max(strong.values()) >= 0.8 else dict(weak)


def captivity_places(sentences: list[Sentence], victims: set[str]) -> list[str]:
    """Gazetteer places where people were held, by first mention: compounds, towns and regions
    wherever named; a city only where people are said to be held there ("in Phnom Penh" after
    held/trapped words). Transit and handover points (Mae Sot, airports) never count, nor a city
    of the victims' own country, nor places people were stopped on the way to. A region that
    holds another place found (Svay Rieng around Bavet) gives way to it; a loosely bounded area
    (northern Myanmar) never counts."""
    found: list[str] = []
    for s in sentences:
        toks = tokens(s.text) if any(p.place.kind == "city" for p in s.places) else []
        for p in s.places:
            place = p.place
            if place.kind in ("transit", "area") or place.name in found:
                continue
            if _NOT_REACHED.search(s.text[max(0, p.start - 40):p.start]):
                continue
            if place.kind == "city" and (place.country in victims or not _strong(s, toks, p.start, p.end)
                                         or _OFFICE_BEFORE.search(s.text[max(0, p.start - 60):p.start])):
                continue
            found.append(place.name)
    gazetteer = default_gazetteer()
    inner = {outer for name in found for outer in gazetteer.chain(name)[1:]}
    return [name for name in found if not (name in inner and _kind(name) == "region")]


def _kind(name: str) -> str | None:
    place = default_gazetteer().by_name(name)
    return place.kind if place else None


def _strong(s: Sentence, toks: list[Token], start: int, end: int) -> bool:
    """Is the country (or list of countries) at ``start``–``end`` where people were held?"""
    if _NOT_REACHED.search(s.text[max(0, start - 40):start]):
        return False
    after = words_after(toks, end, 3)
    if after and COMPOUND_CUES.match(" ".join(t.text for t in after)):
        return True
    if not is_latin(s.text[start:end]):
        return s.compound
    before = _words_before(toks, start)
    while before and before[-1].lower in _SKIP:
        before.pop()
    if len(before) >= 2 and before[-1].text.islower() and before[-2].lower in _TO | _IN | {"from"}:
        before.pop()  # an adjective between: "in strife-torn Myanmar", "to northern Laos"
    if not before:
        return False
    prep, context = before[-1].lower, [t.lower for t in before[-4:-1]]
    if prep in _FOREIGN_PREPS:
        return s.compound or s.victim
    if prep in _TO:
        return bool(set(context) & _TRAFFIC_VERBS)
    if prep in _IN:
        if set(context) & _ARRIVAL:
            return False
        return bool(set(context) & _HELD_WORDS) or any(is_number_word(t) for t in before[-3:-1])
    if prep == "from":
        return bool(set(context) & _FREED_WORDS)
    return False


def _words_before(toks: list[Token], start: int) -> list[Token]:
    """Words before a country, looking past a city in front of it: "to Yangon, Myanmar"."""
    before = words_before(toks, start, 8)
    if before:
        return before
    prior = [t for t in toks if t.end <= start]
    if len(prior) >= 2 and prior[-1].text == "," and prior[-2].text[0].isupper():
        city = words_before(toks, prior[-1].start, 10)
        while city and city[-1].text[0].isupper():
            city.pop()
        return city
    return before
