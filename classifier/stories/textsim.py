"""Text fingerprints and pairwise similarity of two reports (pure functions).

A :class:`Fingerprint` holds what comparisons need: word and character-5-gram sets,
the sentences as word sets, the headline words, and MinHash LSH band keys for the
candidate index. :func:`match_probability` turns the similarity features of a pair
into the probability that both are copies of one article (a logistic model whose
weights were fitted on the labelled dev set's pairs, by the ``--fit`` option ``bench/stories_eval.py``
had before it measured the replay report).
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
import zlib
from functools import cached_property

import numpy as np
from datasketch import MinHash  # type: ignore[import-untyped]

from crawler.base.dates import OPENING_CHARS, apart, opening_months
from crawler.base.sentences import split_sentences
from crawler.base.text import fold

NUM_PERM = 64
LEAD_WORDS = 60
MAX_CHARS = 6000  # copies are recognised by their beginning; long texts cost without helping
BANDS = 16  # 16 bands x 4 rows: pairs with word-3-shingle Jaccard >= ~0.5 share a bucket
_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W+")
_FIGURE = re.compile(r"(?<![\d.,])\d{1,3}(?:[,. ]\d{3})+(?![\d])|\d+")
_SEPARATOR = re.compile(r"[,. ]")
_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?![\d.,]\d)")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w'-]+|\d[\d,.]*\d)")

# Built once: datasketch would otherwise draw the permutations for every MinHash.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=7, scheme="affine32").permutations

# Logistic weights over (cosine, word Jaccard, char-5-gram containment, aligned sentences,
# headline Jaccard); fitted on dev.jsonl pairs.
WEIGHTS = (8.44, 10.83, 7.86, 4.07, 2.94)
BIAS = -14.52


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def text_hash(text: str) -> str:
    """Fingerprint of the normalised words of ``text`` (same words → same hash)."""
    return hashlib.sha1(" ".join(words(text)).encode("utf-8")).hexdigest()


class Fingerprint:
    """The comparable parts of one report; the costly ones are computed when first compared."""

    def __init__(self, title: str | None, text: str | None) -> None:
        self.body = (text or "")[:MAX_CHARS]
        self.word_list = words(self.body)
        self.words = frozenset(self.word_list)
        title_words = words(title or "")
        self.title = frozenset(title_words)
        self.title_numbers = _numbers(title_words)
        self.lead_numbers = _numbers(self.word_list[:LEAD_WORDS])
        self._title = title or ""
        shingles = {" ".join(self.word_list[i:i + 3]) for i in range(max(1, len(self.word_list) - 2))}
        self.bands = band_keys(shingles)

    @cached_property
    def numbers(self) -> frozenset[int]:
        """Every figure in headline and body (only needed when two reports give different head counts)."""
        return _figures(fold(f"{self._title} {self.body}"))

    @cached_property
    def grams(self) -> frozenset[str]:
        flat = _NON_WORD.sub(" ", fold(self.body))
        return frozenset(flat[i:i + 5] for i in range(max(1, len(flat) - 4)))

    @cached_property
    def years(self) -> frozenset[int]:
        """Years named in the headline and opening (1990-2099): when the reported event happened."""
        lead = f"{self._title} {self.body[:OPENING_CHARS]}"  # where months are read too
        return frozenset(int(y) for y in _YEAR.findall(lead))

    @cached_property
    def months(self) -> frozenset[int]:
        """Months named in the headline and opening (:func:`crawler.base.dates.opening_months`)."""
        return opening_months(self._title, self.body)

    @cached_property
    def names(self) -> frozenset[str]:
        """Names and figures: capitalised words not opening a sentence, and numbers of two digits or more.

        What reports of one event share whatever their wording (people, places, agencies, head counts,
        dates); scripts without capitals contribute their figures only."""
        text = f"{self._title}. {self.body}"
        return frozenset(m.group(1).casefold().replace(",", "") for m in _NAME.finditer(text))

    @cached_property
    def sentences(self) -> tuple[frozenset[str], ...]:
        parts = (frozenset(words(part)) for part in split_sentences(self.body))
        return tuple(s for s in parts if len(s) >= 5)

    def disagrees(self, other: Fingerprint) -> bool:
        """Headlines (or opening words) that both give numbers but share none: different facts.

        Copies, even spun or trimmed ones, keep the figures; reports of another event don't."""
        return bool((self.title_numbers and other.title_numbers and not self.title_numbers & other.title_numbers)
                    or (self.lead_numbers and other.lead_numbers and not self.lead_numbers & other.lead_numbers))


