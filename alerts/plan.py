"""Turn new and changed stories into outbox rows and digest entries; turn due digests into rows.

Each story is handled in one transaction: its outbox rows, its digest entries and the note on
the story of what was alerted (``alerted_state``) are committed together, so re-running after
a crash neither loses nor doubles anything (outbox keys and digest keys are unique too).
During a route's quiet hours (:mod:`alerts.quiet`) its alerts are queued due at their end, and
its digests are not written until then.
With ``dry=True`` nothing is written; the returned lines say what would happen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlite_utils

from alerts import digest, kinds, outbox, quiet, source
from alerts.config import AlertsContext, RouteConfig
from alerts.content import StoryView, alert_title
from alerts.links import Links
from alerts.messages import digest_entry, render_digest, story_values
from alerts.routing import Decision, decide, matches
from alerts.templates import Link, TemplateSet
from alerts.wording import KINDS
from classifier.queries import dismissed_stories

log = logging.getLogger(__name__)


@dataclass
class PlanReport:
    queued: int = 0
    digested: int = 0
    digests: int = 0
    lines: list[str] = field(default_factory=list)


def queue_stories(config: AlertsContext, db: sqlite_utils.Database, templates: TemplateSet, now: datetime,
                  dry: bool = False) -> PlanReport:
    """Enqueue alerts for every story that is new or changed since the last pass."""
    report = PlanReport()
    ac = config.alerts
    links = Links.for_database(ac.public_url, config.db_path)
    dismissed = dismissed_stories(db)
    for story in source.stories_to_consider(db):
        decisions = [] if story.id in dismissed else decide(story, ac.effective_routes, ac.update_count_factor)
        if dry:
            report.lines += [_describe(story, d, db, now) for d in decisions]
            continue
        with db.atomic():
            for decision in decisions:
                _apply(db, templates, story, decision, now, links, report, _story_settings(config))
            if not decisions and story.id not in dismissed:
                _note_growth(db, story, ac.effective_routes, links, now)
            alerted = story.band == "alert" and any(d.kind in ("new", "update") for d in decisions)
            source.record(db, story, _state(story, decisions, story.band), outbox.iso(now), alerted)
    return report


@dataclass(frozen=True)
class StorySettings:
    """What alert kinds read of the stories stage's settings (defaults: for a caller without a configuration)."""

    window_days: int | None = None  # "first report in N days"
    event_days: float = kinds.SAME_EVENT_DAYS
    count_factor: float = 1.5


def _story_settings(config: AlertsContext) -> StorySettings:
    return StorySettings(config.stories.incident_window_days, float(config.stories.event_days),
                         config.alerts.update_count_factor)


def kind_values(db: sqlite_utils.Database, story: StoryView, decision: Decision,
                settings: StorySettings) -> tuple[str | None, dict[str, object], str]:
    """The alert kind (:mod:`alerts.kinds`; None: a first alert repeating its incident's, sent as nothing),
    the template values it sets ($title, $alert_kind; an update links the report that carries the new
    fact) and the outbox key suffix (one per update report)."""
    told = decision.kind == "update" or (decision.kind == "new" and not story.new_incident)
    siblings = source.alerted_siblings(db, story.id) if told else []
    alert_kind = kinds.alert_kind(decision.kind, story, siblings, settings.count_factor, settings.event_days)
    if alert_kind is None:
        return None, {}, decision.kind
    values: dict[str, object] = {"alert_kind": alert_kind, "title": alert_title(
        story, KINDS[alert_kind], decision.changes, window_days=settings.window_days)}
    suffix = decision.kind
    if alert_kind == kinds.UPDATE:
        report = kinds.carrier(source.reports(db, story.id), story.alerted_state, story)
        if report is not None:
            url = report.get("url")
            values.update(url=url or "", article_link=Link(url or "(no link)", url),
                          headline_link=Link(report.get("title") or story.headline, url))
            suffix = f"update:{report['id']}"
    return alert_kind, values, suffix


