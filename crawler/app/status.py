"""``scamwatch status``: what the operator needs to know at a glance.

Reads only: the last cycle and the heartbeat (``cycles``), per-source health
(``sources``, items per day), work waiting in each stage, the alert outbox and the
database's size.

"Stalled" (shared with ``alerts.operator``): the newest cycle row is not ``stopped``,
and nothing finished (a cycle, or an idle tick's heartbeat) for longer than
``max(2 × daemon.tick, daemon.stall_after)``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from alerts.outbox import counts
from crawler.app.config import Config
from crawler.gather import queries as gather_queries
from crawler.gather.config import SourceConfig

ITEMS_PER_DAY_WINDOW = 7  # days


def stall_threshold(config: Config) -> float:
    """Seconds without a finished cycle or heartbeat after which the daemon counts as stalled."""
    return max(2 * config.daemon.tick, config.daemon.stall_after)


def stalled_since(config: Config, db: sqlite_utils.Database, now: datetime) -> str | None:
    """When the last cycle or heartbeat finished, if that is longer ago than the threshold; else None."""
    row = next(db.query("SELECT result, started_at, finished_at FROM cycles ORDER BY id DESC LIMIT 1"), None)
    if row is None or row["result"] == "stopped":
        return None
    last = row["finished_at"] or row["started_at"]
    if now - datetime.fromisoformat(last) > timedelta(seconds=stall_threshold(config)):
        return last
    return None


def _columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return set(db[table].columns_dict) if db[table].exists() else set()


FINISHED = ("ok", "partial", "error")


def last_cycles(db: sqlite_utils.Database) -> dict[str, Any]:
    """The newest cycle that did work, the newest row of all (the heartbeat), and the newest one that
    finished (shown beside a last cycle that is running, stopped, interrupted or abandoned)."""
    fields = "id, started_at, finished_at, duration, mode, result, summary"
    last = next(db.query(f"SELECT {fields} FROM cycles WHERE result != 'idle' ORDER BY id DESC LIMIT 1"), None)
    beat = next(db.query(f"SELECT {fields} FROM cycles ORDER BY id DESC LIMIT 1"), None)
    done = next(db.query(f"SELECT {fields} FROM cycles WHERE result IN ({', '.join('?' * len(FINISHED))})"
                         " ORDER BY id DESC LIMIT 1", FINISHED), None)
    return {"last": last, "heartbeat": beat, "last_finished": done}


def source_health(db: sqlite_utils.Database, now: datetime, failing_after: int,
                  configured: list[SourceConfig] | None = None) -> list[dict[str, Any]]:
    """One row per known or ``configured`` source: last success, consecutive failures, items/day over a
    week. A source polled but never successful is failing (``never_succeeded``); one not polled yet
    is listed as such."""
    since = (now - timedelta(days=ITEMS_PER_DAY_WINDOW)).isoformat(timespec="seconds")
    rows = gather_queries.source_health(db, failing_after, since)
    known = {r["name"] for r in rows}
    rows += [{"name": s.name, "enabled": int(s.enabled), "last_success": None, "consecutive_failures": 0,
              "items": 0} for s in configured or [] if s.name not in known]
    rows.sort(key=lambda r: r["name"])
    for row in rows:
        failures = row.get("consecutive_failures") or 0
        row["items_per_day"] = round(row.pop("items") / ITEMS_PER_DAY_WINDOW, 1)
        row["polled"] = bool(row.get("last_attempt") or row.get("last_success") or failures)
        row["never_succeeded"] = row["polled"] and not row.get("last_success")
        row["failing"] = failures >= failing_after or row["never_succeeded"]
    return rows


def pending_work(db: sqlite_utils.Database) -> dict[str, int]:
    """Rows each stage still has to process, and the stories found so far."""
    return {
        "items_unclassified": db.execute(
            "SELECT count(*) FROM items WHERE NOT EXISTS (SELECT 1 FROM classifications c WHERE c.item_id = items.id)"
        ).fetchone()[0],
        "items_ungrouped": db.execute(
            "SELECT count(*) FROM classifications c WHERE relevant = 1 "
            "AND NOT EXISTS (SELECT 1 FROM story_index s WHERE s.item_id = c.item_id)").fetchone()[0],
        "stories": db["stories"].count,
        "incidents": db["incidents"].count,
    }


def alert_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Outbox rows per status."""
    return dict(counts(db))


