"""A database written before the rooms moved (classify columns on items, story membership on items,
alert state on stories) keeps everything on upgrade."""

from __future__ import annotations

import json
from pathlib import Path

from alerts.schema import migrations as alerts_migrations
from classifier.schema import migrations as classify_migrations
from classifier.stories import queries, store
from classifier.stories.schema import migrations as stories_migrations
from crawler.app.database import MIGRATIONS, open_db


def _old_database(path: Path) -> None:
    """The schema and rows as the code before the move wrote them."""
    old = open_db(path, migrate=False)
    for migrations in MIGRATIONS:
        if migrations is classify_migrations:
            migrations.apply(old, stop_before="m002_classifications")
        elif migrations is stories_migrations:
            migrations.apply(old, stop_before="m002_story_band")
        elif migrations is alerts_migrations:
            migrations.apply(old, stop_before="m003_alert_story_state")
        else:
            migrations.apply(old)
    assert {"alerted_at", "alerted_state", "new_incidents"} <= set(old["stories"].columns_dict)
    assert {"score", "band", "classified_at"} <= set(old["items"].columns_dict)
    assert old["stories_fts"].exists()
    for n, band in ((1, "alert"), (2, "review"), (3, "discard")):
        old["items"].insert({"id": n, "canonical_url": f"https://example.org/{n}", "title": f"report {n}",
                             "band": band, "score": 0.3 * n, "story_id": 1 if n < 3 else 2,
                             "classified_at": "2026-01-01T00:00:00+00:00", "nationalities": '["Kenya"]'})
    old["items"].insert({"id": 4, "canonical_url": "https://example.org/4", "title": "waiting"})
    old["embeddings"].insert({"item_id": 1, "model": "m", "dim": 1, "vector": b"\0\0\0\0"})
    old["stories"].insert_all([
        {"id": 1, "headline": "Workers held at a compound", "item_count": 2, "first_seen": "2026-01-01",
         "new_incidents": '[["Kenya", "Myanmar"]]', "alerted_at": "2026-01-02T00:00:00+00:00",
         "alerted_state": json.dumps({"band": "alert", "seen": "x"})},
        {"id": 2, "headline": "A quiet day", "item_count": 1, "first_seen": "2026-01-03"},
    ])
    # Item 1 was indexed when grouped; 2 and 3 only carry their story on items (an older writer).
    old["story_index"].insert({"item_id": 1, "story_id": 1, "ts": 1767225600.0})
    old["incidents"].insert({"id": 5, "nationality": "Kenya", "location": "Myanmar", "first_story_id": 1})
    old["story_incidents"].insert({"story_id": 1, "incident_id": 5, "is_new": 1})
    old.conn.commit()
    old.close()


def test_an_existing_database_moves_alert_state_and_gains_the_band(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_database(path)

    db = open_db(path)
    assert not {"score", "band", "classified_at", "nationalities"} & set(db["items"].columns_dict)
    assert [(r["item_id"], r["band"], r["nationalities"]) for r in db["classifications"].rows] == [
        (1, "alert", '["Kenya"]'), (2, "review", '["Kenya"]'), (3, "discard", '["Kenya"]')]
    assert [r["id"] for r in db["items"].rows] == [1, 2, 3, 4]
    assert db["embeddings"].count == 1 and db.execute("PRAGMA foreign_key_check").fetchall() == []
    db["items"].update(4, {"title": "zebra crossing"})  # items' full-text search survived the rebuild
    assert db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH 'zebra'").fetchall() == [(4,)]
    assert not {"alerted_at", "alerted_state", "new_incidents"} & set(db["stories"].columns_dict)
    assert "new_incident" not in db["alerts"].columns_dict and queries.opens_incident(db, 1)
    assert list(db["alert_story_state"].rows) == [
        {"story_id": 1, "alerted_at": "2026-01-02T00:00:00+00:00",
         "alerted_state": json.dumps({"band": "alert", "seen": "x"})}]
    assert {r["id"]: r["band"] for r in db["stories"].rows} == {1: "alert", 2: "discard"}
    assert queries.story_detail(db, 1)["new_incidents"] == [["Kenya", "Myanmar"]]
    assert [s["id"] for s in queries.stories_to_alert(db)] == [1]
    # Full-text search still follows the stories table after its rebuild.
    db["stories"].update(1, {"headline": "Ferry passengers rescued"})
    hits = db.execute("SELECT rowid FROM stories_fts WHERE stories_fts MATCH 'ferry'").fetchall()
    assert hits == [(1,)]
    assert db.execute("SELECT count(*) FROM stories_fts WHERE stories_fts MATCH 'compound'").fetchone()[0] == 0


def test_story_membership_moves_off_items(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_database(path)

    db = open_db(path)
    assert "story_id" not in db["items"].columns_dict
    assert [(r["item_id"], r["story_id"]) for r in db["story_index"].rows] == [(1, 1), (2, 1), (3, 2)]
    assert ["story_id"] in [index.columns for index in db["story_index"].indexes]
    assert store.story_of(db, 2) == 1 and store.story_of(db, 4) is None
    assert store.members(db, 1) == [1, 2]
    assert [i["id"] for i in queries.story_detail(db, 1)["items"]] == [1, 2]
    assert store.load_pending(db, 10) == []  # every classified item kept its story
    facts = {r["id"]: r["story_id"] for r in db.query("SELECT id, story_id FROM item_facts")}
    assert facts == {1: 1, 2: 1, 3: 2, 4: None}
    db["items"].update(4, {"title": "zebra crossing"})  # search triggers survived the second rebuild
    assert db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH 'zebra'").fetchall() == [(4,)]
