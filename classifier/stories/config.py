"""Settings of the stories stage (section ``[stories]``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from crawler.base.confschema import ConfigError, Duration, setting


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


class StoriesContext(Protocol):
    """What the stories stage reads of the configuration."""

    @property
    def stories(self) -> StoriesConfig: ...
