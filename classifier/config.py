"""Settings of the classify and stories stages (sections ``[classifier]`` and ``[stories]``)."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.confschema import ConfigError, Duration, setting

DEFAULT_MODEL = "all-MiniLM-L6-v2"


@dataclass
class ClassifierConfig:
    model: str = setting(DEFAULT_MODEL, help="sentence-transformers model: 'all-MiniLM-L6-v2' (offline package) or a local path/name")
    head_path: str | None = setting(None, help="Trained head file (default: the shipped head, or the one 'scamwatch train' wrote next to the database)")
    alert_threshold: float = setting(0.5, help="Score at or above which an item is relevant and alerted")
    review_threshold: float = setting(0.3, help="Score at or above which an item goes to the review digest")
    batch_size: int = setting(32, help="Texts embedded per batch")

    def validate(self, key: str) -> None:
        for name in ("alert_threshold", "review_threshold"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"{key}.{name}", "must be between 0 and 1")
        if self.review_threshold > self.alert_threshold:
            raise ConfigError(f"{key}.review_threshold", "must not exceed alert_threshold")
        if self.batch_size < 1:
            raise ConfigError(f"{key}.batch_size", "must be at least 1")


@dataclass
class StoriesConfig:
    window: Duration = setting(Duration(14 * 86400), help="How far back a new item looks for copies of the same story")
    incident_window_days: int = setting(30, help="An incident (nationality, location) is new when no story reported it in this many days")
