"""Operator alerts: failing sources, stalled daemon; repeated until recovery, recovery told once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alerts import outbox
from alerts.operator import check_operator
from alerts.stage import alert_due
from crawler.app.status import stalled_since
from tests.alerts_fixtures import WebhookSink, alerts_setup

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def config_for(tmp_path: Path, hook: WebhookSink, tag: str | None = "ops"):  # type: ignore[no-untyped-def]
    operator = f'[alerts.operator]\ntag = "{tag}"\nsource_failures = 3\nrepeat_every = "6h"\n' if tag else ""
    return alerts_setup(tmp_path, f'urls = ["ops={hook.url("ops")}", "team={hook.url("team")}"]\n{operator}'
                                  '[[alerts.routes]]\nname = "team"\ntag = "team"\n',
                        extra='[daemon]\nstall_after = "1h"\n')


def failures(db, name: str, n: int) -> None:  # type: ignore[no-untyped-def]
    db["sources"].upsert({"name": name, "url": f"https://{name}.example.org/", "kind": "feed",
                          "consecutive_failures": n, "last_error_kind": "http", "last_error": "HTTP 500"},
                         pk="name")
    db.conn.commit()


def titles(hook: WebhookSink) -> list[str]:
    return [p.body["title"] for p in hook.at("ops")]


def test_failing_source_repeats_until_recovery(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = config_for(tmp_path, hook)
    failures(db, "outlet-x", 2)
    alert_due(config, db, T0)
    assert titles(hook) == []
    failures(db, "outlet-x", 3)
    alert_due(config, db, T0 + timedelta(minutes=10))
    assert titles(hook) == ["PROBLEM: Source outlet-x is failing"]
    assert "3 failures in a row" in hook.at("ops")[0].body["message"]
    alert_due(config, db, T0 + timedelta(hours=3))
    assert len(titles(hook)) == 1  # not before repeat_every
    alert_due(config, db, T0 + timedelta(hours=6, minutes=10))
    assert titles(hook) == ["PROBLEM: Source outlet-x is failing"] * 2
    failures(db, "outlet-x", 0)
    alert_due(config, db, T0 + timedelta(hours=7))
    alert_due(config, db, T0 + timedelta(hours=20))
    assert titles(hook)[2:] == ["RECOVERED: source:outlet-x"]
    assert hook.at("team") == []  # operator alerts stay off content routes


def test_stalled_daemon(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = config_for(tmp_path, hook)
    db["cycles"].insert({"started_at": outbox.iso(T0), "finished_at": outbox.iso(T0 + timedelta(minutes=1)),
                         "mode": "daemon", "result": "ok"})
    db.conn.commit()
    def check(now: datetime) -> int:
        return check_operator(config, db, now, stalled=stalled_since(config, db, now))

    assert check(T0 + timedelta(minutes=30)) == 0
    assert check(T0 + timedelta(hours=2)) == 1
    later = T0 + timedelta(hours=2)
    alert_due(config, db, later, stalled=stalled_since(config, db, later))
    assert titles(hook) == ["PROBLEM: scamwatch daemon stalled"]


def test_without_operator_tag_problems_are_logged(tmp_path: Path, hook: WebhookSink,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    config, db = config_for(tmp_path, hook, tag=None)
    failures(db, "outlet-y", 9)
    with caplog.at_level(logging.WARNING):
        alert_due(config, db, T0)
    assert "Source outlet-y is failing" in caplog.text and hook.posts == []
