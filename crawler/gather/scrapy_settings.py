"""Scrapy settings built from the ``[crawler]`` config and the sources' per-host overrides."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from crawler.gather.config import CrawlerConfig, SourceConfig
from crawler.gather.headerlimits import DEFAULT_LIMITS

STOPPABLE_HANDLER = "crawler.gather.downloads.StoppableHTTPHandler"
RETRY_BACKOFF_BASE = 0.5   # seconds before the first retry; doubles per retry


def user_agent(config: CrawlerConfig) -> str:
    """The identifying User-Agent, with the operator's contact URL in it."""
    return config.user_agent.replace("{contact}", config.contact_url)


def obeys_robots(config: CrawlerConfig, source: SourceConfig) -> bool:
    """The source's own setting, else the crawler's."""
    return config.obey_robots if source.obey_robots is None else source.obey_robots


def download_slots(config: CrawlerConfig, sources: list[SourceConfig]) -> dict[str, dict[str, Any]]:
    """Per-host delay/concurrency for sources that override the crawler defaults."""
    slots: dict[str, dict[str, Any]] = {}
    for src in sources:
        if src.download_delay is None and src.concurrency is None:
            continue
        host = urlsplit(src.url).hostname or ""
        delay = config.download_delay if src.download_delay is None else src.download_delay
        concurrency = config.per_domain_concurrency if src.concurrency is None else src.concurrency
        if host in slots:  # several sources on one host: the gentlest settings win
            delay = max(delay, slots[host]["delay"])
            concurrency = min(concurrency, slots[host]["concurrency"])
        slots[host] = {"delay": delay, "concurrency": concurrency}
    return slots


def scrapy_settings(config: CrawlerConfig, sources: list[SourceConfig]) -> dict[str, Any]:
    """The settings of one gather crawl."""
    return {
        "BOT_NAME": "scamwatch",
        "USER_AGENT": user_agent(config),
        # Sources that opt out of robots.txt set meta["dont_obey_robotstxt"] on their requests.
        "ROBOTSTXT_OBEY": any(obeys_robots(config, s) for s in sources),
        "ROBOTSTXT_USER_AGENT": "scamwatch",
        "CONCURRENT_REQUESTS": config.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": config.per_domain_concurrency,
        "DOWNLOAD_DELAY": config.download_delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if config.download_delay > 0 else 0.0,
        "DOWNLOAD_SLOTS": download_slots(config, sources),
        "DOWNLOAD_TIMEOUT": float(config.timeout),
        "DOWNLOAD_MAXSIZE": config.max_response_bytes,
        "DOWNLOAD_WARNSIZE": max(1, config.max_response_bytes // 2),
        # the header section: endless header lines are cut here (DOWNLOAD_TIMEOUT bounds its time)
        "SCAMWATCH_MAX_HEADER_LINES": DEFAULT_LIMITS.lines,
        "SCAMWATCH_MAX_HEADER_BYTES": DEFAULT_LIMITS.bytes,
        "RETRY_ENABLED": config.retries > 0,
        "RETRY_TIMES": config.retries,
        "RETRY_GIVE_UP_LOG_LEVEL": "INFO",
        "REDIRECT_MAX_TIMES": config.max_redirects,
        "SCAMWATCH_ALLOW_PRIVATE_HOSTS": config.allow_private_hosts,
        # The private-address guard where connections resolve: Scrapy installs TWISTED_DNS_RESOLVER
        # only in CrawlerProcess; the extension installs it for runners on a shared reactor too.
        "TWISTED_DNS_RESOLVER": "crawler.gather.middlewares.GuardedResolver",
        "EXTENSIONS": {"crawler.gather.middlewares.GuardedResolver": 0},
        "SCAMWATCH_RETRY_BACKOFF": RETRY_BACKOFF_BASE,
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.gather.middlewares.PrivateHostMiddleware": 50,   # before robots.txt is fetched
            "crawler.gather.middlewares.RetryBackoffMiddleware": 60,
            # Scrapy's own, at their usual places, raising named exceptions (health kinds by type)
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.gather.middlewares.NamedRobotsTxtMiddleware": 100,
            "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
            "crawler.gather.middlewares.NamedRedirectMiddleware": 600,
            "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
            "crawler.gather.middlewares.NamedHttpCompressionMiddleware": 590,
        },
        "DOWNLOAD_HANDLERS": {"http": STOPPABLE_HANDLER, "https": STOPPABLE_HANDLER},
        # Our pipelines are synchronous and cheap: Scrapy's default of 100 parallel item
        # workers only costs 100 asyncio tasks per callback (measured in bench/gather.py).
        "CONCURRENT_ITEMS": 4,
        "ITEM_PIPELINES": {
            "crawler.gather.pipelines.ArticlePipeline": 100,
            "crawler.gather.pipelines.SinkPipeline": 900,
        },
        "HTTPCACHE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,   # no listening ports in a crawler daemon
        "LOG_ENABLED": False,   # our own logging handlers (set up by the CLI) receive Scrapy's records
        "LOGSTATS_INTERVAL": 0,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }
