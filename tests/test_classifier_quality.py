"""The shipped head: trained on exactly the shipped examples, and good enough on held-out labeled items."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from classifier.config import ClassifierConfig
from classifier.evaluate import evaluate
from classifier.head import Head
from classifier.keywords import LEXICON_ID
from classifier.pipeline import Classifier, shipped_head_name
from classifier.training import data_hash, read_examples
from classifier.windows import lead_text
from tests.conftest import REPO

LABELED_SMALL = REPO / "tests" / "data" / "labeled_small.jsonl"


def shipped_head(model: str = "all-MiniLM-L6-v2") -> Head:
    path = resources.files("scamwatch_config").joinpath("head", shipped_head_name(model))
    return Head.load(Path(str(path)))


@pytest.mark.parametrize("model", ["all-MiniLM-L6-v2", "use-multilingual-v3"])
def test_shipped_head_matches_the_shipped_examples(model: str) -> None:
    """Fails when the examples change and a head was not retrained (python -m classifier.training)."""
    head = shipped_head(model)
    t = head.training
    examples = read_examples()
    texts = [lead_text(e.title, e.text, t["lead_words"]) for e in examples]
    method = f"{t['calibration']}/{t.get('feature_scale')}"
    assert t["user_labels"] == 0 and t["examples"] == len(examples)
    assert t["keywords"] == LEXICON_ID  # the keyword lists it learned from are the current ones
    assert data_hash(texts, [e.relevant for e in examples], head.model, t["seed"], t["C"], method) == t["sha256"]


@pytest.mark.slow
def test_shipped_head_reaches_a_floor_on_labeled_items() -> None:
    rows = [json.loads(line) for line in LABELED_SMALL.read_text("utf-8").splitlines() if line.strip()]
    assert len(rows) >= 50
    clf = Classifier(ClassifierConfig())
    result = evaluate(rows, clf.classify(rows))["overall"]
    assert result["relevant"]["f1"] >= 0.85, result
    assert result["held"]["f1"] >= 0.75, result
