"""The relevance head: training is reproducible, files round-trip, bad files are clear errors; windows."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from classifier.head import Head, HeadError
from classifier.keywords import NAMES as KEYWORD_NAMES
from classifier.keywords import keyword_features
from classifier.training import Example, data_hash, read_examples, train
from classifier.windows import WindowSpec, lead_text, split_item
from tests.classifier_fakes import IRRELEVANT, RELEVANT, FakeEncoder, fake_head

EXAMPLES = [Example(t, x, True) for t, x in RELEVANT] + [Example(t, x, False) for t, x in IRRELEVANT]


def test_same_seed_gives_identical_head_and_file(tmp_path: Path) -> None:
    one = train(FakeEncoder(), EXAMPLES, lead_words=120, seed=7)
    two = train(FakeEncoder(), list(reversed(EXAMPLES)), lead_words=120, seed=7)
    assert np.array_equal(one.coef, two.coef) and one.intercept == two.intercept
    assert one.calibration == two.calibration
    assert one.training["sha256"] == two.training["sha256"]
    one.save(tmp_path / "a.json")
    two.save(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_other_data_or_seed_changes_the_hash() -> None:
    base = data_hash(["a", "b"], [True, False], "m", 1, 1.0, "sigmoid")
    assert base != data_hash(["a", "b"], [False, True], "m", 1, 1.0, "sigmoid")
    assert base != data_hash(["a", "b"], [True, False], "m", 2, 1.0, "sigmoid")
    assert base != data_hash(["a", "b"], [True, False], "other", 1, 1.0, "sigmoid")


@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
def test_round_trip_scores_identically(tmp_path: Path, method: str) -> None:
    encoder = FakeEncoder()
    head = train(encoder, EXAMPLES, lead_words=120, method=method)
    path = tmp_path / "head.json"
    head.save(path)
    data = json.loads(path.read_text())
    assert data["format"] == "scamwatch-head/1" and data["model"] == "fake-model" and len(data["coef"]) == 64
    loaded = Head.load(path)
    texts = ["scam compound rescue in Cambodia", "football striker"]
    vectors, features = encoder.encode(texts), keyword_features(texts)
    assert loaded.features == head.features == KEYWORD_NAMES
    assert np.allclose(loaded.probability(loaded.decision(vectors, features)),
                       head.probability(head.decision(vectors, features)))
    assert loaded.id == head.id


def test_head_separates_what_it_learned() -> None:
    encoder = FakeEncoder()
    head = fake_head(encoder)
    good, bad = head.probability(head.decision(encoder.encode([
        "Citizens trafficked to a scam compound were rescued", "Markets rose as oil prices gained"])))
    assert not head.features
    assert good > 0.6 > 0.4 > bad


def test_training_needs_both_classes() -> None:
    with pytest.raises(ValueError, match="both"):
        train(FakeEncoder(), [e for e in EXAMPLES if e.relevant], lead_words=120)


def test_broken_and_mismatched_heads_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(HeadError, match="not found"):
        Head.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{nope")
    with pytest.raises(HeadError, match="bad.json"):
        Head.load(tmp_path / "bad.json")
    (tmp_path / "pickle.json").write_text(json.dumps({"format": "pickle"}))
    with pytest.raises(HeadError, match="not a scamwatch head"):
        Head.load(tmp_path / "pickle.json")
    head = fake_head(FakeEncoder())
    with pytest.raises(HeadError, match="scamwatch train"):
        head.check_model("all-MiniLM-L6-v2", 384)


def test_read_examples_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "ex.jsonl"
    path.write_text('{"title": "a", "text": "b", "relevant": true}\n\n{"title": "c", "relevant": "yes"}\n')
    with pytest.raises(ValueError, match=r"ex.jsonl:3"):
        read_examples(path)


def test_lead_is_title_plus_first_words() -> None:
    body = " ".join(f"w{i}" for i in range(300))
    assert lead_text("A title", body, 5) == "A title. w0 w1 w2 w3 w4"
    assert lead_text("Question?", "yes no", 5) == "Question? yes no"
    assert lead_text(None, "only body", 5) == "only body"
    assert lead_text("only title", None) == "only title"


def test_windows_cover_the_body_after_the_lead_and_are_capped() -> None:
    words = [f"w{i}" for i in range(1000)]
    spec = WindowSpec(lead_words=100, window_words=200, overlap=50, max_windows=4)
    texts = split_item("T", " ".join(words), spec)
    assert len(texts.windows) == 4
    assert texts.windows[0].split()[0] == "w50"
    assert texts.windows[-1].split()[-1] == "w999"
    assert all(len(w.split()) == 200 for w in texts.windows)
    assert split_item("T", "short body", spec).windows == ()
    assert split_item("T", " ".join(words), WindowSpec(max_windows=0)).windows == ()


def test_unspaced_scripts_are_windowed_by_character() -> None:
    body = "缅甸园区" * 100
    texts = split_item("标题", body, WindowSpec(lead_words=50, window_words=100, overlap=10, max_windows=10))
    assert texts.lead == "标题. " + body[:50]
    assert texts.windows and all(len(w) == 100 for w in texts.windows[:-1])


def test_head_choice_config_then_user_trained_then_shipped(tmp_path: Path) -> None:
    from classifier.config import ClassifierConfig
    from classifier.pipeline import load_head, user_head_path

    cfg = ClassifierConfig()
    db_path = tmp_path / "scamwatch.db"
    shipped = load_head(cfg, None, db_path)
    assert shipped.model == "all-MiniLM-L6-v2" and shipped.features == KEYWORD_NAMES
    user = fake_head(FakeEncoder())
    user.save(user_head_path(db_path))
    assert user_head_path(db_path) == tmp_path / "scamwatch.head.json"
    assert load_head(cfg, None, db_path).id == user.id
    configured = train(FakeEncoder(), EXAMPLES, lead_words=120, seed=3)
    configured.save(tmp_path / "mine.json")
    assert load_head(cfg, tmp_path / "mine.json", db_path).id == configured.id
    with pytest.raises(HeadError, match="no head is shipped"):
        load_head(ClassifierConfig(model="some/other-model"))
