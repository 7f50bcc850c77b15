"""``scamwatch run`` and ``scamwatch status``: lock, exit codes, summary line, cycle records."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crawler.app import cycle
from crawler.app.cli import main
from crawler.app.config import load_config
from crawler.app.database import open_db
from crawler.app.exits import EXIT_CONFIG, EXIT_DATABASE, EXIT_FAILURE, EXIT_LOCKED
from crawler.app.lock import CycleLock, lock_path
from crawler.app.status import collect_status, stalled_since
from tests.alerts_fixtures import WebhookSink


@dataclass
class FakeGather:
    ok: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    new_items: int = 0


def write_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "scamwatch.toml"
    path.write_text(f'[database]\npath = "sw.db"\n[crawler]\ninclude_default_sources = false\n{extra}', "utf-8")
    return path


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace every stage by a fake whose result (or exception) the test sets."""
    results: dict[str, Any] = {"gather": FakeGather(), "classify": {"classified": 0, "relevant": 0},
                               "stories": {"new_stories": 0}, "alert": {"sent": 0, "pending": 0, "failed": 0},
                               "operator": None}
    calls: list[str] = []

    def fake(name: str) -> Any:
        def stage(*args: Any, **kw: Any) -> Any:
            calls.append(name)
            value = results[name]
            if isinstance(value, BaseException):
                raise value
            return value
        return stage

    for name in results:
        monkeypatch.setattr(cycle, f"_{name}", fake(name))
    results["calls"] = calls
    return results


def invoke(config: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["--config", str(config), *args], catch_exceptions=False)


def test_run_prints_one_summary_line_and_records_the_cycle(tmp_path: Path, stages: dict[str, Any]) -> None:
    stages["gather"] = FakeGather(ok=["a", "b"], failed=["c"], new_items=7)
    stages["stories"] = {"new_stories": 2}
    stages["alert"] = {"sent": 1, "pending": 3, "failed": 0}
    config = write_config(tmp_path)
    result = invoke(config, "run")
    assert result.exit_code == 0, result.output  # a failed source is reported, not a failure
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    line = lines[0]
    assert "sources 2 ok, 1 failed" in line and "7 new items" in line and "2 new stories" in line
    assert "alerts 1 sent, 3 pending" in line and "failed sources: c" in line
    assert stages["calls"] == ["gather", "classify", "stories", "alert"]  # alert_due runs the operator checks
    db = open_db(tmp_path / "sw.db")
    rows = list(db["cycles"].rows)
    assert [r["result"] for r in rows] == ["partial"]
    assert rows[0]["finished_at"] and json.loads(rows[0]["details"])["gather"]["new_items"] == 7


def test_run_exits_75_at_once_when_another_run_holds_the_lock(tmp_path: Path, stages: dict[str, Any]) -> None:
    config = write_config(tmp_path)
    with CycleLock(lock_path(tmp_path / "sw.db")):
        result = CliRunner().invoke(main, ["--config", str(config), "run"])
    assert result.exit_code == EXIT_LOCKED
    assert "another scamwatch run is in progress" in result.output
    assert stages["calls"] == []
    assert invoke(config, "run").exit_code == 0  # released: the next run goes ahead


def test_a_failing_stage_exits_1_but_later_stages_still_run(tmp_path: Path, stages: dict[str, Any]) -> None:
    stages["classify"] = RuntimeError("model exploded")
    stages["alert"] = RuntimeError("apprise config unreadable")
    result = CliRunner().invoke(main, ["--config", str(write_config(tmp_path)), "run"])
    assert result.exit_code == EXIT_FAILURE
    assert "errors in classify, alert" in result.output
    # the alert stage failed, so the operator checks run on their own
    assert stages["calls"] == ["gather", "classify", "stories", "alert", "operator"]
    row = next(open_db(tmp_path / "sw.db")["cycles"].rows)
    assert row["result"] == "error" and "model exploded" in row["details"]


def test_configuration_and_database_errors_have_their_own_exit_codes(tmp_path: Path, stages: dict[str, Any]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[daemon]\ntick = 'soon'\n", "utf-8")
    result = CliRunner().invoke(main, ["--config", str(bad), "run"])
    assert result.exit_code == EXIT_CONFIG and "daemon.tick" in result.output
    result = CliRunner().invoke(main, ["--config", str(write_config(tmp_path)), "run", "--source", "nope"])
    assert result.exit_code == EXIT_CONFIG and "nope" in result.output
    result = CliRunner().invoke(main, ["--config", str(write_config(tmp_path)),
                                       "--db", str(tmp_path / "missing" / "x.db"), "run"])
    assert result.exit_code == EXIT_DATABASE and "does not exist" in result.output
    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 100)
    result = CliRunner().invoke(main, ["--config", str(write_config(tmp_path)), "--db", str(tmp_path / "junk.db"),
                                       "run"])
    assert result.exit_code == EXIT_DATABASE
    assert stages["calls"] == []


