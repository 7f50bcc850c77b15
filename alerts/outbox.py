"""The outbox: every alert is a row in ``alerts`` before anything is sent.

Life of a row::

    pending ──claim (lease)──▶ sending ──every service accepted──▶ sent
       ▲                          │ some service failed: attempts < max ─▶ pending (backoff)
       │                          │ attempts == max ────────────────────▶ failed
       └──── alerts retry ────────┴ lease lost (crash) + unknown_outcome='hold' ─▶ held

Each service that accepts the message is recorded in ``delivered`` at once (its own commit),
so a retry goes only to the services that did not accept it. A row left ``sending`` by a
process that died is reclaimed when its lease expires, or at once when the lease holder is
a dead process on this host; it is then marked ``interrupted`` and, with
``unknown_outcome = 'resend'``, resent to its undelivered services with a note that it may
repeat. A row that comes due inside its route's quiet hours is postponed (back to
``pending``, ``next_attempt_at`` = their end, no attempt used; see :mod:`alerts.quiet`).
Only SQL lives here; :mod:`alerts.dispatch` drives the life cycle.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from alerts.templates import Message
from crawler.base.clock import Clock, iso, or_system
from crawler.base.clock import as_utc as clock_utc

STATUSES = ("pending", "sending", "sent", "failed", "held")
_HOST = socket.gethostname()


@dataclass
class OutboxRow:
    id: int
    key: str
    route: str
    tag: str
    kind: str
    title: str
    body: str
    body_format: str
    status: str
    attempts: int
    delivered: list[str]
    interrupted: bool
    story_id: int | None = None

    @property
    def message(self) -> Message:
        return Message(self.title, self.body, self.body_format)


def as_utc(moment: datetime | None, clock: Clock | None = None) -> datetime:
    """``moment`` (naive = UTC) or the clock's now, as an aware UTC datetime to the second."""
    return clock_utc(or_system(clock).now() if moment is None else moment)


def utcnow(clock: Clock | None = None) -> datetime:
    return as_utc(None, clock)


