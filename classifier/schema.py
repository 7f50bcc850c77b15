"""Tables and columns of the classify stage (migration set ``scamwatch.classify``).

- ``items`` gains: score (calibrated probability), band ('alert' | 'review' | 'discard'),
  relevant, held, nationalities and locations (JSON arrays), count, status, classified_at
  (NULL = still to classify) and classifier (model + head id).
- ``embeddings``: the title+lead embedding of each item (float32, L2-normalised), for the
  stories stage; an item is never embedded twice with the same model.
- ``labels``: a user's verdict on an item (``scamwatch label``; ``labeled_by`` who gave it), used by
  ``scamwatch train`` and the nightly retrain.
- ``feedback``: an officer's one-click verdict on a story (irrelevant | wrong_facts | correct), with
  the route whose alert carried the link, when it came and how (link, page or cli); ``token``
  (the signed link) is unique, so one link records one label however often it is posted.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("scamwatch.classify")

ITEM_COLUMNS: dict[str, type] = {
    "score": float,
    "band": str,
    "relevant": int,
    "held": int,
    "nationalities": str,
    "locations": str,
    "count": int,
    "status": str,
    "classified_at": str,
    "classifier": str,
}


@migrations()
def m001_classify(db: sqlite_utils.Database) -> None:
    items = db.table("items")
    for name, kind in ITEM_COLUMNS.items():
        items.add_column(name, kind)
    db.execute("CREATE INDEX IF NOT EXISTS items_unclassified ON items (id) WHERE classified_at IS NULL")
    items.create_index(["band", "classified_at"])
    db.table("embeddings").create(
        {"item_id": int, "model": str, "dim": int, "vector": bytes, "created_at": str},
        pk="item_id",
        foreign_keys=[("item_id", "items", "id")],
        not_null={"model", "dim", "vector"},
    )
    db.table("labels").create(
        {"item_id": int, "label": str, "labeled_at": str},
        pk="item_id",
        foreign_keys=[("item_id", "items", "id")],
        not_null={"label"},
    )


@migrations()
def m002_feedback(db: sqlite_utils.Database) -> None:
    db.table("feedback").create(
        {"id": int, "story_id": int, "item_id": int, "verdict": str, "route": str, "received_at": str,
         "via": str, "token": str},
        pk="id",
        not_null={"story_id", "verdict", "received_at"},
    )
    db.execute("CREATE UNIQUE INDEX feedback_token ON feedback (token) WHERE token IS NOT NULL")
    db.table("feedback").create_index(["story_id", "id"])
    db.table("labels").add_column("labeled_by", str)
