"""Article pages: decide which links to fetch, fetch each once, extract, or fall back.

A link is fetched only when its canonical URL is neither stored, nor rejected for
good, nor already scheduled in this pass, and only up to the per-source cap. Links
over the cap, and links whose fetch fails, are stored from what the feed said about
them when it said anything (``extraction='feed'`` with the reason); links without
such a fallback become ``rejects`` rows, so they are not fetched again every pass.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.base.clock import Clock, now_iso
from crawler.base.urls import canonicalize_url
from crawler.gather.extractpool import ExtractPool, TooSlow
from crawler.gather.health import PERMANENT_KINDS, SourceOutcome, classify_failure
from crawler.gather.records import Article, Record, Reject
from crawler.gather.store import SeenIndex
from spiders.feed import FeedEntry

log = logging.getLogger(__name__)


@dataclass
class Candidate:
    """A link a source offered, with what the source said about it (title, summary...)."""

    url: str
    entry: FeedEntry

    @property
    def has_fallback(self) -> bool:
        return bool(self.entry.title or self.entry.text)


class ArticleFetching:
    """Spider mixin: turns candidate links into article requests and items."""

    seen: SeenIndex | None
    clock: Clock
    extractor: ExtractPool
    max_articles: int
    check_only: bool
    articles_done: int
    _scheduled: set[str]
    _requested: dict[str, int]
    outcomes: dict[str, SourceOutcome]

    def follow(self, meta: dict[str, Any], candidates: list[Candidate]) -> tuple[list[Any], int]:
        """Requests/items for the new ``candidates``; also returns how many were new."""
        fresh: list[tuple[str, Candidate]] = []
        for cand in candidates:
            try:
                canonical = canonicalize_url(cand.url)
            except ValueError:
                log.debug("unusable link %r", cand.url)
                continue
            if canonical not in self._scheduled:
                self._scheduled.add(canonical)
                fresh.append((canonical, cand))
        known = self.seen.known([c for c, _ in fresh], now_iso(self.clock)) if self.seen else set()
        fresh = [(c, cand) for c, cand in fresh if c not in known]
        if self.check_only:
            return [], len(fresh)
        out: list[Any] = []
        source = meta["source"]
        for canonical, cand in fresh:
            if self._requested.get(source, 0) < self.max_articles:
                self._requested[source] = self._requested.get(source, 0) + 1
                out.append(self._article_request(meta, canonical, cand))
            elif cand.has_fallback:
                out.append(self.feed_item(meta, canonical, cand, "not fetched: over the per-pass article limit"))
            else:  # left for a later pass: the unchanged-body shortcut must not hide it then
                self.outcomes[source].body_hash = None
        return out, len(fresh)

    def _article_request(self, meta: dict[str, Any], canonical: str, cand: Candidate) -> Request:
        return Request(cand.url, callback=self.parse_article, errback=self.article_failed, meta={
            "source": meta["source"], "allow_private": meta.get("allow_private", False),
            "dont_obey_robotstxt": meta.get("dont_obey_robotstxt", False),
            "canonical": canonical, "candidate": cand, "source_lang": meta.get("source_lang"),
        })

    async def parse_article(self, response: Response) -> AsyncIterator[Record]:
        meta, cand = response.meta, response.meta["candidate"]
        ctype = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
        try:
            art = await self.extractor.extract(response.body, response.url, fallback_title=cand.entry.title,
                                               fallback_summary=cand.entry.summary or cand.entry.text,
                                               content_type=ctype)
        except TooSlow as exc:
            self.articles_done += 1
            log.info("article %s not extracted (too_slow): %s", cand.url, exc)
            if cand.has_fallback:
                yield self.feed_item(meta, meta["canonical"], cand, f"article not extracted (too_slow): {exc}")
            else:
                yield self.reject(meta, cand.url, "too_slow", str(exc))
            return
        self.articles_done += 1
        if not (art.title or art.text):
            yield self.reject(meta, cand.url, "extraction", art.error or "no article found")
            return
        yield Article(
            url=cand.url, canonical_url=meta["canonical"], source=meta["source"],
            title=art.title or cand.entry.title, text=art.text, summary=cand.entry.summary or None,
            author=art.author or cand.entry.author, lang=art.lang or meta.get("source_lang"),
            published=art.published or cand.entry.published, fetched_at=now_iso(self.clock),
            extraction=art.method, extraction_error=art.error, entry_id=cand.entry.entry_id,
            declared_url=art.declared_url,
        )

    def article_failed(self, failure: Failure) -> Iterator[Record]:
        request = failure.request  # type: ignore[attr-defined]
        meta, cand = request.meta, request.meta["candidate"]
        kind, message = classify_failure(failure.value)
        self.articles_done += 1
        log.info("article %s not fetched (%s): %s", cand.url, kind, message)
        if cand.has_fallback:
            yield self.feed_item(meta, meta["canonical"], cand, f"article not fetched ({kind}): {message}")
        else:
            if kind not in PERMANENT_KINDS:  # to be retried: the next pass must re-read the source
                self.outcomes[meta["source"]].body_hash = None
            yield self.reject(meta, cand.url, kind, message)

    def feed_item(self, meta: dict[str, Any], canonical: str, cand: Candidate, why: str) -> Article:
        """An item made of what the source itself said about the link."""
        e = cand.entry
        return Article(
            url=cand.url, canonical_url=canonical, source=meta["source"], title=e.title, text=e.text or e.summary,
            summary=e.summary or None, author=e.author, lang=meta.get("source_lang"), published=e.published,
            fetched_at=now_iso(self.clock), extraction="feed", extraction_error=why, entry_id=e.entry_id,
        )

    def bad_link(self, source: str, link: str, reason: str) -> Reject:
        """A link the source gave that cannot be an address (kind ``bad_link``), recorded, never fetched."""
        try:
            canonical = canonicalize_url(link)
        except ValueError:
            canonical = link
        return Reject(url=link, canonical_url=canonical, source=source, kind="bad_link", reason=reason,
                      at=now_iso(self.clock))

    def reject(self, meta: dict[str, Any], url: str, kind: str, reason: str) -> Reject:
        return Reject(url=url, canonical_url=meta["canonical"], source=meta["source"], kind=kind, reason=reason,
                      at=now_iso(self.clock))
