"""Text helpers for incident extraction: normalisation, sentences, tokens and form matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

V = TypeVar("V")

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "\u00a0": " ", "\u202f": " ",
                         "\u2009": " ", "\u200b": "", "\ufeff": ""})
_SPACES = re.compile(r"[ \t]+")
_TOKEN = re.compile(r"\w+(?:['\-]\w+)*|[^\w\s]")


def normalize(text: str) -> str:
    """Unify quotes and spaces and turn every decimal digit (Bengali, Thai, …) into ASCII."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES))
    if not text.isascii():
        text = "".join(_ascii_digit(ch) for ch in text)
    return text


def _ascii_digit(ch: str) -> str:
    if ch.isdigit() and not ch.isascii():
        value = unicodedata.decimal(ch, None)
        if value is not None:
            return str(value)
    return ch


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark with its character span."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_"


def tokens(text: str) -> list[Token]:
    """Words (with inner hyphens and apostrophes) and single punctuation marks."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def words_after(toks: list[Token], pos: int, limit: int) -> list[Token]:
    """Up to ``limit`` tokens starting at character ``pos``, stopping before punctuation."""
    out: list[Token] = []
    for tok in toks:
        if tok.start < pos:
            continue
        if not tok.is_word or len(out) >= limit:
            break
        out.append(tok)
    return out


def words_before(toks: list[Token], pos: int, limit: int) -> list[Token]:
    """Up to ``limit`` word tokens ending before ``pos`` (nearest last), stopping at punctuation."""
    out: list[Token] = []
    for tok in reversed(toks):
        if tok.end > pos:
            continue
        if not tok.is_word or len(out) >= limit:
            break
        out.insert(0, tok)
    return out


def is_latin(form: str) -> bool:
    """True when every letter is Latin: such forms are matched as whole words.

    Other scripts are matched as substrings (Chinese, Thai and Korean have no spaces, and
    Cyrillic, Devanagari or Arabic forms are stems followed by inflections).
    """
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in form)


def form_pattern(forms: Iterable[str]) -> str:
    """One regex for many forms: a prefix trie, so matching stays fast with thousands of forms.

    Forms in Latin script must stand as whole words; the others are matched as substrings.
    """
    forms = set(forms)
    latin = _trie_pattern(f for f in forms if is_latin(f))
    other = _trie_pattern(f for f in forms if not is_latin(f))
    parts = ([rf"(?<!\w){latin}(?![\w$])"] if latin else []) + ([other] if other else [])
    return "|".join(parts) or r"(?!x)x"


def _trie_pattern(forms: Iterable[str]) -> str:
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(trie) or "" if trie else ""


def _node_pattern(node: dict) -> str | None:
    if "" in node and len(node) == 1:
        return None
    alternatives, singles = [], []
    for ch in sorted(k for k in node if k):
        sub = _node_pattern(node[ch])
        if sub is None:
            singles.append(re.escape(ch))
        else:
            alternatives.append(re.escape(ch) + sub)
    only_singles = not alternatives
    if singles:
        alternatives.append(singles[0] if len(singles) == 1 else "[" + "".join(singles) + "]")
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    if "" in node:
        body = f"{body}?" if only_singles and len(singles) == 1 else f"(?:{body})?"
    return body


def phrases(text: str) -> list[str]:
    """Whitespace-separated cues where ``_`` joins the words of a phrase: "held_in" → "held in"."""
    return [w.replace("_", " ") for w in text.split()]


def cue_regex(words: Iterable[str]) -> re.Pattern[str]:
    """Case-insensitive regex of cue words; ``*`` stands for the rest of a word."""
    words = {w.lower() for w in words}
    inner = sorted(w for w in words if "*" in w.rstrip("*"))
    simple = words.difference(inner)
    exact = _trie_pattern(w for w in simple if is_latin(w) and not w.endswith("*"))
    prefix = _trie_pattern(w.rstrip("*") for w in simple if is_latin(w) and w.endswith("*"))
    other = _trie_pattern(w.rstrip("*") for w in simple if not is_latin(w))
    parts = [rf"(?<!\w){exact}(?!\w)" if exact else "", rf"(?<!\w){prefix}\w*" if prefix else "",
             other]
    for word in inner:
        body = re.escape(word.rstrip("*")).replace(r"\*", r"\w*")
        parts.append(rf"(?<!\w){body}\w*" if word.endswith("*") else rf"(?<!\w){body}(?!\w)")
    return re.compile("|".join(p for p in parts if p) or r"(?!x)x", re.IGNORECASE)


@dataclass(frozen=True)
class FormMatch(Generic[V]):
    """One occurrence of a known form."""

    value: V
    start: int
    end: int
    text: str


class FormMatcher(Generic[V]):
    """Finds known forms in text; ``=`` before a form makes it case-sensitive."""

    def __init__(self, pairs: Iterable[tuple[str, V]]) -> None:
        self._exact: dict[str, V] = {}
        self._folded: dict[str, V] = {}
        for form, value in pairs:
            if form.startswith("="):
                self._exact.setdefault(form[1:], value)
            else:
                self._folded.setdefault(_fold(form), value)
        self._exact_re = re.compile(form_pattern(self._exact))
        self._folded_re = re.compile(form_pattern(self._folded), re.IGNORECASE)

    def finditer(self, text: str) -> Iterator[FormMatch[V]]:
        """Non-overlapping matches in text order; the longer one wins an overlap."""
        found = [(m.start(), m.end(), self._exact[m.group()]) for m in self._exact_re.finditer(text)]
        for m in self._folded_re.finditer(text):
            value = self._folded.get(_fold(m.group()))
            if value is not None:
                found.append((m.start(), m.end(), value))
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        last_end = -1
        for start, end, value in found:
            if start >= last_end:
                last_end = end
                yield FormMatch(value, start, end, text[start:end])


def _fold(form: str) -> str:
    return re.sub(r"\s+", " ", form).lower()
