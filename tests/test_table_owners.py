"""Each table has one writing module: the writers are read from the code.

Every module under crawler/, spiders/, classifier/ and alerts/ (schema modules excluded: migrations
create and move tables) is scanned for SQL writes (``INSERT INTO t``, ``INSERT OR … INTO t``,
``REPLACE INTO t``, ``UPDATE t``, ``DELETE FROM t``) and sqlite-utils writes (``db["t"].insert(…)``,
``db.table("t").upsert(…)``, …). A table written from two modules fails the test.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crawler", "spiders", "classifier", "alerts")

_SQL = re.compile(r"\b(?:INSERT(?:\s+OR\s+[A-Z]+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+[A-Z]+)?|DELETE\s+FROM)"
                  r"\s+[\"`\[]?([A-Za-z_]\w*)")
_UTILS_WRITE = r"\.(?:insert|insert_all|upsert|upsert_all|update|delete|delete_where)\("
_UTILS = re.compile(r"(?:\[\s*[\"']([A-Za-z_]\w*)[\"']\s*\]|\.table\(\s*[\"']([A-Za-z_]\w*)[\"']\s*\))" + _UTILS_WRITE)
_SQL_NOT_TABLES = {"SET", "OF"}

def writes(source: str) -> set[str]:
    """Tables ``source`` writes to."""
    tables = {m.group(1) for m in _SQL.finditer(source)} - _SQL_NOT_TABLES
    tables |= {m.group(1) or m.group(2) for m in _UTILS.finditer(source)}
    return tables


def modules() -> list[Path]:
    found = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    return [p for p in found if p.name != "schema.py" and "migrations" not in p.parts]


def writers(paths: list[Path], root: Path = ROOT) -> dict[str, set[str]]:
    """table → the modules (paths relative to ``root``) that write it."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        for table in writes(path.read_text("utf-8")):
            out[table].add(path.relative_to(root).as_posix())
    return dict(out)


def second_writers(found: dict[str, set[str]], allowed: dict[str, set[str]]) -> dict[str, set[str]]:
    """Tables written by more than one module, beyond what ``allowed`` still tolerates."""
    return {t: ms for t, ms in found.items() if len(ms) > 1 and not ms <= allowed.get(t, set())}


def test_the_scan_sees_each_way_of_writing() -> None:
    source = '''
        db.execute("INSERT OR REPLACE INTO embeddings (item_id) VALUES (?)")
        db.execute(f"UPDATE stories SET {x} WHERE id = ?")
        db.execute("DELETE FROM hotspots")
        db.conn.execute("REPLACE INTO labels VALUES (1)")
        db["sources"].upsert({"name": "a"}, pk="name")
        db.table("cycles").update(1, {"result": "ok"})
        db["alerts"].delete_where("id = ?", [1])
        db.execute("SELECT * FROM items")  # a read
    '''
    assert writes(source) == {"embeddings", "stories", "hotspots", "labels", "sources", "cycles", "alerts"}


def test_a_second_writer_fails(tmp_path: Path) -> None:
    (tmp_path / "owner.py").write_text('db["things"].insert({"a": 1})\n')
    (tmp_path / "intruder.py").write_text('db.execute("UPDATE things SET a = 2")\n')
    (tmp_path / "schema.py").write_text('db.execute("INSERT INTO things VALUES (3)")\n')
    found = writers([tmp_path / "owner.py", tmp_path / "intruder.py"], tmp_path)
    assert second_writers(found, {}) == {"things": {"owner.py", "intruder.py"}}
    assert second_writers(found, {"things": {"owner.py", "intruder.py"}}) == {}


def test_each_table_has_one_writing_module() -> None:
    found = writers(modules())
    assert {"items", "stories", "story_index", "alerts", "alert_story_state", "embeddings"} <= set(found)
    assert second_writers(found, {}) == {}, "tables written from more than one module"
    assert found["items"] == {"crawler/gather/store.py"}
