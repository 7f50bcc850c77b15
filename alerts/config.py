"""Settings of the alert stage (section ``[alerts]``)."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.confschema import setting


@dataclass
class AlertsConfig:
    urls: list[str] = setting([], help="Apprise URLs (secrets: prefer apprise_config or environment variables)")
    apprise_config: str | None = setting(None, help="Apprise config file (YAML or TEXT, with tags)")
