"""How many people the item is about: the main group's count.

The headline's figure comes first. A vague or qualified headline ("hundreds", "over 400") is
refined by an exact figure in the body that falls in its range, preferring a stated total.
Without a headline figure, the body's figures are ranked: attached to the victims'
nationality, in a sentence about victims, stated as a total, early. Background totals
("more than 4,700 since 2020") are skipped.
"""

from __future__ import annotations

import re
from collections import Counter

from .incident_lexicon import PEOPLE_NOUNS
from .incident_numbers import Quantity
from .incident_people import is_number_word
from .incident_sentences import Sentence
from .incident_text import Token, tokens, words_after

_BACKGROUND = re.compile(
    r"\bsince\s+(?:19|20)\d\d|\bbetween\s+(?:19|20)\d\d|\bso far\b|\bin recent years\b|"
    r"\bover the (?:past|last)\b|\b(?:this|last|every) year\b|\bannually\b|\bsejak\b|"
    r"\bdalam beberapa tahun\b|累计|累計|至今|previously reported|earlier reported",
    re.IGNORECASE)
_CLASSIFIER = re.compile(r"^\s*(?:多|余|餘|여)?\s*(?:名|人|位|명|ราย|คน|জন|человек|jiwa|orang)")
_NOT_PEOPLE = re.compile(r"^\s*-?\s*(?:years?|yrs?|%|percent|per cent|tahun|tuổi|岁|歲|살|ปี)\b",
                         re.IGNORECASE)
_TOTAL = re.compile(r"(?:\btotal(?:ling|ing)?\b|\bin all\b|\baltogether\b|\btotal ada\b|"
                    r"\bjumlah\b|\bsebanyak\b|\bseramai\b|共|总计|總計|합계|총)[^.]{0,25}$",
                    re.IGNORECASE)
_MORE_AFTER = re.compile(r"^\s*(?:more|other|others|additional|further|lagi|lainnya)\b", re.IGNORECASE)
_ANOTHER_BEFORE = re.compile(r"\b(?:another|an additional|a further|other)\s*$", re.IGNORECASE)
_CLAUSE = re.compile(r"\s+(?:as|while|after|but|and)\s+|[;:,—–]", re.IGNORECASE)
_INTERCEPTED = re.compile(r"\b(?:intercept\w*|offload\w*|barred|stopped)\b", re.IGNORECASE)
_STOP = frozenset({"in", "at", "to", "for", "since", "by", "on", "with", "per", "and"})
_ONE_PERSON = re.compile(
    r"\b(?:an?|one)\s+(?:young\s+|\d+-year-old\s+)?(?P<who>[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)\s+"
    r"(?:man|woman|citizen|national|youth|worker|teenager|boy|girl|student|graduate|nurse|"
    r"engineer|jobseeker|victim|father|mother|son|daughter)\b"
    r"|\bmột\s+(?:nam\s+|nữ\s+)?(?:thanh niên|người đàn ông|người phụ nữ|cô gái|công dân)"
    r"|\bseorang\s+(?:lelaki|wanita|pemuda|pemudi|warga|WNI|pekerja|remaja|mahasiswa|perempuan)",
    re.IGNORECASE)
BODY_SENTENCES = 25
SINGLE_LEAD = 4
REPEAT_BONUS = 0.5
REPEAT_CAP = 3


def group_quantities(s: Sentence) -> list[tuple[Quantity, str | None]]:
    """Quantities that count people, each with the nationality it is attached to, if any.

    "84 citizens", "26 Vietnamese", "한국인 64명", "2000名中国公民", "five from Nepal".
    """
    toks = tokens(s.text)
    out: list[tuple[Quantity, str | None]] = []
    for q in s.quantities:
        after = s.text[q.end:q.end + 40]
        if _NOT_PEOPLE.match(after):
            continue
        yearlike = q.value is not None and 1900 <= q.value <= 2100 and s.text[q.start:q.end].isdigit()
        if _CLASSIFIER.match(after):
            out.append((q, _country_near(s, q.start - 12, q.end + 24)))
            continue
        window = words_after(toks, q.end, 1 if yearlike else 5)
        found, country = _people_in(s, window, yearlike)
        if found:
            out.append((q, country))
    return out


def _country_near(s: Sentence, start: int, end: int) -> str | None:
    return next((m.country for m in s.mentions
                 if m.role == "people" and start <= m.start < end), None)


def _people_in(s: Sentence, window: list[Token], noun_only: bool) -> tuple[bool, str | None]:
    country = None
    for i, tok in enumerate(window):
        mention = next((m for m in s.mentions if m.start <= tok.start < m.end
                        and m.role in ("people", "bare")), None)
        if mention is not None and not noun_only:
            return True, mention.country
        if tok.lower in PEOPLE_NOUNS:
            return True, country or _country_near(s, tok.end, tok.end + 30)
        if tok.lower in ("from", "each") and i < 2:
            continue
        if tok.lower in _STOP or (i == 0 and is_number_word(tok)):
            return False, None
    return False, None


def main_count(sentences: list[Sentence], nationalities: list[str] | None = None) -> int | None:
    """Size of the main group the item reports, else None."""
    body = [s for s in sentences if not s.is_title and not _BACKGROUND.search(s.text)]
    heads = [(s, q) for s in sentences if s.is_title for q, _ in group_quantities(s)]
    if heads:
        head = next((q for s, q in heads if not _secondary(s.text, q) and not _stopped(s.text, q)),
                    heads[0][1])
        if head.approx:
            refined = _refine(head, body)
            if refined is not None:
                return refined
        if head.value is not None:
            return head.value
    best = _best_in_body(body[:BODY_SENTENCES], set(nationalities or ()))
    return best if best is not None else _one_person(sentences)


def _one_person(sentences: list[Sentence]) -> int | None:
    """1 when the headline and lead are about a single victim ("a Sri Lankan citizen held in
    …", "một thanh niên", "seorang WNI") and the headline names no group ("Kenyans")."""
    title = [s for s in sentences if s.is_title]
    if any(s.quantities or any(m.role in ("people", "bare") and m.kind != "name"
                               and s.text[m.start:m.end].endswith("s") for m in s.mentions)
           for s in title):
        return None
    lead = title + [s for s in sentences if not s.is_title][:SINGLE_LEAD]
    for s in lead:
        for m in _ONE_PERSON.finditer(s.text):
            who = m.span("who")
            if who[0] < 0 or any(who[0] <= x.start < who[1] for x in s.mentions):
                return 1
    return None


def _refine(head: Quantity, body: list[Sentence]) -> int | None:
    """An exact figure in the body within a vague headline's range, a stated total first."""
    in_range = [(bool(_TOTAL.search(s.text[:q.start])), i, q.value)
                for i, s in enumerate(body) for q, _ in group_quantities(s)
                if q.value is not None and head.low <= q.value <= head.high
                and (not q.approx or _finer(q.value, head.value))]
    if not in_range:
        return None
    return sorted(in_range, key=lambda t: (not t[0], t[1]))[0][2]


def _finer(value: int, head: int | None) -> bool:
    """"more than 3,100" refines "3,000 plus": a figure rounded less than the headline's."""
    def zeros(n: int) -> int:
        return len(str(n)) - len(str(n).rstrip("0"))
    return head is not None and value != head and zeros(value) < zeros(head)


def _stopped(text: str, q: Quantity) -> bool:
    """Is the figure in a clause about people stopped before leaving ("intercepted at NAIA")?"""
    clauses = _CLAUSE.split(text[q.start:])
    return bool(_INTERCEPTED.search(clauses[0] if clauses else ""))


def _secondary(text: str, q: Quantity) -> bool:
    """"200 more Indians", "24 others", "another 150": a group besides the main one."""
    return bool(_MORE_AFTER.match(text[q.end:q.end + 20]) or _ANOTHER_BEFORE.search(text[:q.start]))


def _best_in_body(body: list[Sentence], nationalities: set[str]) -> int | None:
    best: tuple[float, int] | None = None
    said = Counter(v for s in body for v in {q.value for q, _ in group_quantities(s)} if v)
    for i, s in enumerate(body):
        for q, country in group_quantities(s):
            if q.value is None:
                continue
            score = (2.0 * (country in nationalities) + 1.0 * s.victim - 1.0 * s.perpetrator
                     + 1.0 * bool(_TOTAL.search(s.text[:q.start])) - 0.15 * i
                     - 1.5 * _secondary(s.text, q)
                     + REPEAT_BONUS * min(said[q.value] - 1, REPEAT_CAP))  # the figure retold
            if best is None or score > best[0]:
                best = (score, q.value)
    return best[1] if best else None
