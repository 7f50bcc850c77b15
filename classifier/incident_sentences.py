"""An item as weighted sentences, each with its country mentions, places, cues and numbers.

The headline weighs most, then the lead; later sentences are background more often.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.base.sentences import split_sentences

from .gazetteer import PlaceMention, default_gazetteer
from .incident_lexicon import COMPOUND_CUES, PERPETRATOR_CUES, VICTIM_CUES
from .incident_numbers import Quantity, find_quantities
from .incident_people import Mention, find_mentions
from .incident_text import normalize

TITLE_WEIGHT = 3.0
MAX_SENTENCES = 60


@dataclass
class Sentence:
    """One sentence with what incident extraction needs to know about it."""

    text: str
    weight: float
    is_title: bool
    mentions: list[Mention]
    places: list[PlaceMention]
    victim: bool
    perpetrator: bool
    compound: bool
    quantities: list[Quantity] = field(default_factory=list)


def prepare(title: str, text: str) -> list[Sentence]:
    """Title (if any) then the body's sentences, weighted by position."""
    title = normalize(title or "").strip()
    text = text or ""
    out = [_sentence(title, TITLE_WEIGHT, True)] if title else []
    body = [s for s in split_sentences(normalize(text)) if s != title][:MAX_SENTENCES]
    for i, sentence in enumerate(body):
        out.append(_sentence(sentence, 2.0 if i == 0 else 1.5 if i < 4 else 1.0, False))
    return out


def _sentence(text: str, weight: float, is_title: bool) -> Sentence:
    return Sentence(
        text, weight, is_title, find_mentions(text), default_gazetteer().find(text),
        bool(VICTIM_CUES.search(text)), bool(PERPETRATOR_CUES.search(text)),
        bool(COMPOUND_CUES.search(text)), find_quantities(text),
    )
