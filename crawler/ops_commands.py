"""Commands that run scamwatch as a service: ``run`` (one cycle, for cron)."""

from __future__ import annotations

import sys

import click

from crawler.app import App
from crawler.cli_exit import EXIT_FAILURE, EXIT_LOCKED
from crawler.cycle import run_cycle
from crawler.lock import CycleLock, LockHeld, lock_path


@click.command()
@click.option("--source", "only", multiple=True, help="Gather only this source (repeatable)")
@click.option("--all", "force", is_flag=True, help="Gather every enabled source, due or not")
@click.pass_obj
def run(app: App, only: tuple[str, ...], force: bool) -> None:
    """One full cycle (gather → classify → stories → alert), for cron.

    Exits 0 when the cycle completed, even if some sources failed (they are reported);
    75 at once if another run holds the lock; 1 if a stage failed.
    """
    config = app.config
    for name in only:
        config.source(name)  # unknown names are a config error, before any work
    try:
        with CycleLock(lock_path(config.db_path, config.daemon.lock_file)):
            report = run_cycle(config, app.db, mode="run", only=list(only) or None, force=force)
    except LockHeld as exc:
        click.echo(f"scamwatch: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    click.echo(report.summary())
    if report.errors:
        sys.exit(EXIT_FAILURE)


COMMANDS = [run]
