"""Slow: story grouping on the labelled ../shared/data/dev.jsonl with the real encoder.

Holds the figures ``bench/stories_eval.py`` prints to a floor: copies of one article are found
(pairwise recall against the ``story`` ids), and no story mixes reports of different events.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from classifier.stories.stage import group_pending
from classifier.windows import lead_text
from crawler.app.config import Config
from crawler.app.database import open_db
from tests.seed import insert_classified
from tests.stories_fixtures import story_of


@pytest.mark.slow
def test_dev_copies_are_grouped_and_events_never_mixed(shared: Path, db_path: Path) -> None:
    from classifier.encoder import get_encoder

    rows = [json.loads(line) for line in (shared / "data" / "dev.jsonl").open(encoding="utf-8") if line.strip()]
    config = Config()
    vectors = get_encoder(config.classifier).encode([lead_text(r["title"], r["text"]) for r in rows])
    db = open_db(db_path)
    ids = insert_classified(db, rows, vectors)
    group_pending(config, db)
    story = {i: story_of(db, i) for i in ids}
    same = wrong_event = found = 0
    for i, j in itertools.combinations(range(len(rows)), 2):
        together = story[ids[i]] == story[ids[j]]
        label = rows[i].get("story")
        if label and label == rows[j].get("story"):
            same += 1
            found += together
        event = rows[i].get("event") or label
        if together and (event is None or event != (rows[j].get("event") or rows[j].get("story"))):
            wrong_event += 1
    assert found / same >= 0.85
    assert wrong_event == 0
