"""``scamwatch import`` and ``scamwatch stories`` through the real CLI (classify faked by a toy encoder)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.app import stories_commands as commands
from crawler.app.cli import main
from crawler.app.context import App
from crawler.app.database import open_db
from tests.seed import HashingEncoder
from tests.stories_fixtures import OTHER_EVENT, WIRE, boilerplate_copy, story_of


def _fake_classify(app: App) -> str:
    """Stand-in for the classify stage: toy vectors; 'Kenya' in the text means nationals held."""
    db, now = app.db, datetime.now(UTC).isoformat(timespec="seconds")
    rows = db.execute("SELECT id, title, text FROM items WHERE id NOT IN (SELECT item_id FROM classifications)"
                      ).fetchall()
    vectors = HashingEncoder().encode([f"{t} {x}" for _, t, x in rows])
    with db.atomic():
        for (item_id, _, text), vec in zip(rows, vectors, strict=True):
            held = "Kenya" in text
            db["classifications"].insert({
                "item_id": item_id, "classified_at": now, "score": 0.9 if held else 0.1, "relevant": int(held),
                "band": "alert" if held else "discard", "held": int(held),
                "nationalities": json.dumps(["Kenya"] if held else []),
                "locations": json.dumps(["Myanmar"] if held else [])})
            db["embeddings"].insert({"item_id": item_id, "model": "toy", "dim": len(vec), "vector": vec.tobytes()})
    return f"classified {len(rows)} items"


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    lines = [
        json.dumps({"id": "k1", "title": "37 Kenyans held in scam compound", "text": WIRE,
                    "url": "https://news.example.org/world/kenyans?utm_source=feed", "lang": "en",
                    "published": "2025-05-01T10:00:00Z", "source": "example-news"}),
        "{not json",
        json.dumps({"id": "k2", "title": "no text"}),
        json.dumps({"id": "k3", "title": "t", "text": "x", "published": "last tuesday"}),
        json.dumps({"id": "k4", "title": "Kenyans held in compound, police say", "text": boilerplate_copy(WIRE),
                    "url": "https://other.example.net/story/123", "published": "2025-05-01T14:00:00+02:00"}),
        "",
        json.dumps({"id": "u1", "title": "Ugandans found in office tower", "text": OTHER_EVENT}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_import_reports_bad_lines_and_groups_the_rest(jsonl: Path, db_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "_classify", _fake_classify)
    result = run("--db", str(db_path), "import", str(jsonl))
    assert result.exit_code == 0, result.output
    assert "line 2: not valid JSON" in result.stderr
    assert "line 3: missing 'text'" in result.stderr
    assert "line 4: 'published' is not an ISO 8601 date" in result.stderr
    assert "imported 3 items (0 already stored, 3 bad lines skipped)" in result.stdout
    assert "2 new stories" in result.stdout
    db = open_db(db_path)
    items = {r["entry_id"]: r for r in db["items"].rows}
    assert items["k1"]["canonical_url"] == "https://news.example.org/world/kenyans"
    assert items["k1"]["extraction"] == "import" and items["k1"]["source"] == "example-news"
    assert items["u1"]["canonical_url"] == "import:u1" and items["k4"]["published"] == "2025-05-01T12:00:00+00:00"
    assert items["k4"]["source"] == "other.example.net"
    story = {key: story_of(db, item["id"]) for key, item in items.items()}
    assert story["k1"] == story["k4"] != story["u1"]

    again = run("--db", str(db_path), "import", str(jsonl))
    assert again.exit_code == 0 and "imported 0 items (3 already stored" in again.stdout
    assert "0 items grouped" in again.stdout
    listing = run("--db", str(db_path), "stories")
    assert listing.exit_code == 0
    assert "37 Kenyans held in scam compound" in listing.stdout and "NEW:Kenya@Myanmar" in listing.stdout
    assert "example-news" in listing.stdout


def test_stories_json_has_items_and_incidents(jsonl: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "_classify", _fake_classify)
    run("--db", str(db_path), "import", str(jsonl))
    result = run("--db", str(db_path), "stories", "--json", "--relevant", "--since", "2020-01-01")
    stories = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(stories) == 1
    story = stories[0]
    assert story["item_count"] == 2 and story["source_count"] == 2
    assert [i["title"] for i in story["items"]][0] == "37 Kenyans held in scam compound"
    assert story["incidents"][0]["is_new"] == 1 and story["first_published"] == "2025-05-01T10:00:00+00:00"


def test_import_of_only_bad_lines_fails(tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "_classify", _fake_classify)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('[1, 2]\n{"id": "x", "title": 5, "text": "y"}\n', "utf-8")
    result = run("--db", str(db_path), "import", str(bad))
    assert result.exit_code == 1
    assert "line 1: expected a JSON object" in result.stderr and "line 2: 'title' must be a string" in result.stderr


def test_stories_rejects_a_bad_since(db_path: Path) -> None:
    result = run("--db", str(db_path), "stories", "--since", "yesterday-ish")
    assert result.exit_code == 2 and "expected an ISO date" in result.output
