"""One full cycle: gather → classify → stories → alert, recorded in the ``cycles`` table.

A stage that fails is logged and recorded; the later stages still run on what the
database already holds (a broken crawl must not hold back alerts on earlier items).
Configuration and database errors are not caught here: they end the command.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from crawler.config import Config
from crawler.confschema import ConfigError
from crawler.db import DatabaseError

log = logging.getLogger(__name__)

StageFn = Callable[[Config, sqlite_utils.Database], Any]


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _gather(config: Config, db: sqlite_utils.Database, **kw: Any) -> Any:
    from crawler.gather import gather_pass

    return gather_pass(config, db, **kw)


def _classify(config: Config, db: sqlite_utils.Database) -> Any:
    from classifier.stage import classify_pending

    return classify_pending(config, db)


def _stories(config: Config, db: sqlite_utils.Database) -> Any:
    from classifier.stories.stage import group_pending

    return group_pending(config, db)


def _alert(config: Config, db: sqlite_utils.Database) -> Any:
    from alerts.stage import alert_due

    return alert_due(config, db)


def _operator(config: Config, db: sqlite_utils.Database) -> Any:
    from alerts.operator import check_operator

    return check_operator(config, db, datetime.now(UTC))


@dataclass
class CycleReport:
    """What one cycle did, stage by stage."""

    mode: str
    started_at: str = field(default_factory=utcnow)
    finished_at: str | None = None
    duration: float = 0.0
    stages: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    interrupted: bool = False

    @property
    def result(self) -> str:
        if self.interrupted:
            return "interrupted"
        if self.errors:
            return "error"
        failed = getattr(self.stages.get("gather"), "failed", None)
        return "partial" if failed else "ok"

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
        errors = f"; errors in {', '.join(self.errors)}" if self.errors else ""
        return f"cycle {self.result} in {self.duration:.1f}s: " + "; ".join(parts) + errors

    def details(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: _as_dict(rep) for name, rep in self.stages.items()}
        out["errors"] = self.errors
        return out


def _get(report: Any, name: str, default: Any) -> Any:
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
    should_stop: Callable[[], bool] = lambda: False,
) -> CycleReport:
    """Run every stage once, in order; stop between stages when ``should_stop()`` says so."""
    report = CycleReport(mode=mode)
    start = time.monotonic()
    stages: list[tuple[str, Callable[[], Any]]] = [
        ("gather", lambda: _gather(config, db, only=only, force=force)),
        ("classify", lambda: _classify(config, db)),
        ("stories", lambda: _stories(config, db)),
        ("alert", lambda: _alert(config, db)),
        ("operator", lambda: _operator(config, db)),
    ]
    for name, stage in stages:
        if should_stop():
            report.interrupted = True
            break
        try:
            report.stages[name] = stage()
        except (ConfigError, DatabaseError):
            raise
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith(("crawler.", "classifier.", "alerts.")):
                raise
            log.debug("stage %s not available: %s", name, exc)
        except Exception as exc:  # one stage's failure must not stop the others
            log.exception("stage %s failed", name)
            report.errors[name] = f"{type(exc).__name__}: {exc}"
    report.duration = time.monotonic() - start
    report.finished_at = utcnow()
    record_cycle(db, report)
    return report


def record_cycle(db: sqlite_utils.Database, report: CycleReport) -> None:
    """Store the cycle's outcome for ``scamwatch status``."""
    db["cycles"].insert(
        {
            "started_at": report.started_at,
            "finished_at": report.finished_at,
            "duration": round(report.duration, 3),
            "mode": report.mode,
            "result": report.result,
            "summary": report.summary(),
            "details": json.dumps(report.details(), default=str),
        }
    )
