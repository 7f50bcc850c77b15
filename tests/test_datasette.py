"""``scamwatch serve``: Datasette on the database, read-only, with the shipped metadata."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler.app.database import open_db
from crawler.app.serve import METADATA, load_metadata

SCAMWATCH = str(Path(sys.executable).with_name("scamwatch"))
SECRET = "hunter2-never-in-the-db"


def _now(days: float = 0) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


def fill(path: Path) -> None:
    """A small database as the stages would leave it: items, stories, incidents, sources."""
    db = open_db(path)
    db["sources"].insert_all([
        {"name": "coastal-herald", "url": "http://127.0.0.1/feed.xml", "kind": "feed", "last_success": _now(),
         "consecutive_failures": 0},
        {"name": "dead-outlet", "url": "http://127.0.0.1/gone.xml", "kind": "feed", "consecutive_failures": 6,
         "last_error_kind": "http"},
    ])
    db["stories"].insert_all([
        {"id": 1, "headline": "Thirty Indonesians held in Myawaddy compound", "first_seen": _now(1), "relevant": 1,
         "held": 1, "nationalities": '["Indonesia"]', "locations": '["Myawaddy"]', "count": 30, "status": "held",
         "item_count": 2, "source_count": 2, "best_score": 0.93},
        {"id": 2, "headline": "Kenyans rescued in Sihanoukville", "first_seen": _now(2), "relevant": 1, "held": 0,
         "nationalities": '["Kenya"]', "locations": '["Sihanoukville"]', "count": 12, "status": "rescued",
         "item_count": 1, "source_count": 1, "best_score": 0.88},
        {"id": 3, "headline": "Council approves bus routes", "first_seen": _now(1), "relevant": 0,
         "nationalities": "[]", "locations": "[]", "item_count": 1, "source_count": 1, "best_score": 0.02},
    ])
    db["items"].insert_all([
        {"id": 1, "canonical_url": "http://127.0.0.1/a1", "source": "coastal-herald",
         "title": "Thirty Indonesians held in Myawaddy compound", "text": "Families say they are forced to scam.",
         "fetched_at": _now(1)},
        {"id": 2, "canonical_url": "http://127.0.0.1/a2", "source": "coastal-herald",
         "title": "Council approves bus routes", "text": "Night buses to the port.", "fetched_at": _now(1)},
    ])
    db["story_index"].insert_all([{"item_id": 1, "story_id": 1, "ts": 0.0}, {"item_id": 2, "story_id": 3, "ts": 0.0}])
    db["incidents"].insert({"id": 1, "nationality": "Indonesia", "location": "Myawaddy",
                            "first_reported": _now(1)[:10], "last_reported": _now(1)[:10], "first_story_id": 1,
                            "story_count": 1})
    db.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``scamwatch serve`` on a filled database; yields the database's base URL."""
    folder = tmp_path_factory.mktemp("serve")
    config = folder / "c.toml"
    config.write_text(f'[database]\npath = "watch.db"\n[alerts]\nurls = ["mailto://u:{SECRET}@127.0.0.1"]\n', "utf-8")
    fill(folder / "watch.db")
    port = free_port()
    log = (folder / "serve.log").open("w")  # a file, not a pipe nobody reads: Datasette logs every error at length
    proc = subprocess.Popen([SCAMWATCH, "--config", str(config), "serve", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(base + "/-/versions.json")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail(f"scamwatch serve did not start: {(folder / 'serve.log').read_text()}")
    yield base + "/watch"
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)
    log.close()
    assert SECRET.encode() not in (folder / "watch.db").read_bytes()


def test_shipped_metadata_is_renamed_to_the_served_file() -> None:
    meta = load_metadata(METADATA, "watch")
    assert "watch" in meta["databases"] and "scamwatch" not in meta["databases"]
    assert {"latest_stories", "new_incidents_this_week", "stories_per_nationality_per_month",
            "source_health"} <= set(meta["databases"]["watch"]["queries"])


def test_every_canned_query_runs_on_the_current_schema(tmp_path: Path) -> None:
    fill(tmp_path / "x.db")
    db = open_db(tmp_path / "x.db")
    queries = yaml.safe_load(METADATA.read_text("utf-8"))["databases"]["scamwatch"]["queries"]
    results = {name: list(db.query(q["sql"])) for name, q in queries.items()}
    assert [r["id"] for r in results["latest_stories"]] == [1, 2]
    assert [r["location"] for r in results["new_incidents_this_week"]] == ["Myawaddy"]
    assert {(r["nationality"], r["stories"]) for r in results["stories_per_nationality_per_month"]} == {
        ("Indonesia", 1), ("Kenya", 1)}
    health = {r["name"]: r for r in results["source_health"]}
    assert health["dead-outlet"]["consecutive_failures"] == 6 and health["coastal-herald"]["items_per_day"] > 0
    assert results["hotspots_with_incidents"][0]["name"] == "Myawaddy"


def test_tables_named_in_the_metadata_exist(tmp_path: Path) -> None:
    db = open_db(tmp_path / "x.db")
    tables = yaml.safe_load(METADATA.read_text("utf-8"))["databases"]["scamwatch"]["tables"]
    shown = {name for name, spec in tables.items() if not spec.get("hidden")}
    missing = shown - set(db.table_names()) - set(db.view_names())
    assert not missing, f"metadata describes tables the schema lacks: {missing}"


def test_facets_and_columns_named_in_the_metadata_exist(tmp_path: Path) -> None:
    db = open_db(tmp_path / "x.db")
    tables = yaml.safe_load(METADATA.read_text("utf-8"))["databases"]["scamwatch"]["tables"]
    for name, spec in tables.items():
        if spec.get("hidden"):
            continue
        have = set(db[name].columns_dict)
        facets = {f if isinstance(f, str) else next(iter(f.values())) for f in spec.get("facets", [])}
        named = facets | set(spec.get("columns", {}))
        assert named <= have, f"{name}: {sorted(named - have)}"


def test_items_are_faceted_with_their_verdict(tmp_path: Path) -> None:
    fill(tmp_path / "x.db")
    db = open_db(tmp_path / "x.db")
    db["classifications"].insert({"item_id": 1, "score": 0.93, "band": "alert", "nationalities": '["Indonesia"]'})
    rows = {r["id"]: r for r in db.query("SELECT * FROM item_facts")}
    assert rows[1]["band"] == "alert" and rows[1]["story_id"] == 1
    assert rows[2]["band"] is None and rows[2]["title"] == "Council approves bus routes"


def test_search_indexes_follow_the_tables(tmp_path: Path) -> None:
    fill(tmp_path / "x.db")
    db = open_db(tmp_path / "x.db")
    assert [r["rowid"] for r in db["stories"].search("myawaddy")] == [1]
    db["stories"].update(2, {"headline": "Kenyans rescued near Myawaddy"})
    db["stories"].update(1, {"status": "rescued"})  # not a text change: no re-index needed, still found
    assert sorted(r["id"] for r in db["stories"].search("myawaddy")) == [1, 2]
    assert [r["id"] for r in db["items"].search("scam")] == [1]
    assert db["hotspots"].count > 10 and list(db.query("SELECT * FROM incident_map"))[0]["latitude"]


def test_serve_answers_read_only_with_canned_queries_and_no_arbitrary_sql(served: str) -> None:
    status, body = get(served + "/latest_stories.json?_shape=array")
    assert status == 200 and [r["id"] for r in json.loads(body)] == [1, 2]
    assert get(served + ".json?sql=select+1")[0] == 403
    status, body = get(served + "/stories.json?_search=myawaddy&_shape=array")
    assert status == 200 and [r["id"] for r in json.loads(body)] == [1]
    status, body = get(served + "/stories.json?_facet_array=nationalities")
    facets = json.loads(body)["facet_results"]
    facet_values = facets["results"] if "results" in facets else facets
    assert "nationalities" in facet_values
    plugins = json.loads(get(served.rsplit("/", 1)[0] + "/-/plugins.json")[1])
    assert "datasette-cluster-map" in {p["name"] for p in plugins}


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def dump_dom(url: str, profile: Path) -> str:
    command = [chromium() or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom", url]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env).stdout


@pytest.mark.slow
def test_a_real_browser_sees_the_stories_page_and_a_canned_query(served: str, tmp_path: Path) -> None:
    if chromium() is None:
        pytest.fail("chromium is not installed (.ci/run installs it: apt-get install chromium)")
    page = dump_dom(served + "/stories", tmp_path / "profile")
    assert "Thirty Indonesians held in Myawaddy compound" in page
    assert "Kenyans rescued in Sihanoukville" in page
    assert "Stories" in page  # the metadata's title
    query = dump_dom(served + "/new_incidents_this_week", tmp_path / "profile")
    assert "New incidents this week" in query and "Myawaddy" in query
    assert "Indonesia" in query
    health = dump_dom(served + "/source_health", tmp_path / "profile")
    assert "dead-outlet" in health


def test_metadata_declares_map_and_search(tmp_path: Path) -> None:
    meta: dict[str, Any] = yaml.safe_load(METADATA.read_text("utf-8"))
    assert meta["plugins"]["datasette-cluster-map"]["latitude_column"] == "latitude"
    facets = meta["databases"]["scamwatch"]["tables"]["stories"]["facets"]
    assert {"array": "nationalities"} in facets and {"array": "locations"} in facets


def test_a_table_sorted_by_a_column_it_lacks_is_a_bad_request_not_a_server_error(served: str) -> None:
    for path in ("/items?_sort=nope", "/sources?_sort_desc=nope", "/items.json?_sort=nope"):
        status, body = get(served + path)
        assert status == 400 and "Cannot sort table by nope" in body, (path, status)
    assert get(served + "/items?_sort=id")[0] == 200
