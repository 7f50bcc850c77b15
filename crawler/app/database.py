"""The database every command opens: the bottom layer's connection with every stage's migrations."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from alerts.schema import migrations as alerts_migrations
from classifier.schema import migrations as classify_migrations
from classifier.stories.schema import migrations as stories_migrations
from crawler.app.schema import migrations as app_migrations
from crawler.base.database import DatabaseError, connect
from crawler.gather.schema import migrations as gather_migrations

__all__ = ["DatabaseError", "MIGRATIONS", "open_db", "pending_migrations", "schema_version"]

# In the order data flows: a later set may read an earlier set's tables (views, search).
MIGRATIONS: tuple[Migrations, ...] = (
    gather_migrations, classify_migrations, stories_migrations, alerts_migrations, app_migrations,
)


def open_db(path: str | Path, busy_timeout: float = 30.0, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path``, migrated to the current schema."""
    return connect(path, busy_timeout, MIGRATIONS if migrate else ())


def schema_version(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """Applied migrations per set: the database's schema version."""
    return {m.name: [a.name for a in m.applied(db)] for m in MIGRATIONS}


def pending_migrations(db: sqlite_utils.Database) -> list[str]:
    """Names of migrations not yet applied (``set:name``)."""
    return [f"{m.name}:{p.name}" for m in MIGRATIONS for p in m.pending(db)]
