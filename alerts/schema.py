"""Tables of the alert stage (the outbox)."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("scamwatch.alerts")
