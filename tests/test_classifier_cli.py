"""``scamwatch classify``, ``eval``, ``train`` and ``label`` through the CLI (fake encoder, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import classifier.pipeline
from classifier.head import Head
from crawler.app.cli import main
from tests.classifier_fakes import IRRELEVANT, RELEVANT, FakeEncoder, fake_head


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    encoder = FakeEncoder()
    fake_head(encoder).save(tmp_path / "head.json")
    monkeypatch.setattr(classifier.pipeline, "get_encoder", lambda cfg: encoder)
    monkeypatch.setattr("crawler.app.classify_commands.get_encoder", lambda cfg: encoder)
    path = tmp_path / "scamwatch.toml"
    path.write_text(f"[classifier]\nmodel = 'fake-model'\nhead_path = '{tmp_path / 'head.json'}'\n"
                    f"[database]\npath = '{tmp_path / 'db.sqlite'}'\n")
    return path


def run(config: Path, *args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["--config", str(config), *args], input=stdin)


def test_classify_jsonl_contract_with_malformed_lines(config: Path) -> None:
    lines = [
        json.dumps({"id": "a", "title": RELEVANT[0][0], "text": RELEVANT[0][1], "url": "https://x.org/a"}),
        "this is not json",
        json.dumps({"id": 7, "title": IRRELEVANT[0][0], "text": IRRELEVANT[0][1], "lang": "en"}),
        "",
        "[1, 2]",
        json.dumps({"title": "no id"}),
        json.dumps({"id": "c", "title": "x", "text": 5}),
        json.dumps({"id": "d", "title": "Only a title about a scam compound rescue"}),
    ]
    result = run(config, "classify", stdin="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 7, "d"]
    for o in out:
        assert {"id", "score", "relevant", "held", "nationalities", "locations", "count", "status"} <= set(o)
    assert out[0]["relevant"] is True and out[1]["relevant"] is False and out[1]["nationalities"] == []
    err = result.stderr
    for number in (2, 5, 6, 7):
        assert f"line {number}:" in err
    assert "line 4" not in err and "3 classified, 4 malformed lines skipped" in err
    assert not (config.parent / "db.sqlite").exists()  # classify needs no database


def test_classify_files_and_all_bad_input_fails(config: Path, tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": 1, "title": "t", "text": "x"}) + "\n")
    result = run(config, "classify", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 0 and json.loads((tmp_path / "out.jsonl").read_text())["id"] == 1
    assert run(config, "classify", stdin="nope\n").exit_code == 1
    assert run(config, "classify", stdin="").exit_code == 0


def test_eval_reports_figures_per_language(config: Path, tmp_path: Path) -> None:
    rows = [{"id": f"r{i}", "title": t, "text": x, "lang": "en", "relevant": True, "held": True,
             "nationalities": [], "count": None, "status": None} for i, (t, x) in enumerate(RELEVANT[:3])]
    rows += [{"id": f"n{i}", "title": t, "text": x, "lang": "fr", "relevant": False, "held": False,
              "nationalities": [], "count": None, "status": None} for i, (t, x) in enumerate(IRRELEVANT[:3])]
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    result = run(config, "eval", "--input", str(tmp_path / "gold.jsonl"), "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["overall"]["items"] == 6 and figures["overall"]["relevant"]["f1"] == 1.0
    assert set(figures["languages"]) == {"en", "fr"} and figures["non_english"]["items"] == 3
    text = run(config, "eval", "--input", str(tmp_path / "gold.jsonl"))
    assert "overall" in text.stdout and "misclassified" in text.stdout


def test_train_and_label(config: Path, tmp_path: Path) -> None:
    examples = tmp_path / "examples.jsonl"
    examples.write_text("\n".join(json.dumps({"title": t, "text": x, "relevant": rel, "kind": "k", "lang": "en"})
                                  for rel, group in ((True, RELEVANT), (False, IRRELEVANT)) for t, x in group))
    assert run(config, "label", "1", "relevant").exit_code == 1  # no such item yet
    result = run(config, "train", "--examples", str(examples))
    assert result.exit_code == 0, result.output
    head = Head.load(tmp_path / "db.head.json")
    assert head.model == "fake-model" and head.training["examples"] == 12
    assert run(config, "label", "1", "maybe").exit_code == 2


def test_label_echoes_the_headline_and_asks_before_overriding_someone_else(config: Path, tmp_path: Path) -> None:
    from crawler.app.database import open_db
    from tests.alerts_fixtures import add_story

    db = open_db(tmp_path / "db.sqlite")
    sid = add_story(db, headline="Fishermen held in a compound", score=0.9, seen="2026-12-01T00:00:00+00:00")
    [item] = [r["item_id"] for r in db["story_index"].rows_where("story_id = ?", [sid])]
    db["labels"].insert({"item_id": item, "label": "relevant", "labeled_at": "2026-12-01", "labeled_by": "amira"})
    db.conn.commit()
    refused = run(config, "label", str(item), "irrelevant", stdin="n\n")
    assert refused.exit_code == 1 and "Fishermen held in a compound" in refused.output and "amira" in refused.output
    assert db["labels"].get(item)["label"] == "relevant"
    accepted = run(config, "label", str(item), "irrelevant", stdin="y\n")
    assert accepted.exit_code == 0 and db["labels"].get(item)["label"] == "irrelevant"
    assert run(config, "label", "999", "relevant").exit_code == 1
    story = run(config, "label", "--story", str(sid), "irrelevant")
    assert story.exit_code == 0 and "Fishermen held in a compound" in story.output and "no more alerts" in story.output
    [row] = db["feedback"].rows
    assert row["verdict"] == "irrelevant" and row["via"] == "cli" and row["story_id"] == sid
