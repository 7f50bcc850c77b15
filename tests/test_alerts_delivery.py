"""Real deliveries on loopback: routing fan-out, email + webhook, retries, secrets, CLI."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from alerts import outbox
from alerts.stage import alert_due
from crawler.app.cli import main
from tests.alerts_fixtures import SmtpSink, WebhookSink, add_story, alerts_setup

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TEXT = ("Officials said on Monday that 20 Indonesians were held in a scam compound in Myawaddy. "
        "The rain continued. They were forced to defraud strangers online.")


def routes_toml(hook: WebhookSink, smtp: SmtpSink, extra: str = "") -> str:
    return f"""urls = ["team={hook.url('slack')}", "indo={smtp.url('indo@example.org')}",
        "ops={hook.url('ops')}"]
retry_base = "60s"
max_attempts = 3
[alerts.operator]
tag = "ops"
[[alerts.routes]]
name = "team"
tag = "team"
[[alerts.routes]]
name = "indonesia"
tag = "indo"
template = "email"
nationalities = ["Indonesia"]
{extra}"""


def indonesian_story(db, **kw) -> int:  # type: ignore[no-untyped-def]
    args = {"headline": "Twenty Indonesians trapped in Myawaddy compound", "score": 0.9,
            "seen": T0.isoformat(), "nationalities": ["Indonesia"], "locations": ["Myawaddy", "Myanmar"],
            "count": 20, "text": TEXT, "sources": ["outlet-a", "outlet-b"]}
    args.update(kw)
    return add_story(db, **args)


def test_fan_out_to_chat_and_email_with_their_templates(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    config, db = alerts_setup(tmp_path, routes_toml(hook, smtp))
    sid = indonesian_story(db)
    add_story(db, headline="Filipinos rescued", score=0.8, seen=T0.isoformat(), nationalities=["Philippines"])
    report = alert_due(config, db, T0)
    assert (report.sent, report.failed, report.pending) == (3, 0, 0)
    [slack_indo, slack_ph] = sorted(hook.at("slack"), key=lambda p: p.body["title"])
    # On no incident (the fixture records none): a plain report, and never the word "new" (alerts.kinds).
    assert slack_indo.body["title"].startswith("Report: 20 Indonesians")
    assert "20 Indonesians held" in slack_indo.body["title"] and "new" not in slack_indo.body["title"].lower()
    chat = slack_indo.body["message"]
    assert "outlet-a.example.org" in chat and "outlet-b.example.org" in chat and "scamwatch label" not in chat
    assert chat.count("\n") <= 8 and f"story {sid}" not in chat
    [mail] = smtp.to("indo@example.org")
    assert mail.subject == slack_indo.body["title"] and mail.content_type == "text/html"
    for part in ("<!DOCTYPE html>", "kind-badge", "held in a compound", "Mon 23 Nov 2026", "Confidence:",
                 'href="https://outlet-a.example.org/news', 'href="https://outlet-b.example.org/news', "English"):
        assert part in mail.body, part
    for noise in ("0.90", "Score", "scamwatch label", f"story {sid}"):
        assert noise not in mail.body, noise
    # Re-running sends nothing again; plain extra copies of the story never do either.
    indonesian_story(db, story_id=sid, seen=(T0 + timedelta(hours=1)).isoformat(), sources=["outlet-a", "outlet-c"])
    assert alert_due(config, db, T0 + timedelta(hours=1)).sent == 0
    assert len(hook.at("slack")) == 2 and len(smtp.mails) == 1


def test_development_sends_one_update(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    config, db = alerts_setup(tmp_path, routes_toml(hook, smtp))
    sid = indonesian_story(db)
    alert_due(config, db, T0)
    later = T0 + timedelta(hours=2)
    indonesian_story(db, story_id=sid, seen=later.isoformat(), count=60)
    alert_due(config, db, later)
    updates = [p for p in hook.at("slack") if p.body["title"].startswith("Update")]
    assert len(updates) == 1 and "20 → 60 people" in updates[0].body["title"]
    indonesian_story(db, story_id=sid, seen=(later + timedelta(hours=1)).isoformat(), count=200, status="rescued")
    alert_due(config, db, later + timedelta(hours=1))
    assert len([p for p in hook.at("slack") if p.body["title"].startswith("Update")]) == 1


def test_sink_down_gets_everything_once_when_back(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    config, db = alerts_setup(tmp_path, routes_toml(hook, smtp, "").replace("max_attempts = 3", "max_attempts = 10"))
    hook.down = True
    ids = [indonesian_story(db, headline=f"Story {i}", nationalities=["Vietnam"]) for i in range(3)]
    report = alert_due(config, db, T0)
    assert report.sent == 0 and report.retrying == 3 and report.pending == 3
    assert alert_due(config, db, T0 + timedelta(seconds=30)).sent == 0  # backoff: not due yet
    assert alert_due(config, db, T0 + timedelta(seconds=61)).retrying >= 3  # still down
    hook.down = False
    report = alert_due(config, db, T0 + timedelta(hours=1))
    assert report.sent >= 3 and report.pending == 0
    # The operator heard of the failing channel (on the same sink, so once it was back) and of its recovery.
    ops = [p.body["title"] for p in hook.at("ops")]
    assert ops == ["PROBLEM: Alert channel 'team' is failing", "RECOVERED: channel:team"]
    assert [p.body["type"] for p in hook.at("ops")] == ["failure", "success"]
    titles = sorted(p.body["message"] for p in hook.at("slack"))
    assert len(titles) == 3 and all(any(f"/news/{i}" in t for t in titles) for i in ids)
    assert alert_due(config, db, T0 + timedelta(hours=2)).sent == 0
    assert len(hook.at("slack")) == 3


def test_partial_failure_retries_only_the_failed_service(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    toml = f'urls = ["team={hook.url("a")}", "team={hook.url("b")}"]\n'
    config, db = alerts_setup(tmp_path, toml + '[[alerts.routes]]\nname = "team"\ntag = "team"\n')
    indonesian_story(db)
    config.alerts.urls[1] = "team=json://127.0.0.1:9/b"  # nothing listens on port 9
    report = alert_due(config, db, T0)
    assert report.retrying == 1 and len(hook.at("a")) == 1
    [row] = outbox.listing(db)
    assert row["status"] == "pending" and "json" in row["last_error"].lower()
    config.alerts.urls[1] = f"team={hook.url('b')}"
    assert alert_due(config, db, T0 + timedelta(hours=1)).sent == 1
    assert len(hook.at("a")) == 1 and len(hook.at("b")) == 1


def test_failed_after_max_attempts_operator_told_once(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    config, db = alerts_setup(tmp_path, routes_toml(hook, smtp))
    smtp.stop()
    indonesian_story(db, nationalities=["Indonesia"])
    now = T0
    for _ in range(3):
        alert_due(config, db, now)
        now += timedelta(hours=1)
    assert outbox.counts(db)["failed"] == 1
    [failed] = outbox.listing(db, "failed")
    assert failed["route"] == "indonesia" and failed["attempts"] == 3
    problems = [p for p in hook.at("ops") if f"alert {failed['id']} failed" in p.body["title"]]
    assert len(problems) == 1 and f"scamwatch alerts retry {failed['id']}" in problems[0].body["message"]
    alert_due(config, db, now + timedelta(hours=1))
    assert len([p for p in hook.at("ops") if f"alert {failed['id']} failed" in p.body["title"]]) == 1
    smtp.start()
    assert outbox.retry(db, failed["id"], now)
    assert alert_due(config, db, now + timedelta(hours=2)).sent >= 1
    assert len(smtp.to("indo@example.org")) == 1


def test_secrets_never_stored_or_logged(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink,
                                        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    secret = "Sup3rSecretToken42"
    monkeypatch.setenv("HOOK_TOKEN", secret)
    monkeypatch.setenv("SMTP_PASS", secret + "x")
    toml = (f'urls = ["team=json://bot:${{HOOK_TOKEN}}@127.0.0.1:{hook.port}/slack",'
            f' "team=mailto://user:${{SMTP_PASS}}@127.0.0.1:{smtp.port}?from=a@example.org&to=b@example.org"]\n'
            '[[alerts.routes]]\nname = "team"\ntag = "team"\n')
    config, db = alerts_setup(tmp_path, toml)
    hook.down = True
    smtp.stop()
    indonesian_story(db)
    with caplog.at_level(logging.DEBUG):
        alert_due(config, db, T0)
    hook.down = False
    smtp.start()
    with caplog.at_level(logging.DEBUG):
        alert_due(config, db, T0 + timedelta(hours=1))
    assert len(hook.at("slack")) == 1
    db.conn.commit()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("scamwatch.db*"))
    assert secret.encode() not in stored
    assert secret not in caplog.text
    assert secret not in hook.at("slack")[0].body["message"]


def test_unset_variable_is_a_config_error(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    config, db = alerts_setup(tmp_path, 'urls = ["json://x:${NOPE_NOT_SET}@127.0.0.1/x"]\n')
    indonesian_story(db)
    result = CliRunner().invoke(main, ["--config", str(config.source_file), "alert"])
    assert result.exit_code == 2 and "alerts.urls[0]" in result.output and "NOPE_NOT_SET" in result.output


def test_cli_dry_run_list_retry_and_test(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    config, db = alerts_setup(tmp_path, routes_toml(hook, smtp))
    indonesian_story(db)
    cfg = ["--config", str(config.source_file)]
    run = CliRunner().invoke
    dry = run(main, [*cfg, "alert", "--dry-run"])
    assert dry.exit_code == 0 and "route team (new, alert)" in dry.output and "route indonesia" in dry.output
    assert hook.posts == [] and outbox.counts(db)["pending"] == 0
    hook.down = True
    out = run(main, [*cfg, "alert"])
    assert out.exit_code == 0 and "sent 1, pending 1" in out.output
    listed = run(main, [*cfg, "alerts", "list", "--status", "pending"])
    assert "team" in listed.output and "503" in listed.output
    hook.down = False
    [row] = outbox.listing(db, "pending")
    assert run(main, [*cfg, "alerts", "retry", str(row["id"])]).exit_code == 0
    assert "sent 1" in run(main, [*cfg, "alert"]).output
    assert run(main, [*cfg, "alerts", "retry", "9999"]).exit_code == 1
    test = run(main, [*cfg, "alerts", "test", "--tag", "indo"])
    assert test.exit_code == 0 and len(smtp.mails) == 2 and "test message" in smtp.mails[-1].subject
    assert run(main, [*cfg, "alerts", "test", "--tag", "nobody"]).exit_code == 1


def test_apprise_config_file_with_tags(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    (tmp_path / "apprise.yml").write_text(
        f"urls:\n  - {hook.url('desk', scheme='form')}:\n      tag: desk\n"
        f"  - {smtp.url('desk@example.org')}:\n      tag: desk\n", "utf-8")
    config, db = alerts_setup(tmp_path, 'apprise_config = "apprise.yml"\n'
                                        '[[alerts.routes]]\nname = "desk"\ntag = "desk"\ntemplate = "text"\n')
    indonesian_story(db)
    assert alert_due(config, db, T0).sent == 1
    [form] = hook.at("desk")
    assert form.body["title"].startswith("Report: 20 Indonesians") and form.body["message"].startswith("Who:")
    [mail] = smtp.to("desk@example.org")
    assert mail.content_type == "text/plain" and "Status:     held in a compound" in mail.body


def test_missing_apprise_config_file_is_a_config_error(tmp_path: Path) -> None:
    config, db = alerts_setup(tmp_path, 'apprise_config = "nope.yml"\n')
    result = CliRunner().invoke(main, ["--config", str(config.source_file), "alert"])
    assert result.exit_code == 2 and "alerts.apprise_config" in result.output and "does not exist" in result.output


def test_new_incident_route_and_own_templates(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "chat.story.md").write_text("$title (ours)\n\nNEW INCIDENT $headline_link\n", "utf-8")
    toml = (f'urls = ["watch={hook.url("watch")}"]\ntemplates_dir = "templates"\n'
            '[[alerts.routes]]\nname = "incidents"\ntag = "watch"\nnew_incident = true\n')
    config, db = alerts_setup(tmp_path, toml)
    indonesian_story(db, headline="Old episode")
    indonesian_story(db, headline="Fresh episode", new_incident=True)
    assert alert_due(config, db, T0).sent == 1
    [post] = hook.at("watch")
    assert post.body["title"].endswith("(ours)") and "NEW INCIDENT [Fresh episode]" in post.body["message"]


def test_should_stop_leaves_the_rest_in_the_outbox(tmp_path: Path, hook: WebhookSink, smtp: SmtpSink) -> None:
    config, db = alerts_setup(tmp_path, routes_toml(hook, smtp))
    for i in range(3):
        indonesian_story(db, headline=f"S{i}", nationalities=["Laos"])
    calls = iter([False, True, True, True])
    report = alert_due(config, db, T0, should_stop=lambda: next(calls))
    assert report.sent == 1 and report.pending == 2
    assert alert_due(config, db, T0).sent == 2 and len(hook.at("slack")) == 3
    assert outbox.counts(db) == {"pending": 0, "sending": 0, "sent": 3, "failed": 0, "held": 0}
