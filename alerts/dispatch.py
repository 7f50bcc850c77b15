"""Deliver what the outbox holds: claim a row, send it to each service not yet reached, record.

The delivery guarantee (see also :mod:`alerts.outbox`):

* Nothing is lost: a row exists before any send and leaves ``pending``/``sending`` only as
  ``sent`` (every service of its tag accepted), ``failed`` (after ``max_attempts``; the
  operator is told once) or ``held`` (see below).
* Nothing is repeated to a service that accepted it, with one window that no sender can
  close: the process dying after a service accepted the message and before the following
  one-row commit. With ``unknown_outcome = 'resend'`` (default: at-least-once per service)
  that service gets the message again, marked "may repeat"; with ``'hold'`` (at-most-once)
  the row waits for ``scamwatch alerts retry ID`` and the operator is told.
* A row that comes due inside its route's quiet hours (a retry, or one queued before they were
  configured) is not sent: it is postponed to their end in the database (:mod:`alerts.quiet`).

``hook(step, row_id)`` is called at each step ('claimed', 'sending', 'accepted', 'recorded',
'finished'; the stage adds 'queued' before any sending) so tests can kill the process there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlite_utils

from alerts import outbox, quiet, source
from alerts.config import AlertsConfig
from alerts.outbox import OutboxRow
from alerts.send import Channels
from alerts.templates import Message, note

log = logging.getLogger(__name__)

Hook = Callable[[str, int], None]
RESEND_NOTE = "Resent after an interruption: you may have received this message already."


@dataclass
class DispatchReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0
    postponed: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(config: AlertsConfig, attempts: int) -> float:
    """Seconds before the next attempt: retry_base doubled per attempt made, capped at retry_max."""
    return float(min(config.retry_max, config.retry_base * 2 ** max(0, attempts - 1)))


def dispatch_due(config: AlertsConfig, db: sqlite_utils.Database, channels: Channels, now: datetime,
                 hook: Hook | None = None, limit: int | None = None, kinds: tuple[str, ...] | None = None,
                 should_stop: Callable[[], bool] | None = None) -> DispatchReport:
    """Send every due outbox row (of ``kinds``) once; ``should_stop`` is asked between rows."""
    report = DispatchReport()
    owner = outbox.new_owner()
    for row in outbox.due(db, now, limit, kinds):
        if should_stop is not None and should_stop():
            log.info("alerts: stopping early, the rest stays in the outbox")
            break
        if row.status == "sending" and config.unknown_outcome == "hold":
            outbox.hold(db, row.id, "interrupted mid-send, outcome unknown: run 'scamwatch alerts retry "
                        f"{row.id}' to send it again")
            report.held += 1
            continue
        until = quiet.held_until(config.route(row.route), row.kind, source.opens_incident(db, row.story_id), now)
        if until is not None:
            if outbox.postpone(db, row, until):
                log.info("alert %d (route %s) waits for the end of quiet hours at %s", row.id, row.route,
                         outbox.iso(until))
                report.postponed += 1
            continue
        if not outbox.claim(db, row, owner, now, config.lease):
            continue
        _step(hook, "claimed", row.id)
        outcome = deliver(config, db, channels, row, now, hook)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def deliver(config: AlertsConfig, db: sqlite_utils.Database, channels: Channels, row: OutboxRow,
            now: datetime, hook: Hook | None = None) -> str:
    """One attempt at a claimed row; returns 'sent', 'retrying' or 'failed'."""
    attempts = row.attempts + 1
    interrupted = row.interrupted or row.status == "sending"
    message = _with_note(row.message) if interrupted else row.message
    services = channels.services(row.tag)
    errors: list[str] = []
    if not services:
        if not channels.broken_tags & {row.tag, "all"}:
            return _unroutable(db, row, channels)
        errors.append(f"no usable channel has the tag {row.tag!r}; skipped: "
                      + "; ".join(str(p) for p in channels.problems))
    todo = [(sid, service) for sid, service in services if sid not in row.delivered]
    kind = notify_type(row.kind, source.opens_incident(db, row.story_id))
    for n, (sid, service) in enumerate(todo, 1):
        _step(hook, "sending", row.id)
        error = channels.send(service, message, kind)
        if error:
            errors.append(error)
            continue
        _step(hook, "accepted", row.id)
        if n == len(todo) and not errors:
            outbox.finish(db, row.id, now, sid)  # the last acceptance and 'sent' in one commit
            _step(hook, "recorded", row.id)
        else:
            outbox.record_delivery(db, row.id, sid)
            _step(hook, "recorded", row.id)
    if not errors:
        if not todo:
            outbox.finish(db, row.id, now)
        _step(hook, "finished", row.id)
        log.info("alert %d (%s, route %s) sent", row.id, row.kind, row.route)
        return "sent"
    error = "; ".join(errors)
    if attempts >= config.max_attempts:
        outbox.defer(db, row.id, error, None)
        log.warning("alert %d (route %s) failed after %d attempts: %s", row.id, row.route, attempts, error)
        return "failed"
    next_at = now + timedelta(seconds=backoff(config, attempts))
    outbox.defer(db, row.id, error, next_at)
    log.info("alert %d (route %s) attempt %d failed, retry at %s: %s",
             row.id, row.route, attempts, outbox.iso(next_at), error)
    return "retrying"


def _unroutable(db: sqlite_utils.Database, row: OutboxRow, channels: Channels) -> str:
    """A tag no channel carries is a configuration error: failed at once (the operator is told), never
    retried as if the service were down."""
    error = f"configuration error: no alert channel has the tag {row.tag!r} (tags: " \
            f"{', '.join(sorted(channels.tags())) or 'none'})"
    outbox.defer(db, row.id, error, None)
    log.error("alert %d (route %s) failed: %s", row.id, row.route, error)
    return "failed"


def notify_type(kind: str, new_incident: bool) -> str:
    """Apprise notify type: warning for a new incident, failure for an operator problem, else info."""
    if kind == "operator":
        return "failure"
    if kind == "recovery":
        return "success"
    return "warning" if (kind == "new" and new_incident) or kind == "new_incident" else "info"


def _with_note(message: Message) -> Message:
    return Message(message.title, note(RESEND_NOTE, message.body_format) + message.body, message.body_format)


def _step(hook: Hook | None, step: str, row_id: int) -> None:
    if hook is not None:
        hook(step, row_id)
