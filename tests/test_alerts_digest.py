"""Digests with a controllable clock: time of day in a zone, every N hours, N waiting, rate limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from alerts.stage import alert_due
from tests.alerts_fixtures import WebhookSink, add_story, alerts_setup

# 2026-11-23 00:30 UTC = 07:30 in Jakarta (UTC+7); the 08:00 Jakarta digest is at 01:00 UTC.
T0 = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)


def story(db, n: int, score: float = 0.9, when: datetime = T0) -> int:  # type: ignore[no-untyped-def]
    return add_story(db, headline=f"Report {n}", score=score, seen=when.isoformat(),
                     nationalities=["Indonesia"], locations=["Sihanoukville", "Cambodia"], count=n)


def sources(db, healthy: int, failing: int, never_polled: int = 0) -> None:  # type: ignore[no-untyped-def]
    for i in range(healthy + failing + never_polled):
        polled = i < healthy + failing
        db["sources"].insert({"name": f"s{i}", "url": f"https://s{i}.example.org/feed", "kind": "feed",
                              "consecutive_failures": 3 if i < failing else 0,
                              "last_success": "2026-11-22T10:00:00+00:00" if failing <= i < healthy + failing else None,
                              "last_attempt": "2026-11-22T00:00:00+00:00" if polled else None})
    db.conn.commit()


def review_score(config) -> float:  # type: ignore[no-untyped-def]
    """A score inside the review band, whatever the configured thresholds."""
    return (config.classifier.review_threshold + config.classifier.alert_threshold) / 2


def digest_route(hook: WebhookSink, extra: str) -> str:
    route = '[[alerts.routes]]\nname = "desk"\ntag = "desk"\nmode = "digest"\n'
    return f'urls = ["desk={hook.url("desk")}"]\n{route}{extra}'


def test_daily_digest_in_local_time_and_empty_digest(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = alerts_setup(tmp_path, digest_route(hook, 'digest_at = ["08:00"]\ntimezone = "Asia/Jakarta"\n'))
    sources(db, healthy=57, failing=1, never_polled=4)
    alert_due(config, db, T0)  # the route's clock starts
    story(db, 1)
    story(db, 2, score=review_score(config))  # review band
    assert alert_due(config, db, T0 + timedelta(minutes=20)).sent == 0
    assert hook.posts == []
    report = alert_due(config, db, T0 + timedelta(minutes=31))  # 08:01 in Jakarta
    assert report.digests == 1 and report.sent == 1
    [post] = hook.at("desk")
    assert post.body["title"].startswith("scamwatch digest, Mon 23 Nov 08:01 Asia/Jakarta: ")
    assert post.body["title"].endswith("1 other report, 1 story to review")
    body = post.body["message"]
    assert "Report 1" in body and "57 of 58 polled sources healthy" in body
    assert body.index("Other reports** (1)") < body.index("Report 1") < body.index("Needs review") \
        < body.index("Report 2")
    assert alert_due(config, db, T0 + timedelta(hours=3)).sent == 0  # once a day
    report = alert_due(config, db, T0 + timedelta(days=1, minutes=31))
    [_, empty] = hook.at("desk")
    assert "nothing to report" in empty.body["title"] and "57 of 58 polled sources" in empty.body["message"]


def test_digest_every_n_hours(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = alerts_setup(tmp_path, digest_route(hook, 'digest_every = "6h"\ndigest_when_empty = false\n'))
    alert_due(config, db, T0)
    story(db, 1)
    assert alert_due(config, db, T0 + timedelta(hours=5)).sent == 0
    assert alert_due(config, db, T0 + timedelta(hours=6)).sent == 1
    assert alert_due(config, db, T0 + timedelta(hours=12)).sent == 0  # nothing waiting, no empty digests
    assert len(hook.at("desk")) == 1


def test_digest_when_n_items_wait(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = alerts_setup(tmp_path, digest_route(hook, "digest_min_items = 3\n"))
    alert_due(config, db, T0)
    story(db, 1)
    story(db, 2)
    assert alert_due(config, db, T0 + timedelta(minutes=1)).sent == 0
    story(db, 3)
    assert alert_due(config, db, T0 + timedelta(minutes=2)).sent == 1
    body = hook.at("desk")[0].body["message"]
    assert all(f"Report {n}" in body for n in (1, 2, 3))


def test_rate_limit_folds_excess_into_next_digest(tmp_path: Path, hook: WebhookSink) -> None:
    toml = (f'urls = ["team={hook.url("team")}"]\n[[alerts.routes]]\nname = "team"\ntag = "team"\n'
            'rate_limit = 2\nrate_window = "1h"\ndigest_at = ["09:00"]\n')
    config, db = alerts_setup(tmp_path, toml)
    alert_due(config, db, T0)
    for n in range(1, 6):
        story(db, n)
    report = alert_due(config, db, T0 + timedelta(minutes=1))
    assert report.sent == 2 and report.digest_entries == 3
    assert alert_due(config, db, T0 + timedelta(hours=2)).sent == 0  # no immediate alert for the held-back ones
    report = alert_due(config, db, T0.replace(hour=9, minute=1))
    assert report.digests == 1
    posts = hook.at("team")
    assert len(posts) == 3 and posts[2].body["title"].endswith(": 3 other reports")
    assert all(f"Report {n}" in posts[2].body["message"] for n in (3, 4, 5))
    assert alert_due(config, db, T0.replace(hour=9) + timedelta(days=1, minutes=1)).sent == 0  # no empty digest


def test_review_band_never_alerts_immediately(tmp_path: Path, hook: WebhookSink) -> None:
    toml = f'urls = ["team={hook.url("team")}"]\n'
    config, db = alerts_setup(tmp_path, toml)  # no routes: the default route to every service
    alert_due(config, db, T0)
    story(db, 1, score=review_score(config))
    story(db, 2, score=0.1)
    report = alert_due(config, db, T0 + timedelta(minutes=1))
    assert report.sent == 0 and report.digest_entries == 1
    assert alert_due(config, db, T0 + timedelta(hours=8)).sent == 1  # default daily 08:00 UTC digest
    body = hook.at("team")[0].body["message"]
    assert "Report 1" in body and "Report 2" not in body


def test_concurrent_passes_send_one_digest(tmp_path: Path, hook: WebhookSink) -> None:
    from alerts import digest

    config, db = alerts_setup(tmp_path, digest_route(hook, 'digest_every = "1h"\n'))
    last = digest.last_sent(db, "desk", T0)
    later = T0 + timedelta(hours=1)
    with db.atomic():
        assert digest.advance(db, "desk", last, "digest:desk:a", later)
    with db.atomic():  # a second pass that read the same clock before the first committed
        assert not digest.advance(db, "desk", last, "digest:desk:b", later + timedelta(seconds=1))
    assert digest.last_sent(db, "desk", T0) == later


def test_digest_groups_by_kind_counts_agree_and_silent_growth_shows(tmp_path: Path, hook: WebhookSink) -> None:
    import re

    toml = (f'urls = ["team={hook.url("team")}", "desk={hook.url("desk")}"]\npublic_url = "https://w.example.org"\n'
            '[[alerts.routes]]\nname = "team"\ntag = "team"\ntimezone = "Asia/Manila"\n'
            '[[alerts.routes]]\nname = "desk"\ntag = "desk"\nmode = "digest"\ntimezone = "Asia/Manila"\n')
    config, db = alerts_setup(tmp_path, toml)
    alert_due(config, db, T0)
    grows = add_story(db, headline="Report grows", score=0.9, seen=T0.isoformat(), nationalities=["Laos"],
                      locations=["Tachileik"], count=8, sources=["a"])
    add_story(db, headline="Report opens", score=0.9, seen=T0.isoformat(), nationalities=["Nepal"],
              locations=["Myawaddy"], count=3, new_incident=True)
    for n in range(2):
        story(db, n + 1)
    assert alert_due(config, db, T0 + timedelta(minutes=1)).sent == 4  # immediate route: one alert each
    # Three more outlets carry the first story, with nothing new in them: no message, a line in the digest.
    add_story(db, headline="Report grows", score=0.9, seen=(T0 + timedelta(hours=1)).isoformat(), story_id=grows,
              nationalities=["Laos"], locations=["Tachileik"], count=8, sources=["a", "b", "c", "d"])
    assert alert_due(config, db, T0 + timedelta(hours=1)).sent == 0
    report = alert_due(config, db, datetime(2026, 11, 24, 0, 5, tzinfo=UTC))  # 08:05 in Manila
    assert report.digests == 2
    [team] = [p for p in hook.at("team") if p.body["title"].startswith("scamwatch digest")]
    assert team.body["title"] == "scamwatch digest, Tue 24 Nov 08:05 Asia/Manila: 1 story with more reports"
    assert "+3 reports" in team.body["message"] and f"https://w.example.org/scamwatch/-/story/{grows}" \
        in team.body["message"]
    [desk] = hook.at("desk")
    title, body = desk.body["title"], desk.body["message"]
    assert title.endswith(": 1 new incident, 3 other reports")
    for heading, n in (("New incidents", 1), ("Other reports", 3)):
        section = body.split(f"**{heading}** ({n})")[1].split("**")[0]
        assert len(re.findall(r"^- \[", section, re.M)) == n
    assert body.index("New incidents") < body.index("Other reports")
    assert len(re.findall(r"\]\(https://w\.example\.org/scamwatch/-/story/\d+\)", body)) == 4
