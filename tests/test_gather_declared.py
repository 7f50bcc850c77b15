"""Gather → classify → stories: two pages declaring one original URL end up in one story.

The pages are served by a real HTTP server on 127.0.0.1 from a real feed; classification runs
the real classify stage with the toy encoder and head of ``tests.classifier_fakes``.
"""

from __future__ import annotations

from html import escape

import pytest
import sqlite_utils

from classifier.pipeline import Classifier
from classifier.stage import classify_pending
from classifier.stories.stage import group_pending
from crawler.gather.stage import gather_pass
from tests import httpserver
from tests.classifier_fakes import FakeEncoder, fake_head
from tests.stories_fixtures import PARTNER_HEADLINE, WIRE, partner_excerpt, story_of
from tests.test_gather import db, make_config, rss, source

__all__ = ["db"]

ORIGINAL = "https://wire.example.org/africa/kenyans-held?utm_source=partners"


def article_page(headline: str, text: str, canonical: str | None) -> str:
    """An article page in a site's chrome, declaring ``canonical`` as the original if given."""
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    paragraphs = "".join(f"<p>{escape(s.strip())}.</p>" for s in text.rstrip(".").split(". "))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(headline)}</title>{link}"
            "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{escape(headline)}</h1>{paragraphs}</article>"
            "<footer>Contact us. Terms of use.</footer></body></html>")


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
def test_gathered_pages_declaring_one_original_share_a_story(http_server: httpserver.TestServer,
                                                             db: sqlite_utils.Database,
                                                             declared: bool) -> None:
    canonical = ORIGINAL if declared else None
    headline = "37 Kenyans found held in Myanmar scam compound"
    http_server.set("/mirror/kenyans.html", article_page(headline, WIRE, canonical))
    http_server.set("/partners/2026/kenyan-job-seekers", article_page(PARTNER_HEADLINE, partner_excerpt(WIRE),
                                                                      canonical))
    urls = [http_server.url("/mirror/kenyans.html"), http_server.url("/partners/2026/kenyan-job-seekers")]
    http_server.set("/feed.xml", rss([("Kenyans held", urls[0], "s"), ("Job seekers trapped", urls[1], "s")]),
                    content_type="application/rss+xml")
    config = make_config([source("desk", http_server.url("/feed.xml"))])

    assert gather_pass(config, db).new_items == 2
    items = {r["url"]: r for r in db["items"].rows}
    assert all(r["extraction"] == "trafilatura" for r in items.values())
    expected = "https://wire.example.org/africa/kenyans-held" if declared else None
    assert [items[u]["declared_url"] for u in urls] == [expected, expected]

    encoder = FakeEncoder()
    assert classify_pending(config, db, classifier=Classifier(config.classifier, encoder,
                                                              fake_head(encoder))).classified == 2
    assert group_pending(config, db).items == 2
    stories = {r["url"]: story_of(db, r["id"]) for r in db["items"].rows}
    # Without the declaration the excerpt is too short for the wording to join them.
    assert (stories[urls[0]] == stories[urls[1]]) is declared
