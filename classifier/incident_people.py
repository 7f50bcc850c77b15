"""Country mentions and the role each plays: victims' nationality, institution, or place.

A mention is ``people`` when it denotes a group of nationals: a people form ("Kenyans",
"WNI"), a demonym or name with a people noun ("Filipino workers", "Hong Kong nationals",
"warga negara Indonesia", "citizens of Kenya"), or a same-for-plural demonym after a number
("26 Vietnamese"). "Thai police", "Chinese-run", "run by Chinese nationals" are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .countries import country_forms
from .incident_lexicon import (
    INSTITUTION_NOUNS,
    PEOPLE_NOUNS,
    PRE_NOUNS,
    STRONG_NOUNS,
    VICTIM_VERBS,
)
from .incident_numbers import parse_number_words
from .incident_text import FormMatcher, Token, is_latin, tokens, words_after, words_before

# Countries where compounds are; "from Myanmar" after a people noun is where they were held.
HOST_COUNTRIES = frozenset({"Myanmar", "Cambodia", "Laos", "Philippines", "Thailand",
                            "United Arab Emirates", "Vietnam", "Malaysia", "Indonesia"})
_KIND_ORDER = {"people": 0, "adj": 1, "name": 2}
_MATCHER: FormMatcher[tuple[str, str]] = FormMatcher(
    (form, (country, kind))
    for form, country, kind in sorted(country_forms(), key=lambda f: _KIND_ORDER[f[2]])
)
_SUFFIX_INSTITUTION = re.compile(
    r"^-(?:run|owned|led|linked|backed|operated|controlled|speaking|language|born|based|funded|"
    r"affiliated|made|style)\b", re.IGNORECASE)
_CHAIN_GAP = re.compile(r"^\s*(?:,|and|or|&|as well as|dan|và|e|y|et)?\s*(?:,\s*)?"
                        r"(?:and\s+|or\s+)?(?:the\s+)?$", re.IGNORECASE)
_CONNECTORS = frozenset({"of", "from", "de", "des", "dari", "asal", "each"})
_BY = frozenset({"by", "oleh", "por", "par"})
_FROM_COUNTRIES = re.compile(r"\b(?:nationals|citizens|people|workers|victims|foreigners)\s+from\s+"
                             r"(?:\w+\s+){0,2}(?:countries|nations|nationalities)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """A country mention in one sentence.

    ``kind`` is the surface form (name, adj or people); ``role`` what it denotes here:
    ``people`` (nationals), ``institution`` ("Thai police"), ``name`` (the country) or ``bare``
    (a demonym with no noun).
    """

    country: str
    kind: str
    role: str
    start: int
    end: int
    head: int = -1  # start of the first mention of the list this one belongs to


def is_number_word(tok: Token) -> bool:
    """True for digits, number words and vague amounts ("hundreds")."""
    low = tok.lower
    return low[0].isdigit() or parse_number_words(low) is not None or low in {
        "hundreds", "thousands", "dozens", "scores", "ratusan", "ribuan", "puluhan", "centenas",
        "cientos", "milhares", "miles", "centaines", "milliers"}


def find_mentions(sentence: str) -> list[Mention]:
    """Country mentions in a (normalised) sentence, each with its role."""
    toks = tokens(sentence)
    found = [
        Mention(m.value[0], m.value[1], _role(sentence, toks, m.value[1], m.start, m.end),
                m.start, m.end)
        for m in _MATCHER.finditer(sentence)
    ]
    return _propagate_chains(sentence, toks, found)


def _role(sentence: str, toks: list[Token], kind: str, start: int, end: int) -> str:
    if _SUFFIX_INSTITUTION.match(sentence[end:end + 14]):
        return "institution"
    before = words_before(toks, start, 3)
    after = words_after(toks, end, 4)
    if before and before[-1].lower in _BY or (len(before) > 1 and before[-2].lower in _BY
                                               and before[-1].lower in ("the", "a")):
        return "institution"
    if not is_latin(sentence[start:end]) and kind != "name":
        return "people"
    if after and after[0].lower in INSTITUTION_NOUNS:
        return "institution"
    if kind == "people":
        return "people"
    if _pre_noun(before, kind) or (kind == "name" and _listed_origin(sentence, before, start)):
        return "people"
    nouns = STRONG_NOUNS if kind == "name" else PEOPLE_NOUNS
    for i, tok in enumerate(after[: 1 if kind == "name" else 3]):
        if tok.lower in INSTITUTION_NOUNS:
            return "institution"
        if tok.lower == "national" and i + 1 < len(after) and after[i + 1].text[0].isupper():
            return "institution"  # "Philippine National Police"
        if tok.lower in nouns:
            return "people"
    if kind == "adj":
        if len(before) > 1 and before[-2].lower == "of" and before[-1].lower in ("them", "whom"):
            return "people"  # "most of them Chinese"
        if before and (is_number_word(before[-1]) or (
                len(before) > 1 and before[-1].lower == "of" and is_number_word(before[-2]))):
            return "people"
        if after and after[0].lower in VICTIM_VERBS:
            return "people"
        return "bare"
    return "name"


def _listed_origin(sentence: str, before: list[Token], start: int) -> bool:
    """A country in a list of origins: "workers of several nationalities, including Kenya, Ghana and Peru"."""
    return bool(before) and before[-1].lower in ("including", "like", "notably") and bool(
        _FROM_COUNTRIES.search(sentence[:start]))


def _pre_noun(before: list[Token], kind: str) -> bool:
    """"warga negara Indonesia", "citizens of Kenya", "five from Nepal" (a name, not an
    adjective: "citizens from Cambodian compounds")."""
    if not before:
        return False
    last = before[-1].lower
    if last in _CONNECTORS:
        if kind != "name" or last == "each":
            return False
        if len(before) < 2:
            return False
        prev = before[-2]
        return prev.lower in PEOPLE_NOUNS or prev.lower == "each" or is_number_word(prev)
    return last in PRE_NOUNS


def _propagate_chains(sentence: str, toks: list[Token], found: list[Mention]) -> list[Mention]:
    """Lists share a role: "Vietnamese, Filipino and Nepalese nationals", "from Malaysia and Russia"."""
    chains: list[list[int]] = []
    for i, mention in enumerate(found):
        if chains and _CHAIN_GAP.match(sentence[found[chains[-1][-1]].end:mention.start]):
            chains[-1].append(i)
        else:
            chains.append([i])
    out = [replace(m, head=found[chain[0]].start) for chain in chains for m in
           (found[i] for i in chain)]
    for chain in chains:
        members = [found[i] for i in chain]
        named = any(m.role == "people" and m.kind == "name" for m in members)
        demonym = any(m.role == "people" and m.kind != "name" for m in members)
        for i in chain:
            if (out[i].role == "name" and named) or (out[i].role == "bare" and demonym):
                out[i] = replace(out[i], role="people")
    return _host_from_rule(sentence, toks, out)


def _host_from_rule(sentence: str, toks: list[Token], found: list[Mention]) -> list[Mention]:
    """"rescued 23 victims from Myanmar" is a place, unless a number says "five from Nepal"."""
    out = []
    for m in found:
        if m.role == "people" and m.kind == "name" and m.country in HOST_COUNTRIES:
            before = words_before(toks, m.start, 3)
            lone = not any(o is not m and o.role == "people" and o.kind == "name" for o in found)
            if (before and before[-1].lower in ("from", "dari", "de") and lone
                    and not (len(before) > 1 and (is_number_word(before[-2])
                                                  or before[-2].lower == "each"))):
                m = replace(m, role="name")
        out.append(m)
    return out
