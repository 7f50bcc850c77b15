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
        help="A report opens a new incident when no story in this many days reported nationals of its country "
             "held at its place (or, without a place, in its country)",
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
        help="Join a report (any outlet, any language) to the story of the same event: same victims' "
             "nationality, compatible places and counts, close dates and enough text evidence",
    )
    event_threshold: float = setting(
        1.0,
        help="Text evidence (best embedding cosine to the story's reports, plus the bonuses below) at or "
             "above which a report joins the story of the same event",
    )
    event_count_bonus: float = setting(
        0.7, help="Evidence added when the report gives a head count the story gives (the facts carry reports "
                  "in other languages, whose wording an English-only embedding cannot compare)")
    event_specific_count: int = setting(
        10, help="Head counts below this are common to unrelated events: the same count adds half the bonus")
    event_place_bonus: float = setting(
        0.05, help="Evidence added when the report and the story name the same place of captivity (or one containing it)")
    event_conflict_penalty: float = setting(
        0.5, help="Evidence taken off when the head counts differ (unless the report is a near copy citing the "
                  "other's figure: an updated figure in one report chain)")
    event_names_weight: float = setting(
        0.3, help="Text evidence added by the names and figures two reports share (people, places, agencies, counts)")
    event_names_full: int = setting(15, help="Shared names and figures that add the whole of event_names_weight")
    event_text_threshold: float = setting(
        1.1, help="Text evidence at or above which a report that names no victims' nationality joins a "
                  "neighbour's story as the same event")
    event_other_language_cosine: float = setting(
        0.3, help="Least cosine counted for two reports in different languages (an English-only embedding cannot "
                  "compare them: their facts carry the match; a multilingual one gives more)")
    event_days: float = setting(
        10.0, help="Most days between a report and the story of the same event (later: another event)")

    def validate(self, key: str) -> None:
        for name in ("match_threshold", "candidate_cosine", "related_threshold", "related_cosine"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"{key}.{name}", "must be between 0 and 1")
        if self.batch_size < 1:
            raise ConfigError(f"{key}.batch_size", "must be at least 1")
        if self.incident_window_days < 1:
            raise ConfigError(f"{key}.incident_window_days", "must be at least 1")
        for name in ("event_threshold", "event_count_bonus", "event_place_bonus", "event_conflict_penalty",
                     "event_names_weight", "event_text_threshold", "event_other_language_cosine"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{key}.{name}", "cannot be negative")
        if self.event_names_full < 1:
            raise ConfigError(f"{key}.event_names_full", "must be at least 1")
        if self.event_days < 0:
            raise ConfigError(f"{key}.event_days", "cannot be negative")


class StoriesContext(Protocol):
    """What the stories stage reads of the configuration."""

    @property
    def stories(self) -> StoriesConfig: ...
