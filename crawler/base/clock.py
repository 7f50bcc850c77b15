"""The one clock, and the one set of time helpers.

Every stage entry takes a :class:`Clock` (``clock=None`` meaning :data:`SYSTEM_CLOCK`);
only the top layer decides which clock runs, so a test can run the daemon on a
controlled one. Timestamps in the database are ISO 8601 UTC to the second (:func:`iso`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Protocol


class Clock(Protocol):
    """Tells the wall-clock time, in UTC."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to (tests, replays)."""

    def __init__(self, start: datetime) -> None:
        self._now = as_utc(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)


SYSTEM_CLOCK: Clock = SystemClock()


def or_system(clock: Clock | None) -> Clock:
    """``clock``, or the system clock when none was handed down."""
    return SYSTEM_CLOCK if clock is None else clock


def as_utc(moment: datetime) -> datetime:
    """``moment`` (naive = UTC) as an aware UTC datetime to the second."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    """ISO 8601 UTC to the second, the form every timestamp in the database has (naive = UTC)."""
    return as_utc(moment).isoformat(timespec="seconds")


def now_iso(clock: Clock | None = None) -> str:
    """The clock's time as :func:`iso` writes it."""
    return iso(or_system(clock).now())


def parse_iso(stamp: str | None) -> datetime | None:
    """ISO 8601 (a trailing ``Z`` allowed; naive = UTC) → aware UTC datetime; None if missing or unparseable."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


_YEAR_MONTH = re.compile(r"\d{4}-\d{2}")


def normalise_date(value: str | None) -> str | None:
    """A date as written anywhere, as :func:`iso`; None if unreadable.

    Reads ISO 8601 / W3C datetime (trafilatura, htmldate, sitemaps; ``YYYY-MM`` counts
    as the 1st) and RFC 2822 (feeds, HTTP).  Dates without a zone are taken as UTC.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text + "-01" if _YEAR_MONTH.fullmatch(text) else text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    try:
        return iso(parsed)
    except OverflowError:  # e.g. year 1 with a positive offset
        return None


def to_epoch(stamp: str | None) -> float | None:
    """ISO 8601 → epoch seconds (naive times are UTC); None if missing or unparseable."""
    when = parse_iso(stamp)
    return None if when is None else when.timestamp()


def from_epoch(epoch: float) -> str:
    """Epoch seconds → :func:`iso`."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def later(moment: datetime, seconds: float) -> str:
    """:func:`iso` of ``seconds`` after ``moment``."""
    return iso(moment + timedelta(seconds=seconds))
