"""Insert already-classified items straight into the database (evaluation, benchmarks, tests).

This bypasses gather and classify: the rows look as if both had run, in the tables their
migrations create (``items``; ``classifications`` and ``embeddings``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import sqlite_utils

from classifier.stories.textsim import text_hash


def item_row(record: dict[str, Any], now: str) -> dict[str, Any]:
    """An ``items`` row for ``record`` (keys: id, title, text; optional url, canonical_url, declared_url,
    source, published)."""
    key = str(record["id"])
    return {
        "url": record.get("url"), "canonical_url": record.get("canonical_url") or f"import:{key}",
        "source": record.get("source"), "title": record.get("title"), "text": record.get("text"),
        "lang": record.get("lang"), "published": record.get("published"),
        "fetched_at": record.get("fetched_at") or now,
        "content_hash": record.get("content_hash") or text_hash(f"{record.get('title')} {record.get('text')}"),
        "extraction": "import", "entry_id": key, "declared_url": record.get("declared_url"),
    }


def classification_row(record: dict[str, Any], now: str) -> dict[str, Any]:
    """A ``classifications`` row for ``record`` (optional score, band, relevant, held, nationalities,
    locations, places, count, status; its ``lang`` as the language classify used)."""
    return {
        "score": record.get("score", 0.0), "relevant": int(bool(record.get("relevant"))),
        "band": record.get("band") or ("alert" if record.get("relevant") else "discard"),
        "held": int(bool(record.get("held"))),
        "nationalities": json.dumps(record.get("nationalities") or []),
        "locations": json.dumps(record.get("locations") or []),
        "count": record.get("count"), "status": record.get("status"),
        "places": json.dumps(record["places"]) if record.get("places") is not None else None,
        "language": record.get("lang"), "classified_at": now, "classifier": "seed",
    }


def insert_classified(db: sqlite_utils.Database, records: Sequence[dict[str, Any]],
                      vectors: np.ndarray | None = None, model: str = "seed") -> list[int]:
    """Insert ``records`` as classified items (with ``vectors`` as their embeddings); return ids."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    ids: list[int] = []
    with db.atomic():
        for n, record in enumerate(records):
            row = item_row(record, now)
            cursor = db.execute(f"INSERT INTO items ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                                list(row.values()))
            item_id = int(cursor.lastrowid or 0)
            ids.append(item_id)
            db.table("classifications").insert({"item_id": item_id, **classification_row(record, now)})
            if vectors is not None:
                vec = np.asarray(vectors[n], dtype=np.float32)
                db.execute("INSERT INTO embeddings (item_id, model, dim, vector) VALUES (?, ?, ?, ?)",
                           [item_id, model, int(vec.shape[0]), vec.tobytes()])
    return ids


class HashingEncoder:
    """A fast deterministic stand-in for the sentence encoder: hashed bag of words, L2-normalised."""

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, hash_word(word) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


def hash_word(word: str) -> int:
    """A stable (process-independent) hash of a word."""
    h = 2166136261
    for byte in word.strip(".,;:!?\"'()").encode("utf-8"):
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h