def fingerprint(title: str | None, text: str | None) -> Fingerprint:
    """Build the fingerprint of a report from its headline and body."""
    return Fingerprint(title, text)


def _numbers(tokens: list[str]) -> frozenset[int]:
    return frozenset(int(w) for w in tokens if w.isdecimal() and len(w) < 10)


def _figures(text: str) -> frozenset[int]:
    """Every figure in ``text``, with thousands separators read ("1,200" and "1 200" are 1200)."""
    return frozenset(int(_SEPARATOR.sub("", n)) for n in _FIGURE.findall(text) if len(n) < 14)


def band_keys(shingles: set[str]) -> tuple[int, ...]:
    """MinHash LSH band keys (signed 64-bit ints, storable in SQLite) of a shingle set."""
    if not shingles or shingles == {""}:
        return ()
    mh = MinHash(num_perm=NUM_PERM, hashfunc=zlib.crc32, permutations=_PERMUTATIONS, scheme="affine32")
    mh.update_batch([s.encode("utf-8") for s in shingles])
    rows = NUM_PERM // BANDS
    keys = []
    for band in range(BANDS):
        chunk = np.asarray(mh.hashvalues[band * rows:(band + 1) * rows], dtype=np.uint64)
        digest = hashlib.blake2b(bytes([band]) + chunk.tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return tuple(keys)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _containment(a: frozenset[str], b: frozenset[str]) -> float:
    small = min(len(a), len(b))
    return len(a & b) / small if small else 0.0


def aligned_sentences(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> float:
    """Share of the shorter text's sentences that have a counterpart in the other, in order.

    Copies (even machine-spun or trimmed ones) keep the sentence order; independent reports
    of one event share a few quotes but not the sequence.
    """
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    positions = []
    for s in a:
        best, where = 0.0, -1
        for j, t in enumerate(b):
            dice = 2 * len(s & t) / (len(s) + len(t))
            if dice > best:
                best, where = dice, j
        if best >= 0.35:
            positions.append(where)
    return longest_increasing(positions) / len(a)


def longest_increasing(positions: list[int]) -> int:
    """Length of the longest strictly increasing subsequence of ``positions`` (matches kept in order)."""
    increasing: list[int] = []
    for p in positions:
        k = bisect.bisect_left(increasing, p)
        increasing[k:k + 1] = [p]
    return len(increasing)


def pair_features(a: Fingerprint, b: Fingerprint, cosine: float | None) -> tuple[float, ...]:
    """Similarity features of a pair; without embeddings, the n-gram containment stands in."""
    grams = _containment(a.grams, b.grams)
    cos = cosine if cosine is not None else grams
    return (cos, _jaccard(a.words, b.words), grams, aligned_sentences(a.sentences, b.sentences),
            _jaccard(a.title, b.title))


def match_probability(features: tuple[float, ...]) -> float:
    """Probability that a pair with these features is one article (logistic model)."""
    z = BIAS + sum(w * x for w, x in zip(WEIGHTS, features, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def shared_names(a: Fingerprint, b: Fingerprint) -> int:
    """How many names and figures two reports share (:attr:`Fingerprint.names`)."""
    return len(a.names & b.names)


def other_years(a: Fingerprint, b: Fingerprint) -> bool:
    """Both openings name years, and none in common: reports of events in different years."""
    return bool(a.years and b.years and not a.years & b.years)


def other_months(a: Fingerprint, b: Fingerprint) -> bool:
    """Both openings name months, none the same or next to one the other names: another time of year."""
    return apart(a.months, b.months)
