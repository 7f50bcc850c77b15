"""``scamwatch import``: JSONL records in the classify input format become items, as if gathered.

Each line: ``{"id", "title", "text"}`` plus optional ``url``, ``lang``, ``published``, ``source`` and
``declared_url`` (the original article's URL a copy declares, e.g. its canonical link: records
declaring one URL, or declaring another record's ``url``, are grouped as copies of one article).
Bad lines are reported with their line number and skipped; nothing already stored is touched
(a record whose canonical URL is already stored is counted as a duplicate).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from crawler.base.clock import iso, now_iso, parse_iso
from crawler.base.fingerprint import content_hash
from crawler.base.jsonlines import read_json_lines
from crawler.base.plaintext import plain_line
from crawler.base.urls import canonicalize_url, host_of, is_front_page
from crawler.gather.records import Article
from crawler.gather.store import insert_item


class RecordError(ValueError):
    """A line that cannot be imported; the message says why."""


@dataclass
class ImportReport:
    """Counts of one import, and the problems of the skipped lines."""

    imported: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)


def parse_published(value: Any) -> str | None:
    """An ISO 8601 date/time → ``YYYY-MM-DDTHH:MM:SS+00:00`` (naive = UTC)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RecordError(f"'published' must be an ISO 8601 string, got {type(value).__name__}")
    when = parse_iso(value)
    if when is None:
        raise RecordError(f"'published' is not an ISO 8601 date: {value!r}")
    try:
        return iso(when)
    except OverflowError:  # e.g. year 9999 with a negative offset
        raise RecordError(f"'published' is out of range: {value!r}") from None


def to_item(record: Any, fetched_at: str) -> Article:
    """Validate one parsed record and build its ``items`` row."""
    if not isinstance(record, dict):
        raise RecordError("expected a JSON object")
    for key in ("id", "title", "text"):
        if key not in record:
            raise RecordError(f"missing '{key}'")
    if not isinstance(record["id"], str | int) or str(record["id"]).strip() == "":
        raise RecordError("'id' must be a non-empty string or number")
    for key in ("title", "text"):
        if not isinstance(record[key], str):
            raise RecordError(f"'{key}' must be a string")
    record["title"] = plain_line(record["title"]) or ""  # stored as plain text, as gather stores it
    if not record["text"].strip() and not record["title"]:
        raise RecordError("both 'title' and 'text' are empty")
    for key in ("url", "lang", "source", "declared_url"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise RecordError(f"'{key}' must be a string")
    url = record.get("url") or None
    try:
        canonical = canonicalize_url(url) if url else f"import:{record['id']}"
    except ValueError as exc:
        raise RecordError(f"'url': {exc}") from None
    return Article(
        url=url, canonical_url=canonical, source=record.get("source") or (host_of(url) if url else None),
        title=record["title"], text=record["text"], summary=None, author=None, lang=record.get("lang"),
        published=parse_published(record.get("published")), fetched_at=fetched_at,
        extraction="import", extraction_error=None, entry_id=str(record["id"]),
        declared_url=_declared(record.get("declared_url"), url),
        content_hash=content_hash(record["title"], record["text"]),
    )


def _declared(value: str | None, url: str | None) -> str | None:
    """The canonical form of a record's ``declared_url`` (relative: resolved against its ``url``)."""
    if not value:
        return None
    try:
        declared = canonicalize_url(value, url)
    except ValueError as exc:
        raise RecordError(f"'declared_url': {exc}") from None
    if is_front_page(declared):
        raise RecordError(f"'declared_url': {value!r} is a site's front page, not an article")
    return declared


def read_lines(lines: Iterable[bytes | str], report: ImportReport, fetched_at: str) -> Iterator[Article]:
    """Item rows of the good lines; each bad line adds ``line N: problem`` to ``report.errors``."""
    for number, record, problem in read_json_lines(lines):
        if problem:
            report.errors.append(f"line {number}: {problem}")
            continue
        try:
            yield to_item(record, fetched_at)
        except RecordError as exc:
            report.errors.append(f"line {number}: {exc}")


def import_lines(db: sqlite_utils.Database, lines: Iterable[bytes | str]) -> ImportReport:
    """Store the good records as items through gather's store (one transaction); duplicates (by
    canonical URL, or the same long text from the same source) are skipped."""
    report = ImportReport()
    fetched_at = now_iso()
    rows = list(read_lines(lines, report, fetched_at))
    with db.atomic():
        for row in rows:
            item_id = insert_item(db, row)
            if item_id is not None:
                report.imported += 1
                report.item_ids.append(item_id)
            else:
                report.duplicates += 1
    return report