def new_owner() -> str:
    """A fresh owner for one dispatch call, so a call that died in this process is reclaimable."""
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def enqueue(db: sqlite_utils.Database, *, key: str, route: str, tag: str, kind: str,
            message: Message, now: datetime, story_id: int | None = None,
            not_before: datetime | None = None, alert_kind: str | None = None) -> bool:
    """Record an alert, due at ``not_before`` (default: now), unless one with ``key`` exists (caller's
    transaction). True if new. ``alert_kind``: what a story alert says happened (:mod:`alerts.kinds`)."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO alerts (key, story_id, route, tag, kind, title, body, body_format, status,"
        " attempts, next_attempt_at, created_at, delivered, interrupted, failure_reported, alert_kind)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, '[]', 0, 0, ?)",
        [key, story_id, route, tag, kind, message.title, message.body, message.body_format,
         iso(not_before or now), iso(now), alert_kind])
    return cursor.rowcount == 1


def _row(data: dict[str, Any]) -> OutboxRow:
    return OutboxRow(
        id=data["id"], key=data["key"], route=data["route"], tag=data["tag"], kind=data["kind"],
        title=data["title"] or "", body=data["body"] or "", body_format=data["body_format"] or "text",
        status=data["status"], attempts=data["attempts"] or 0, delivered=json.loads(data["delivered"] or "[]"),
        interrupted=bool(data["interrupted"]), story_id=data["story_id"])


def due(db: sqlite_utils.Database, now: datetime, limit: int | None = None,
        kinds: tuple[str, ...] | None = None) -> list[OutboxRow]:
    """Rows to send now (optionally only of ``kinds``): pending and due, or sending with a lost lease."""
    only = f" AND kind IN ({','.join('?' * len(kinds))})" if kinds else ""
    rows = db.query(
        "SELECT * FROM alerts WHERE ((status = 'pending' AND next_attempt_at <= ?) OR status = 'sending')"
        + only + " ORDER BY id" + (f" LIMIT {int(limit)}" if limit else ""), [iso(now), *(kinds or ())])
    out = []
    for data in rows:
        if data["status"] == "sending" and not lease_lost(data["lease_owner"], data["lease_until"], now):
            continue
        out.append(_row(data))
    return out


def lease_lost(owner: str | None, until: str | None, now: datetime) -> bool:
    """True when the lease expired or its holder is gone (a dead process, or an aborted call here)."""
    if not owner or not until or until <= iso(now):
        return True
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != _HOST or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True  # a dispatch call in this process that raised; calls here never overlap
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim(db: sqlite_utils.Database, row: OutboxRow, owner: str, now: datetime, lease: float) -> bool:
    """Take the lease on ``row`` (as read by :func:`due`); False if another sender got there first."""
    with db.atomic():
        cursor = db.execute(
            "UPDATE alerts SET status = 'sending', lease_owner = ?, lease_until = ?, attempts = attempts + 1,"
            " last_attempt_at = ?,"
            " interrupted = interrupted OR (status = 'sending')"
            " WHERE id = ? AND status = ? AND attempts = ?",
            [owner, iso(now + timedelta(seconds=lease)), iso(now), row.id, row.status, row.attempts])
    return cursor.rowcount == 1


def postpone(db: sqlite_utils.Database, row: OutboxRow, until: datetime) -> bool:
    """Put ``row`` (as read by :func:`due`) back to ``pending`` until ``until`` without using an attempt;
    False if another sender took it meanwhile. A row cut off mid-send keeps its 'may repeat' mark."""
    with db.atomic():
        cursor = db.execute(
            "UPDATE alerts SET status = 'pending', next_attempt_at = ?, interrupted = interrupted OR"
            " (status = 'sending'), lease_owner = NULL, lease_until = NULL"
            " WHERE id = ? AND status = ? AND attempts = ?",
            [iso(until), row.id, row.status, row.attempts])
    return cursor.rowcount == 1


def hold(db: sqlite_utils.Database, row_id: int, reason: str) -> None:
    """Stop sending ``row_id`` until an operator retries it (at-most-once after a crash)."""
    with db.atomic():
        db.execute("UPDATE alerts SET status = 'held', interrupted = 1, last_error = ?, lease_owner = NULL,"
                   " lease_until = NULL WHERE id = ?", [reason, row_id])


def record_delivery(db: sqlite_utils.Database, row_id: int, service_id: str) -> None:
    """Remember, durably and at once, that ``service_id`` accepted the alert."""
    with db.atomic():
        _add_delivered(db, row_id, service_id)


def _add_delivered(db: sqlite_utils.Database, row_id: int, service_id: str) -> None:
    db.execute("UPDATE alerts SET delivered = json_insert(delivered, '$[#]', ?) WHERE id = ?"
               " AND NOT EXISTS (SELECT 1 FROM json_each(delivered) WHERE value = ?)",
               [service_id, row_id, service_id])


def finish(db: sqlite_utils.Database, row_id: int, now: datetime, service_id: str | None = None) -> None:
    """Mark the row ``sent`` (recording ``service_id``'s acceptance in the same commit, if given)."""
    with db.atomic():
        if service_id is not None:
            _add_delivered(db, row_id, service_id)
        db.execute("UPDATE alerts SET status = 'sent', sent_at = ?, last_error = NULL, lease_owner = NULL,"
                   " lease_until = NULL WHERE id = ?", [iso(now), row_id])


def mark_failure_reported(db: sqlite_utils.Database, row_id: int) -> None:
    """The operator has been told this row failed or was held."""
    db.execute("UPDATE alerts SET failure_reported = 1 WHERE id = ?", [row_id])


def defer(db: sqlite_utils.Database, row_id: int, error: str, next_at: datetime | None) -> None:
    """Back to ``pending`` until ``next_at``; with ``next_at=None`` the row is ``failed``."""
    status = "pending" if next_at else "failed"
    with db.atomic():
        db.execute("UPDATE alerts SET status = ?, last_error = ?, next_attempt_at = ?, lease_owner = NULL,"
                   " lease_until = NULL WHERE id = ?", [status, error, iso(next_at) if next_at else None, row_id])


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Alerts per status (every status present, zero when none) — for ``scamwatch status``."""
    out = dict.fromkeys(STATUSES, 0)
    for status, n in db.execute("SELECT status, count(*) FROM alerts GROUP BY status").fetchall():
        out[status] = n
    return out


def listing(db: sqlite_utils.Database, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Newest alerts first, optionally of one status (no bodies)."""
    where, args = ("WHERE status = ?", [status]) if status else ("", [])
    return list(db.query(
        f"SELECT id, created_at, route, kind, status, attempts, story_id, title, last_error, sent_at, next_attempt_at"
        f" FROM alerts {where} ORDER BY id DESC LIMIT {int(limit)}", args))


def retry(db: sqlite_utils.Database, row_id: int, now: datetime) -> bool:
    """Make a failed or held alert pending again (due now, attempts reset). False if not retryable."""
    with db.atomic():
        cursor = db.execute(
            "UPDATE alerts SET status = 'pending', attempts = 0, next_attempt_at = ?, failure_reported = 0"
            " WHERE id = ? AND status IN ('failed', 'held', 'pending')", [iso(now), row_id])
    return cursor.rowcount == 1
