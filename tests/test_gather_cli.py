"""``scamwatch gather`` and ``scamwatch sources check`` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils
from click.testing import CliRunner

from crawler.app.cli import main
from tests import httpserver
from tests.test_gather import rss


def _write_config(tmp_path: Path, server: httpserver.TestServer) -> Path:
    server.set("/feed.xml", rss([("Workers freed", "http://127.0.0.1:9/a", "Forty people were freed."),
                                 ("Second report", "http://127.0.0.1:9/b", "More were found.")]),
               content_type="application/rss+xml")
    config = tmp_path / "scamwatch.toml"
    config.write_text(f"""
[database]
path = "sw.db"

[crawler]
include_default_sources = false
download_delay = 0
retries = 0
max_articles_per_source = 0

[[sources]]
name = "desk"
url = "{server.url('/feed.xml')}"
allow_private = true

[[sources]]
name = "gone"
url = "{server.url('/missing.xml')}"
allow_private = true

[[sources]]
name = "off"
url = "{server.url('/off.xml')}"
enabled = false
""", "utf-8")
    return config


def test_gather_command_polls_due_sources_once(tmp_path: Path, http_server: httpserver.TestServer) -> None:
    config = _write_config(tmp_path, http_server)
    runner = CliRunner()

    first = runner.invoke(main, ["--config", str(config), "gather"])
    second = runner.invoke(main, ["--config", str(config), "gather"])
    forced = runner.invoke(main, ["--config", str(config), "gather", "--all", "--source", "desk"])

    assert first.exit_code == 0, first.output
    assert "1 sources ok" in first.output and "2 new items" in first.output
    assert "failed: gone: http_404" in first.output
    assert "2 not due" in second.output and "0 new items" in second.output
    assert forced.exit_code == 0 and "1 sources ok (1 unchanged)" in forced.output
    assert not http_server.requests_for("/off.xml")
    db = sqlite_utils.Database(tmp_path / "sw.db")
    assert db["items"].count == 2 and db["sources"].get("gone")["last_error_kind"] == "http_404"


def test_gather_unknown_source_is_a_config_error(tmp_path: Path, http_server: httpserver.TestServer) -> None:
    config = _write_config(tmp_path, http_server)
    result = CliRunner().invoke(main, ["--config", str(config), "gather", "--source", "nope"])
    assert result.exit_code == 2 and "nope" in result.output
    assert not http_server.requests


def test_sources_check_reports_and_stores_nothing(tmp_path: Path, http_server: httpserver.TestServer) -> None:
    config = _write_config(tmp_path, http_server)
    runner = CliRunner()

    result = runner.invoke(main, ["--config", str(config), "sources", "check"])
    as_json = runner.invoke(main, ["--config", str(config), "sources", "check", "--json", "--source", "desk"])

    assert result.exit_code == 1, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line and not line.startswith(" ")}
    assert "200" in lines["desk"] and "2 entries" in lines["desk"] and lines["desk"].endswith("ok")
    assert "404" in lines["gone"] and "FAIL http_404" in lines["gone"]
    assert "off" not in lines and "1 ok, 0 stale, 1 failed" in result.output
    assert as_json.exit_code == 0
    assert json.loads(as_json.output) | {"seconds": 0} == {
        "name": "desk", "kind": "feed", "ok": True, "status": 200, "entries": 2, "newest": None, "seconds": 0,
        "age_days": None, "stale": False,
        "error_kind": None, "error": None, "notes": []}
    db = sqlite_utils.Database(tmp_path / "sw.db")
    assert "items" not in db.table_names() or db["items"].count == 0
