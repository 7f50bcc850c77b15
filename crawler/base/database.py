"""Open the SQLite database the stages share, and keep its schema current.

Each stage owns a sqlite-utils migration set in its own ``schema`` module; opening
the database applies whatever is pending, so an older file is upgraded in place.
"""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

# Order matters: later sets may add columns to earlier sets' tables.
SCHEMA_MODULES = (
    "crawler.gather.schema",
    "classifier.schema",
    "classifier.stories.schema",
    "alerts.schema",
    "crawler.app.schema",
)


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded; the message names the file."""


def migration_sets() -> list[Migrations]:
    """Every stage's migration set, in the order they are applied."""
    return [importlib.import_module(name).migrations for name in SCHEMA_MODULES]


def open_db(path: str | Path, busy_timeout: float = 30.0, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` in WAL mode, migrated to the current schema."""
    path = Path(path)
    if not path.parent.exists():
        raise DatabaseError(f"{path}: folder {path.parent} does not exist")
    try:
        conn = sqlite3.connect(str(path), timeout=busy_timeout, check_same_thread=False)
        db = sqlite_utils.Database(conn)
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if migrate:
            for migrations in migration_sets():
                migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: {exc}") from None
    return db


def schema_version(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """Applied migrations per set: the database's schema version."""
    return {m.name: [a.name for a in m.applied(db)] for m in migration_sets()}


def pending_migrations(db: sqlite_utils.Database) -> list[str]:
    """Names of migrations not yet applied (``set:name``)."""
    return [f"{m.name}:{p.name}" for m in migration_sets() for p in m.pending(db)]
