"""Operator alerts: problems with scamwatch itself, kept apart from content alerts.

Conditions: a source failing ``alerts.operator.source_failures`` cycles in a row, a channel
whose alerts keep failing, a daemon that finished no cycle for ``daemon.stall_after``, and
each alert that ends ``failed`` or ``held``. An open condition is told to the operator's
tag when it appears and again every ``repeat_every`` until it clears; its recovery is told
once. Messages go through the outbox like any alert (kinds ``operator`` and ``recovery``).
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlite_utils

from alerts import outbox, source
from alerts.config import AlertsContext
from alerts.messages import operator_values
from alerts.send import skipped_channels
from alerts.templates import TemplateSet
from crawler.base.clock import Clock

log = logging.getLogger(__name__)
_NOT_CONTENT = ("operator", "recovery", "test")


def open_conditions(config: AlertsContext, db: sqlite_utils.Database,
                    stalled: str | None = None) -> dict[str, tuple[str, str]]:
    """Problems now: condition key → (title, detail); ``stalled`` is when the last cycle finished, if
    the daemon counts as stalled (the top layer, which owns the cycles, tells)."""
    found: dict[str, tuple[str, str]] = {}
    threshold = config.alerts.operator.source_failures
    for name, detail in source.failing_sources(db, threshold).items():
        found[f"source:{name}"] = (f"Source {name} is failing", f"Source {name}: {detail}")
    rows = db.execute(
        "SELECT tag, count(*), max(last_error) FROM alerts AS a WHERE status IN ('pending', 'sending', 'failed')"
        " AND attempts >= 2 AND last_error IS NOT NULL AND kind NOT IN ('operator', 'recovery', 'test')"
        " AND NOT EXISTS (SELECT 1 FROM alerts AS s WHERE s.tag = a.tag AND s.status = 'sent'"
        " AND s.sent_at >= a.last_attempt_at) GROUP BY tag").fetchall()
    for tag, n, error in rows:
        found[f"channel:{tag}"] = (f"Alert channel '{tag}' is failing",
                                   f"{n} alert(s) to tag '{tag}' keep failing; last error: {error}")
    for problem in skipped_channels(config.alerts, config.base_dir):
        found[f"config:{problem.key}"] = (f"Alert channel {problem.key} is skipped", f"{problem}. The other"
                                          " channels still deliver; fix the setting and reload (SIGHUP).")
    if stalled:
        found["daemon:stalled"] = ("scamwatch daemon stalled", f"No cycle has finished since {stalled}")
    return found


def check_operator(config: AlertsContext, db: sqlite_utils.Database, now: datetime | None = None,
                   templates: TemplateSet | None = None, send: bool = True, stalled: str | None = None,
                   clock: Clock | None = None) -> int:
    """Record open/cleared conditions, queue the operator messages that are due and (``send``) deliver
    them at once through the outbox; returns how many were queued."""
    now = outbox.as_utc(now, clock)
    queued = _check(config, db, now, templates or _templates(config), stalled)
    if queued and send and config.alerts.operator.tag:
        from alerts.dispatch import dispatch_due
        from alerts.send import Channels

        channels = Channels(config.alerts, config.base_dir)
        try:
            dispatch_due(config.alerts, db, channels, now, kinds=("operator", "recovery"))
        finally:
            channels.close()
    return queued


def _check(config: AlertsContext, db: sqlite_utils.Database, now: datetime, templates: TemplateSet,
           stalled: str | None) -> int:
    found = open_conditions(config, db, stalled)
    queued = 0
    known = {r["key"]: r for r in db.query("SELECT * FROM alert_conditions WHERE resolved_at IS NULL")}
    repeat = config.alerts.operator.repeat_every
    for key, (title, detail) in found.items():
        row = known.get(key)
        last = row["last_notified_at"] if row else None
        due = last is None or (now - datetime.fromisoformat(last)).total_seconds() >= repeat
        with db.atomic():
            if row is None:
                db.execute("INSERT OR REPLACE INTO alert_conditions (key, kind, subject, detail, since, notices)"
                           " VALUES (?, ?, ?, ?, ?, 0)", [key, key.split(":")[0], key, detail, outbox.iso(now)])
            if due:
                n = (row["notices"] if row else 0) + 1
                since = row["since"] if row else outbox.iso(now)
                queued += _notify(config, db, templates, f"operator:{key}:{since}:{n}", "operator",
                                  f"PROBLEM: {title}", detail, since, now)
                db.execute("UPDATE alert_conditions SET last_notified_at = ?, notices = ?, detail = ?"
                           " WHERE key = ?", [outbox.iso(now), n, detail, key])
    for key, row in known.items():
        if key in found:
            continue
        with db.atomic():
            db.execute("UPDATE alert_conditions SET resolved_at = ? WHERE key = ?", [outbox.iso(now), key])
            if row["notices"]:
                queued += _notify(config, db, templates, f"recovery:{key}:{row['since']}", "recovery",
                                  f"RECOVERED: {key}", f"{row['subject']} is fine again.", row["since"], now)
    return queued + report_failures(config, db, templates, now)


def report_failures(config: AlertsContext, db: sqlite_utils.Database, templates: TemplateSet, now: datetime) -> int:
    """Tell the operator, once each, about content alerts that ended ``failed`` or ``held``."""
    marks = ",".join("?" * len(_NOT_CONTENT))
    rows = list(db.query(
        f"SELECT id, route, status, title, attempts, last_error, created_at FROM alerts"
        f" WHERE status IN ('failed', 'held') AND failure_reported = 0 AND kind NOT IN ({marks})",
        list(_NOT_CONTENT)))
    queued = 0
    for r in rows:
        detail = (f"Alert {r['id']} to route {r['route']} ({r['title']}) is {r['status']} after "
                  f"{r['attempts']} attempt(s): {r['last_error']}. Resend with: scamwatch alerts retry {r['id']}")
        with db.atomic():
            queued += _notify(config, db, templates, f"operator:alert:{r['id']}:{r['status']}", "operator",
                              f"PROBLEM: alert {r['id']} {r['status']}", detail, r["created_at"], now)
            outbox.mark_failure_reported(db, r["id"])
    return queued


def _notify(config: AlertsContext, db: sqlite_utils.Database, templates: TemplateSet, key: str, kind: str,
            title: str, detail: str, since: str, now: datetime) -> int:
    """Queue one operator message (caller's transaction); without an operator tag, only log it."""
    op = config.alerts.operator
    log.warning("%s: %s", title, detail)
    if not op.tag:
        return 0
    repeat = f"{op.repeat_every / 3600:g} h"
    message = templates.render(op.template, "operator", operator_values(title, detail, since, kind, repeat))
    return int(outbox.enqueue(db, key=key, route="operator", tag=op.tag, kind=kind, message=message, now=now))


def _templates(config: AlertsContext) -> TemplateSet:
    folder = config.alerts.templates_dir
    return TemplateSet(config.resolve(folder) if folder else None)