def database_size(path: os.PathLike[str] | str) -> int:
    """Bytes of the database file plus its write-ahead log."""
    total = 0
    for suffix in ("", "-wal"):
        try:
            total += os.path.getsize(f"{path}{suffix}")
        except OSError:
            pass
    return total


def collect_status(config: Config, db: sqlite_utils.Database, now: datetime | None = None) -> dict[str, Any]:
    """Everything ``scamwatch status`` shows, as plain JSON-able data."""
    now = now or datetime.now(UTC)
    failing_after = config.alerts.operator.source_failures
    sources = source_health(db, now, failing_after, config.sources)
    return {
        "now": now.isoformat(timespec="seconds"),
        "database": {"path": str(config.db_path), "bytes": database_size(config.db_path)},
        "cycles": last_cycles(db),
        "stalled_since": stalled_since(config, db, now),
        "stall_threshold": stall_threshold(config),
        "sources": sources,
        "failing_sources": [s["name"] for s in sources if s["failing"] and s.get("enabled", 1)],
        "pending": pending_work(db),
        "alerts": alert_counts(db),
    }


def _ago(stamp: str | None, now: datetime) -> str:
    if not stamp:
        return "never"
    seconds = int((now - datetime.fromisoformat(stamp)).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{stamp} ({seconds // size}{unit} ago)"
    return f"{stamp} ({max(seconds, 0)}s ago)"


def render_status(data: dict[str, Any]) -> str:
    """The human-readable form of :func:`collect_status`."""
    now = datetime.fromisoformat(data["now"])
    lines = [f"database: {data['database']['path']} ({data['database']['bytes'] / 1e6:.1f} MB)"]
    last, beat = data["cycles"]["last"], data["cycles"]["heartbeat"]
    done = data["cycles"].get("last_finished")
    if last:
        took = "still running" if last["result"] == "running" else f"took {last['duration'] or 0:.1f}s"
        lines.append(f"last cycle: {last['result']} ({last['mode']}), started {_ago(last['started_at'], now)}, "
                     f"{took}")
        if last["summary"]:
            lines.append(f"  {last['summary']}")
        if last["result"] not in FINISHED:
            lines.append(f"last finished cycle: {done['result']} ({done['mode']}), finished "
                         f"{_ago(done['finished_at'], now)}" if done else "last finished cycle: none yet")
            if done and done["summary"]:
                lines.append(f"  {done['summary']}")
    else:
        lines.append("last cycle: none yet (run `scamwatch run` or start the daemon)")
    if beat and beat is not last and beat["result"] == "idle":
        lines.append(f"daemon heartbeat: {_ago(beat['finished_at'], now)}")
    if data["stalled_since"]:
        lines.append(f"STALLED: nothing finished since {data['stalled_since']} "
                     f"(threshold {data['stall_threshold']:.0f}s)")
    sources = data["sources"]
    failing = data["failing_sources"]
    named = f": {', '.join(failing)}" if failing else ""
    waiting = sum(not s["polled"] for s in sources)
    unpolled = f", {waiting} not polled yet" if waiting else ""
    lines.append(f"sources: {len(sources)} configured or known, {len(failing)} failing{named}{unpolled}")
    for s in sources:
        flag = ("off" if not s.get("enabled", 1) else "FAILING" if s["failing"]
                else "ok" if s["polled"] else "waiting")
        success = "never succeeded" if s["never_succeeded"] else (
            f"last success {_ago(s.get('last_success'), now)}" if s["polled"] else "not polled yet")
        last_error = s.get("last_error_kind") or s.get("last_error")
        error = f"  last error: {last_error}" if s.get("consecutive_failures") else ""
        lines.append(f"  {s['name']:28} {flag:7} {success}, "
                     f"{s.get('consecutive_failures') or 0} failures in a row, {s['items_per_day']}/day{error}")
    pending = data["pending"]
    if pending:
        lines.append("work: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in pending.items()))
    alerts = data["alerts"]
    lines.append("alerts: " + (", ".join(f"{k} {v}" for k, v in sorted(alerts.items())) if alerts else "none"))
    return "\n".join(lines)
