"""The ``scamwatch`` command: global options, error handling, and every stage's commands."""

from __future__ import annotations

import errno
import importlib
import logging
import sqlite3
import sys
from typing import Any

import click

from crawler import __version__
from crawler.app.context import App
from crawler.app.exits import EXIT_CONFIG, EXIT_DATABASE, EXIT_LOCKED
from crawler.app.lock import LockHeld
from crawler.app.preflight import ConfigProblems
from crawler.base.confschema import ConfigError
from crawler.base.database import DatabaseError
from crawler.base.logs import setup_logging

# Each module exports COMMANDS: a list of click commands added to the group.
COMMAND_MODULES = (
    "crawler.app.gather_commands",
    "crawler.app.config_commands",
    "crawler.app.classify_commands",
    "crawler.app.stories_commands",
    "crawler.app.alerts_commands",
    "crawler.app.ops_commands",
)

log = logging.getLogger(__name__)


class ScamwatchGroup(click.Group):
    """Turns user mistakes into one line on stderr and a distinct exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            for line in exc.lines() if isinstance(exc, ConfigProblems) else [str(exc)]:
                click.echo(f"scamwatch: config error: {line}", err=True)
            sys.exit(EXIT_CONFIG)
        except DatabaseError as exc:
            click.echo(f"scamwatch: database error: {exc}", err=True)
            sys.exit(EXIT_DATABASE)
        except sqlite3.DatabaseError as exc:  # full disk, read-only or corrupted file, mid-command
            click.echo(f"scamwatch: database error: {_where(ctx)}{exc}{_hint(str(exc))}", err=True)
            sys.exit(EXIT_DATABASE)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EROFS, errno.EDQUOT):
                raise
            click.echo(f"scamwatch: {exc.strerror}: {exc.filename or _where(ctx)}; nothing stored was lost, "
                       "the next run resumes", err=True)
            sys.exit(EXIT_DATABASE)
        except LockHeld as exc:
            click.echo(f"scamwatch: {exc}", err=True)
            sys.exit(EXIT_LOCKED)


def _where(ctx: click.Context) -> str:
    config = ctx.obj.loaded_config if isinstance(ctx.obj, App) else None
    return f"{config.db_path}: " if config is not None else ""


def _hint(message: str) -> str:
    """What to do about the usual database faults."""
    low = message.lower()
    if "full" in low:
        return " (free some space; nothing stored was lost, the next run resumes)"
    if "readonly" in low or "read-only" in low:
        return " (the file or its folder is read-only for this user)"
    if "malformed" in low or "not a database" in low:
        return " (the file is damaged: restore a backup, or see 'scamwatch status --check')"
    return ""


@click.group(cls=ScamwatchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="SCAMWATCH_CONFIG",
              help="TOML config file [env: SCAMWATCH_CONFIG]")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), envvar="SCAMWATCH_DB",
              help="Database file, overriding database.path [env: SCAMWATCH_DB]")
@click.option("--log-level", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@click.version_option(__version__, prog_name="scamwatch")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, db_path: str | None, log_level: str) -> None:
    """scamwatch: find news of people trafficked into scam compounds, and alert those who act."""
    setup_logging(log_level)
    app = App(config_path=config_path, db_override=db_path)
    ctx.obj = app
    ctx.call_on_close(app.close)


def _register() -> None:
    for name in COMMAND_MODULES:
        for command in importlib.import_module(name).COMMANDS:
            main.add_command(command)


_register()
