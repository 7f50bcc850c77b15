"""Quiet hours of a route: whether its alerts wait now, and until when.

A route's ``quiet_hours`` (``"22:00-07:00"`` in its ``timezone``; it may wrap midnight) hold back
its story alerts, updates and digests until the quiet hours end; then they go out as usual. The
hold lives in the database, as the outbox row's ``next_attempt_at``: :mod:`alerts.plan` queues a
row with it set to the end of the quiet hours, and :mod:`alerts.dispatch` pushes a row that comes
due inside them (a retry, or a row queued before the quiet hours were configured) to their end.
A restart therefore neither loses nor repeats a held alert. A digest due inside quiet hours is not
written until they end. With ``quiet_except_new_incidents`` (default) a first alert about a story
that reports a new incident goes out at once anyway; its later updates wait. Operator messages
never wait.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.config import RouteConfig

QUIET_KINDS = ("new", "update", "digest")


def quiet_until(route: RouteConfig, now: datetime) -> datetime | None:
    """When the quiet period ``now`` falls in ends (aware UTC), or None if the route is not quiet now."""
    window = route.quiet_window
    if window is None:
        return None
    start, end = window
    local = now.astimezone(route.zone)
    moment = local.time()
    inside = start <= moment < end if start < end else (moment >= start or moment < end)
    if not inside:
        return None
    day = local.date() if moment < end else local.date() + timedelta(days=1)
    until = datetime.combine(day, end, tzinfo=route.zone).astimezone(UTC)
    return until if until > now else None  # a daylight-saving gap can swallow the end


def held_until(route: RouteConfig | None, kind: str, new_incident: bool, now: datetime) -> datetime | None:
    """Until when an outbox row of ``kind`` on ``route`` must wait now; None: send it now."""
    if route is None or kind not in QUIET_KINDS:
        return None
    if kind == "new" and new_incident and route.quiet_except_new_incidents:
        return None
    return quiet_until(route, now)


def describe(route: RouteConfig, now: datetime) -> str:
    """The route's quiet hours in words, for listings: 'none' or '22:00-07:00 Asia/Jakarta, …'."""
    if not route.quiet_window:
        return "none"
    start, end = route.quiet_window
    text = f"{start:%H:%M}-{end:%H:%M} {route.timezone}"
    text += ", new incidents still sent" if route.quiet_except_new_incidents else ", everything waits"
    until = quiet_until(route, now)
    if until is not None:
        text += f"; quiet now, until {until.astimezone(route.zone):%H:%M}"
    return text
