"""Repeated passes from one long-lived process: the reactor is started once and reused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests import httpserver
from tests.test_gather import fundus_pages, rss, serve_articles

# A daemon-like process: one interpreter, three gather passes, a new source in each.
DAEMON_SCRIPT = """
import json, logging, sys, threading
from crawler.app.database import open_db
from crawler.gather.stage import gather_pass
from crawler.gather.runner import get_runner
from tests.test_gather import make_config, source

feeds, db_path = json.loads(sys.argv[1]), sys.argv[2]
db = open_db(db_path)
for n in range(1, 4):
    config = make_config([source(f"feed{i}", url) for i, url in enumerate(feeds[:n])])
    report = gather_pass(config, db, force=True)
    print(json.dumps({"ok": report.ok, "failed": report.failed, "new": report.new_items,
                      "not_modified": report.not_modified, "threads": threading.active_count(),
                      "handlers": len(logging.root.handlers),
                      "loop": id(get_runner().loop)}), flush=True)
"""


def test_three_passes_in_one_process(http_server: httpserver.TestServer, corpus: Path, db_path: Path) -> None:
    urls = serve_articles(http_server, fundus_pages(corpus, every=45))
    groups = [urls[0:2], urls[2:4], urls[4:6]]
    feeds = []
    for i, group in enumerate(groups):
        http_server.set(f"/feed{i}.xml", rss([(f"Item {i}.{j}", u, "s") for j, u in enumerate(group)]))
        feeds.append(http_server.url(f"/feed{i}.xml"))

    result = subprocess.run([sys.executable, "-c", DAEMON_SCRIPT, json.dumps(feeds), str(db_path)],
                            capture_output=True, text=True, timeout=300, cwd=Path(__file__).parents[1])

    assert result.returncode == 0, result.stderr[-3000:]
    passes = [json.loads(line) for line in result.stdout.splitlines()]
    assert [p["new"] for p in passes] == [2, 2, 2]
    assert [sorted(p["ok"]) for p in passes] == [["feed0"], ["feed0", "feed1"], ["feed0", "feed1", "feed2"]]
    assert passes[2]["not_modified"] == ["feed0", "feed1"]
    assert len({p["loop"] for p in passes}) == 1                  # one reactor loop for all passes
    assert passes[2]["threads"] <= passes[0]["threads"] + 1       # no thread pile-up per pass
    assert passes[2]["handlers"] == passes[0]["handlers"]         # nor log handlers
    assert len(http_server.requests_for("/feed0.xml")) == 3
