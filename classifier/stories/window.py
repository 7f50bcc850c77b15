"""The time window of grouped items a batch is compared against, held in memory.

Loaded once per batch from ``story_index`` (by its ``ts`` index) and the classify stage's embeddings:
the cost depends on how many items fall in the window, never on the database size.
The cosines of the whole batch against the window (and within the batch) are computed
up front with two matrix products; batch items become candidates once grouped.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import sqlite_utils

from classifier import queries as classify


class WindowIndex:
    """Grouped items within a time range (their story and date) and the batch's cosines to them."""

    def __init__(self, dim: int | None = None) -> None:
        self.dim = dim
        self.story_of: dict[int, int] = {}
        self.ts_of: dict[int, float] = {}
        self.members: Counter[int] = Counter()
        self._static_ids = np.zeros(0, dtype=np.int64)
        self._static = np.zeros((0, dim or 1), dtype=np.float32)
        self._batch_ids = np.zeros(0, dtype=np.int64)
        self._row: dict[int, int] = {}
        self._to_static = np.zeros((0, 0), dtype=np.float32)
        self._to_batch = np.zeros((0, 0), dtype=np.float32)
        self._grouped = np.zeros(0, dtype=bool)

    @classmethod
    def load(cls, db: sqlite_utils.Database, lo: float, hi: float, dim: int | None) -> WindowIndex:
        """Every grouped item with ``lo <= ts <= hi``, with its vector if of dimension ``dim``."""
        index = cls(dim)
        rows = db.execute("SELECT item_id, story_id, ts FROM story_index WHERE ts BETWEEN ? AND ?",
                          [lo, hi]).fetchall()
        stored = classify.embeddings(db, [r[0] for r in rows]) if dim is not None else {}
        ids, vectors = [], []
        for item_id, story_id, ts in rows:
            index._remember(item_id, story_id, ts)
            vdim, blob = stored.get(item_id, (None, None))
            if blob is not None and vdim == dim:
                ids.append(item_id)
                vectors.append(np.frombuffer(blob, dtype=np.float32))
        if ids:
            index._static_ids = np.array(ids, dtype=np.int64)
            index._static = np.vstack(vectors)
        return index

    def prepare(self, vectors: dict[int, np.ndarray]) -> None:
        """Compute the cosines of the batch's ``vectors`` to the window and to each other."""
        usable = {i: v for i, v in vectors.items() if self.dim is not None and v.shape[0] == self.dim}
        if not usable:
            return
        self._batch_ids = np.array(list(usable), dtype=np.int64)
        self._row = {item_id: n for n, item_id in enumerate(usable)}
        batch = np.vstack(list(usable.values()))
        self._to_static = batch @ self._static.T if len(self._static_ids) else np.zeros((len(batch), 0), np.float32)
        self._to_batch = batch @ batch.T
        self._grouped = np.zeros(len(batch), dtype=bool)

    def _remember(self, item_id: int, story_id: int, ts: float) -> None:
        self.story_of[item_id] = story_id
        self.ts_of[item_id] = ts
        self.members[story_id] += 1

    def add(self, item_id: int, story_id: int, ts: float) -> None:
        """A batch item has been grouped: later items may match it."""
        self._remember(item_id, story_id, ts)
        row = self._row.get(item_id)
        if row is not None:
            self._grouped[row] = True

    def nearest(self, item_id: int, min_cosine: float, limit: int) -> dict[int, float]:
        """Grouped items whose cosine with batch item ``item_id`` is at least ``min_cosine``."""
        row = self._row.get(item_id)
        if row is None:
            return {}
        found: dict[int, float] = {}
        for ids, sims in ((self._static_ids, self._to_static[row]),
                          (self._batch_ids[self._grouped], self._to_batch[row][self._grouped])):
            hits = np.nonzero(sims >= min_cosine)[0]
            if len(hits) > limit:
                hits = hits[np.argsort(-sims[hits])[:limit]]
            found.update((int(ids[h]), float(sims[h])) for h in hits)
        return found

    def cosine(self, item_id: int, other: int) -> float | None:
        """Cosine between batch item ``item_id`` and window item ``other``, if both have vectors."""
        row = self._row.get(item_id)
        if row is None:
            return None
        if other in self._row:
            return float(self._to_batch[row, self._row[other]])
        hit = np.nonzero(self._static_ids == other)[0]
        return float(self._to_static[row, hit[0]]) if len(hit) else None
