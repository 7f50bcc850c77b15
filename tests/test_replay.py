"""``scamwatch import FILE --report OUT``: items replayed in published order, one report line each."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.app import replay
from crawler.app import stories_commands as commands
from crawler.app.cli import main
from crawler.app.context import App
from tests.events_fixtures import first_event, later_incident, second_group, updated_copy
from tests.seed import HashingEncoder

FACT_KEYS = ("relevant", "held", "nationalities", "locations", "count", "status", "score")
RECORDS = [*first_event(), updated_copy(), second_group(), later_incident()]
FACTS = {r["id"]: {k: r[k] for k in FACT_KEYS} for r in RECORDS}


def _classify_from_facts(app: App) -> str:
    """Stand-in for the classify stage: the facts the fixtures give, toy vectors."""
    db, now = app.db, datetime.now(UTC).isoformat(timespec="seconds")
    rows = db.execute("SELECT id, entry_id, title, text FROM items WHERE id NOT IN "
                      "(SELECT item_id FROM classifications)").fetchall()
    vectors = HashingEncoder().encode([f"{t} {x}" for _, _, t, x in rows])
    with db.atomic():
        for (item_id, key, _, _), vec in zip(rows, vectors, strict=True):
            facts = FACTS.get(key, {"relevant": False, "held": False, "score": 0.1})
            db["classifications"].insert({
                "item_id": item_id, "classified_at": now, "score": facts["score"],
                "band": "alert" if facts["relevant"] else "discard", "relevant": int(facts["relevant"]),
                "held": int(facts["held"]), "nationalities": json.dumps(facts.get("nationalities", [])),
                "locations": json.dumps(facts.get("locations", [])), "count": facts.get("count"),
                "status": facts.get("status")})
            db["embeddings"].insert({"item_id": item_id, "model": "toy", "dim": len(vec), "vector": vec.tobytes()})
    return f"classified {len(rows)} items"


def jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    keys = ("id", "title", "text", "url", "lang", "published", "source")
    path.write_text("".join(json.dumps({k: r[k] for k in keys if k in r}) + "\n" for r in records), "utf-8")
    return path


def run_replay(tmp_path: Path, name: str, source: Path) -> list[dict[str, object]]:
    out = tmp_path / f"{name}.report.jsonl"
    result = CliRunner().invoke(main, ["--db", str(tmp_path / f"{name}.db"), "import", str(source),
                                       "--report", str(out)])
    assert result.exit_code == 0, result.output
    assert "replay: 6 items" in result.output
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def test_replay_reports_each_item_in_published_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "_classify", _classify_from_facts)
    shuffled = [RECORDS[i] for i in (4, 1, 5, 0, 3, 2)]
    lines = run_replay(tmp_path, "a", jsonl(tmp_path / "in.jsonl", shuffled))
    assert [line["id"] for line in lines] == ["wire", "rewrite", "foreign", "updated", "second", "later"]
    assert [line["alert"] for line in lines] == ["new_incident", None, None, "update", "follow_up", "new_incident"]
    stories = [line["story"] for line in lines]
    assert stories[:4] == [stories[0]] * 4 and len(set(stories[3:])) == 3
    incidents = [line["incident"] for line in lines]
    assert incidents[:5] == [incidents[0]] * 5 and incidents[5] != incidents[0]


def test_replay_report_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "_classify", _classify_from_facts)
    source = jsonl(tmp_path / "in.jsonl", RECORDS)
    assert run_replay(tmp_path, "a", source) == run_replay(tmp_path, "b", source)


def test_items_without_a_date_keep_their_place_in_the_file() -> None:
    lines = [json.dumps({"id": k, "title": "t", "text": "x", **({"published": p} if p else {})})
             for k, p in (("a", "2026-03-05T00:00:00Z"), ("b", None), ("c", "2026-03-01T00:00:00+02:00"),
                          ("d", None))]
    assert [json.loads(line)["id"] for line in replay.arrival_order(lines)] == ["c", "d", "a", "b"]


def test_without_a_classify_stage_items_are_reported_without_story(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "_classify", lambda app: "classify stage not available")
    out = tmp_path / "r.jsonl"
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "import",
                                       str(jsonl(tmp_path / "in.jsonl", RECORDS[:2])), "--report", str(out)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in out.read_text("utf-8").splitlines()] == [
        {"id": "wire", "story": None, "incident": None, "alert": None},
        {"id": "rewrite", "story": None, "incident": None, "alert": None}]


def test_bad_lines_are_named_by_their_line_in_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "_classify", _classify_from_facts)
    source = jsonl(tmp_path / "in.jsonl", [RECORDS[1], RECORDS[0]])
    source.write_text(source.read_text("utf-8") + '{"id": "x", "title": "no text"}\n', "utf-8")
    out = tmp_path / "r.jsonl"
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "import", str(source), "--report", str(out)])
    assert result.exit_code == 0 and "line 3: " in result.output
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == ["wire", "rewrite"]
