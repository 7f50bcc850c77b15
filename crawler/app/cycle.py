"""One full cycle: gather → classify → stories → alert, recorded in the ``cycles`` table.

A stage that fails, a configuration error in it included, is logged and recorded; the later
stages still run on what the database already holds (a broken crawl must not hold back alerts
on earlier items). Database errors are not caught here: they end the command.

A cycle's row is written when it starts (``result = 'running'``) and completed when it
ends, so ``scamwatch status`` can tell a cycle in progress, and one that died, from a
finished one. A daemon tick that found nothing to do only refreshes a trailing
``idle`` row (its heartbeat) instead of adding one row a minute.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from crawler.app.config import Config
from crawler.app.progress import classify_bar, gather_bar
from crawler.app.status import stalled_since
from crawler.base.clock import SYSTEM_CLOCK, Clock, iso, now_iso
from crawler.base.confschema import ConfigError
from crawler.base.database import DatabaseError
from crawler.base.logs import redact

log = logging.getLogger(__name__)


def _gather(config: Config, db: sqlite_utils.Database, stop: Callable[[], bool], clock: Clock,
            show: bool = False, **kw: Any) -> Any:
    from crawler.gather.stage import gather_pass

    with gather_bar(show=show) as progress:
        return gather_pass(config, db, should_stop=stop, clock=clock, progress=progress, **kw)


def _classify(config: Config, db: sqlite_utils.Database, stop: Callable[[], bool], clock: Clock,
              show: bool = False) -> Any:
    from classifier.stage import classify_pending

    with classify_bar(unclassified(db) if show else None, show=show) as progress:
        return classify_pending(config, db, should_stop=stop, clock=clock, progress=progress)


def _stories(config: Config, db: sqlite_utils.Database, stop: Callable[[], bool], clock: Clock) -> Any:
    from classifier.stories.stage import group_pending

    return group_pending(config, db, should_stop=stop, clock=clock)


def _alert(config: Config, db: sqlite_utils.Database, stop: Callable[[], bool], clock: Clock) -> Any:
    from alerts.stage import alert_due

    now = clock.now()
    return alert_due(config, db, now, should_stop=stop, stalled=stalled_since(config, db, now))


def _operator(config: Config, db: sqlite_utils.Database, stop: Callable[[], bool], clock: Clock) -> Any:
    from alerts.operator import check_operator

    now = clock.now()
    return check_operator(config, db, now, stalled=stalled_since(config, db, now))


@dataclass
class CycleReport:
    """What one cycle did, stage by stage."""

    mode: str
    started_at: str = field(default_factory=now_iso)
    finished_at: str | None = None
    duration: float = 0.0
    stages: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    interrupted: bool = False
    row_id: int | None = None

    @property
    def result(self) -> str:
        if self.interrupted:
            return "interrupted"
        if self.errors:
            return "error"
        failed = getattr(self.stages.get("gather"), "failed", None)
        return "partial" if failed else "ok"

    @property
    def idle(self) -> bool:
        """True when nothing was gathered, classified, grouped or sent, and nothing failed."""
        if self.errors or self.interrupted or "gather" in self.stages:
            return False
        c, s, a = (self.stages.get(n) for n in ("classify", "stories", "alert"))
        counts = [_get(c, "classified", 0), _get(s, "new_stories", 0), _get(s, "updated_stories", 0),
                  _get(a, "sent", 0), _get(a, "failed", 0)]
        return not any(counts)

    def summary(self) -> str:
        """The one line printed at the end of ``scamwatch run``."""
        g, c = self.stages.get("gather"), self.stages.get("classify")
        s, a = self.stages.get("stories"), self.stages.get("alert")
        parts = [
            f"sources {len(_get(g, 'ok', []))} ok, {len(_get(g, 'failed', []))} failed",
            f"{_get(g, 'new_items', 0)} new items",
            f"{_get(c, 'classified', 0)} classified ({_get(c, 'relevant', 0)} relevant)",
            f"{_get(s, 'new_stories', 0)} new stories",
            f"alerts {_get(a, 'sent', 0)} sent, {_get(a, 'pending', 0)} pending, {_get(a, 'failed', 0)} failed",
        ]
        failed = _get(g, "failed", [])
        if failed:
            parts.append("failed sources: " + ", ".join(map(str, failed)))
        errors = f"; errors in {', '.join(self.errors)}" if self.errors else ""
        return f"cycle {self.result} in {self.duration:.1f}s: " + "; ".join(parts) + errors

    def details(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: _as_dict(rep) for name, rep in self.stages.items()}
        out["errors"] = self.errors
        return out


def _get(report: Any, name: str, default: Any) -> Any:
    if isinstance(report, dict):
        value = report.get(name, default)
    else:
        value = getattr(report, name, default) if report is not None else default
    return default if value is None else value


def _as_dict(report: Any) -> Any:
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        return dataclasses.asdict(report)
    return report if isinstance(report, dict | list | str | int | float | type(None)) else repr(report)


def run_cycle(
    config: Config,
    db: sqlite_utils.Database,
    *,
    mode: str = "run",
    only: list[str] | None = None,
    force: bool = False,
    gather: bool = True,
    should_stop: Callable[[], bool] = lambda: False,
    clock: Clock = SYSTEM_CLOCK,
    show_progress: bool = False,
) -> CycleReport:
    """Run every stage once, in order; stop between stages when ``should_stop()`` says so.

    ``gather=False`` skips the crawl (a daemon tick with no source due) but still runs
    classify, stories, alerts and the operator checks on what is pending. ``show_progress``
    draws gather's and classify's bars when stderr is a terminal (``scamwatch run``).
    """
    report = CycleReport(mode=mode, started_at=iso(clock.now()))
    start = time.monotonic()
    stop = should_stop
    stages: list[tuple[str, Callable[[], Any]]] = [
        ("classify", lambda: _classify(config, db, stop, clock, show_progress)),
        ("stories", lambda: _stories(config, db, stop, clock)),
        ("alert", lambda: _alert(config, db, stop, clock)),
        ("operator", lambda: _operator(config, db, stop, clock)),
    ]
    if gather:
        stages.insert(0, ("gather", lambda: _gather(config, db, stop, clock, show_progress, only=only,
                                                    force=force)))
        report.row_id = start_cycle(db, report)
    for name, stage in stages:
        if name == "operator" and "alert" in report.stages:
            continue  # alert_due ran the operator checks already
        if name == "classify" and not gather and not unclassified(db):
            continue  # an idle daemon tick: don't even load the classifier
        if should_stop():
            report.interrupted = True
            break
        try:
            report.stages[name] = stage()
            _last_errors.pop(name, None)
        except DatabaseError:
            raise
        except sqlite3.DatabaseError as exc:
            if storage_fault(exc):  # a full disk, a read-only or damaged file: every later stage would fail too
                raise
            report.errors[name] = f"{type(exc).__name__}: {exc}"
            _log_stage_error(name, report.errors[name])
        except ConfigError as exc:  # recorded on the cycle row; the daemon keeps ticking, no crash loop
            report.errors[name] = f"config error: {exc}"
            log.error("stage %s skipped: config error: %s", name, exc)
        except Exception as exc:  # one stage's failure must not stop the others
            report.errors[name] = f"{type(exc).__name__}: {exc}"
            _log_stage_error(name, report.errors[name])
    report.duration = time.monotonic() - start
    report.finished_at = iso(clock.now())
    record_cycle(db, report)
    return report


def storage_fault(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file cannot take writes or is damaged (as opposed to, say, busy)."""
    text = str(exc).lower()
    return any(word in text for word in ("full", "readonly", "read-only", "malformed", "not a database",
                                         "disk i/o"))


