"""The classify stage: score every item not yet classified, and store the results.

Reads items with no ``classifications`` row (through :mod:`crawler.gather.queries`) in batches;
writes score, band, relevance, incident fields and ``classified_at`` to ``classifications`` and
each item's title+lead embedding to ``embeddings``, one transaction per batch. Idempotent: a
crash loses at most the batch in progress, and an item already embedded with the same model is
never embedded again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlite_utils

from classifier.config import ClassifyContext
from classifier.encoder import Encoder
from classifier.language import item_language
from classifier.pipeline import Classifier, load_head
from classifier.windows import lead_text
from crawler.base.clock import Clock, now_iso
from crawler.gather import queries as gather

log = logging.getLogger(__name__)

ITEMS_PER_BATCH = 256
_ITEM_FIELDS = ("score", "band", "relevant", "held", "nationalities", "locations", "places", "count", "status",
                "language")


@dataclass
class ClassifyReport:
    """What one pass did."""

    classified: int = 0
    relevant: int = 0
    held: int = 0
    review: int = 0
    embedded: int = 0
    reused: int = 0
    multilingual: int = 0  # multilingual lead vectors stored (items worth grouping)


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
    clock: Clock | None = None,
    progress: Callable[[int], None] | None = None,
) -> ClassifyReport:
    """Classify every item not classified yet; return the counts.

    ``should_stop`` is asked between batches (the daemon's SIGTERM): what was done is kept.
    Batches are large because the model sorts each call's texts by length, so less is padded.
    The model is loaded only once there is an item to classify; ``progress`` is told the number
    of items classified after each batch.
    """
    clf = classifier
    report, last_id = ClassifyReport(), -1
    size = max(1, batch_items)
    while should_stop is None or not should_stop():
        rows = gather.items_without(db, "classifications", last_id, size)
        if not rows:
            break
        if clf is None:
            clf = make_classifier(config, encoder)
        last_id = rows[-1][0]
        _classify_batch(clf, db, rows, report, clock)
        if progress is not None:
            progress(report.classified)
    if report.classified:
        log.info("classified %d items: %d relevant (%d held), %d for review; embedded %d",
                 report.classified, report.relevant, report.held, report.review, report.embedded)
    return report


def stored_vectors(db: sqlite_utils.Database, ids: list[int], model: str,
                   table: str = "embeddings") -> dict[int, np.ndarray]:
    """Title+lead embeddings already stored for ``ids`` with ``model`` (in ``table``)."""
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"SELECT item_id, vector FROM {table} WHERE model = ? AND item_id IN ({marks})",
                      [model, *ids]).fetchall()
    return {item_id: np.frombuffer(blob, dtype=np.float32) for item_id, blob in rows}


def _classify_batch(clf: Classifier, db: sqlite_utils.Database, rows: list[Any], report: ClassifyReport,
                    clock: Clock | None = None) -> None:
    ids = [row[0] for row in rows]
    known = stored_vectors(db, ids, clf.encoder.name)
    texts = [clf.texts(title, body) for _, title, body, _ in rows]
    langs = [item_language(title, body, lang) for _, title, body, lang in rows]
    scored = clf.score(texts, [known.get(i) for i in ids], langs)
    stamp, updates, embeddings = now_iso(clock), [], []
    for (item_id, title, body, _), lang, score, vector in zip(rows, langs, scored.scores, scored.lead_vectors,
                                                              strict=True):
        fields = _describe(clf, item_id, title, body, lang, float(score))
        updates.append((item_id, fields))
        if item_id not in known:
            embeddings.append({"item_id": item_id, "model": clf.encoder.name, "dim": int(vector.shape[0]),
                               "vector": np.asarray(vector, dtype=np.float32).tobytes(), "created_at": stamp})
        report.classified += 1
        report.relevant += int(fields["relevant"])
        report.held += int(fields["held"])
        report.review += int(fields["band"] == "review")
    worth_grouping = [(item_id, t.lead) for (item_id, f), t in zip(updates, texts, strict=True)
                      if f["band"] != "discard"]
    cross = _multilingual_leads(clf, db, worth_grouping, stamp)
    columns = ", ".join(f'"{c}"' for c in ["item_id", *_ITEM_FIELDS, "classified_at", "classifier"])
    with db.atomic():  # one transaction per batch: all of it is stored, or none
        db.conn.executemany(
            "INSERT OR REPLACE INTO embeddings (item_id, model, dim, vector, created_at) VALUES (?, ?, ?, ?, ?)",
            [tuple(e.values()) for e in embeddings],
        )
        db.conn.executemany(
            "INSERT OR REPLACE INTO embeddings_multilingual (item_id, model, dim, vector, created_at)"
            " VALUES (?, ?, ?, ?, ?)", [tuple(e.values()) for e in cross],
        )
        db.conn.executemany(
            f"INSERT OR REPLACE INTO classifications ({columns}) VALUES ({', '.join('?' * (len(_ITEM_FIELDS) + 3))})",
            [(item_id, *(fields[c] for c in _ITEM_FIELDS), stamp, clf.id) for item_id, fields in updates],
        )
    report.embedded += len(embeddings)
    report.multilingual += len(cross)
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
            "locations": json.dumps(fields["locations"], ensure_ascii=False),
            "places": json.dumps(fields.get("places", []), ensure_ascii=False), "language": fields.get("lang")}


def _multilingual_leads(clf: Classifier, db: sqlite_utils.Database, leads: list[tuple[int, str]],
                        stamp: str) -> list[dict[str, Any]]:
    """The multilingual encoder's title+lead vector of each item worth grouping (alert or review band)
    that has none yet: the stories stage compares reports across languages with them. Relevant items
    are few, so the slower encoder costs little here."""
    if clf.route is None or not leads:
        return []
    model = clf.route.encoder.name
    known = stored_vectors(db, [i for i, _ in leads], model, "embeddings_multilingual")
    todo = [(i, lead) for i, lead in leads if i not in known]
    if not todo:
        return []
    vectors = clf.route.encoder.encode([lead for _, lead in todo])
    return [{"item_id": i, "model": model, "dim": int(v.shape[0]),
             "vector": np.asarray(v, dtype=np.float32).tobytes(), "created_at": stamp}
            for (i, _), v in zip(todo, vectors, strict=True)]


LABELS = ("relevant", "irrelevant")


def store_label(db: sqlite_utils.Database, item_id: int, label: str, by: str | None = None) -> None:
    """Record ``by``'s verdict on an item (replacing an earlier one); KeyError if there is no such item."""
    if label not in LABELS:
        raise ValueError(f"label must be one of {', '.join(LABELS)}")
    if not gather.has_item(db, item_id):
        raise KeyError(item_id)
    with db.atomic():
        db.conn.execute("INSERT OR REPLACE INTO labels (item_id, label, labeled_at, labeled_by) VALUES (?, ?, ?, ?)",
                        [item_id, label, now_iso(), by])


def user_labels(db: sqlite_utils.Database, encoder: Encoder, lead_words: int) -> list[tuple[np.ndarray, bool, str]]:
    """Users' labels as (title+lead embedding, relevant, title+lead text); embeds only items not yet embedded."""
    labels = db.execute("SELECT item_id, label FROM labels ORDER BY item_id").fetchall()
    bodies = gather.item_bodies(db, [item_id for item_id, _ in labels])
    rows = [(item_id, label, *bodies[item_id]) for item_id, label in labels if item_id in bodies]
    if not rows:
        return []
    known = stored_vectors(db, [r[0] for r in rows], encoder.name)
    leads = [lead_text(title, body, lead_words) for _, _, title, body in rows]
    missing = [i for i, r in enumerate(rows) if r[0] not in known]
    fresh = dict(zip(missing, encoder.encode([leads[i] for i in missing]), strict=True)) if missing else {}
    return [(known[r[0]] if r[0] in known else fresh[i], r[1] == "relevant", leads[i]) for i, r in enumerate(rows)]
