"""Tables of the gather stage: ``sources`` (config mirror plus health), ``items`` and ``rejects``.

``items.declared_url`` (m003) is the URL the page declares as the original article's (see
:mod:`crawler.gather.declared`); NULL when it declares none, or for feed-only and imported items without one.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("scamwatch.gather")


@migrations()
def m001_sources_and_items(db: sqlite_utils.Database) -> None:
    db.table("sources").create(
        {
            "name": str,
            "url": str,
            "kind": str,
            "lang": str,
            "country": str,
            "enabled": int,
            "poll_interval": float,      # configured, seconds
            "current_interval": float,   # adapted, seconds
            "next_poll_at": str,         # ISO 8601 UTC
            "etag": str,
            "last_modified": str,
            "body_hash": str,
            "last_attempt": str,
            "last_success": str,
            "last_status": int,
            "last_error": str,
            "last_error_kind": str,
            "consecutive_failures": int,
            "failure_counts": str,       # JSON {kind: count}
            "items_found": int,
            "backoff_until": str,
            "config": str,               # JSON of the source's config
        },
        pk="name",
        not_null={"url", "kind"},
        defaults={"enabled": 1, "consecutive_failures": 0, "items_found": 0, "failure_counts": "{}"},
    )
    db.table("items").create(
        {
            "id": int,
            "url": str,
            "canonical_url": str,
            "source": str,
            "title": str,
            "text": str,
            "summary": str,
            "author": str,
            "lang": str,
            "published": str,            # ISO 8601 UTC, when known
            "fetched_at": str,           # ISO 8601 UTC
            "content_hash": str,         # fingerprint of the normalised text
            "extraction": str,           # trafilatura | feed | import
            "extraction_error": str,     # why trafilatura was not used, if it was not
            "entry_id": str,             # the feed's guid/id, informational only
        },
        pk="id",
        not_null={"canonical_url"},
    )
    db.table("items").create_index(["canonical_url"], unique=True)
    db.table("items").create_index(["content_hash"])
    db.table("items").create_index(["source", "fetched_at"])


@migrations()
def m002_rejects(db: sqlite_utils.Database) -> None:
    """Article URLs that could not be stored, with why: rejects are data, and are not refetched."""
    db.table("rejects").create(
        {
            "canonical_url": str,
            "url": str,
            "source": str,
            "kind": str,                 # robots | http_404 | timeout | too_large | private_address | ...
            "reason": str,               # the message, for people
            "permanent": int,            # 1: never retry; 0: retry after retry_after
            "attempts": int,
            "first_seen": str,
            "last_attempt": str,
            "retry_after": str,          # ISO 8601 UTC; NULL when permanent
        },
        pk="canonical_url",
        not_null={"kind"},
        defaults={"attempts": 1, "permanent": 0},
    )
    db.table("rejects").create_index(["source", "last_attempt"])


@migrations()
def m003_item_declared_url(db: sqlite_utils.Database) -> None:
    """The original's URL an article page declares (canonical link or og:url), canonicalised:
    copies that declare one URL are one article (the stories stage looks it up by index).

    The index leaves out NULLs (most feed-only and imported items): it stays small, and the
    planner's statistics (ANALYZE) never mistake it for an unselective one."""
    db.table("items").add_column("declared_url", str)
    db.execute("CREATE INDEX idx_items_declared_url ON items (declared_url) WHERE declared_url IS NOT NULL")
