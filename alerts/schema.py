"""Tables of the alert stage.

* ``alerts`` — the outbox: one row per message to one route, written before any sending.
  ``key`` ("story:route:kind", "digest:route:period", "operator:condition:n") makes enqueueing
  idempotent. ``delivered`` lists the services (hashes of their privacy-masked URLs, never
  the URL) that accepted the message, so a retry only goes to the ones that did not.
  ``next_attempt_at`` is the row's not-before time: retry back-off, and the end of its route's
  quiet hours (:mod:`alerts.quiet`). Whether a row's story opened an incident is read from the
  stories stage when it matters (m002 noted it here; m004 dropped the copy);
  ``alert_kind`` what a story alert said happened (new_incident | follow_up | update).
* ``alert_digest_items`` — stories waiting for a route's next digest.
* ``alert_digests`` — when each route last sent its digest.
* ``alert_conditions`` — operator problems (failing source, failing channel, stalled daemon).
* ``alert_story_state`` — per story, what the alert stage last reported (``alerted_state``, JSON
  with the band, nationalities, status, count and the story's ``updated_at`` it saw as ``seen``)
  and when it first alerted it (``alerted_at``); m003 moved both off ``stories``.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from crawler.base.database import drop_columns

migrations = Migrations("scamwatch.alerts")


@migrations()
def m001_outbox(db: sqlite_utils.Database) -> None:
    db.table("alerts").create(
        {
            "id": int,
            "key": str,
            "story_id": int,
            "route": str,
            "tag": str,
            "kind": str,             # new | update | digest | operator | recovery | test
            "title": str,
            "body": str,
            "body_format": str,      # markdown | html | text
            "status": str,           # pending | sending | sent | failed | held
            "attempts": int,
            "last_error": str,
            "next_attempt_at": str,
            "last_attempt_at": str,
            "lease_owner": str,
            "lease_until": str,
            "delivered": str,        # JSON list of service ids that accepted
            "interrupted": int,      # 1 once a send was cut off with unknown outcome
            "created_at": str,
            "sent_at": str,
            "failure_reported": int,
        },
        pk="id",
        not_null={"key", "route", "kind", "status", "created_at"},
        defaults={"status": "pending", "attempts": 0, "delivered": "[]", "interrupted": 0,
                  "failure_reported": 0},
    )
    db.table("alerts").create_index(["key"], unique=True)
    db.table("alerts").create_index(["status", "next_attempt_at"])
    db.table("alerts").create_index(["route", "kind", "created_at"])
    db.table("alert_digest_items").create(
        {"route": str, "story_id": int, "section": str, "title": str, "data": str,
         "added_at": str, "digest_key": str},
        pk=("route", "story_id", "section"),
    )
    db.table("alert_digest_items").create_index(["route", "digest_key"])
    db.table("alert_digests").create({"route": str, "last_at": str, "last_key": str}, pk="route")
    db.table("alert_conditions").create(
        {"key": str, "kind": str, "subject": str, "detail": str, "since": str,
         "last_notified_at": str, "notices": int, "resolved_at": str},
        pk="key",
        defaults={"notices": 0},
    )


@migrations()
def m002_alert_new_incident(db: sqlite_utils.Database) -> None:
    """Whether an alert's story reports a new incident (such alerts may pass a route's quiet hours)."""
    db.table("alerts").add_column("new_incident", int, not_null_default=0)


@migrations()
def m003_alert_story_state(db: sqlite_utils.Database) -> None:
    """The alert stage's per-story state in its own table, copied from the columns it kept on ``stories``."""
    db.table("alert_story_state").create(
        {"story_id": int, "alerted_at": str, "alerted_state": str}, pk="story_id")
    stories = db["stories"]
    if not stories.exists() or "alerted_state" not in stories.columns_dict:
        return
    db.execute("INSERT INTO alert_story_state (story_id, alerted_at, alerted_state) SELECT id, alerted_at, "
               "alerted_state FROM stories WHERE alerted_at IS NOT NULL OR alerted_state IS NOT NULL")
    db.execute("DROP INDEX IF EXISTS idx_stories_relevant_alerted_at")
    drop_columns(db, "stories", ["alerted_at", "alerted_state"])


@migrations()
def m004_no_new_incident_copy(db: sqlite_utils.Database) -> None:
    """The new-incident flag is read from ``story_incidents`` (through the stories stage's queries)."""
    drop_columns(db, "alerts", ["new_incident"])


@migrations()
def m005_alert_kind(db: sqlite_utils.Database) -> None:
    """What a story alert said happened (:mod:`alerts.kinds`): new_incident | follow_up | update."""
    db.table("alerts").add_column("alert_kind", str)
