"""Tables of the stories stage."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("scamwatch.stories")
