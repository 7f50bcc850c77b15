"""``scamwatch demo``: the sample site it serves, and the whole offline run (slow: real model)."""

from __future__ import annotations

import re
import sys
import urllib.request
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from crawler.app.cli import main
from crawler.app.database import open_db
from crawler.app.demo import DEMO_SOURCES, demo_site, site_root

SCAMWATCH = str(Path(sys.executable).with_name("scamwatch"))


def test_the_demo_site_serves_fresh_feeds_whose_links_all_resolve() -> None:
    site = demo_site(site_root())
    try:
        titles = []
        for _, path, _ in DEMO_SOURCES:
            with urllib.request.urlopen(site.base + path, timeout=10) as resp:
                body = resp.read().decode()
            assert "{" not in body, f"{path}: a placeholder was left unfilled"
            feed = feedparser.parse(body)
            assert not feed.bozo and feed.entries, path
            for entry in feed.entries:
                assert entry.link.startswith(site.base)
                with urllib.request.urlopen(entry.link, timeout=10) as resp:
                    page = resp.read().decode()
                assert resp.status == 200 and "<article>" in page and not re.search(r"\{\w+(:\d+)?\}", page)
                titles.append(entry.title)
        assert len(titles) == 9
        assert sum("Myawaddy" in t for t in titles) == 2  # the report and its syndicated copy
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(site.base + "/../../pyproject.toml", timeout=10)
    finally:
        site.close()


@pytest.mark.slow
def test_demo_runs_offline_finds_the_reports_and_prints_the_alerts(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--keep", str(tmp_path)], catch_exceptions=False)
    out = result.stdout
    assert result.exit_code == 0, result.output
    assert out.count("=== ALERT") == 3, out
    assert "3 relevant stories" in out
    assert "Myawaddy" in out and "Sihanoukville" in out and "Golden Triangle" in out
    assert f"scamwatch --config {tmp_path / 'demo.toml'} serve" in out
    db = open_db(tmp_path / "demo.db")
    assert db["items"].count == 9
    copies = list(db.query("SELECT item_count, source_count FROM stories WHERE headline LIKE '%Myawaddy%'"))
    assert copies == [{"item_count": 2, "source_count": 2}], "the syndicated copy joins the original's story"
    assert not list(db.query("SELECT id FROM stories WHERE relevant = 1 AND headline LIKE '%parcel%'"))
