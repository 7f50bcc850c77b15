"""Exact-duplicate fingerprints of article text, so one article seen at two URLs is one item.

The fingerprint ignores what differs between copies of the same article on the web:
Unicode compatibility forms (NFKC), case, whitespace, punctuation and symbols
(including typographic quotes and dashes): :func:`crawler.base.text.normalise_text`.
Near-duplicates (edited syndicated copies) are the stories stage's job; this is the
cheap first filter.
"""

from __future__ import annotations

import hashlib

from crawler.base.text import normalise_text


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
