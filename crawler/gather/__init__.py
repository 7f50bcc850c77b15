"""The gather stage: sources polled with Scrapy, articles extracted with trafilatura, items stored."""
