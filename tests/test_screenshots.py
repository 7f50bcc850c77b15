"""Templates rendered by real headless Chromium (slow tier): PNGs are written and the DOM holds the kind
badge, the facts and every outlet's link. The same steps as ``bench/screenshots.py``."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from alerts.config import RouteConfig
from alerts.digest import Entry
from alerts.messages import render_digest
from alerts.templates import TemplateSet
from bench.screenshots import build, dom, screenshot, serving, story_url

OUTLETS = ("https://mekong-wire.example.org/news/", "https://jakarta-harian.example.org/news/",
           "https://phnom-penh-daily.example.org/news/")
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def need_chromium() -> None:
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pytest.fail("chromium is not installed (.ci/run installs it: apt-get install chromium)")


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_alert_email_and_story_page_in_a_real_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCAMWATCH_FEEDBACK_SECRET", "screenshots-test-secret-0123")
    site = build(tmp_path)
    page = tmp_path / "email.html"
    page.write_text(site.email_html, "utf-8")
    png = screenshot(page.as_uri(), tmp_path / "email.png", tmp_path / "profile")
    assert png.stat().st_size > 20_000
    email_dom = dom(page.as_uri(), tmp_path / "profile")
    assert re.search(r'class="kind-badge" data-kind="new_incident"[^>]*>New incident<', email_dom)
    for fact in ("27 Indonesians", "Bavet, Cambodia", "rescued, awaiting repatriation", "Asia/Jakarta",
                 "Confidence:</span> high", "in English: 27 Indonesians"):
        assert fact in email_dom, fact
    links = hrefs(email_dom)
    assert all(any(h.startswith(o) for h in links) for o in OUTLETS)
    assert "detained_after_rescue" not in email_dom and "detained_after_rescue" not in site.email_text
    with serving(site.config, site.port):
        url = story_url(site)
        assert "/officer+demo/-/story/" in url
        assert screenshot(url, tmp_path / "story.png", tmp_path / "profile").stat().st_size > 20_000
        story_dom = dom(url, tmp_path / "profile")
        for fact in ("27 Indonesians", "Bavet, Cambodia", "rescued, awaiting repatriation", "Indonesian",
                     "Not about scam-compound trafficking", "Wrong nationality or place", "opened by this story"):
            assert fact in story_dom, fact
        assert all(any(h.startswith(o) for h in hrefs(story_dom)) for o in OUTLETS)
        assert re.search(r"<td>2026-12-04</td><td>19</td><td>held in a compound</td>", story_dom)
        incident_dom = dom(site.public_url + "/officer+demo/-/incident/1", tmp_path / "profile")
        assert "Indonesians in Bavet" in incident_dom and f"/-/story/{site.story_id}" in incident_dom


def test_digest_email_in_a_real_browser(tmp_path: Path) -> None:
    route = RouteConfig(name="desk", timezone="Asia/Manila")
    entries = [Entry(1, "new", "27 Indonesians held in Bavet, Cambodia",
                     {"kind": "new_incident", "page": "https://w.example.org/db/-/story/1", "outlets": 2,
                      "published": "2026-12-05T01:00:00+00:00", "headline": "Workers found in Bavet"}),
               Entry(2, "grown", "Kenyans held in Myanmar",
                     {"kind": "grown", "page": "https://w.example.org/db/-/story/2", "outlets": 4, "grown": 3,
                      "published": "2026-12-04T01:00:00+00:00"})]
    message = render_digest(TemplateSet(), "email", route, entries, (5, 6), datetime(2026, 12, 6, 0, 5, tzinfo=UTC))
    page = tmp_path / "digest.html"
    page.write_text(message.body, "utf-8")
    assert screenshot(page.as_uri(), tmp_path / "digest.png", tmp_path / "profile").stat().st_size > 10_000
    digest_dom = dom(page.as_uri(), tmp_path / "profile")
    assert "New incidents (1)" in digest_dom and "More reports on earlier alerts (1)" in digest_dom
    assert "+3 reports" in digest_dom and "5 of 6 polled sources healthy" in digest_dom
    assert hrefs(digest_dom) == ["https://w.example.org/db/-/story/1", "https://w.example.org/db/-/story/2"]