def unclassified(db: sqlite_utils.Database) -> int:
    """How many items wait for the classifier (every classification is of an item: counts tell);
    1 when the tables are not there yet, so the stage decides."""
    try:
        return max(0, int(db.execute("SELECT (SELECT count(*) FROM items) - (SELECT count(*) FROM classifications)"
                                     ).fetchone()[0]))
    except sqlite3.OperationalError:  # no classify tables yet: let the stage decide
        return 1


_last_errors: dict[str, str] = {}


def _log_stage_error(stage: str, error: str) -> None:
    """A traceback the first time; the same error again (a daemon, every tick) gets one line."""
    if _last_errors.get(stage) == error:
        log.error("stage %s failed again: %s", stage, error)
    else:
        log.exception("stage %s failed", stage)
    _last_errors[stage] = error


def start_cycle(db: sqlite_utils.Database, report: CycleReport) -> int:
    """Insert the cycle's row as ``running``; returns its id."""
    with db.atomic():
        table = db.table("cycles").insert({"started_at": report.started_at, "mode": report.mode, "result": "running"})
    return int(table.last_pk or 0)


def record_cycle(db: sqlite_utils.Database, report: CycleReport) -> None:
    """Store the cycle's outcome for ``scamwatch status`` (an idle daemon tick: the heartbeat only)."""
    if report.row_id is None and report.idle:
        _beat(db, report)
        return
    row = {
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "duration": round(report.duration, 3),
        "mode": report.mode,
        "result": report.result,
        "summary": redact(report.summary()),
        "details": redact(json.dumps(report.details(), default=str)),
    }
    with db.atomic():
        if report.row_id is None:
            report.row_id = int(db.table("cycles").insert(row).last_pk or 0)
        else:
            db.table("cycles").update(report.row_id, row)


def _beat(db: sqlite_utils.Database, report: CycleReport) -> None:
    """Extend the trailing idle row (ticks, finished_at), or start one."""
    last = next(db["cycles"].rows_where(order_by="id desc", limit=1), None)
    with db.atomic():
        if last and last["result"] == "idle" and last["mode"] == report.mode:
            ticks = json.loads(last["details"] or "{}").get("ticks", 1) + 1
            db.table("cycles").update(last["id"], {"finished_at": report.finished_at,
                                             "summary": f"idle: {ticks} ticks with nothing to do",
                                             "details": json.dumps({"ticks": ticks})})
            report.row_id = last["id"]
        else:
            row = {"started_at": report.started_at, "finished_at": report.finished_at, "duration": 0.0,
                   "mode": report.mode, "result": "idle", "summary": "idle: 1 tick with nothing to do",
                   "details": json.dumps({"ticks": 1})}
            report.row_id = int(db.table("cycles").insert(row).last_pk or 0)


def abandon_running(db: sqlite_utils.Database) -> int:
    """Mark cycles left ``running`` by a process that died as ``abandoned`` (call with the lock held)."""
    with db.atomic():
        cur = db.execute("UPDATE cycles SET result = 'abandoned', summary = 'the process ended mid-cycle' "
                         "WHERE result = 'running'")
    return cur.rowcount


def record_stop(db: sqlite_utils.Database, mode: str, clock: Clock = SYSTEM_CLOCK) -> None:
    """Note a deliberate stop, so a quiet database afterwards is not taken for a stalled daemon."""
    now = iso(clock.now())
    with db.atomic():
        db.table("cycles").insert({"started_at": now, "finished_at": now, "duration": 0.0, "mode": mode,
                             "result": "stopped", "summary": "daemon stopped"})
