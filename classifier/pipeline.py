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
from classifier.encoder import Encoder, get_encoder, resolve_model
from classifier.head import Head, HeadError
from classifier.keywords import NAMES as KEYWORD_NAMES
from classifier.keywords import keyword_features
from classifier.language import detect_language, item_language, normalize_tag
from classifier.multilingual import get_multilingual
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
        resolve_model(cfg.model)  # a model folder that is not there says so, rather than "no head"
        raise HeadError(f"no head is shipped for model {cfg.model!r}: run 'scamwatch train' or set head_path")
    return Head.load(Path(str(shipped)))


def band_of(score: float, cfg: ClassifierConfig) -> str:
    """'alert', 'review' or 'discard' by the configured thresholds."""
    if score >= cfg.alert_threshold:
        return "alert"
    return "review" if score >= cfg.review_threshold else "discard"


@dataclass
class Scored:
    """Scores of a batch, the title+lead embedding of each item (to store) and each item's language."""

    scores: np.ndarray
    lead_vectors: np.ndarray
    decisions: list[np.ndarray] = field(default_factory=list)
    langs: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class Route:
    """The multilingual path: its encoder, the head over its embeddings, and which languages take it."""

    encoder: Encoder
    head: Head
    english: frozenset[str]

    def takes(self, lang: str | None) -> bool:
        return lang not in self.english


def load_multilingual_head(cfg: ClassifierConfig, head_path: Path | None = None) -> Head:
    """The head over the multilingual encoder's embeddings: ``head_path``, else the shipped one."""
    path = head_path or (Path(cfg.multilingual_head_path) if cfg.multilingual_head_path else None)
    if path is not None:
        return Head.load(path)
    name = shipped_head_name(cfg.multilingual_model)
    shipped = resources.files("scamwatch_config").joinpath("head", name)
    if not shipped.is_file():
        raise HeadError(f"no head is shipped for {cfg.multilingual_model!r}: set "
                        "classifier.multilingual_head_path, or classifier.multilingual_model = \"\"")
    return Head.load(Path(str(shipped)))


def default_route(cfg: ClassifierConfig, encoder: Encoder) -> Route | None:
    """The configured multilingual route, or None when switched off or the encoder is not the configured model."""
    if not cfg.multilingual_model or encoder.name != cfg.model:
        return None
    return Route(get_multilingual(cfg.multilingual_model), load_multilingual_head(cfg),
                 frozenset(normalize_tag(t) or t for t in cfg.english_languages))


