"""What a gather crawl hands to the store: typed records, built once by the spiders.

The spiders yield :class:`Article` and :class:`Reject`; the item pipelines tidy an article
(:class:`crawler.gather.pipelines.ArticlePipeline`) or turn an empty one into a reject;
:func:`crawler.gather.store.write_records` stores them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Article:
    """An article for the ``items`` table (``extraction='feed'``: made of what the source said)."""

    url: str | None  # None: an imported record without one
    canonical_url: str
    source: str | None
    title: str | None
    text: str | None
    summary: str | None
    author: str | None
    lang: str | None
    published: str | None
    fetched_at: str
    extraction: str | None
    extraction_error: str | None
    entry_id: str | None
    declared_url: str | None = None
    content_hash: str | None = None  # set by the pipeline

    @property
    def from_feed(self) -> bool:
        return self.extraction == "feed"


@dataclass(slots=True)
class Reject:
    """A link that gave no article, for the ``rejects`` table."""

    url: str | None
    canonical_url: str
    source: str | None
    kind: str
    reason: str
    at: str


Record = Article | Reject
