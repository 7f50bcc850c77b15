"""The classify stage on a temporary database: results stored, idempotent, nothing embedded twice."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
import sqlite_utils

from classifier.pipeline import Classifier
from classifier.stage import classify_pending, store_label, user_labels
from crawler.app.config import Config, load_config
from crawler.app.database import open_db
from tests.classifier_fakes import FakeEncoder, fake_head

ITEMS = [
    ("Citizens trafficked to a scam compound rescued", "They were held captive and forced to run online scams."),
    ("Stocks close higher on oil", "Markets rose as energy shares gained."),
    ("Football club signs striker", " ".join(["The match report goes on."] * 80)
     + " Late in the piece: workers trafficked to a scam compound were rescued."),
]


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Config, sqlite_utils.Database, FakeEncoder, Classifier]:
    config_path = tmp_path / "scamwatch.toml"
    config_path.write_text("[classifier]\nmodel = 'fake-model'\nlead_words = 40\nwindow_words = 60\nbatch_size = 2\n")
    config = load_config(config_path)
    db = open_db(config.db_path)
    for n, (title, text) in enumerate(ITEMS):
        db["items"].insert({"canonical_url": f"https://example.org/{n}", "url": f"https://example.org/{n}",
                            "title": title, "text": text, "lang": "en", "source": "test"})
    encoder = FakeEncoder()
    classifier = Classifier(config.classifier, encoder, fake_head(encoder))
    return config, db, encoder, classifier


def test_classifies_and_stores_everything(setup) -> None:
    config, db, encoder, classifier = setup
    report = classify_pending(config, db, classifier=classifier)
    assert report.classified == 3 and report.embedded == 3 and report.reused == 0
    rows = {r["item_id"]: r for r in db["classifications"].rows}
    assert all(r["classified_at"] and r["classifier"] == classifier.id for r in rows.values())
    assert rows[1]["relevant"] == 1 and rows[1]["band"] == "alert" and rows[2]["relevant"] == 0
    assert report.relevant == sum(r["relevant"] for r in rows.values())
    assert json.loads(rows[2]["nationalities"]) == [] and json.loads(rows[2]["locations"]) == []
    assert all(0.0 <= r["score"] <= 1.0 for r in rows.values())
    vectors = {r["item_id"]: r for r in db["embeddings"].rows}
    assert set(vectors) == {1, 2, 3}
    # the multilingual encoder's lead vector only for items worth grouping (stories compare languages)
    worth = {r["item_id"] for r in db["classifications"].rows_where("band != 'discard'")}
    cross = {r["item_id"] for r in db["embeddings_multilingual"].rows}
    assert worth and cross == worth and report.multilingual == len(worth)
    vec = np.frombuffer(vectors[1]["vector"], dtype=np.float32)
    assert vectors[1]["model"] == "fake-model" and vectors[1]["dim"] == 64 == vec.shape[0]
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-5


def test_a_second_pass_does_nothing(setup) -> None:
    config, db, encoder, classifier = setup
    classify_pending(config, db, classifier=classifier)
    before = list(db["classifications"].rows)
    calls = len(encoder.calls)
    report = classify_pending(config, db, classifier=classifier)
    assert report.classified == 0 and len(encoder.calls) == calls
    assert list(db["classifications"].rows) == before


def test_reclassifying_never_re_embeds_the_lead(setup) -> None:
    config, db, encoder, classifier = setup
    classify_pending(config, db, classifier=classifier)
    first = {r["item_id"]: r["score"] for r in db["classifications"].rows}
    leads = {classifier.texts(t, x).lead for t, x in ITEMS}
    db.execute("DELETE FROM classifications")
    db.conn.commit()
    encoder.calls.clear()
    report = classify_pending(config, db, classifier=classifier)
    assert report.classified == 3 and report.embedded == 0 and report.reused == 3
    assert not leads & set(encoder.embedded)
    assert {r["item_id"]: r["score"] for r in db["classifications"].rows} == first


def test_body_windows_catch_late_signal(setup) -> None:
    config, db, encoder, classifier = setup
    classify_pending(config, db, classifier=classifier)
    with_windows = db["classifications"].get(3)["score"]
    classifier.cfg.window_weight = 0.0
    assert classifier.score([classifier.texts(*ITEMS[2])]).scores[0] < with_windows


def test_labels_are_stored_and_reuse_embeddings(setup) -> None:
    config, db, encoder, classifier = setup
    classify_pending(config, db, classifier=classifier)
    store_label(db, 2, "relevant")
    store_label(db, 2, "irrelevant")
    with pytest.raises(KeyError):
        store_label(db, 99, "relevant")
    encoder.calls.clear()
    labeled = user_labels(db, encoder, config.classifier.lead_words)
    assert [(label, text.startswith("Stocks")) for _, label, text in labeled] == [(False, True)]
    assert encoder.calls == []


def test_should_stop_ends_the_pass_between_batches(setup) -> None:
    config, db, encoder, classifier = setup
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 1  # let one batch (2 items) through

    report = classify_pending(config, db, classifier=classifier, should_stop=stop, batch_items=2)
    assert report.classified == 2
    assert classify_pending(config, db, classifier=classifier).classified == 1


def test_a_batch_that_fails_to_store_leaves_nothing_behind(setup) -> None:
    config, db, encoder, classifier = setup
    db.execute("CREATE TRIGGER refuse AFTER INSERT ON classifications "
               "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(sqlite3.IntegrityError):
        classify_pending(config, db, classifier=classifier)
    assert db["embeddings"].count == 0  # the batch's embeddings went with its failed classifications
    db.execute("DROP TRIGGER refuse")
    assert classify_pending(config, db, classifier=classifier).classified == 3


def test_an_item_below_the_newest_classified_one_is_still_found(setup) -> None:
    config, db, encoder, classifier = setup
    classify_pending(config, db, classifier=classifier)
    db.execute("DELETE FROM classifications WHERE item_id = 1")
    db.conn.commit()
    assert classify_pending(config, db, classifier=classifier).classified == 1
    assert db["classifications"].count == 3


def test_classify_reads_at_most_max_text_chars(setup, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of megabytes costs what a long article costs: windows and extraction see the cap."""
    import classifier.incidents as incidents

    config, db, encoder, classifier = setup
    seen: list[int] = []
    real = incidents.extract_incident

    def spy(title: str, text: str, **kw: object) -> object:
        seen.append(len(text))
        return real(title, text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(incidents, "extract_incident", spy)
    huge = "Workers trafficked to a scam compound were rescued. " * 50_000  # 2.6 MB
    assert classifier.bounded(huge) == huge[:config.classifier.max_text_chars]
    classifier.describe("Citizens held in a scam compound rescued", huge, "en", 0.99)
    assert seen == [config.classifier.max_text_chars]
