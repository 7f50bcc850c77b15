"""Per-route quiet hours: held alerts and digests go out when the quiet hours end, never twice."""

from __future__ import annotations

import multiprocessing
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from alerts import outbox
from alerts.config import AlertsConfig, RouteConfig
from alerts.dispatch import RESEND_NOTE
from alerts.quiet import quiet_until
from alerts.stage import alert_due
from crawler.app.cli import main
from crawler.app.config import load_config
from crawler.app.database import open_db
from crawler.base.confschema import ConfigError, build
from tests.alerts_fixtures import WebhookSink, add_story, alerts_setup

# Quiet hours 22:00-07:00 in Jakarta (UTC+7, no daylight saving) are 15:00-00:00 UTC.
JAKARTA = "Asia/Jakarta"
BEFORE = datetime(2026, 11, 23, 14, 58, tzinfo=UTC)  # 21:58 in Jakarta
QUIET = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)    # 23:00 in Jakarta
END = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)       # 07:00 in Jakarta, the next local day


def quiet_route(hook: WebhookSink, extra: str = "", head: str = "") -> str:
    return (f'urls = ["team={hook.url("team")}"]\n{head}[[alerts.routes]]\nname = "team"\ntag = "team"\n'
            f'timezone = "{JAKARTA}"\nquiet_hours = "22:00-07:00"\n{extra}')


def story(db, headline: str, when: datetime, **kw) -> int:  # type: ignore[no-untyped-def]
    args = {"nationalities": ["Kenya"], "locations": ["Myawaddy", "Myanmar"], "count": 20}
    args.update(kw)
    return add_story(db, headline=headline, score=0.9, seen=when.isoformat(), **args)


def titles(hook: WebhookSink) -> list[str]:
    return [p.body["title"] for p in hook.at("team")]


# --- configuration -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "problem"),
    [("22:00", "expected 'HH:MM-HH:MM'"), ("7:00-22:00", "expected 'HH:MM-HH:MM'"),
     ("22:00-24:00", "expected 'HH:MM-HH:MM'"), ("22-07", "expected 'HH:MM-HH:MM'"), ("", "expected"),
     ("22:00-07:00-09:00", "expected"), ("22:00-22:00", "start and end must differ")],
)
def test_quiet_hours_errors_name_the_key(value: str, problem: str) -> None:
    with pytest.raises(ConfigError) as err:
        build(AlertsConfig, {"routes": [{"name": "a"}, {"name": "b", "quiet_hours": value}]}, "alerts")
    assert err.value.key == "alerts.routes[1].quiet_hours" and problem in err.value.problem


def test_quiet_hours_keys_parse(tmp_path: Path) -> None:
    route = build(RouteConfig, {"name": "r", "quiet_hours": " 21:30 - 06:45 "})
    assert [t.strftime("%H:%M") for t in route.quiet_window or ()] == ["21:30", "06:45"]
    assert route.quiet_except_new_incidents is True
    assert build(RouteConfig, {"name": "r"}).quiet_window is None
    path = tmp_path / "c.toml"
    path.write_text('[[alerts.routes]]\nname = "r"\nquiet_hours = "22:00-07:00"\nquiet_except_new_incidents = false\n',
                    "utf-8")
    [loaded] = load_config(path).alerts.routes
    assert loaded.quiet_hours == "22:00-07:00" and loaded.quiet_except_new_incidents is False


@pytest.mark.parametrize(
    ("local", "until"),
    [("21:59", None), ("22:00", "11-24 07:00"), ("23:30", "11-24 07:00"), ("00:00", "11-23 07:00"),
     ("06:59", "11-23 07:00"), ("07:00", None), ("12:00", None)],
)
def test_window_wraps_midnight_in_the_route_zone(local: str, until: str | None) -> None:
    from zoneinfo import ZoneInfo

    route = build(RouteConfig, {"name": "r", "quiet_hours": "22:00-07:00", "timezone": JAKARTA})
    hour, minute = (int(p) for p in local.split(":"))
    now = datetime(2026, 11, 23, hour, minute, tzinfo=ZoneInfo(JAKARTA)).astimezone(UTC)
    got = quiet_until(route, now)
    assert (got.astimezone(ZoneInfo(JAKARTA)).strftime("%m-%d %H:%M") if got else None) == until


