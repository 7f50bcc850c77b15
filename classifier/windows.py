"""Cut an article into the texts that get embedded: its title+lead, and windows over the body.

The model reads at most 256 word pieces, so a long article's later paragraphs would be lost if
only its start were embedded. The title+lead is the item's representative text (stored, used by
the stories stage); overlapping windows over the rest of the body catch reports whose key facts
come late. Words are whitespace-separated tokens, except in scripts written without spaces
(Chinese, Japanese, Thai…) where each character counts as a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A run of non-space characters outside the unspaced scripts, or one character of them.
_UNSPACED = "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_UNSPACED}]|[^\s{_UNSPACED}]+")


@dataclass(frozen=True)
class WindowSpec:
    """How texts are cut: words of body in the lead, window size, overlap and cap."""

    lead_words: int = 120
    window_words: int = 200
    overlap: int = 50
    max_windows: int = 6


@dataclass(frozen=True)
class ItemTexts:
    """The texts embedded for one item: ``lead`` (title+lead) and body ``windows`` after it."""

    lead: str
    windows: tuple[str, ...]


def word_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of the words of ``text``."""
    return [m.span() for m in _WORD.finditer(text)]


def _slice(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    return text[spans[start][0] : spans[end - 1][1]]


def lead_text(title: str | None, text: str | None, lead_words: int = 120) -> str:
    """The title followed by the first ``lead_words`` words of the body."""
    title = (title or "").strip()
    body = (text or "").strip()
    spans = word_spans(body)
    lead = _slice(body, spans, 0, min(lead_words, len(spans))) if spans else ""
    if title and lead:
        joiner = " " if title[-1] in ".!?。！？" else ". "
        return f"{title}{joiner}{lead}"
    return title or lead


def split_item(title: str | None, text: str | None, spec: WindowSpec = WindowSpec()) -> ItemTexts:
    """The lead and up to ``spec.max_windows`` overlapping windows covering the body after the lead.

    Windows start where the lead ends (less the overlap); when the body is longer than the cap
    allows, the windows are spread evenly so the whole body is still sampled.
    """
    body = (text or "").strip()
    spans = word_spans(body)
    lead = lead_text(title, body, spec.lead_words)
    if len(spans) <= spec.lead_words or spec.max_windows <= 0:
        return ItemTexts(lead, ())
    step = max(1, spec.window_words - spec.overlap)
    first = max(0, spec.lead_words - spec.overlap)
    starts = list(range(first, max(first + 1, len(spans) - spec.overlap), step))
    if len(starts) > spec.max_windows:
        last = max(first, len(spans) - spec.window_words)
        count = spec.max_windows
        starts = [first + round(i * (last - first) / max(1, count - 1)) for i in range(count)]
    windows = tuple(_slice(body, spans, s, min(len(spans), s + spec.window_words)) for s in starts)
    return ItemTexts(lead, windows)
