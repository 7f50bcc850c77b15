"""What officers receive: kinds, facts in plain words, every outlet, notify types, and hostile input made inert."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alerts.stage import alert_due
from tests.alerts_fixtures import SmtpSink, WebhookSink, add_story, alerts_setup

T0 = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)


def setup(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink):  # type: ignore[no-untyped-def]
    toml = (f'urls = ["chat={hook.url("chat")}", "mail={smtp.url("desk@example.org")}",'
            f' "plain={hook.url("plain")}"]\npublic_url = "https://watch.example.org"\n'
            '[[alerts.routes]]\nname = "manila"\ntag = "chat"\ntimezone = "Asia/Manila"\n'
            '[[alerts.routes]]\nname = "desk"\ntag = "mail"\ntemplate = "email"\ntimezone = "Asia/Manila"\n'
            '[[alerts.routes]]\nname = "plain"\ntag = "plain"\ntemplate = "text"\n')
    return alerts_setup(tmp_path, toml)


def test_new_incident_leads_with_kind_and_facts_in_plain_words(tmp_path: Path, hook: WebhookSink,
                                                                smtp: SmtpSink) -> None:
    config, db = setup(tmp_path, hook, smtp)
    add_story(db, headline="Twenty-seven Indonesians found in a Bavet compound", score=0.95,
              seen="2026-12-05T02:00:00+00:00", nationalities=["Indonesia"], locations=["Bavet", "Cambodia"],
              count=27, status="awaiting_repatriation", sources=["wire", "jakarta-daily"], new_incident=True,
              langs={"jakarta-daily": "id"})
    assert alert_due(config, db, T0).sent == 3
    [chat] = hook.at("chat")
    title = "New incident: 27 Indonesians rescued, awaiting repatriation, in Bavet, Cambodia — first report in 30 days"
    assert chat.body["title"] == title and chat.body["type"] == "warning"
    body = chat.body["message"]
    for part in ("rescued, awaiting repatriation", "Sat 5 Dec 2026, 10:00 Asia/Manila", "4 hours ago",
                 "confidence: high", "[wire.example.org](https://wire.example.org/news/",
                 "[jakarta-daily.example.org](https://jakarta-daily.example.org/news/", "(Indonesian,",
                 "in English: 27 Indonesians"):
        assert part in body, part
    assert "awaiting_repatriation" not in body and "0.95" not in body
    [mail] = smtp.to("desk@example.org")
    message = email.message_from_string(mail.raw, policy=email.policy.default)
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    text = plain.get_content()
    for part in ("New incident", "Who: 27 Indonesians", "Where: Bavet, Cambodia", "How many: 27",
                 "Status: rescued, awaiting repatriation", "https://jakarta-daily.example.org/news/"):
        assert part in text, part
    for raw in ("awaiting_repatriation", "Score", "0.95", "scamwatch label", "$"):
        assert raw not in text and raw not in html.get_content(), raw
    [plain_post] = hook.at("plain")
    assert plain_post.body["message"].startswith("Who:        27 Indonesians")


def test_follow_up_and_report_are_info_and_never_say_new(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    config, db = setup(tmp_path, hook, smtp)
    add_story(db, headline="Families ask about relatives", score=0.9, seen="2026-12-05T02:00:00+00:00",
              nationalities=["Kenya"], locations=["Myanmar"], count=None)
    alert_due(config, db, T0)
    [chat] = hook.at("chat")
    assert chat.body["type"] == "info" and chat.body["title"].startswith("Report: Kenyans held in Myanmar")
    assert not re.search(r"\bnew\b", chat.body["title"] + chat.body["message"], re.I)


HOSTILE = ('<script>alert(1)</script><img src=x onerror=alert(2)> <!channel> <!here> <@U123ABC> @everyone @here '
           '[click](javascript:alert(3)) ')


def test_hostile_titles_arrive_inert_and_capped(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    config, db = setup(tmp_path, hook, smtp)
    sid = add_story(db, headline=HOSTILE + "x" * 200_000, score=0.9, seen="2026-12-05T02:00:00+00:00",
                    nationalities=[], locations=[], sources=["evil"])
    db.execute("UPDATE items SET url = 'javascript:alert(4)' "
               "WHERE id IN (SELECT item_id FROM story_index WHERE story_id = ?)", [sid])
    db.conn.commit()
    assert alert_due(config, db, T0).sent == 3
    [mail] = smtp.to("desk@example.org")
    assert len(mail.raw) < 30_000
    message = email.message_from_string(mail.raw, policy=email.policy.default)
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    for bad in ("<script", "<img", "<!channel>"):
        assert bad not in html, bad
    assert "&lt;script&gt;" in html
    assert all(h.startswith("https://") for h in re.findall(r'href="([^"]*)"', html))
    for post in hook.at("chat") + hook.at("plain"):
        text = post.body["title"] + post.body["message"]
        for bad in ("<!channel>", "<!here>", "<@U123ABC>", "@everyone", "@here", "<javascript"):
            assert bad not in text, bad
        if post.path.endswith("chat"):  # Markdown: the link syntax is escaped, so nothing links there
            assert not re.search(r"(?<!\\)\]\(javascript", text)
        assert len(post.body["title"]) <= 250 and len(post.body["message"]) < 5_000


def test_messages_fit_the_channel(tmp_path: Path) -> None:
    import apprise

    from alerts.send import CUT_NOTE, fit
    from alerts.templates import Message

    slack = apprise.Apprise.instantiate("slack://T1/B1/abcdefghijklmnopqrstuvwx")
    discord = apprise.Apprise.instantiate("discord://123/abcdef")
    long = Message("t", "<p>" + "a" * 100_000 + "</p>", "html")
    for service, limit in ((slack, 40_000), (discord, 2_000)):
        body, title = fit(long, service)
        assert len(body) + len(title) <= limit and body.endswith(CUT_NOTE) and "<p>" in body
    assert fit(Message("t", "short", "text"), slack) == ("short", "t")


@pytest.mark.parametrize(("kind", "new_incident", "expected"), [
    ("new", True, "warning"), ("new", False, "info"), ("update", True, "info"), ("review", False, "info"),
    ("digest", False, "info"), ("operator", False, "failure"), ("recovery", False, "success"),
    ("new_incident", False, "warning"), ("follow_up", False, "info")])
def test_notify_types(kind: str, new_incident: bool, expected: str) -> None:
    from alerts.dispatch import notify_type

    assert notify_type(kind, new_incident) == expected


def test_update_names_the_change_and_links_the_report_carrying_it(tmp_path: Path, hook: WebhookSink,
                                                                    smtp: SmtpSink) -> None:
    config, db = setup(tmp_path, hook, smtp)
    sid = add_story(db, headline="Workers held in Bavet", score=0.9, seen="2026-12-05T01:00:00+00:00",
                    nationalities=["Indonesia"], locations=["Bavet", "Cambodia"], count=27, sources=["wire"])
    alert_due(config, db, T0)
    add_story(db, headline="Workers held in Bavet", score=0.9, seen="2026-12-05T07:00:00+00:00", story_id=sid,
              nationalities=["Indonesia"], locations=["Bavet", "Cambodia"], count=41, sources=["wire", "late"])
    db.execute("UPDATE items SET published = '2026-12-05T01:00:00+00:00' WHERE source = 'wire'")
    db.execute("UPDATE classifications SET count = 27 WHERE item_id IN (SELECT id FROM items WHERE source = 'wire')")
    db.conn.commit()
    alert_due(config, db, T0 + timedelta(hours=2))
    update = hook.at("chat")[-1]
    assert update.body["title"].startswith("Update (27 → 41 people): 41 Indonesians held in Bavet")
    assert "What changed: 27 → 41 people, reported by [late.example.org](https://late.example.org/news/" \
        in update.body["message"]
    assert "Sat 5 Dec 2026, 15:00 Asia/Manila" in update.body["message"]
    assert not re.search(r"\bnew\b", update.body["title"] + update.body["message"], re.I)
