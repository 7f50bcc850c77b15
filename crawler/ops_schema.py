"""Tables of the run/daemon machinery (cycles, operator state)."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("scamwatch.ops")
