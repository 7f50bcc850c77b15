"""Stage entry point: ``alert_due(config, db, now)`` queues what is new and sends what is due.

One pass: stories → outbox rows and digest entries (:mod:`alerts.plan`); due digests →
outbox rows; operator conditions (:mod:`alerts.operator`); then every due outbox row is
delivered through Apprise (:mod:`alerts.dispatch`). Every step is idempotent, so a pass
that crashes anywhere is completed by the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

import sqlite_utils

from alerts import outbox, plan, quiet, source
from alerts.config import AlertsContext
from alerts.dispatch import Hook, dispatch_due
from alerts.operator import check_operator
from alerts.send import Channels
from alerts.templates import TemplateSet
from crawler.base.clock import Clock

log = logging.getLogger(__name__)


@dataclass
class AlertReport:
    """What one pass did: rows sent/failed now, rows still pending, what was queued."""

    sent: int = 0
    pending: int = 0
    failed: int = 0
    retrying: int = 0
    held: int = 0
    queued: int = 0
    digest_entries: int = 0
    digests: int = 0
    operator: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def templates_for(config: AlertsContext) -> TemplateSet:
    folder = config.alerts.templates_dir
    return TemplateSet(config.resolve(folder) if folder else None)


def alert_due(config: AlertsContext, db: sqlite_utils.Database, now: datetime | None = None, *,
              channels: Channels | None = None, hook: Hook | None = None,
              should_stop: Callable[[], bool] | None = None, stalled: str | None = None,
              clock: Clock | None = None) -> AlertReport:
    """Queue alerts for new/changed stories and due digests, then deliver every due alert.

    Runs the operator checks too (:func:`alerts.operator.check_operator`) and sends what they
    queue in the same pass (``stalled``: see :func:`alerts.operator.open_conditions`). ``should_stop``
    (SIGTERM) ends delivery between two alerts.
    """
    now = outbox.as_utc(now, clock)
    templates = templates_for(config)
    stories = plan.queue_stories(config, db, templates, now)
    digests = plan.queue_digests(config, db, templates, now)
    if hook is not None:
        hook("queued", 0)
    own = channels is None
    channels = channels or Channels(config.alerts, config.base_dir)
    try:
        first = dispatch_due(config.alerts, db, channels, now, hook, should_stop=should_stop)
        operator = check_operator(config, db, now, templates, send=False, stalled=stalled)
        second = dispatch_due(config.alerts, db, channels, now, hook, should_stop=should_stop) if operator else None
    finally:
        if own:
            channels.close()
    report = AlertReport(queued=stories.queued, digest_entries=stories.digested, digests=digests.digests,
                         operator=operator)
    for part in (first, second):
        if part is not None:
            report.sent += part.sent
            report.failed += part.failed
            report.retrying += part.retrying
            report.held += part.held
    report.pending = outbox.counts(db)["pending"]
    done = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in report.as_dict().items() if value)
    # an idle daemon tick says nothing above DEBUG
    log.log(logging.INFO if report.sent or report.failed or report.queued or report.digests else logging.DEBUG,
            "alerts: %s", done or "nothing to do")
    return report


def preview(config: AlertsContext, db: sqlite_utils.Database, now: datetime | None = None,
            channels: Channels | None = None) -> list[str]:
    """What a pass would queue and send now, without writing or sending anything."""
    now = outbox.as_utc(now)
    templates = templates_for(config)
    lines = plan.queue_stories(config, db, templates, now, dry=True).lines
    lines += plan.queue_digests(config, db, templates, now, dry=True).lines
    own = channels is None
    channels = channels or Channels(config.alerts, config.base_dir)
    try:
        for row in outbox.due(db, now):
            until = quiet.held_until(config.alerts.route(row.route), row.kind,
                                     source.opens_incident(db, row.story_id), now)
            if until is not None:
                lines.append(f"alert {row.id} → tag {row.tag}: waits for the end of quiet hours"
                             f" ({outbox.iso(until)}): {row.title}")
                continue
            targets = [channels.masked(s) for sid, s in channels.services(row.tag) if sid not in row.delivered]
            lines.append(f"alert {row.id} → tag {row.tag} ({len(targets)} service(s)): {row.title}")
            lines += [f"    {t}" for t in targets]
    finally:
        if own:
            channels.close()
    return lines
