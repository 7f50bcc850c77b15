"""Settings of the alert stage (section ``[alerts]``, routes in ``[[alerts.routes]]``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.base.confschema import ConfigError, Duration, setting

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_TAG = re.compile(r"^[A-Za-z0-9_-]+$")
_WINDOW = re.compile(r"^\s*(\d\d:\d\d)\s*-\s*(\d\d:\d\d)\s*$")


def parse_quiet_hours(text: str) -> tuple[time, time]:
    """``'22:00-07:00'`` → (start, end); the window may wrap midnight. ValueError says what is wrong."""
    match = _WINDOW.match(text)
    if not match or not all(_TIME.match(part) for part in match.groups()):
        raise ValueError(f"expected 'HH:MM-HH:MM' (24 h, e.g. '22:00-07:00'), got {text!r}")
    start, end = (time(int(part[:2]), int(part[3:])) for part in match.groups())
    if start == end:
        raise ValueError(f"start and end must differ, got {text.strip()!r}")
    return start, end


@dataclass
class RouteConfig:
    """Which stories go to which Apprise tag, how (immediately or in a digest) and how often."""

    name: str = setting(help="Unique route name (shown in `scamwatch alerts list`)")
    tag: str = setting("all", help="Apprise tag the route delivers to ('all' = every configured service)")
    template: str = setting("chat", help="Template set: 'chat' (Markdown), 'email' (HTML), 'text', or one of yours")
    nationalities: list[str] = setting([], help="Only stories about nationals of these countries (e.g. 'Indonesia')")
    locations: list[str] = setting([], help="Only stories placed here (country or place)")
    statuses: list[str] = setting([], help="Only stories with one of these statuses (e.g. 'held', 'rescued')")
    sources: list[str] = setting([], help="Only stories carried by one of these sources (source names or source tags)")
    new_incident: bool = setting(False, help="Only stories that report a new incident")
    min_score: float = setting(0.0, help="Only stories scoring at least this (besides the alert threshold)")
    include_review: bool = setting(True, help="Review-band stories go to this digest as 'possibly relevant'")
    updates: bool = setting(True, help="One update when an alerted story develops (nationality, status, count)")
    mode: Literal["immediate", "digest"] = setting("immediate", help="'immediate' or 'digest'")
    digest_at: list[str] = setting([], help="Digest times 'HH:MM' in `timezone` ('08:00' if no trigger)")
    timezone: str = setting("UTC", help="IANA time zone of digest_at and quiet_hours (e.g. 'Asia/Jakarta')")
    digest_every: Duration | None = setting(None, help="Send the digest every so often (e.g. '6h')")
    digest_min_items: int | None = setting(None, help="Send the digest as soon as this many stories wait")
    digest_when_empty: bool | None = setting(None, help="Send empty digests (default: digest routes do)")
    rate_limit: int | None = setting(None, help="Most immediate alerts per rate_window; excess goes to the digest")
    rate_window: Duration = setting(Duration(3600), help="Window of rate_limit")
    quiet_hours: str | None = setting(
        None, help="'HH:MM-HH:MM' in `timezone` (may wrap midnight): alerts and digests wait until it ends")
    quiet_except_new_incidents: bool = setting(
        True, help="During quiet hours still send alerts that report a new incident")

    def validate(self, key: str) -> None:
        if not _TAG.match(self.name):
            raise ConfigError(f"{key}.name", f"{self.name!r} is not a valid name (letters, digits, '_', '-')")
        if not self.tag.strip():
            raise ConfigError(f"{key}.tag", "must not be empty")
        for i, text in enumerate(self.digest_at):
            if not _TIME.match(text):
                raise ConfigError(f"{key}.digest_at[{i}]", f"expected 'HH:MM' (24 h), got {text!r}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"{key}.timezone", f"unknown time zone {self.timezone!r}") from None
        for name in ("digest_min_items", "rate_limit"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"{key}.{name}", "must be at least 1")
        if self.digest_every is not None and self.digest_every < 60:
            raise ConfigError(f"{key}.digest_every", "must be at least 60 seconds")
        if self.quiet_hours is not None:
            try:
                parse_quiet_hours(self.quiet_hours)
            except ValueError as exc:
                raise ConfigError(f"{key}.quiet_hours", str(exc)) from None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def quiet_window(self) -> tuple[time, time] | None:
        """(start, end) of the quiet hours in ``zone``, or None without quiet hours."""
        return parse_quiet_hours(self.quiet_hours) if self.quiet_hours else None

    @property
    def digest_times(self) -> list[str]:
        """Scheduled digest times; a route with no trigger at all gets a daily 08:00 digest."""
        if self.digest_at or self.digest_every or self.digest_min_items:
            return list(self.digest_at)
        return ["08:00"]

    @property
    def sends_empty_digest(self) -> bool:
        return self.mode == "digest" if self.digest_when_empty is None else self.digest_when_empty


@dataclass
class OperatorConfig:
    """Alerts about scamwatch itself, kept apart from content alerts."""

    tag: str | None = setting(None, help="Apprise tag of the operator's channel (unset: only logged)")
    source_failures: int = setting(5, help="Tell the operator when a source failed this many cycles in a row")
    repeat_every: Duration = setting(Duration(6 * 3600), help="Repeat an unresolved problem this often")
    template: str = setting("text", help="Template set of operator messages")


@dataclass
class AlertsConfig:
    urls: list[str] = setting([], help="Apprise URLs, optionally 'tag1,tag2=URL'; ${VAR} is read from the environment")
    apprise_config: str | None = setting(None, help="Apprise config file (YAML or TEXT, with tags)")
    routes: list[RouteConfig] = setting([], help="Routing rules ([[alerts.routes]]); none: one route to every service")
    operator: OperatorConfig = field(default_factory=OperatorConfig)
    templates_dir: str | None = setting(None, help="Folder of your own templates, overriding the shipped ones by name")
    max_attempts: int = setting(8, help="Delivery attempts before an alert is marked failed")
    retry_base: Duration = setting(Duration(60), help="First retry delay; doubles per attempt")
    retry_max: Duration = setting(Duration(6 * 3600), help="Longest retry delay")
    send_timeout: Duration = setting(Duration(60), help="Time limit of one delivery to one service")
    lease: Duration = setting(Duration(600), help="How long a sender owns an alert it is delivering")
    unknown_outcome: Literal["resend", "hold"] = setting(
        "resend", help="After a crash mid-send: 'resend' (at-least-once) or 'hold' for `alerts retry` (at-most-once)")
    throttle: bool = setting(True, help="Keep Apprise's per-service pacing (e.g. ~5.5 s between emails)")
    update_count_factor: float = setting(1.5, help="A count this many times the alerted one is a development")
    public_url: str | None = setting(None, help="Datasette base URL; alerts then link to the story's page")

    def validate(self, key: str) -> None:
        names = [r.name for r in self.routes]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise ConfigError(f"{key}.routes[{i}].name", f"duplicate route name {name!r}")
        if self.max_attempts < 1:
            raise ConfigError(f"{key}.max_attempts", "must be at least 1")
        if self.update_count_factor <= 1.0:
            raise ConfigError(f"{key}.update_count_factor", "must be greater than 1")

    @property
    def effective_routes(self) -> list[RouteConfig]:
        """The configured routes, or one default route to every service."""
        return self.routes or [RouteConfig(name="default")]

    def route(self, name: str) -> RouteConfig | None:
        return next((r for r in self.effective_routes if r.name == name), None)


class StoryTimes(Protocol):
    """What alert kinds read of the stories stage's settings (its ``[stories]`` section satisfies this)."""

    @property
    def incident_window_days(self) -> int: ...

    @property
    def event_days(self) -> float: ...


class AlertsContext(Protocol):
    """What the alert stage reads of the configuration (the top layer's ``Config`` provides it)."""

    @property
    def stories(self) -> StoryTimes: ...

    @property
    def alerts(self) -> AlertsConfig: ...

    @property
    def base_dir(self) -> Path: ...

    @property
    def db_path(self) -> Path: ...

    def resolve(self, path: str) -> Path: ...
