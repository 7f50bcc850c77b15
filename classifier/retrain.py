"""Nightly retraining: learn from users' labels and one-click feedback, and keep the new head only if it is
no worse.

Once a day (the daemon asks :func:`nightly_retrain` after its cycles), when the labels changed since the
last attempt: the shipped examples are split deterministically, one in :data:`HOLDOUT_EVERY` kept out;
a head trained on the rest alone and one trained on the rest plus the labels are both scored (F1 at the
alert threshold) on the kept-out examples. Only when the labels do not lower F1 is the head retrained
on every shipped example plus the labels and written where ``scamwatch train`` writes it. The figures
are logged and kept, with the labels' fingerprint, in ``<db>.retrain.json``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import sqlite_utils

from classifier import training
from classifier.config import ClassifyContext
from classifier.encoder import Encoder
from classifier.head import Head
from classifier.keywords import keyword_features
from classifier.pipeline import user_head_path
from classifier.stage import user_labels
from classifier.windows import lead_text
from crawler.base.clock import SYSTEM_CLOCK

log = logging.getLogger(__name__)

HOLDOUT_EVERY = 5
INTERVAL = timedelta(days=1)


@dataclass
class RetrainReport:
    status: str                  # no-labels | not-due | unchanged | kept-old | adopted | skipped
    labels: int = 0
    held_out: int = 0
    f1_without: float | None = None
    f1_with: float | None = None
    fingerprint: str = ""
    at: str = ""


class _Cached:
    """An encoder that embeds each text once across the several trainings of one retrain."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder, self.name, self.dim = encoder, encoder.name, encoder.dim
        self.cache: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.encoder.encode(missing), strict=True))
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 0), dtype=np.float32)


def feedback_labels(db: sqlite_utils.Database) -> dict[int, bool]:
    """Headline item → relevant, from each story's latest one-click verdict (wrong facts is still relevant).

    A verdict names the story's headline item when it is recorded (the top layer looks it up)."""
    rows = db.execute(
        "SELECT f.item_id, f.verdict FROM feedback f"
        " WHERE f.id = (SELECT max(id) FROM feedback g WHERE g.story_id = f.story_id)").fetchall()
    return {int(item): verdict != "irrelevant" for item, verdict in rows if item is not None}


def labels_fingerprint(db: sqlite_utils.Database) -> tuple[str, int]:
    """(hash, count) of every label and latest verdict: a change means there is something new to learn."""
    rows = sorted(db.execute("SELECT item_id, label FROM labels").fetchall()) if db["labels"].exists() else []
    fed = sorted(feedback_labels(db).items())
    if not rows and not fed:
        return "", 0
    return hashlib.sha256(json.dumps([rows, fed]).encode()).hexdigest()[:16], len(rows) + len(fed)


def all_labels(db: sqlite_utils.Database, encoder: Encoder, lead_words: int) -> list[tuple[np.ndarray, bool, str]]:
    """Labels from ``scamwatch label`` plus feedback verdicts (a ``scamwatch label`` on the same item wins)."""
    labeled = user_labels(db, encoder, lead_words)
    have = {int(r[0]) for r in db.execute("SELECT item_id FROM labels").fetchall()}
    extra = {i: v for i, v in feedback_labels(db).items() if i not in have}
    if not extra:
        return labeled
    rows = db.execute(f"SELECT id, title, coalesce(nullif(text, ''), summary, '') FROM items"
                      f" WHERE id IN ({','.join('?' * len(extra))}) ORDER BY id", list(extra)).fetchall()
    texts = [lead_text(title, body, lead_words) for _, title, body in rows]
    vectors = list(encoder.encode(texts)) if texts else []
    return labeled + [(v, extra[r[0]], t) for v, r, t in zip(vectors, rows, texts, strict=True)]


def holdout(examples: Sequence[training.Example]) -> tuple[list[training.Example], list[training.Example]]:
    """(kept for training, kept out): the same split every time, by a hash of each example's text."""
    keep: list[training.Example] = []
    out: list[training.Example] = []
    for example in examples:
        digest = int(hashlib.sha256(f"{example.title}\0{example.text}".encode()).hexdigest(), 16)
        (out if digest % HOLDOUT_EVERY == 0 else keep).append(example)
    return keep, out


