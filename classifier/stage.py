"""The classify stage: score every item not yet classified, and store the results.

Reads ``items`` with ``classified_at IS NULL`` in batches; writes score, band, relevance,
incident fields and ``classified_at`` to ``items`` and each item's title+lead embedding to
``embeddings``, one transaction per batch. Idempotent: a crash loses at most the batch in
progress, and an item already embedded with the same model is never embedded again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import sqlite_utils

from classifier.config import ClassifyContext
from classifier.encoder import Encoder
from classifier.pipeline import Classifier, load_head
from classifier.windows import lead_text

log = logging.getLogger(__name__)

ITEMS_PER_BATCH = 256
_ITEM_FIELDS = ("score", "band", "relevant", "held", "nationalities", "locations", "count", "status")


@dataclass
class ClassifyReport:
    """What one pass did."""

    classified: int = 0
    relevant: int = 0
    held: int = 0
    review: int = 0
    embedded: int = 0
    reused: int = 0


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def make_classifier(config: ClassifyContext, encoder: Encoder | None = None) -> Classifier:
    """A :class:`Classifier` with the head the config selects (path, user-trained, or shipped)."""
    cfg = config.classifier
    head_path = config.resolve(cfg.head_path) if cfg.head_path else None
    return Classifier(cfg, encoder, load_head(cfg, head_path, config.db_path))


def classify_pending(
    config: ClassifyContext,
    db: sqlite_utils.Database,
    encoder: Encoder | None = None,
    *,
    classifier: Classifier | None = None,
    should_stop: Callable[[], bool] | None = None,
    batch_items: int = ITEMS_PER_BATCH,
) -> ClassifyReport:
    """Classify every item with ``classified_at IS NULL``; return the counts.

    ``should_stop`` is asked between batches (the daemon's SIGTERM): what was done is kept.
    Batches are large because the model sorts each call's texts by length, so less is padded.
    """
    clf = classifier if classifier is not None else make_classifier(config, encoder)
    report, last_id = ClassifyReport(), -1
    size = max(1, batch_items)
    while should_stop is None or not should_stop():
        rows = db.execute(
            "SELECT id, title, coalesce(nullif(text, ''), summary, '') AS body, lang FROM items "
            "WHERE classified_at IS NULL AND id > ? ORDER BY id LIMIT ?",
            [last_id, size],
        ).fetchall()
        if not rows:
            break
        last_id = rows[-1][0]
        _classify_batch(clf, db, rows, report)
    if report.classified:
        log.info("classified %d items: %d relevant (%d held), %d for review; embedded %d",
                 report.classified, report.relevant, report.held, report.review, report.embedded)
    return report


def stored_vectors(db: sqlite_utils.Database, ids: list[int], model: str) -> dict[int, np.ndarray]:
    """Title+lead embeddings already stored for ``ids`` with ``model``."""
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"SELECT item_id, vector FROM embeddings WHERE model = ? AND item_id IN ({marks})",
                      [model, *ids]).fetchall()
    return {item_id: np.frombuffer(blob, dtype=np.float32) for item_id, blob in rows}


def _classify_batch(clf: Classifier, db: sqlite_utils.Database, rows: list[Any], report: ClassifyReport) -> None:
    ids = [row[0] for row in rows]
    known = stored_vectors(db, ids, clf.encoder.name)
    texts = [clf.texts(title, body) for _, title, body, _ in rows]
    scored = clf.score(texts, [known.get(i) for i in ids])
    stamp, updates, embeddings = now_iso(), [], []
    for (item_id, title, body, lang), score, vector in zip(rows, scored.scores, scored.lead_vectors, strict=True):
        fields = _describe(clf, item_id, title, body, lang, float(score))
        updates.append((item_id, fields))
        if item_id not in known:
            embeddings.append({"item_id": item_id, "model": clf.encoder.name, "dim": int(vector.shape[0]),
                               "vector": np.asarray(vector, dtype=np.float32).tobytes(), "created_at": stamp})
        report.classified += 1
        report.relevant += int(fields["relevant"])
        report.held += int(fields["held"])
        report.review += int(fields["band"] == "review")
    columns = [*_ITEM_FIELDS, "classified_at", "classifier"]
    assignments = ", ".join(f'"{c}" = ?' for c in columns)
    with db.atomic():  # one transaction per batch: all of it is stored, or none
        db.conn.executemany(
            "INSERT OR REPLACE INTO embeddings (item_id, model, dim, vector, created_at) VALUES (?, ?, ?, ?, ?)",
            [tuple(e.values()) for e in embeddings],
        )
        db.conn.executemany(
            f"UPDATE items SET {assignments} WHERE id = ?",
            [(*(fields[c] for c in _ITEM_FIELDS), stamp, clf.id, item_id) for item_id, fields in updates],
        )
    report.embedded += len(embeddings)
    report.reused += len(known)


def _describe(clf: Classifier, item_id: int, title: str | None, body: str, lang: str | None,
              score: float) -> dict[str, Any]:
    try:
        fields = clf.describe(title, body, lang, score)
    except Exception:  # a bug in incident extraction must not stall the whole stage
        log.exception("incident extraction failed for item %s; stored its score without incident fields", item_id)
        fields = clf.describe(title, body, lang, 0.0) | {"score": round(score, 4)}
        fields["band"] = "review"
    return {**fields, "relevant": int(fields["relevant"]), "held": int(fields["held"]),
            "nationalities": json.dumps(fields["nationalities"], ensure_ascii=False),
            "locations": json.dumps(fields["locations"], ensure_ascii=False)}


LABELS = ("relevant", "irrelevant")


def store_label(db: sqlite_utils.Database, item_id: int, label: str, by: str | None = None) -> None:
    """Record ``by``'s verdict on an item (replacing an earlier one); KeyError if there is no such item."""
    if label not in LABELS:
        raise ValueError(f"label must be one of {', '.join(LABELS)}")
    if db.execute("SELECT 1 FROM items WHERE id = ?", [item_id]).fetchone() is None:
        raise KeyError(item_id)
    with db.atomic():
        db.conn.execute("INSERT OR REPLACE INTO labels (item_id, label, labeled_at, labeled_by) VALUES (?, ?, ?, ?)",
                        [item_id, label, now_iso(), by])


def user_labels(db: sqlite_utils.Database, encoder: Encoder, lead_words: int) -> list[tuple[np.ndarray, bool, str]]:
    """Users' labels as (title+lead embedding, relevant, title+lead text); embeds only items not yet embedded."""
    rows = db.execute(
        "SELECT l.item_id, l.label, i.title, coalesce(nullif(i.text, ''), i.summary, '') FROM labels l "
        "JOIN items i ON i.id = l.item_id ORDER BY l.item_id"
    ).fetchall()
    if not rows:
        return []
    known = stored_vectors(db, [r[0] for r in rows], encoder.name)
    leads = [lead_text(title, body, lead_words) for _, _, title, body in rows]
    missing = [i for i, r in enumerate(rows) if r[0] not in known]
    fresh = dict(zip(missing, encoder.encode([leads[i] for i in missing]), strict=True)) if missing else {}
    return [(known[r[0]] if r[0] in known else fresh[i], r[1] == "relevant", leads[i]) for i, r in enumerate(rows)]