def test_a_cycle_cut_off_by_a_crash_is_marked_abandoned_by_the_next_run(tmp_path: Path,
                                                                        stages: dict[str, Any]) -> None:
    config = write_config(tmp_path)
    db = open_db(tmp_path / "sw.db")
    cycle.start_cycle(db, cycle.CycleReport(mode="daemon"))
    db.close()
    assert invoke(config, "run").exit_code == 0
    results = [r["result"] for r in open_db(tmp_path / "sw.db")["cycles"].rows]
    assert results == ["abandoned", "ok"]


def test_idle_ticks_only_refresh_one_heartbeat_row(tmp_path: Path, stages: dict[str, Any]) -> None:
    config = load_config(write_config(tmp_path))
    db = open_db(config.db_path)
    for _ in range(3):
        report = cycle.run_cycle(config, db, mode="daemon", gather=False)
        assert report.idle
    rows = list(db["cycles"].rows)
    assert len(rows) == 1 and rows[0]["result"] == "idle" and json.loads(rows[0]["details"]) == {"ticks": 3}
    stages["classify"] = {"classified": 4, "relevant": 1}
    assert "classify" not in stages["calls"], "nothing to classify: the classifier is not even loaded"
    db["items"].insert({"canonical_url": "http://127.0.0.1/new", "source": "x"})
    assert not cycle.run_cycle(config, db, mode="daemon", gather=False).idle
    assert [r["result"] for r in db["cycles"].rows] == ["idle", "ok"]


def test_status_reports_cycles_sources_and_a_stalled_daemon(tmp_path: Path, stages: dict[str, Any]) -> None:
    config_path = write_config(tmp_path, "[daemon]\ntick = '1m'\nstall_after = '10m'\n")
    assert invoke(config_path, "run").exit_code == 0
    config = load_config(config_path)
    db = open_db(config.db_path)
    now = datetime.now(UTC)
    old = (now - timedelta(days=2)).isoformat(timespec="seconds")
    db["sources"].insert_all([
        {"name": "good", "url": "http://127.0.0.1/a", "kind": "feed", "last_success": old, "consecutive_failures": 0},
        {"name": "broken", "url": "http://127.0.0.1/b", "kind": "feed", "consecutive_failures": 9,
         "last_error_kind": "timeout"},
    ])
    db["items"].insert({"canonical_url": "http://127.0.0.1/a/1", "source": "good",
                        "fetched_at": now.isoformat(timespec="seconds")})
    data = collect_status(config, db, now)
    assert data["cycles"]["last"]["result"] == "ok" and data["stalled_since"] is None
    assert data["failing_sources"] == ["broken"]
    good = next(s for s in data["sources"] if s["name"] == "good")
    assert good["items_per_day"] == round(1 / 7, 1) and not good["failing"]
    assert stalled_since(config, db, now + timedelta(minutes=11)) is not None
    assert stalled_since(config, db, now + timedelta(minutes=9)) is None
    db.close()
    result = CliRunner().invoke(main, ["--config", str(config_path), "status", "--json"])
    assert result.exit_code == EXIT_FAILURE  # a failing source: monitoring notices
    assert json.loads(result.output)["failing_sources"] == ["broken"]
    text = CliRunner().invoke(main, ["--config", str(config_path), "status"]).output
    assert "broken" in text and "FAILING" in text and "last cycle: ok (run)" in text


def test_a_deliberately_stopped_daemon_is_not_stalled(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, "[daemon]\nstall_after = '10m'\n"))
    db = open_db(config.db_path)
    cycle.record_stop(db, "daemon")
    assert stalled_since(config, db, datetime.now(UTC) + timedelta(days=1)) is None


def test_status_check_reports_a_stalled_daemon_to_the_operator_once(tmp_path: Path) -> None:
    with WebhookSink() as hook:
        config_path = write_config(tmp_path, f"""[daemon]\nstall_after = '10m'\n[alerts]\nthrottle = false
urls = ["ops={hook.url('ops')}"]\n[alerts.operator]\ntag = "ops"\n""")
        db = open_db(tmp_path / "sw.db")
        old = (datetime.now(UTC) - timedelta(hours=2)).isoformat(timespec="seconds")
        db["cycles"].insert({"started_at": old, "finished_at": old, "mode": "daemon", "result": "idle"})
        db.close()
        for _ in range(2):
            result = CliRunner().invoke(main, ["--config", str(config_path), "status", "--check"])
            assert result.exit_code == EXIT_FAILURE and "STALLED" in result.stdout
        posts = hook.at("ops")
    assert len(posts) == 1, "one operator message, not one per check"
    assert "stalled" in str(posts[0].body).lower()
