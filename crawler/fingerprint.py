"""Exact-duplicate fingerprints of article text, so one article seen at two URLs is one item.

The fingerprint ignores what differs between copies of the same article on the web:
Unicode compatibility forms (NFKC), case, whitespace, punctuation and symbols
(including typographic quotes and dashes).  Near-duplicates (edited syndicated
copies) are the stories stage's job; this is the cheap first filter.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Unicode categories dropped: punctuation (P*), symbols (S*), controls/format (Cc, Cf).
_DROPPED_CATEGORIES = ("P", "S")
_DROPPED_EXACT = frozenset({"Cc", "Cf"})


def normalise_text(text: str | None) -> str:
    """NFKC, casefolded, punctuation and symbols removed, whitespace collapsed to one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category.startswith(_DROPPED_CATEGORIES) or category in _DROPPED_EXACT:
            # A dropped character still separates words ("fraud—trafficking").
            kept.append(" " if category.startswith("P") else "")
        else:
            kept.append(char)
    return _SPACE.sub(" ", "".join(kept)).strip()


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
