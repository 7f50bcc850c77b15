"""The one clock: time helpers, a controlled clock, and no wall-clock reads below the top layer."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.base.clock import (
    SYSTEM_CLOCK,
    ManualClock,
    as_utc,
    from_epoch,
    iso,
    later,
    now_iso,
    or_system,
    parse_iso,
    to_epoch,
)
from crawler.gather.health import backed_off, is_due

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)


def test_iso_is_utc_to_the_second() -> None:
    plus_seven = timezone(timedelta(hours=7))
    assert iso(T0) == "2026-03-01T08:30:15+00:00"
    assert iso(datetime(2026, 3, 1, 15, 30, 15, tzinfo=plus_seven)) == "2026-03-01T08:30:15+00:00"
    assert iso(datetime(2026, 3, 1, 8, 30, 15)) == "2026-03-01T08:30:15+00:00"  # naive = UTC
    assert as_utc(T0).microsecond == 0 and as_utc(T0).tzinfo is not None


@pytest.mark.parametrize("stamp, expected", [
    ("2026-03-01T08:30:15+00:00", "2026-03-01T08:30:15+00:00"),
    ("2026-03-01T08:30:15Z", "2026-03-01T08:30:15+00:00"),
    ("2026-03-01T08:30:15", "2026-03-01T08:30:15+00:00"),
    (" 2026-03-01T10:30:15+02:00 ", "2026-03-01T08:30:15+00:00"),
])
def test_parse_and_epoch_round_trip(stamp: str, expected: str) -> None:
    parsed = parse_iso(stamp)
    assert parsed is not None and iso(parsed) == expected
    epoch = to_epoch(stamp)
    assert epoch is not None and from_epoch(epoch) == expected


@pytest.mark.parametrize("stamp", [None, "", "yesterday", "2026-13-01"])
def test_unparseable_stamps_are_none(stamp: str | None) -> None:
    assert parse_iso(stamp) is None and to_epoch(stamp) is None


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(T0)
    assert clock.now() == clock.now() == as_utc(T0)
    clock.advance(90)
    assert now_iso(clock) == "2026-03-01T08:31:45+00:00"
    assert later(clock.now(), 60) == "2026-03-01T08:32:45+00:00"
    assert or_system(clock) is clock and or_system(None) is SYSTEM_CLOCK


def test_system_clock_is_aware_utc() -> None:
    now = SYSTEM_CLOCK.now()
    assert now.utcoffset() == timedelta(0)


def test_gather_due_rule_follows_the_clock() -> None:
    clock = ManualClock(T0)
    row = {"next_poll_at": later(T0, 60), "backoff_until": None}
    assert not is_due(row, clock.now())
    clock.advance(60)
    assert is_due(row, clock.now()) and not backed_off(row, clock.now())
    assert is_due(None, clock.now()) and is_due({"next_poll_at": None}, clock.now())
    assert backed_off({"backoff_until": later(T0, 3600)}, clock.now())


WALL_CLOCK = re.compile(r"datetime\.now\(|datetime\.utcnow\(|time\.time\(|date\.today\(")


def test_only_the_top_layer_and_the_clock_read_the_wall_clock() -> None:
    """Stages and the bottom layer take the time from the clock they are handed."""
    allowed = {ROOT / "crawler" / "base" / "clock.py"}
    packages = [ROOT / "crawler" / "base", ROOT / "crawler" / "gather", ROOT / "spiders", ROOT / "classifier",
                ROOT / "alerts"]
    readers = [str(path.relative_to(ROOT)) for package in packages for path in sorted(package.rglob("*.py"))
               if path not in allowed and WALL_CLOCK.search(path.read_text("utf-8"))]
    assert readers == []


def test_the_daemon_finds_sources_due_by_its_clock(tmp_path: Path) -> None:
    from crawler.app.config import load_config
    from crawler.app.cycle import record_stop
    from crawler.app.daemon import sources_due
    from crawler.app.database import open_db
    from crawler.gather.store import sync_sources

    path = tmp_path / "c.toml"
    path.write_text('[database]\npath = "sw.db"\n[crawler]\ninclude_default_sources = false\n'
                    '[[sources]]\nname = "desk"\nurl = "https://news.example.org/feed.xml"\n'
                    '[[sources]]\nname = "wire"\nurl = "https://wire.example.org/feed.xml"\n', "utf-8")
    config = load_config(path)
    db = open_db(config.db_path)
    clock = ManualClock(T0)
    assert sources_due(config, db, clock.now()) == ["desk", "wire"]  # never polled
    sync_sources(db, config.sources)
    db["sources"].update("desk", {"next_poll_at": later(T0, 300)})
    db["sources"].update("wire", {"next_poll_at": later(T0, 60), "backoff_until": later(T0, 600)})
    assert sources_due(config, db, clock.now()) == []
    clock.advance(300)
    assert sources_due(config, db, clock.now()) == ["desk"]  # wire is backed off
    clock.advance(300)
    assert sources_due(config, db, clock.now()) == ["desk", "wire"]
    record_stop(db, "daemon", clock)
    assert next(db["cycles"].rows)["started_at"] == iso(T0 + timedelta(seconds=600))
