"""Tables of the run/daemon machinery: one row per cycle, for ``scamwatch status``."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("scamwatch.ops")


@migrations()
def m001_cycles(db: sqlite_utils.Database) -> None:
    db["cycles"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "duration": float,      # seconds
            "mode": str,            # run | daemon
            "result": str,          # ok | partial | error | interrupted
            "summary": str,         # the one-line summary printed at the end
            "details": str,         # JSON of every stage's report
        },
        pk="id",
    )
    db["cycles"].create_index(["started_at"])