def f1(head: Head, encoder: Encoder, examples: Sequence[training.Example], lead_words: int,
       threshold: float) -> float:
    """F1 of 'relevant' at ``threshold`` of ``head`` on ``examples`` (title+lead, as the classifier scores)."""
    texts = [lead_text(e.title, e.text, lead_words) for e in examples]
    vectors = encoder.encode(texts)
    scores = head.probability(head.decision(vectors, keyword_features(texts) if head.features else None))
    predicted = scores >= threshold
    gold = np.array([e.relevant for e in examples])
    tp = int((predicted & gold).sum())
    fp, fn = int((predicted & ~gold).sum()), int((~predicted & gold).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def gated_train(encoder: Encoder, examples: Sequence[training.Example], lead_words: int,
                labeled: Sequence[tuple[np.ndarray, bool, str]], threshold: float,
                seed: int = training.DEFAULT_SEED) -> tuple[Head | None, float, float, int]:
    """(new head or None, F1 without labels, F1 with labels, kept-out examples): the head only if the labels
    do not lower F1 on the shipped examples kept out of both trainings."""
    cached = _Cached(encoder)
    keep, out = holdout(examples)
    without = training.train(cached, keep, lead_words, (), seed=seed)
    with_labels = training.train(cached, keep, lead_words, labeled, seed=seed)
    f1_without = f1(without, cached, out, lead_words, threshold)
    f1_with = f1(with_labels, cached, out, lead_words, threshold)
    if f1_with < f1_without:
        return None, f1_without, f1_with, len(out)
    return training.train(cached, examples, lead_words, labeled, seed=seed), f1_without, f1_with, len(out)


def marker_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + ".retrain.json")


def nightly_retrain(config: ClassifyContext, db: sqlite_utils.Database, encoder: Encoder | None = None,
                    now: datetime | None = None, examples: Sequence[training.Example] | None = None,
                    ) -> RetrainReport:
    """Retrain once a day when the labels changed; see the module docstring. Never raises on bad training."""
    now = now or SYSTEM_CLOCK.now()
    cfg = config.classifier
    fingerprint, count = labels_fingerprint(db)
    if not count:
        return RetrainReport("no-labels")
    marker = marker_path(config.db_path)
    last = json.loads(marker.read_text("utf-8")) if marker.exists() else {}
    if last.get("fingerprint") == fingerprint:
        return RetrainReport("unchanged", count, fingerprint=fingerprint)
    if last.get("at") and now - datetime.fromisoformat(last["at"]) < INTERVAL:
        return RetrainReport("not-due", count, fingerprint=fingerprint)
    report = RetrainReport("skipped", count, fingerprint=fingerprint, at=now.isoformat(timespec="seconds"))
    if cfg.head_path:
        log.info("retrain: classifier.head_path is set, so the head is yours to train; not retraining")
    else:
        if encoder is None:
            from classifier.encoder import get_encoder
            encoder = get_encoder(cfg)
        labeled = all_labels(db, encoder, cfg.lead_words)
        try:
            head, report.f1_without, report.f1_with, report.held_out = gated_train(
                encoder, examples or training.read_examples(), cfg.lead_words, labeled, cfg.alert_threshold)
        except ValueError as exc:
            log.warning("retrain: not possible: %s", exc)
            head = None
        if head is not None:
            head.save(user_head_path(config.db_path))
            report.status = "adopted"
        elif report.f1_with is not None:
            report.status = "kept-old"
        log.info("retrain: %d labels; F1 on %d kept-out shipped examples: %.3f without labels, %.3f with; %s",
                 count, report.held_out, report.f1_without or 0.0, report.f1_with or 0.0,
                 "new head adopted" if head is not None else "old head kept")
    marker.write_text(json.dumps(asdict(report), indent=1), "utf-8")
    return report
