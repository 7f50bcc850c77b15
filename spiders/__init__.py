"""Scrapy spiders: feeds, listing pages and sitemaps."""
