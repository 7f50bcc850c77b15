"""Commands that run scamwatch as a service: ``run``, ``daemon``, ``status``, ``serve``, ``demo``."""

from __future__ import annotations

import json
import sys

import click
import sqlite_utils

from crawler.app.context import App
from crawler.app.cycle import abandon_running, run_cycle
from crawler.app.exits import EXIT_DATABASE, EXIT_FAILURE
from crawler.app.preflight import require_valid


@click.command()
@click.option("--source", "only", multiple=True, help="Gather only this source (repeatable)")
@click.option("--all", "force", is_flag=True, help="Gather every enabled source, due or not")
@click.pass_obj
def run(app: App, only: tuple[str, ...], force: bool) -> None:
    """One full cycle (gather → classify → stories → alert), for cron.

    Exits 0 when the cycle completed, even if some sources failed (they are reported);
    75 at once if another run or the daemon holds the lock; 1 if a stage failed or every
    source polled failed (a network or DNS outage, say).
    """
    config = app.config
    for name in only:
        config.source(name)  # unknown names are a config error, before any work
    require_valid(config)
    db = app.db  # database errors (exit 3) before the lock file is touched
    with app.cycle_lock():
        abandon_running(db)
        report = run_cycle(config, db, mode="run", only=list(only) or None, force=force, clock=app.clock,
                           show_progress=True)
    click.echo(report.summary())
    gathered = report.stages.get("gather")
    if gathered is not None and getattr(gathered, "failed", None) and not getattr(gathered, "ok", None):
        click.echo(f"every source polled failed ({len(gathered.failed)}): check the network and DNS, "
                   "then 'scamwatch sources check'", err=True)
        sys.exit(EXIT_FAILURE)
    if report.errors:
        sys.exit(EXIT_FAILURE)


@click.command()
@click.option("--max-cycles", type=click.IntRange(min=1), default=None,
              help="Stop after this many ticks (testing and benchmarks)")
@click.option("--grace", type=click.FloatRange(min=0.5), default=8.0, show_default=True,
              help="Seconds a busy stage may take to finish after SIGTERM")
@click.pass_obj
def daemon(app: App, max_cycles: int | None, grace: float) -> None:
    """Run the cycle on each source's schedule until stopped (systemd: Type=notify).

    Wakes every daemon.tick; SIGTERM/SIGINT stop cleanly, SIGHUP reloads the config.
    Exits 75 at once if another run holds the lock.
    """
    from crawler.app.daemon import Daemon

    app.db  # noqa: B018 - database errors (exit 3) before the lock file is touched
    worker = Daemon(app, max_cycles=max_cycles, grace=grace)
    worker.install_signal_handlers()
    sys.exit(worker.serve())


def integrity_problem(db: sqlite_utils.Database) -> str | None:
    """The first problem ``PRAGMA quick_check`` finds, or None when the file is sound."""
    rows = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    return None if rows == ["ok"] else "; ".join(rows[:3])


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object")
@click.option("--check", is_flag=True,
              help="Also run the operator checks (failing sources, stalled daemon) and notify; for a timer")
@click.pass_obj
def status(app: App, as_json: bool, check: bool) -> None:
    """Last cycle, per-source health, pending work, alerts and database size.

    Exits 1 when the daemon is stalled or a source is failing, so monitoring can use it; 3 when the
    database is damaged (--check runs PRAGMA quick_check).
    """
    from crawler.app.status import collect_status, render_status, stalled_since

    if check:
        from alerts.operator import check_operator

        problem = integrity_problem(app.db)
        if problem:
            click.echo(f"scamwatch: database error: {app.config.db_path}: damaged ({problem}); restore a backup",
                       err=True)
            sys.exit(EXIT_DATABASE)
        now = app.clock.now()
        check_operator(app.config, app.db, now, stalled=stalled_since(app.config, app.db, now))
    data = collect_status(app.config, app.db, app.clock.now())
    click.echo(json.dumps(data, indent=2, default=str) if as_json else render_status(data))
    if data["stalled_since"] or data["failing_sources"]:
        sys.exit(EXIT_FAILURE)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on")
@click.option("--metadata", type=click.Path(exists=True, dir_okay=False),
              help="Datasette metadata (default: the shipped deploy/datasette/metadata.yml)")
@click.pass_obj
def serve(app: App, host: str, port: int, metadata: str | None) -> None:
    """Browse the database with Datasette, read-only (no arbitrary SQL; canned queries, facets, map)."""
    from crawler.app.serve import serve_datasette

    sys.exit(serve_datasette(app.config, app.db, host=host, port=port, metadata=metadata))


@click.command()
@click.option("--keep", type=click.Path(file_okay=False), help="Write the demo database into this folder")
@click.option("--serve", "then_serve", is_flag=True, help="Then browse the result with Datasette")
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette port (with --serve)")
@click.pass_obj
def demo(app: App, keep: str | None, then_serve: bool, port: int) -> None:
    """An offline tour: sample feeds on 127.0.0.1, one full cycle, alerts printed here."""
    from crawler.app.demo import run_demo

    sys.exit(run_demo(keep=keep, serve_port=port if then_serve else None))


COMMANDS = [run, daemon, status, serve, demo]
