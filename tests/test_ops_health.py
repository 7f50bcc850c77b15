"""Honest health: never-successful sources fail, configured sources show before the first run, and a
cycle that did not finish shows the last finished one beside it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from alerts.source import healthy_sources
from crawler.app.cli import main
from crawler.app.database import open_db
from crawler.app.exits import EXIT_FAILURE


def write(tmp_path: Path) -> Path:
    dead = ['[[sources]]\nname = "dead-a"\nurl = "http://127.0.0.1:1/feed"\nallow_private = true\n',
            '[[sources]]\nname = "dead-b"\nurl = "http://127.0.0.1:1/other"\nallow_private = true\n']
    path = tmp_path / "sw.toml"
    path.write_text('[database]\npath = "sw.db"\n[crawler]\ninclude_default_sources = false\nretries = 0\n'
                    + "".join(dead), "utf-8")
    return path


def invoke(config: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--config", str(config), *args])


def test_configured_sources_show_before_the_first_run(tmp_path: Path) -> None:
    result = invoke(write(tmp_path), "status")
    assert result.exit_code == 0, result.output
    assert "sources: 2 configured or known, 0 failing, 2 not polled yet" in result.output
    assert result.output.count("not polled yet") == 3


def test_sources_that_never_succeeded_are_failing(tmp_path: Path) -> None:
    config = write(tmp_path)
    run = invoke(config, "run")
    assert run.exit_code == EXIT_FAILURE and "every source polled failed (2)" in run.output
    result = invoke(config, "status")
    assert result.exit_code == EXIT_FAILURE
    assert result.output.count("never succeeded") == 2 and "2 failing: dead-a, dead-b" in result.output
    assert invoke(config, "status", "--check").exit_code == EXIT_FAILURE
    db = open_db(tmp_path / "sw.db")
    assert healthy_sources(db, 5) == (0, 2)  # the digest's "0 of 2 sources healthy"


def test_a_cycle_that_did_not_finish_shows_the_last_finished_one(tmp_path: Path) -> None:
    config = write(tmp_path)
    db = open_db(tmp_path / "sw.db")
    db["cycles"].insert_all([
        {"started_at": "2026-12-01T10:00:00+00:00", "finished_at": "2026-12-01T10:01:00+00:00", "duration": 60.0,
         "mode": "daemon", "result": "partial", "summary": "cycle partial in 60.0s: the finished one"},
        {"started_at": "2026-12-01T11:00:00+00:00", "mode": "daemon", "result": "running"},
    ])
    db.conn.commit()
    text = invoke(config, "status").output
    assert "last cycle: running (daemon)" in text and "still running" in text and "took 0.0s" not in text
    assert "last finished cycle: partial (daemon)" in text and "the finished one" in text
    db["cycles"].update(2, {"result": "stopped", "finished_at": "2026-12-01T11:00:00+00:00"})
    db.conn.commit()
    text = invoke(config, "status").output
    assert "last cycle: stopped" in text and "last finished cycle: partial" in text


def test_an_idle_daemon_tick_says_nothing_above_debug(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    from crawler.app.config import load_config
    from crawler.app.cycle import run_cycle

    config = load_config(write(tmp_path))
    db = open_db(config.db_path)
    with caplog.at_level(logging.INFO):
        report = run_cycle(config, db, mode="daemon", gather=False)
    assert report.idle
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO] == []
