"""Open the SQLite database the stages share, and keep its schema current.

Each stage owns a sqlite-utils migration set in its own ``schema`` module; the top layer
(:mod:`crawler.app.database`) hands them in, in order, and whatever is pending is applied, so
an older file is upgraded in place.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded; the message names the file."""


def connect(path: str | Path, busy_timeout: float = 30.0,
            migrations: Sequence[Migrations] = ()) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` in WAL mode and apply ``migrations`` in order.

    The sets are handed in from above (the top layer knows every stage); this layer knows none."""
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
        for migration_set in migrations:
            migration_set.apply(db)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: {exc}") from None
    return db



def drop_columns(db: sqlite_utils.Database, table: str, columns: Sequence[str]) -> None:
    """Drop ``columns`` from ``table`` (sqlite-utils' table rebuild), keeping its triggers and indexes.

    The rebuild drops the triggers defined on the table (full-text search keeps its index current
    with them), cannot carry partial indexes over and fails under views naming the table: all are
    recreated as they were. Indexes on a dropped column go with it."""
    present = [c for c in columns if c in db[table].columns_dict]
    if not present:
        return
    triggers = [t.sql for t in db.table(table).triggers]
    views = [(v.name, v.schema) for v in db.views if table in re.findall(r"\w+", v.schema)]
    partial = []
    with db.atomic():
        for name, _ in views:  # a rebuild under a view that names the table would fail
            db.execute(f'DROP VIEW "{name}"')
        for index in db.table(table).xindexes:
            (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                                [index.name]).fetchone()
            if {c.name for c in index.columns} & set(present) or (sql and set(re.findall(r"\w+", sql)) & set(present)):
                db.execute(f'DROP INDEX "{index.name}"')
            elif sql and " WHERE " in sql.upper():
                partial.append(sql)
                db.execute(f'DROP INDEX "{index.name}"')
        db.table(table).transform(drop=set(present))
        for sql in [*partial, *triggers, *(schema for _, schema in views)]:
            db.execute(sql)


def done_through(db: sqlite_utils.Database, table: str, upstream: str, key: str, after_id: int = 0) -> int:
    """A progress mark: ``table``'s highest ``item_id`` when every ``upstream`` row (by its ``key``) up to it
    has its row in ``table``, else ``after_id``; the work left then lies after the mark.

    Counts from indexes tell (rows of ``upstream`` up to the mark = rows of ``table``): the usual case
    costs index ranges, not a scan of everything already done."""
    top, done = db.execute(f'SELECT coalesce(max(item_id), 0), count(*) FROM "{table}"').fetchone()
    if top > after_id:
        (total,) = db.execute(f'SELECT count(*) FROM "{upstream}"').fetchone()
        (tail,) = db.execute(f'SELECT count(*) FROM "{upstream}" WHERE "{key}" > ?', [top]).fetchone()
        if total - tail == done:
            return int(top)
    return after_id
