"""Commands of the gather stage: ``init``, ``gather``, ``sources list``, ``sources check``."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import click

from crawler.app.config import load_config
from crawler.app.context import App
from crawler.app.database import open_db
from crawler.app.exits import EXIT_FAILURE
from crawler.app.progress import gather_bar
from crawler.base.confschema import ConfigError, Duration, parse_duration
from crawler.base.logs import redact

STARTER_CONFIG = "scamwatch.example.toml"


@click.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing config file")
@click.pass_obj
def init(app: App, path: str | None, force: bool) -> None:
    """Write a commented starter config to PATH (default: --config / $SCAMWATCH_CONFIG, else
    ./scamwatch.toml) and create its database (--db / $SCAMWATCH_DB, else the config's)."""
    target = Path(path or app.config_path or "scamwatch.toml")
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; use --force to overwrite it")
    text = resources.files("scamwatch_config").joinpath(STARTER_CONFIG).read_text("utf-8")
    target.write_text(text, "utf-8")
    config = load_config(target, app.db_override)
    open_db(config.db_path, config.database.busy_timeout).close()
    click.echo(f"wrote {target}; database {config.db_path}")
    click.echo(f"next: edit {target}, then: scamwatch --config {target} config check"
               if not app.config_path else "next: edit it, then: scamwatch config check")


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
            click.echo(json.dumps({"name": src.name, "url": redact(src.url), "kind": src.kind, "lang": src.lang,
                                   "country": src.country, "enabled": src.enabled,
                                   "poll_interval": src.poll_interval}))
        else:
            state = "" if src.enabled else "  (disabled)"
            click.echo(f"{src.name:28} {src.kind:8} {src.country or '--':3} {redact(src.url)}{state}")


@click.command()
@click.option("--source", "only", multiple=True, help="Gather only this source (repeatable)")
@click.option("--all", "force", is_flag=True, help="Ignore schedules and back-off: poll every selected source now")
@click.pass_obj
def gather(app: App, only: tuple[str, ...], force: bool) -> None:
    """One gather pass over the sources that are due (fetch feeds, listings, sitemaps; store new articles).

    Exits 0 when the pass completed, even if some sources failed (they are listed);
    75 if another run or the daemon holds the lock.
    """
    from crawler.gather.stage import gather_pass

    config = app.config
    for name in only:
        config.source(name)  # unknown names are a config error, before any work
    db = app.db
    with app.cycle_lock(), gather_bar() as progress:
        report = gather_pass(config, db, only=list(only) or None, force=force, progress=progress, clock=app.clock)
    click.echo(f"gather: {len(report.ok)} sources ok ({len(report.not_modified)} unchanged), "
               f"{len(report.failed)} failed, {report.new_items} new items, {report.not_due} not due "
               f"({report.duration:.1f}s)")
    for name, error in report.errors.items():
        state = " [backed off]" if name in report.backed_off else ""
        click.echo(f"  failed: {name}: {redact(error)}{state}")
    waiting = [name for name in report.backed_off if name not in report.errors]
    if waiting:
        click.echo(f"  backed off (failing; see 'scamwatch status'): {', '.join(waiting)}")


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> float:
    try:
        return float(parse_duration(value, f"--{param.name}".replace("_", "-")))
    except ConfigError as exc:
        raise click.BadParameter(exc.problem) from None


@sources.command("check")
@click.option("--source", "only", multiple=True, help="Check only this source (repeatable)")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source")
@click.option("--timeout", default="15s", show_default=True, callback=_duration,
              help="Time limit per source (one try, no retries): a dead host fails at about its DNS time")
@click.option("--stale-after", default="30d", show_default=True, callback=_duration,
              help="A source whose newest entry is older than this is 'stale'")
@click.pass_obj
def sources_check(app: App, only: tuple[str, ...], as_json: bool, timeout: float, stale_after: float) -> None:
    """Fetch every enabled source once, all at once, and report what each gives and how fresh its
    newest entry is; stores nothing.

    Exits 1 if any source failed or is stale.
    """
    from crawler.gather.stage import check_sources

    config = app.config
    config.crawler = dataclasses.replace(config.crawler, retries=0, timeout=Duration(min(config.crawler.timeout,
                                                                                          timeout)))
    with gather_bar("check") as progress:
        outcomes = check_sources(config, list(only) or None, progress=progress)
    kinds = {s.name: s.kind for s in config.sources}
    now = datetime.now(UTC)
    stale: list[str] = []
    for o in outcomes:
        age = _age_days(o.newest, now)
        if o.ok and age is not None and age * 86400 > stale_after:
            stale.append(o.name)
        if as_json:
            click.echo(json.dumps({"name": o.name, "kind": kinds.get(o.name), "ok": o.ok, "status": o.status,
                                   "entries": o.entries, "newest": o.newest, "age_days": age,
                                   "stale": o.name in stale, "seconds": round(o.elapsed, 2),
                                   "error_kind": None if o.ok else o.kind, "error": o.error and redact(o.error),
                                   "notes": o.notes}))
            continue
        state = "ok" if o.ok else f"FAIL {o.kind}: {redact(o.error or '')}"
        if o.name in stale:
            state = f"STALE: newest entry {age:.0f} days old"
        newest = f" newest {o.newest[:10]}" if o.newest else ""
        click.echo(f"{o.name:28} {o.status or '---':>3} {o.entries:5} entries {o.elapsed:5.1f}s{newest}  {state}")
        for note in o.notes:
            click.echo(f"{'':28} note: {note}")
    failed = [o.name for o in outcomes if not o.ok]
    if not as_json:
        click.echo(f"{len(outcomes) - len(failed) - len(stale)} ok, {len(stale)} stale, {len(failed)} failed")
    if failed or stale:
        sys.exit(EXIT_FAILURE)


def _age_days(newest: str | None, now: datetime) -> float | None:
    """Days since ``newest`` (ISO 8601), or None when the source gave no date."""
    if not newest:
        return None
    try:
        when = datetime.fromisoformat(newest)
    except ValueError:
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return round(max(0.0, (now - when).total_seconds()) / 86400, 1)


COMMANDS = [init, gather, sources]
