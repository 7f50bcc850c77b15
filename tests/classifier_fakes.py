"""A fake encoder for classifier tests where the real model is not the point.

Hashes words into a fixed number of dimensions (a normalised bag of words), so a head trained
on it really does learn which words matter; it records every text it was asked to embed.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from classifier.head import Head
from classifier.training import fit_head

WORD = re.compile(r"\w+")

RELEVANT = [
    ("Forty nationals freed from scam compound", "They were trafficked and forced to run online scams in Myanmar."),
    ("Embassy rescues citizens held in Cambodian scam centre", "The workers were lured by fake jobs and held captive."),
    ("Trafficked workers escape fraud compound", "Victims forced into online scams in Laos were repatriated."),
    ("Scam hub victims flown home", "Citizens trafficked to Myawaddy scam compounds were rescued and repatriated."),
    ("Families seek rescue of sons in scam compound", "Lured by fake job offers and held in a Cambodian scam centre."),
    ("Police free trafficked foreigners from scam centre", "Hundreds forced to commit online fraud were rescued."),
]
IRRELEVANT = [
    ("Stocks close higher on oil", "Markets rose as energy shares gained on crude prices."),
    ("Football club signs new striker", "The club paid a record fee for the forward."),
    ("Heavy rain expected this weekend", "The weather agency warned of floods in coastal towns."),
    ("Central bank holds interest rates", "Policy makers kept rates unchanged amid slowing inflation."),
    ("New museum opens downtown", "The gallery shows modern art and sculpture from the region."),
    ("Farmers expect bumper rice harvest", "Good rains helped crops across the delta this season."),
]


class FakeEncoder:
    """Deterministic bag-of-hashed-words embeddings; ``calls`` lists every batch embedded."""

    def __init__(self, name: str = "fake-model", dim: int = 64) -> None:
        self.name, self.dim = name, dim
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in WORD.findall(text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
            out[row, 0] += 0.1  # never an all-zero row
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    @property
    def embedded(self) -> list[str]:
        return [t for batch in self.calls for t in batch]


def fake_head(encoder: FakeEncoder, seed: int = 13) -> Head:
    """A head trained on the tiny example set above, embedded with ``encoder``."""
    texts = [f"{t}. {x}" for t, x in RELEVANT + IRRELEVANT]
    labels = [True] * len(RELEVANT) + [False] * len(IRRELEVANT)
    head = fit_head(encoder.encode(texts), labels, encoder.name, seed=seed, c=10.0)
    encoder.calls.clear()
    return head
