"""The pages behind the alerts: every link a delivered alert carries answers on ``scamwatch serve`` (for a
database file with any name), and one-click feedback records exactly one label, refuses forgeries, and stops
the story's updates."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from alerts.stage import alert_due
from bench.screenshots import free_port, serving
from tests.alerts_fixtures import WebhookSink, add_story, alerts_setup

SECRET = "a-feedback-secret-for-tests-only"
T0 = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)


class Browser:
    """urllib with a cookie jar (Datasette's CSRF cookie) and no exceptions for HTTP errors."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, url: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(url, data=data, timeout=20) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A database called 'watch list.v2.db' with one alerted story, served by ``scamwatch serve``."""
    monkeypatch.setenv("SCAMWATCH_FEEDBACK_SECRET", SECRET)
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    with WebhookSink() as hook:
        config, db = alerts_setup(tmp_path, f'urls = ["chat={hook.url("chat")}"]\npublic_url = "{public}/"\n'
                                            '[[alerts.routes]]\nname = "desk"\ntag = "chat"\n',
                                  extra='[database]\npath = "watch list.v2.db"\n')
        sid = add_story(db, headline="Nineteen Kenyans held near the border", score=0.9,
                        seen="2026-12-05T02:00:00+00:00", nationalities=["Kenya"], locations=["Myawaddy", "Myanmar"],
                        count=19, sources=["east-wire", "nairobi-daily"], langs={"nairobi-daily": "sw"},
                        new_incident=True)
        db["incidents"].upsert({"id": 1, "nationality": "Kenya", "location": "Myawaddy", "first_story_id": sid,
                                "first_reported": "2026-12-05", "last_reported": "2026-12-05", "story_count": 1,
                                "count_trend": '[["2026-12-05", 19]]', "status_trend": '[["2026-12-05", "held"]]'},
                                pk="id")
        db["story_incidents"].upsert({"story_id": sid, "incident_id": 1, "is_new": 1}, pk=("story_id", "incident_id"))
        db.conn.commit()
        assert alert_due(config, db, T0).sent == 1
        add_story(db, headline="=HYPERLINK(\"http://evil.example\",\"x\")", score=0.1, seen="2026-12-05T01:00:00+00:00")
        with serving(tmp_path / "scamwatch.toml", port):
            yield {"config": config, "db": db, "hook": hook, "public": public, "story": sid}


def links(markdown: str) -> list[str]:
    return re.findall(r"\]\((https?://[^)\s]+)\)", markdown)


def test_every_link_of_a_delivered_alert_answers(site: dict[str, Any]) -> None:
    [post] = site["hook"].at("chat")
    found = links(post.body["message"])
    ours = [u for u in found if u.startswith(site["public"])]
    assert len(ours) == 4  # the story page and three feedback links
    assert any("/watch+list~2Ev2/-/story/" in u for u in ours)
    browser = Browser()
    for url in ours:
        status, body = browser.open(url)
        assert status == 200, url
    outlets = [u for u in found if not u.startswith(site["public"])]
    assert {urllib.parse.urlsplit(u).hostname for u in outlets} == {"east-wire.example.org",
                                                                     "nairobi-daily.example.org"}
    status, page = browser.open(next(u for u in ours if "/-/story/" in u))
    for part in ("19 Kenyans held in Myawaddy, Myanmar", "east-wire.example.org", "nairobi-daily.example.org",
                 "Swahili", "In English: 19 Kenyans held", "Not about scam-compound trafficking",
                 "/-/incident/1", "held in a compound"):
        assert part in page, part
    assert browser.open(site["public"] + "/watch+list~2Ev2/-/incident/1")[0] == 200
    assert browser.open(site["public"] + "/watch+list~2Ev2/-/story/999")[0] == 404
    assert browser.open(site["public"] + "/watch+list~2Ev2.json?sql=select+1")[0] == 403  # still no SQL


def _confirm(browser: Browser, url: str) -> tuple[int, str]:
    status, page = browser.open(url)
    if status != 200:
        return status, page
    token = re.search(r'name="csrftoken" value="([^"]+)"', page)
    t = re.search(r'name="t" value="([^"]+)"', page)
    assert token and t
    return browser.open(url.split("?")[0], {"csrftoken": token.group(1), "t": t.group(1)})


def test_feedback_records_one_label_refuses_forgery_and_stops_updates(site: dict[str, Any]) -> None:
    db, sid = site["db"], site["story"]
    [post] = site["hook"].at("chat")
    [irrelevant] = [u for u in links(post.body["message"]) if ".irrelevant." in u]
    browser = Browser()
    forged = irrelevant.replace(".irrelevant.", ".correct.")
    assert browser.open(forged)[0] == 403
    assert _confirm(browser, forged)[0] == 403
    status, page = browser.open(irrelevant.replace(f"t={sid}.", f"t={sid + 1}."))
    assert status == 403 and "Nothing was recorded" in page
    assert db["feedback"].count == 0
    status, page = browser.open(irrelevant)
    assert status == 200 and "Confirm" in page and db["feedback"].count == 0  # GET changes nothing
    status, page = _confirm(browser, irrelevant)
    assert status == 200 and "Thank you, recorded" in page
    status, page = _confirm(browser, irrelevant)
    assert status == 200 and "Already recorded" in page
    rows = list(db["feedback"].rows)
    assert len(rows) == 1 and rows[0]["story_id"] == sid and rows[0]["verdict"] == "irrelevant"
    assert rows[0]["route"] == "desk" and rows[0]["via"] == "link" and rows[0]["received_at"]
    # The story developed, but it was marked irrelevant: no update.
    add_story(db, headline="Nineteen Kenyans held near the border", score=0.9, story_id=sid,
              seen="2026-12-05T05:00:00+00:00", nationalities=["Kenya"], locations=["Myawaddy", "Myanmar"],
              count=60, sources=["east-wire", "nairobi-daily"])
    assert alert_due(site["config"], db, T0 + timedelta(hours=1)).queued == 0
    assert len(site["hook"].at("chat")) == 1
    status, page = browser.open(site["public"] + f"/watch+list~2Ev2/-/story/{sid}")
    assert "gets no alerts or updates" in page


def test_browsing_defaults_id_links_and_formula_free_csv(site: dict[str, Any]) -> None:
    base = site["public"] + "/watch+list~2Ev2"
    browser = Browser()
    status, page = browser.open(base + "/stories")  # redirected to the relevant stories, facts and kind first
    assert "Stories at a glance" in page and "new incident" in page  # the kind, derived from its incident
    assert status == 200 and "Nineteen Kenyans held near the border" in page and "HYPERLINK" not in page
    assert f'href="/watch+list~2Ev2/-/story/{site["story"]}"' in page
    status, query = browser.open(base + "/latest_stories")
    assert status == 200 and f'/-/story/{site["story"]}"' in query
    status, csv_text = browser.open(base + "/stories.csv?_col=headline&relevant=0")
    assert status == 200 and "'=HYPERLINK" in csv_text and "\n=HYPERLINK" not in csv_text