def test_window_within_one_day() -> None:
    route = build(RouteConfig, {"name": "r", "quiet_hours": "09:00-17:30"})
    day = datetime(2026, 11, 23, tzinfo=UTC)
    assert quiet_until(route, day.replace(hour=8, minute=59)) is None
    assert quiet_until(route, day.replace(hour=9)) == day.replace(hour=17, minute=30)
    assert quiet_until(route, day.replace(hour=17, minute=30)) is None


# --- delivery ------------------------------------------------------------------------------------

def test_alert_inside_quiet_hours_waits_for_their_end(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = alerts_setup(tmp_path, quiet_route(hook))
    story(db, "Before the quiet hours", BEFORE)
    assert alert_due(config, db, BEFORE).sent == 1  # outside quiet hours: at once
    story(db, "Late evening report", QUIET, count=21)
    report = alert_due(config, db, QUIET)
    assert report.queued == 1 and report.sent == 0 and report.pending == 1
    after_midnight = QUIET + timedelta(hours=3)  # 02:00 in Jakarta, past local midnight
    story(db, "Night report", after_midnight, count=22, nationalities=["Uganda"])
    assert alert_due(config, db, after_midnight).sent == 0
    waiting = outbox.listing(db, "pending")
    assert len(waiting) == 2 and {r["next_attempt_at"] for r in waiting} == {outbox.iso(END)}
    assert alert_due(config, db, END - timedelta(seconds=1)).sent == 0
    assert len(hook.at("team")) == 1
    assert alert_due(config, db, END).sent == 2
    assert len(hook.at("team")) == 3 and outbox.counts(db)["pending"] == 0
    assert alert_due(config, db, END + timedelta(hours=1)).sent == 0 and len(hook.at("team")) == 3


@pytest.mark.parametrize("except_new", [True, False])
def test_new_incident_passes_quiet_hours_unless_switched_off(tmp_path: Path, hook: WebhookSink,
                                                             except_new: bool) -> None:
    extra = "" if except_new else "quiet_except_new_incidents = false\n"
    config, db = alerts_setup(tmp_path, quiet_route(hook, extra))
    sid = story(db, "Kenyans held in a compound", QUIET, new_incident=True)
    assert alert_due(config, db, QUIET).sent == (1 if except_new else 0)
    later = QUIET + timedelta(hours=1)
    story(db, "Kenyans held in a compound", later, new_incident=True, count=45, story_id=sid)
    report = alert_due(config, db, later)
    assert report.queued == 1 and report.sent == 0  # an update is no new incident: it waits
    assert len(hook.at("team")) == (1 if except_new else 0)
    assert alert_due(config, db, END).sent == (1 if except_new else 2)
    assert sorted(t.split(" (")[0].split(":")[0] for t in titles(hook)) == ["New incident", "Update"]


def test_retry_falling_into_quiet_hours_waits(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = alerts_setup(tmp_path, 'retry_base = "5m"\n' + quiet_route(hook))
    story(db, "Just before the quiet hours", BEFORE)
    hook.down = True
    assert alert_due(config, db, BEFORE).retrying == 1
    hook.down = False
    retry_at = BEFORE + timedelta(minutes=5)  # 22:03 in Jakarta
    assert alert_due(config, db, retry_at).sent == 0 and hook.posts == []
    [row] = outbox.listing(db, "pending")
    assert row["next_attempt_at"] == outbox.iso(END) and row["attempts"] == 1
    assert alert_due(config, db, END).sent == 1 and len(hook.at("team")) == 1


def test_digest_due_inside_quiet_hours_waits(tmp_path: Path, hook: WebhookSink) -> None:
    extra = 'mode = "digest"\ndigest_at = ["23:00"]\n'
    config, db = alerts_setup(tmp_path, quiet_route(hook, extra))
    alert_due(config, db, QUIET - timedelta(hours=10))  # the route's clock starts (13:00 in Jakarta)
    story(db, "Report for the digest", QUIET - timedelta(hours=9))
    assert alert_due(config, db, QUIET + timedelta(minutes=1)).digests == 0  # 23:01: due, but quiet
    assert alert_due(config, db, END - timedelta(minutes=1)).digests == 0
    assert hook.posts == []
    report = alert_due(config, db, END)
    assert report.digests == 1 and report.sent == 1
    [post] = hook.at("team")
    assert post.body["title"].endswith(": 1 other report") and "Report for the digest" in post.body["message"]
    assert alert_due(config, db, END + timedelta(hours=2)).digests == 0


def test_operator_messages_ignore_quiet_hours(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = alerts_setup(tmp_path, quiet_route(hook, head='operator = { tag = "team" }\n'))
    db["sources"].insert({"name": "broken", "url": "https://broken.example.org/feed", "kind": "feed",
                          "consecutive_failures": 9})
    db.conn.commit()
    story(db, "Story during the night", QUIET)
    report = alert_due(config, db, QUIET)
    assert report.operator == 1 and report.sent == 1 and report.pending == 1
    assert titles(hook) == ["PROBLEM: Source broken is failing"]


# --- restarts --------------------------------------------------------------------------------------

def _child(config_path: str, when: str, step: str) -> None:
    def die(at: str, row_id: int) -> None:
        if at == step:
            os._exit(137)

    config = load_config(config_path)
    alert_due(config, open_db(config.db_path), datetime.fromisoformat(when), hook=die)
    os._exit(0)


def run_in_child(config_path: str, when: datetime, step: str = "") -> int:
    proc = multiprocessing.get_context("spawn").Process(target=_child, args=(config_path, when.isoformat(), step))
    proc.start()
    proc.join(60)
    return proc.exitcode or 0


def test_restarts_during_the_hold_neither_lose_nor_repeat(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = alerts_setup(tmp_path, quiet_route(hook))
    story(db, "Held overnight", QUIET)
    path = str(config.source_file)
    assert run_in_child(path, QUIET, step="queued") == 137  # dies right after queuing
    [row] = outbox.listing(db, "pending")
    assert row["next_attempt_at"] == outbox.iso(END)  # the hold is in the row from the start
    assert run_in_child(path, QUIET + timedelta(hours=1)) == 0  # a fresh process, still quiet
    assert alert_due(config, db, QUIET + timedelta(hours=2)).sent == 0
    assert hook.posts == [] and outbox.counts(db)["pending"] == 1
    assert run_in_child(path, END) == 0  # the first process after the quiet hours sends it
    assert alert_due(config, db, END + timedelta(minutes=1)).sent == 0
    assert len(hook.at("team")) == 1 and outbox.counts(db)["sent"] == 1


def test_send_cut_off_by_a_crash_resumes_after_quiet_hours(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = alerts_setup(tmp_path, quiet_route(hook))
    story(db, "Interrupted at 21:58", BEFORE)
    assert run_in_child(str(config.source_file), BEFORE, step="sending") == 137  # claimed, never sent
    assert alert_due(config, db, QUIET).sent == 0 and hook.posts == []
    [row] = outbox.listing(db, "pending")
    assert row["next_attempt_at"] == outbox.iso(END)
    assert alert_due(config, db, END).sent == 1
    [post] = hook.at("team")
    assert RESEND_NOTE in post.body["message"]


# --- commands --------------------------------------------------------------------------------------

def test_commands_show_quiet_hours_and_held_alerts(tmp_path: Path, hook: WebhookSink) -> None:
    now = outbox.utcnow()
    start, end = (now - timedelta(hours=1)).strftime("%H:%M"), (now + timedelta(hours=2)).strftime("%H:%M")
    toml = (f'urls = ["team={hook.url("team")}"]\n[[alerts.routes]]\nname = "team"\ntag = "team"\n'
            f'quiet_hours = "{start}-{end}"\nquiet_except_new_incidents = false\n'
            '[[alerts.routes]]\nname = "desk"\ntag = "team"\nmode = "digest"\n')
    config, db = alerts_setup(tmp_path, toml)
    story(db, "Reported while the team is quiet", now)
    cfg = ["--config", str(config.source_file)]
    run = CliRunner().invoke
    dry = run(main, [*cfg, "alert", "--dry-run"])
    assert dry.exit_code == 0 and "held for quiet hours until" in dry.output
    assert run(main, [*cfg, "alert"]).exit_code == 0
    assert hook.posts == []
    listing = run(main, [*cfg, "alerts", "list"])
    assert listing.exit_code == 0 and "(end of quiet hours)" in listing.output
    routes = run(main, [*cfg, "alerts", "routes"])
    assert routes.exit_code == 0
    assert f"quiet hours: {start}-{end} UTC, everything waits; quiet now, until {end}" in routes.output
    assert "quiet hours: none" in routes.output
