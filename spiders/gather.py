"""The gather spider: polls every due source of one pass (feeds, listings, sitemaps).

One spider, one downloader, so per-host politeness holds across all sources. Each
source's own request carries its conditional-GET validators; what came of it is kept
in :attr:`GatherSpider.outcomes` for the health rows. Feeds are parsed in the extraction
pool, off the crawl thread and under its budget (a feed that overruns fails as ``too_slow``;
inline, with ``extract_workers = 0``, there is no budget). Articles are handled by
:class:`~spiders.articles.ArticleFetching`.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy import Request
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.base.clock import Clock, or_system
from crawler.gather.config import SourceConfig
from crawler.gather.extractpool import ExtractPool, TooSlow, WorkerCrashed
from crawler.gather.health import SourceOutcome, classify_failure
from crawler.gather.store import SeenIndex
from spiders.articles import ArticleFetching, Candidate
from spiders.feed import FeedEntry, ParsedFeed, parse_feed
from spiders.listing import parse_listing
from spiders.sitemap import parse_sitemap

log = logging.getLogger(__name__)
MAX_SUB_SITEMAPS = 20   # sitemaps followed from one index or robots.txt
MAX_SITEMAP_DEPTH = 3


@dataclass
class SourcePlan:
    """A source to poll now, with its stored validators and effective policies."""

    source: SourceConfig
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    obey_robots: bool = True
    allow_private: bool = False


class GatherSpider(ArticleFetching, scrapy.Spider):
    name = "scamwatch"

    def __init__(self, plans: list[SourcePlan], seen: SeenIndex | None = None, max_articles: int = 50,
                 max_size: int = 10_000_000, check_only: bool = False, extractor: ExtractPool | None = None,
                 clock: Clock | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.clock = or_system(clock)
        self.extractor = extractor or ExtractPool(0)
        self.plans = {p.source.name: p for p in plans}
        self.seen, self.max_articles, self.max_size, self.check_only = seen, max_articles, max_size, check_only
        self.outcomes = {p.source.name: SourceOutcome(name=p.source.name) for p in plans}
        self.sources_done = self.articles_done = 0
        self._scheduled: set[str] = set()
        self._requested: dict[str, int] = {}

    async def start(self) -> AsyncIterator[Request]:
        for plan in self.plans.values():
            headers = {}
            if not self.check_only and plan.etag:
                headers["If-None-Match"] = plan.etag
            if not self.check_only and plan.last_modified:
                headers["If-Modified-Since"] = plan.last_modified
            yield Request(plan.source.url, headers=headers, callback=self.parse_source,
                          errback=self.source_failed, dont_filter=True, priority=10,
                          meta={**self._meta(plan), "handle_httpstatus_list": [304], "started": time.monotonic()})

    def _meta(self, plan: SourcePlan) -> dict[str, Any]:
        return {"source": plan.source.name, "allow_private": plan.allow_private,
                "dont_obey_robotstxt": not plan.obey_robots, "source_lang": plan.source.lang, "depth": 0}

    def _finish(self, response_or_meta: Any, outcome: SourceOutcome) -> None:
        meta = getattr(response_or_meta, "meta", response_or_meta)
        outcome.elapsed = time.monotonic() - meta.get("started", time.monotonic())
        self.sources_done += 1

    async def parse_source(self, response: Response) -> AsyncIterator[Any]:
        plan, outcome = self.plans[response.meta["source"]], self.outcomes[response.meta["source"]]
        outcome.status = response.status
        self._finish(response, outcome)
        outcome.etag = _header(response, "ETag")
        outcome.last_modified = _header(response, "Last-Modified")
        if response.status == 304:
            outcome.ok, outcome.kind = True, "not_modified"
            return
        digest = hashlib.sha256(response.body).hexdigest()
        if digest == plan.body_hash and not self.check_only:
            outcome.ok, outcome.kind, outcome.body_hash = True, "unchanged", digest
            return
        outcome.body_hash = digest
        meta = self._meta(plan)
        kind = plan.source.kind
        handler = {"feed": self._feed, "listing": self._listing, "sitemap": self._sitemap}[kind]
        try:
            if kind == "feed":  # parsed in a worker, under the extraction budget: the crawl goes on meanwhile
                ctype = _header(response, "Content-Type")
                meta["feed"] = await self.extractor.call("feed parsing", response.url, parse_feed,
                                                         response.body, response.url, ctype, self.max_size)
            for record in handler(response, meta, outcome):
                yield record
        except TooSlow as exc:
            self._fail(outcome, "too_slow", str(exc))
        except WorkerCrashed as exc:
            self._fail(outcome, "internal_error", str(exc))
        except Exception as exc:  # noqa: BLE001 - one source's surprise must not end the others' pass
            log.exception("source %s: unexpected error handling %s", plan.source.name, response.url)
            self._fail(outcome, "internal_error", f"{type(exc).__name__}: {exc}")

    def _feed(self, response: Response, meta: dict[str, Any], outcome: SourceOutcome) -> Iterator[Any]:
        feed: ParsedFeed = meta.pop("feed")
        if feed.error_kind:
            self._fail(outcome, feed.error_kind, feed.error or feed.error_kind)
            return
        meta["source_lang"] = meta["source_lang"] or feed.lang
        if feed.warning:
            outcome.notes.append(f"recovered from a broken feed: {feed.warning}")
        if feed.without_link:
            outcome.notes.append(f"{feed.without_link} entries without a link skipped")
        if feed.repaired:
            outcome.notes.append(f"{feed.repaired} entries held characters that are not text (kept, replaced)")
        for link, reason in feed.rejected:
            yield self.bad_link(meta["source"], link, reason)
        dates = [e.published for e in feed.entries if e.published]
        outcome.newest = max(dates) if dates else None
        yield from self._candidates(meta, outcome, [Candidate(e.link, e) for e in feed.entries])

    def _listing(self, response: Response, meta: dict[str, Any], outcome: SourceOutcome) -> Iterator[Any]:
        plan = self.plans[meta["source"]]
        page = parse_listing(response, plan.source) if isinstance(response, TextResponse) else None
        if page is None or page.error_kind:
            kind, error = (page.error_kind, page.error) if page else ("not_html", "listing is not an HTML page")
            if meta["depth"] == 0:
                self._fail(outcome, kind or "listing", error or "")
            return
        cands = [Candidate(url, FeedEntry(link=url, title=title)) for url, title in page.links]
        if meta["depth"] == 0 and not cands:
            outcome.notes.append("the link selector matched no links")
        yield from self._candidates(meta, outcome, cands)
        if page.next_page and meta["depth"] + 1 < plan.source.max_pages:
            yield Request(page.next_page, callback=self._listing_page, errback=self._subpage_failed,
                          meta={**meta, "depth": meta["depth"] + 1})

    def _listing_page(self, response: Response) -> Iterator[Any]:
        yield from self._listing(response, dict(response.meta), self.outcomes[response.meta["source"]])

    def _sitemap(self, response: Response, meta: dict[str, Any], outcome: SourceOutcome) -> Iterator[Any]:
        page = parse_sitemap(response, self.max_size)
        if page.error_kind:
            if meta["depth"] == 0:
                self._fail(outcome, page.error_kind, page.error or "")
            else:
                outcome.notes.append(f"{response.url}: {page.error}")
            return
        if meta["depth"] + 1 < MAX_SITEMAP_DEPTH:
            for url in page.sitemaps[:MAX_SUB_SITEMAPS]:
                yield Request(url, callback=self._sitemap_page, errback=self._subpage_failed,
                              meta={**meta, "depth": meta["depth"] + 1})
        dates = [a["published"] for a in page.articles if a["published"]]
        if dates:
            outcome.newest = max([outcome.newest or "", *dates])
        cands = [Candidate(a["loc"], FeedEntry(link=a["loc"], title=a["title"], published=a["published"]))
                 for a in page.articles]
        yield from self._candidates(meta, outcome, cands)

    def _sitemap_page(self, response: Response) -> Iterator[Any]:
        yield from self._sitemap(response, dict(response.meta), self.outcomes[response.meta["source"]])

    def _candidates(self, meta: dict[str, Any], outcome: SourceOutcome, cands: list[Candidate]) -> Iterator[Any]:
        outcome.ok, outcome.kind = True, "new"
        outcome.entries += len(cands)
        out, new = self.follow(meta, cands)
        outcome.new_links += new
        yield from out

    def _fail(self, outcome: SourceOutcome, kind: str, error: str) -> None:
        outcome.ok, outcome.kind, outcome.error = False, kind, error
        outcome.body_hash = None  # a failed parse must not make the next 200 look "unchanged"

    def source_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        outcome = self.outcomes[request.meta["source"]]
        kind, message = classify_failure(failure.value)
        status = getattr(getattr(failure.value, "response", None), "status", None)
        outcome.status = status
        self._finish(request, outcome)
        self._fail(outcome, kind, message)

    def _subpage_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        kind, message = classify_failure(failure.value)
        self.outcomes[request.meta["source"]].notes.append(f"{request.url}: {kind}: {message}")


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
