"""``scamwatch config``: check the configuration and print the reference of every key."""

from __future__ import annotations

import click

from alerts.config import RouteConfig
from crawler.app.config import Config
from crawler.app.context import App
from crawler.app.preflight import require_valid
from crawler.base.confschema import describe
from crawler.gather.config import SourceConfig


def reference_markdown() -> str:
    """Every setting with its default and help, as the README's reference tables."""
    lines = ["| key | default | meaning |", "|---|---|---|"]
    for key, default, help_text in describe(Config):
        if key in ("sources", "source_file"):
            continue
        lines.append(f"| `{key}` | `{default}` | {help_text} |")
    for title, cls in (("Each `[[sources]]` table:", SourceConfig), ("Each `[[alerts.routes]]` table:", RouteConfig)):
        lines += ["", title, "", "| key | default | meaning |", "|---|---|---|"]
        for key, default, help_text in describe(cls):
            lines.append(f"| `{key}` | `{default}` | {help_text} |")
    return "\n".join(lines)


@click.group("config")
def config_group() -> None:
    """Check the configuration; print the reference of every key."""


@config_group.command("check")
@click.pass_obj
def config_check(app: App) -> None:
    """Validate everything the daemon will need (channels, secrets, routes, templates, files), sending
    nothing; print a summary, and each problem on its own line (exit 2)."""
    config = app.config
    enabled = len(config.enabled_sources)
    click.echo(f"config: {config.source_file or '(built-in defaults)'}")
    click.echo(f"database: {config.db_path}")
    click.echo(f"sources: {len(config.sources)} ({enabled} enabled)")
    click.echo(f"model: {config.classifier.model}")
    channels = len(config.alerts.urls) + (1 if config.alerts.apprise_config else 0)
    click.echo(f"alert channels: {channels or 'none (alerts are queued, not sent)'}; "
               f"routes: {len(config.alerts.effective_routes)}")
    require_valid(config)
    click.echo("ok")


@config_group.command("reference")
def config_reference() -> None:
    """Print every configuration key with its default and meaning (Markdown)."""
    click.echo(reference_markdown())


COMMANDS = [config_group]
