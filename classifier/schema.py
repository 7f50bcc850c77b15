"""Tables and columns of the classify and stories stages."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("scamwatch.classify")
