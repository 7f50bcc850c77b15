"""Nightly retraining: labels are learnt from only when they do not lower F1 on kept-out shipped examples."""

from __future__ import annotations

import itertools
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from classifier import training
from classifier.pipeline import user_head_path
from classifier.queries import record_feedback
from classifier.retrain import holdout, marker_path, nightly_retrain
from classifier.stage import store_label
from tests.classifier_fakes import FakeEncoder

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
WHO = ["workers", "nationals", "citizens", "job seekers", "students"]
WHERE = ["a scam compound", "a fraud hub", "an online scam centre", "a guarded compound"]
DULL = ["markets", "the football league", "the weather office", "the city council", "farmers", "the museum"]
DOING = ["reported steady results", "announced a new plan", "met on Tuesday", "expects a busy season"]


def examples() -> list[training.Example]:
    relevant = [training.Example(f"{w.title()} trafficked into {p}", f"The {w} were forced to run scams in {p}.", True)
                for w, p in itertools.product(WHO, WHERE)]
    other = [training.Example(f"{d.title()} {x}", f"Officials said {d} {x}.", False)
             for d, x in itertools.product(DULL, DOING)]
    return relevant + other


def setup(tmp_path: Path) -> tuple[Any, Any]:
    from crawler.app.config import load_config
    from crawler.app.database import open_db

    path = tmp_path / "scamwatch.toml"
    path.write_text('[crawler]\ninclude_default_sources = false\n', "utf-8")
    config = load_config(path)
    return config, open_db(config.db_path)


def add_items(db: Any, texts: list[tuple[str, str]]) -> list[int]:
    ids = []
    for n, (title, text) in enumerate(texts):
        db["items"].insert({"canonical_url": f"https://news.example.org/{title}/{n}", "title": title, "text": text})
        ids.append(int(db.execute("SELECT max(id) FROM items").fetchone()[0]))
    db.conn.commit()
    return ids


def test_holdout_is_stable_and_keeps_examples_out() -> None:
    keep, out = holdout(examples())
    assert out and keep and len(keep) + len(out) == len(examples())
    assert holdout(list(reversed(examples())))[1] == list(reversed(out))


def test_bad_labels_keep_the_old_head(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config, db = setup(tmp_path)
    # Someone labelled every kind of report the wrong way round, many times over.
    wrong = [e for e in examples() for _ in range(3)]
    ids = add_items(db, [(e.title, e.text) for e in wrong])
    for item, example in zip(ids, wrong, strict=True):
        store_label(db, item, "irrelevant" if example.relevant else "relevant")
    caplog.set_level(logging.INFO, logger="classifier.retrain")
    report = nightly_retrain(config, db, FakeEncoder(), NOW, examples())
    assert report.status == "kept-old" and report.f1_with is not None and report.f1_without is not None
    assert report.f1_with < report.f1_without
    assert not user_head_path(config.db_path).exists()
    assert "old head kept" in caplog.text and f"{report.f1_without:.3f} without labels" in caplog.text
    # Same labels the next night: nothing new to learn.
    assert nightly_retrain(config, db, FakeEncoder(), NOW + timedelta(days=1), examples()).status == "unchanged"


def test_good_labels_and_feedback_are_adopted_once_a_day(tmp_path: Path) -> None:
    config, db = setup(tmp_path)
    ids = add_items(db, [("Students trafficked into a scam compound", "They were forced to run scams."),
                         ("Farmers announced a new plan", "Officials said farmers announced a plan.")])
    store_label(db, ids[0], "relevant")
    store_label(db, ids[1], "irrelevant")
    report = nightly_retrain(config, db, FakeEncoder(), NOW, examples())
    assert report.status == "adopted" and report.f1_with is not None and report.f1_without is not None
    assert report.f1_with >= report.f1_without and user_head_path(config.db_path).exists()
    assert marker_path(config.db_path).exists()
    record_feedback(db, story_id=7, item_id=ids[1], verdict="irrelevant", route="desk",
                    received_at=NOW.isoformat(), via="link", token="t1")
    assert nightly_retrain(config, db, FakeEncoder(), NOW + timedelta(hours=3), examples()).status == "not-due"
    assert nightly_retrain(config, db, FakeEncoder(), NOW + timedelta(days=1), examples()).status == "adopted"


def test_no_labels_no_work(tmp_path: Path) -> None:
    config, db = setup(tmp_path)
    encoder = FakeEncoder()
    assert nightly_retrain(config, db, encoder, NOW, examples()).status == "no-labels"
    assert encoder.calls == [] and not marker_path(config.db_path).exists()
