"""Tables of the classify stage (migration set ``scamwatch.classify``).

- ``classifications``, one row per classified item (``item_id``; an item without one is still to
  classify): score (calibrated probability), band ('alert' | 'review' | 'discard', decided here
  once), relevant, held, nationalities and locations (JSON arrays), count, status, classified_at
  and classifier (model + head id). m001 added these columns onto gather's ``items``; m002 moved them.
- ``classified_items``: a view of items joined with their classification, what the stages
  downstream read.
- ``embeddings``: the title+lead embedding of each item (float32, L2-normalised), for the
  stories stage; an item is never embedded twice with the same model.
- m003: each classification keeps ``language`` (declared, unless the script says otherwise, else
  detected: what routed the text to its encoder) and ``places`` (JSON array of places of
  captivity, canonical gazetteer names); ``embeddings_multilingual`` holds the multilingual
  encoder's title+lead vector of every item worth grouping (alert or review band), so the stories
  stage can compare reports across languages.
- ``labels``: a user's verdict on an item (``scamwatch label``; ``labeled_by`` who gave it), used by
  ``scamwatch train`` and the nightly retrain.
- ``feedback``: an officer's one-click verdict on a story (irrelevant | wrong_facts | correct), with
  the route whose alert carried the link, when it came and how (link, page or cli); ``token``
  (the signed link) is unique, so one link records one label however often it is posted.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from crawler.base.database import drop_columns

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


CLASSIFIED_ITEMS = """
CREATE VIEW classified_items AS
SELECT items.*, c.score, c.band, c.relevant, c.held, c.nationalities, c.locations, c.count, c.status,
       c.classified_at, c.classifier
FROM items JOIN classifications AS c ON c.item_id = items.id
"""


@migrations()
def m002_classifications(db: sqlite_utils.Database) -> None:
    """The classify columns move off ``items`` into ``classifications`` (rows of classified items copied)."""
    db.table("classifications").create({"item_id": int, **ITEM_COLUMNS}, pk="item_id")
    db.table("classifications").create_index(["band", "classified_at"])
    names = ", ".join(f'"{c}"' for c in ITEM_COLUMNS)
    db.execute(f"INSERT INTO classifications (item_id, {names}) SELECT id, {names} FROM items "
               "WHERE classified_at IS NOT NULL")
    drop_columns(db, "items", list(ITEM_COLUMNS))
    db.execute(CLASSIFIED_ITEMS)


CLASSIFIED_ITEMS_V3 = """
CREATE VIEW classified_items AS
SELECT items.*, c.score, c.band, c.relevant, c.held, c.nationalities, c.locations, c.places, c.count,
       c.status, c.language, c.classified_at, c.classifier
FROM items JOIN classifications AS c ON c.item_id = items.id
"""


@migrations()
def m003_language_places_vectors(db: sqlite_utils.Database) -> None:
    """Language and places per classification; the multilingual lead vectors."""
    db.execute("DROP VIEW IF EXISTS classified_items")
    db.table("classifications").add_column("language", str)
    db.table("classifications").add_column("places", str)
    db.table("embeddings_multilingual").create(
        {"item_id": int, "model": str, "dim": int, "vector": bytes, "created_at": str},
        pk="item_id",
        foreign_keys=[("item_id", "items", "id")],
        not_null={"model", "dim", "vector"},
    )
    db.execute(CLASSIFIED_ITEMS_V3)


@migrations()
def m004_feedback(db: sqlite_utils.Database) -> None:
    db.table("feedback").create(
        {"id": int, "story_id": int, "item_id": int, "verdict": str, "route": str, "received_at": str,
         "via": str, "token": str},
        pk="id",
        not_null={"story_id", "verdict", "received_at"},
    )
    db.execute("CREATE UNIQUE INDEX feedback_token ON feedback (token) WHERE token IS NOT NULL")
    db.table("feedback").create_index(["story_id", "id"])
    db.table("labels").add_column("labeled_by", str)