def _apply(db: sqlite_utils.Database, templates: TemplateSet, story: StoryView, decision: Decision,
           now: datetime, links: Links, report: PlanReport, settings: StorySettings | None = None) -> None:
    route = decision.route
    if decision.immediate and not rate_limited(db, route, now):
        alert_kind, extra, suffix = kind_values(db, story, decision, settings or StorySettings())
        if alert_kind is None and decision.kind in ("new", "update"):
            return  # it repeats what its incident's alerts told: a silent join
        values = {**story_values(story, alert_kind or decision.kind, decision.changes, links, route.name, route.zone,
                                 now), **extra}
        message = templates.render(route.template, "story", values)
        key = f"story:{story.id}:{route.name}:{suffix}"
        hold = quiet.held_until(route, decision.kind, story.new_incident, now)
        if outbox.enqueue(db, key=key, route=route.name, tag=route.tag, kind=decision.kind, message=message,
                          now=now, story_id=story.id, not_before=hold, alert_kind=alert_kind):
            report.queued += 1
            if hold is not None:
                log.info("route %s is in quiet hours: story %d waits until %s", route.name, story.id, outbox.iso(hold))
        return
    if decision.immediate:
        log.info("route %s over its rate limit: story %d goes to the next digest", route.name, story.id)
    if digest.add(db, route.name, digest_entry(story, decision.kind, decision.changes, links), now):
        report.digested += 1


def _note_growth(db: sqlite_utils.Database, story: StoryView, routes: list[RouteConfig], links: Links,
                 now: datetime) -> None:
    """A story alerted earlier that gained reports without a development: '+N reports' in the digests."""
    previous = story.alerted_state or {}
    if previous.get("band") != "alert" or previous.get("items") is None:
        return
    grown = story.item_count - int(previous["items"])
    if grown > 0:
        for route in routes:
            if matches(route, story):
                digest.add_growth(db, route.name, digest_entry(story, "new", links=links, grown=grown), now)


def _state(story: StoryView, decisions: list[Decision], current: str) -> dict[str, object]:
    """What to remember as reported: the story now if it was alerted or changed band, else the old state."""
    previous = story.alerted_state
    if previous is not None and previous.get("band") == "alert" and not decisions:
        return previous  # a story once alerted stays alerted, whatever its score does later
    if decisions or previous is None or previous.get("band") != current:
        return story.state(current)
    return previous


def rate_limited(db: sqlite_utils.Database, route: RouteConfig, now: datetime) -> bool:
    """True when the route already had ``rate_limit`` immediate alerts within ``rate_window``."""
    if not route.rate_limit:
        return False
    since = outbox.iso(now - timedelta(seconds=route.rate_window))
    (n,) = db.execute("SELECT count(*) FROM alerts WHERE route = ? AND kind IN ('new', 'update')"
                      " AND created_at > ?", [route.name, since]).fetchone()
    return bool(n >= route.rate_limit)


def _describe(story: StoryView, decision: Decision, db: sqlite_utils.Database, now: datetime) -> str:
    how = "alert" if decision.immediate and not rate_limited(db, decision.route, now) else "digest entry"
    hold = quiet.held_until(decision.route, decision.kind, story.new_incident, now) if how == "alert" else None
    if hold is not None:
        how += f" held for quiet hours until {outbox.iso(hold)}"
    return f"story {story.id} → route {decision.route.name} ({decision.kind}, {how}): {story.headline[:80]}"


def queue_digests(config: AlertsContext, db: sqlite_utils.Database, templates: TemplateSet, now: datetime,
                  dry: bool = False) -> PlanReport:
    """Write a digest row for every route whose digest is due (and not empty, unless it sends empty ones)."""
    report = PlanReport()
    health = source.healthy_sources(db)
    for route in config.alerts.effective_routes:
        entries = digest.waiting(db, route.name)
        if dry:
            key = digest.due_key(route, _peek_last(db, route.name, now), len(entries), now)
            if key and (entries or route.sends_empty_digest):
                until = quiet.quiet_until(route, now)
                wait = f", waits for the end of quiet hours ({outbox.iso(until)})" if until else ""
                report.lines.append(f"digest {key} → tag {route.tag}: {len(entries)} stories{wait}")
            continue
        last = digest.last_sent(db, route.name, now)
        key = digest.due_key(route, last, len(entries), now)
        if key is None or quiet.quiet_until(route, now) is not None:
            continue  # not due, or due but waiting for the end of the route's quiet hours
        with db.atomic():
            if not digest.advance(db, route.name, last, key, now):
                continue  # a concurrent pass sent this digest
            entries = digest.waiting(db, route.name)
            if entries or route.sends_empty_digest:
                message = render_digest(templates, route.template, route, entries, health, now)
                if outbox.enqueue(db, key=key, route=route.name, tag=route.tag, kind="digest",
                                  message=message, now=now):
                    report.digests += 1
            digest.stamp(db, route.name, key, entries)
    return report


def _peek_last(db: sqlite_utils.Database, route: str, now: datetime) -> datetime:
    row = db.execute("SELECT last_at FROM alert_digests WHERE route = ?", [route]).fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else now
