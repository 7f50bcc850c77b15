"""The pure classify step: texts in, calibrated relevance and incident fields out.

:class:`Classifier` embeds each item's title+lead and its body windows in one batch, scores
them with the trained head, combines the scores (the title+lead blended with the best of
all the texts) and, for relevant items, adds the incident fields from
:mod:`classifier.incidents`. ``scamwatch classify`` and the classify stage both use it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from classifier.config import ClassifierConfig
from classifier.encoder import Encoder, get_encoder
from classifier.head import Head, HeadError
from classifier.keywords import NAMES as KEYWORD_NAMES
from classifier.keywords import keyword_features
from classifier.windows import ItemTexts, WindowSpec, split_item

log = logging.getLogger(__name__)


def shipped_head_name(model: str) -> str:
    """File name of the head shipped for ``model`` inside ``scamwatch_config/head/``."""
    return model.replace("/", "__") + ".json"


def user_head_path(db_path: Path) -> Path:
    """Where ``scamwatch train`` writes its head by default: beside the database."""
    return db_path.with_name(db_path.stem + ".head.json")


def load_head(cfg: ClassifierConfig, head_path: Path | None = None, db_path: Path | None = None) -> Head:
    """The head to score with: ``head_path`` (classifier.head_path), else the user-trained one, else the shipped one."""
    if head_path is not None:
        return Head.load(head_path)
    if db_path is not None and user_head_path(db_path).is_file():
        return Head.load(user_head_path(db_path))
    shipped = resources.files("scamwatch_config").joinpath("head", shipped_head_name(cfg.model))
    if not shipped.is_file():
        raise HeadError(f"no head is shipped for model {cfg.model!r}: run 'scamwatch train' or set head_path")
    return Head.load(Path(str(shipped)))


def band_of(score: float, cfg: ClassifierConfig) -> str:
    """'alert', 'review' or 'discard' by the configured thresholds."""
    if score >= cfg.alert_threshold:
        return "alert"
    return "review" if score >= cfg.review_threshold else "discard"


@dataclass
class Scored:
    """Scores of a batch and the title+lead embedding of each item (to store)."""

    scores: np.ndarray
    lead_vectors: np.ndarray
    decisions: list[np.ndarray] = field(default_factory=list)


class Classifier:
    """Scores items for relevance and extracts incident fields from the relevant ones."""

    def __init__(self, cfg: ClassifierConfig, encoder: Encoder | None = None, head: Head | None = None) -> None:
        self.cfg = cfg
        self.encoder = encoder if encoder is not None else get_encoder(cfg)
        self.head = head if head is not None else load_head(cfg)
        self.head.check_model(self.encoder.name, self.encoder.dim)
        if self.head.features and self.head.features != KEYWORD_NAMES:
            raise HeadError(f"the head uses unknown features {self.head.features}; run 'scamwatch train'")
        self.spec = WindowSpec(cfg.lead_words, cfg.window_words, cfg.window_overlap, cfg.max_windows)

    @property
    def id(self) -> str:
        return self.head.id

    def texts(self, title: str | None, text: str | None) -> ItemTexts:
        return split_item(title, text, self.spec)

    def score(self, items: Sequence[ItemTexts], lead_vectors: Sequence[np.ndarray | None] | None = None) -> Scored:
        """Calibrated scores of ``items``; leads whose vector is given are not embedded again."""
        known = list(lead_vectors) if lead_vectors is not None else [None] * len(items)
        todo = [it.lead for it, vec in zip(items, known, strict=True) if vec is None]
        windows = [w for it in items for w in it.windows]
        fresh = iter(self.encoder.encode(todo + windows)) if todo or windows else iter(())
        leads = np.stack([vec if vec is not None else next(fresh) for vec in known]) if items else np.zeros((0, 1))
        window_vectors = list(fresh)
        lead_decisions = self._decide(leads, [it.lead for it in items]) if len(items) else np.zeros(0)
        combined, per_item, at = np.zeros(len(items)), [], 0
        for i, it in enumerate(items):
            decisions = (self._decide(np.stack(window_vectors[at:at + len(it.windows)]), list(it.windows))
                         if it.windows else np.zeros(0))
            at += len(it.windows)
            combined[i] = self.combine(float(lead_decisions[i]), decisions)
            per_item.append(decisions)
        return Scored(self.head.probability(combined), leads.astype(np.float32), per_item)

    def _decide(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        return self.head.decision(vectors, keyword_features(texts) if self.head.features else None)

    def combine(self, lead: float, windows: np.ndarray) -> float:
        """Blend the title+lead's raw score with the best raw score of all the item's texts."""
        best = max(lead, float(windows.max())) if windows.size else lead
        weight = self.cfg.window_weight
        return (1.0 - weight) * lead + weight * best

    def describe(self, title: str | None, text: str | None, lang: str | None, score: float) -> dict[str, Any]:
        """Band, relevance and incident fields of an item with ``score``."""
        band = band_of(score, self.cfg)
        relevant = band == "alert"
        fields: dict[str, Any] = {"score": round(float(score), 4), "band": band, "relevant": relevant, "held": False,
                                  "nationalities": [], "locations": [], "count": None, "status": None}
        if relevant:
            from classifier.incidents import extract_incident

            incident = extract_incident(title or "", text or "", lang=lang)
            fields.update(held=bool(incident.held), nationalities=list(incident.nationalities),
                          locations=list(incident.locations), count=incident.count, status=incident.status)
        return fields

    def classify(self, records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Classify records with ``id``, ``title``, ``text`` (and optionally ``lang``), in order."""
        items = [self.texts(r.get("title"), r.get("text")) for r in records]
        scored = self.score(items)
        return [{"id": r.get("id"), **self.describe(r.get("title"), r.get("text"), r.get("lang"), s)}
                for r, s in zip(records, scored.scores, strict=True)]