class Classifier:
    """Scores items for relevance and extracts incident fields from the relevant ones.

    Items in an English-route language are scored by the English model's head; the rest (see
    :class:`Route`) by the multilingual encoder's head. An injected encoder that is not the
    configured model gets no multilingual route unless one is given.
    """

    def __init__(self, cfg: ClassifierConfig, encoder: Encoder | None = None, head: Head | None = None,
                 route: Route | None | bool = True) -> None:
        self.cfg = cfg
        self.encoder = encoder if encoder is not None else get_encoder(cfg)
        self.head = head if head is not None else load_head(cfg)
        self.head.check_model(self.encoder.name, self.encoder.dim)
        self.route = default_route(cfg, self.encoder) if route is True else (route or None)
        for h in (self.head, *([self.route.head] if self.route else [])):
            if h.features and h.features != KEYWORD_NAMES:
                raise HeadError(f"the head uses unknown features {h.features}; run 'scamwatch train'")
        if self.route:
            self.route.head.check_model(self.route.encoder.name, self.route.encoder.dim)
        self.spec = WindowSpec(cfg.lead_words, cfg.window_words, cfg.window_overlap, cfg.max_windows)

    @property
    def id(self) -> str:
        if self.route is None:
            return self.head.id
        return f"{self.head.id}|{self.route.head.id}"

    def texts(self, title: str | None, text: str | None) -> ItemTexts:
        return split_item(title, self.bounded(text), self.spec)

    def bounded(self, text: str | None) -> str | None:
        """``text`` cut to ``classifier.max_text_chars``: a huge page costs no more than a long article."""
        return text[:self.cfg.max_text_chars] if text and len(text) > self.cfg.max_text_chars else text

    def score(self, items: Sequence[ItemTexts], lead_vectors: Sequence[np.ndarray | None] | None = None,
              langs: Sequence[str | None] | None = None) -> Scored:
        """Calibrated scores of ``items``; leads whose vector is given are not embedded again.

        ``langs`` are the items' languages; where None is given, the lead's language is detected.
        Every lead gets the English model's vector (stored for the stories stage); the texts of
        items on the multilingual route are scored from the multilingual encoder's rows.
        """
        known = list(lead_vectors) if lead_vectors is not None else [None] * len(items)
        given = list(langs) if langs is not None else [None] * len(items)
        found = [lang or detect_language(it.lead) for it, lang in zip(items, given, strict=True)]
        routed = {i for i, lang in enumerate(found) if self.route is not None and self.route.takes(lang)}
        todo = [it.lead for it, vec in zip(items, known, strict=True) if vec is None]
        windows = [w for i, it in enumerate(items) if i not in routed for w in it.windows]
        fresh = iter(self.encoder.encode(todo + windows)) if todo or windows else iter(())
        leads = np.stack([vec if vec is not None else next(fresh) for vec in known]) if items else np.zeros((0, 1))
        second = self._second(items, sorted(routed))
        scores, per_item = np.zeros(len(items)), []
        for i, it in enumerate(items):
            head = self.head
            if i in second and self.route is not None:
                head, vectors = self.route.head, second[i]
            else:
                vectors = np.vstack([leads[i:i + 1], *[next(fresh) for _ in it.windows]])
            texts = [it.lead, *it.windows]
            raw = head.decision(vectors, keyword_features(texts) if head.features else None)
            per_item.append(raw[1:])
            scores[i] = float(head.probability(np.array([self.combine(float(raw[0]), raw[1:])]))[0])
        return Scored(scores, leads.astype(np.float32), per_item, found)

    def _second(self, items: Sequence[ItemTexts], routed: list[int]) -> dict[int, np.ndarray]:
        """The multilingual encoder's rows of the routed items' texts (lead first), by item index."""
        if not routed or self.route is None:
            return {}
        texts = [t for i in routed for t in (items[i].lead, *items[i].windows)]
        rows, out, at = self.route.encoder.encode(texts), {}, 0
        for i in routed:
            n = 1 + len(items[i].windows)
            out[i], at = rows[at:at + n], at + n
        return out

    def combine(self, lead: float, windows: np.ndarray) -> float:
        """Blend the title+lead's raw score with the best raw score of all the item's texts."""
        best = max(lead, float(windows.max())) if windows.size else lead
        weight = self.cfg.window_weight
        return (1.0 - weight) * lead + weight * best

    def describe(self, title: str | None, text: str | None, lang: str | None, score: float) -> dict[str, Any]:
        """Band, relevance, language and incident fields of an item with ``score``.

        ``lang`` is the declared language, if any; the field ``lang`` is the one used.
        """
        band = band_of(score, self.cfg)
        relevant = band == "alert"
        text = self.bounded(text)
        lang = item_language(title, text, lang)
        fields: dict[str, Any] = {"score": round(float(score), 4), "band": band, "relevant": relevant,
                                  "lang": lang, "held": False, "nationalities": [], "locations": [], "places": [],
                                  "count": None, "status": None}
        if relevant:
            from classifier.incidents import extract_incident

            incident = extract_incident(title or "", text or "", lang=lang)
            fields.update(held=bool(incident.held), nationalities=list(incident.nationalities),
                          locations=list(incident.locations), places=list(incident.places),
                          count=incident.count, status=incident.status)
        return fields

    def classify(self, records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Classify records with ``id``, ``title``, ``text`` (and optionally ``lang``), in order."""
        items = [self.texts(r.get("title"), r.get("text")) for r in records]
        langs = [item_language(r.get("title"), r.get("text"), r.get("lang")) for r in records]
        scored = self.score(items, langs=langs)
        return [{"id": r.get("id"), **self.describe(r.get("title"), r.get("text"), lang, s)}
                for r, s, lang in zip(records, scored.scores, scored.langs, strict=True)]
