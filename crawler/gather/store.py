"""The gather stage's SQL: sources and their health, items, rejects, and "seen" lookups.

Writes happen in the caller's thread on its connection, in batches, one transaction
each; the crawl (on the reactor thread) reads through its own read-only
:class:`SeenIndex` connection, which WAL lets run beside the writer.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from crawler.base.logs import redact
from crawler.base.plaintext import plain_line, plain_text
from crawler.gather.config import GatherContext, SourceConfig
from crawler.gather.health import PERMANENT_KINDS, SourceOutcome, schedule
from crawler.gather.records import Article, Record, Reject

log = logging.getLogger(__name__)

ITEM_COLUMNS = ("url", "canonical_url", "source", "title", "text", "summary", "author", "lang", "published",
                "fetched_at", "content_hash", "extraction", "extraction_error", "entry_id", "declared_url")
RETRY_REJECT_AFTER = timedelta(hours=6)   # transient article failures are tried again after this
MAX_REJECT_ATTEMPTS = 3                   # ... at most this many times
MIN_DEDUP_TEXT = 200                      # shorter texts (teasers, empty summaries) are not an identity


def sync_sources(db: sqlite_utils.Database, sources: list[SourceConfig]) -> None:
    """Mirror the configured sources into ``sources``, keeping their health columns.

    A source whose URL changed starts afresh: its conditional-GET state is dropped. Credentials in a
    URL (userinfo, token-like query values) stay in the config: the database holds it masked.
    """
    with db.atomic():
        for src in sources:
            row = _row(db, src.name)
            record: dict[str, Any] = {
                "name": src.name, "url": redact(src.url), "kind": src.kind, "lang": src.lang,
                "country": src.country, "enabled": int(src.enabled), "poll_interval": float(src.poll_interval),
                "config": redact(json.dumps(dataclasses.asdict(src), sort_keys=True, default=str)),
            }
            if row is None:
                db.table("sources").insert(record)
                continue
            if row["url"] != record["url"]:
                record.update(etag=None, last_modified=None, body_hash=None, next_poll_at=None)
            db.table("sources").update(src.name, record)


def source_rows(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in db.table("sources").rows}


def record_outcomes(db: sqlite_utils.Database, config: GatherContext, outcomes: Iterable[SourceOutcome],
                    now: datetime) -> None:
    """Update each polled source's health row from its outcome."""
    rows = source_rows(db)
    urls = {s.name: s.url for s in config.sources}
    with db.atomic():
        for outcome in outcomes:
            row = rows.get(outcome.name) or {}
            update = schedule(row, outcome, config.crawler, now)
            if update.get("last_error"):
                update["last_error"] = redact(update["last_error"], urls.get(outcome.name))
            db.table("sources").update(outcome.name, update)


def write_records(db: sqlite_utils.Database, records: list[Record]) -> int:
    """Store a batch of articles and rejects; returns how many items were new."""
    new = 0
    with db.atomic():
        for record in records:
            if isinstance(record, Reject):
                _write_reject(db, record)
            elif insert_item(db, record) is not None:
                new += 1
    return new


def insert_item(db: sqlite_utils.Database, record: Article) -> int | None:
    """Store one item (within the caller's transaction); its id, or None when it is already stored.

    Gathered and imported items alike: a known canonical URL, or the same long text from the same
    source, is a duplicate; a stored item clears the reject its URL had."""
    item = {k: getattr(record, k) for k in ITEM_COLUMNS}
    item["title"], item["author"] = plain_line(item["title"]), plain_line(item["author"])
    item["summary"] = plain_text(item["summary"])
    if item["content_hash"] and len(item["text"] or "") >= MIN_DEDUP_TEXT:
        # Identity is URL *and* content: the same text re-listed by its source under a new
        # URL (publishers change links, GUIDs and titles) is the same entry.
        dup = db.execute("SELECT 1 FROM items WHERE source = ? AND content_hash = ? LIMIT 1",
                         [item["source"], item["content_hash"]]).fetchone()
        if dup:
            log.debug("%s: same content as an item already stored; skipped", item["url"])
            return None
    cursor = db.execute(
        f"INSERT OR IGNORE INTO items ({', '.join(ITEM_COLUMNS)}) VALUES ({', '.join('?' * len(ITEM_COLUMNS))})",
        [item[k] for k in ITEM_COLUMNS])
    if not cursor.rowcount:
        return None
    db.execute("DELETE FROM rejects WHERE canonical_url = ?", [item["canonical_url"]])
    return int(cursor.lastrowid or 0)


def _write_reject(db: sqlite_utils.Database, record: Reject) -> None:
    now = record.at
    old = db.execute("SELECT attempts, first_seen FROM rejects WHERE canonical_url = ?",
                     [record.canonical_url]).fetchone()
    attempts = (old[0] if old else 0) + 1
    permanent = record.kind in PERMANENT_KINDS or attempts >= MAX_REJECT_ATTEMPTS
    retry_after = None if permanent else (datetime.fromisoformat(now) + RETRY_REJECT_AFTER).isoformat()
    db.table("rejects").upsert({
        "canonical_url": record.canonical_url, "url": record.url, "source": record.source,
        "kind": record.kind, "reason": record.reason, "permanent": int(permanent),
        "attempts": attempts, "first_seen": old[1] if old else now, "last_attempt": now,
        "retry_after": retry_after,
    }, pk="canonical_url")


def _row(db: sqlite_utils.Database, name: str) -> dict[str, Any] | None:
    rows = list(db.table("sources").rows_where("name = ?", [name]))
    return rows[0] if rows else None


def database_file(db: sqlite_utils.Database) -> str | None:
    """Path of the main database file, or None for an in-memory database."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return file or None
    return None


class SeenIndex:
    """Answers "was this canonical URL stored, or rejected for good?" from its own connection."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    def known(self, canonical_urls: list[str], now: str) -> set[str]:
        """The subset of ``canonical_urls`` that must not be fetched again."""
        if not canonical_urls:
            return set()
        if self._conn is None:
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        found: set[str] = set()
        for start in range(0, len(canonical_urls), 500):
            chunk = canonical_urls[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            found.update(r[0] for r in self._conn.execute(
                f"SELECT canonical_url FROM items WHERE canonical_url IN ({marks})", chunk))
            found.update(r[0] for r in self._conn.execute(
                f"SELECT canonical_url FROM rejects WHERE canonical_url IN ({marks}) "
                "AND (permanent = 1 OR retry_after > ?)", [*chunk, now]))
        return found

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
