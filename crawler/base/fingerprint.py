"""Exact-duplicate fingerprints of article text, so one article seen at two URLs is one item.

The fingerprint ignores what differs between copies of the same article on the web:
Unicode compatibility forms (NFKC), case, whitespace, punctuation and symbols
(including typographic quotes and dashes).  Near-duplicates (edited syndicated
copies) are the stories stage's job; this is the cheap first filter.
"""

from __future__ import annotations

import hashlib
import unicodedata

# What each character becomes, by Unicode category: punctuation (P*) a space, since it
# still separates words ("fraud—trafficking"); symbols (S*) and controls/format
# characters (Cc, Cf) nothing, except whitespace controls (a space); anything else itself.
_DROPPED_CATEGORIES = ("P", "S")
_DROPPED_EXACT = frozenset({"Cc", "Cf"})
_CACHE_LIMIT = 100_000  # distinct characters remembered; more (a hostile page) are looked up afresh


class _CategoryTable(dict[int, int | str | None]):
    """A ``str.translate`` table filled on first sight of each character.

    Built lazily: classifying all 1.1 million code points up front costs ~0.4 s at import,
    while real text uses a few thousand distinct characters.
    """

    def __missing__(self, code: int) -> int | str | None:
        char = chr(code)
        category = unicodedata.category(char)
        value: int | str | None = code
        if char.isspace():
            value = " "  # \n and \t are controls (Cc) but still separate words
        elif category.startswith(_DROPPED_CATEGORIES) or category in _DROPPED_EXACT:
            value = " " if category.startswith("P") else None
        if len(self) < _CACHE_LIMIT:
            self[code] = value
        return value


_TABLE = _CategoryTable()


def normalise_text(text: str | None) -> str:
    """NFKC, casefolded, punctuation and symbols removed, whitespace collapsed to one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TABLE)
    return " ".join(text.split())  # str.split() and re's \s agree on what whitespace is


def content_hash(title: str | None, text: str | None) -> str:
    """SHA-1 hex of the normalised title and text; identical for copies of one article.

    Spaces are dropped too, so "fraud—trafficking" and "fraud — trafficking" agree.
    The title is part of the hash on purpose: two different articles behind the
    same consent wall or teaser text must not merge (a false merge hides a report).
    """
    payload = _squeeze(title) + "\n" + _squeeze(text)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def _squeeze(text: str | None) -> str:
    return normalise_text(text).replace(" ", "")
