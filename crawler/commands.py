"""Commands of the gather stage: ``init``, ``gather``, ``sources list``, ``sources check``."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import click

from crawler.app import App
from crawler.config import load_config
from crawler.db import open_db

STARTER_CONFIG = "scamwatch.example.toml"


@click.command()
@click.argument("path", default="scamwatch.toml", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing config file")
@click.pass_obj
def init(app: App, path: str, force: bool) -> None:
    """Write a commented starter config to PATH and create its database."""
    target = Path(path)
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; use --force to overwrite it")
    text = resources.files("scamwatch_config").joinpath(STARTER_CONFIG).read_text("utf-8")
    target.write_text(text, "utf-8")
    config = load_config(target, app.db_override)
    open_db(config.db_path, config.database.busy_timeout).close()
    click.echo(f"wrote {target}; database {config.db_path}")
    click.echo(f"next: scamwatch --config {target} sources list")


@click.group()
def sources() -> None:
    """List and check the configured sources."""


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source")
@click.pass_obj
def sources_list(app: App, as_json: bool) -> None:
    """Show every configured source (enabled or not)."""
    for src in app.config.sources:
        if as_json:
            click.echo(json.dumps({"name": src.name, "url": src.url, "kind": src.kind, "lang": src.lang,
                                   "country": src.country, "enabled": src.enabled,
                                   "poll_interval": src.poll_interval}))
        else:
            state = "" if src.enabled else "  (disabled)"
            click.echo(f"{src.name:28} {src.kind:8} {src.country or '--':3} {src.url}{state}")


COMMANDS = [init, sources]
