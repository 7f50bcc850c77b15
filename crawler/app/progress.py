"""The stages' progress callbacks drawn as terminal bars (:mod:`crawler.base.progress`).

Each context gives the callback a stage takes, or None when no bar is drawn (stderr is not a
terminal, or ``show`` is False as in the daemon): the stage then reports nothing as it goes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from crawler.base.progress import Bar, progress_bar

GatherProgress = Callable[[dict[str, int]], None]
EMBED_SLICE = 32  # texts per call (a step of the bar) for an encoder that does not say its batch size


@contextlib.contextmanager
def gather_bar(label: str = "gather", show: bool = True) -> Iterator[GatherProgress | None]:
    """Sources done of the total, and the articles stored so far (a gather pass; ``sources check`` stores none)."""
    with _bar(label, "sources", show) as bar:
        if bar is None:
            yield None
            return

        def report(state: dict[str, int]) -> None:
            stored = state.get("items_stored")
            bar(state["sources_done"], state["sources"], "" if stored is None else f"{stored} items stored")
        yield report


@contextlib.contextmanager
def classify_bar(total: int | None, show: bool = True) -> Iterator[Callable[[int], None] | None]:
    """Items classified of those pending (``total``, counted before the pass)."""
    with _bar("classify", "items", show) as bar:
        yield None if bar is None else (lambda done: bar(done, max(total or 0, done) or None, ""))


@contextlib.contextmanager
def _bar(label: str, unit: str, show: bool) -> Iterator[Bar | None]:
    if not show:
        yield None
        return
    with progress_bar(label, unit) as bar:
        yield bar


class ShowingEncoder:
    """An encoder that embeds batch by batch and moves ``bar`` after each: long embedding made visible.

    The vectors are the very ones a single call gives: sentence-transformers sorts a call's texts
    longest first and cuts them into ``batch_size`` batches; each call here is one such batch, so
    every text is padded with the same neighbours. The bar counts texts over every call (the
    labels', then the examples'), so it only moves forward."""

    def __init__(self, encoder: Any, bar: Bar) -> None:
        self.encoder, self.bar = encoder, bar
        self.name, self.dim = encoder.name, encoder.dim
        self.batch = int(getattr(encoder, "batch_size", EMBED_SLICE))
        self.done = self.total = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.asarray(self.encoder.encode(texts))
        self.total += len(texts)
        order = np.argsort([-len(text) for text in texts])
        vectors: list[np.ndarray] = [np.empty(0)] * len(texts)
        for start in range(0, len(texts), self.batch):
            batch = order[start:start + self.batch]
            for index, vector in zip(batch, np.asarray(self.encoder.encode([texts[i] for i in batch])), strict=True):
                vectors[index] = vector
            self.done += len(batch)
            self.bar(self.done, self.total)
        return np.stack(vectors)
