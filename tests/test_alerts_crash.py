"""Kill the sending process at each step of a send: nothing is lost, nothing is repeated.

The child process runs a real ``alert_due`` against real sinks and dies (``os._exit``, no
cleanup, like SIGKILL) at the chosen step; the parent then runs the stage again and counts
what each channel received. The one window no sender can close — after a service accepted
the message and before that was committed — is shown explicitly: 'resend' repeats it there
(marked as a possible repeat), 'hold' keeps it back for the operator.
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alerts import outbox, plan
from alerts.dispatch import RESEND_NOTE
from alerts.stage import alert_due, templates_for
from crawler.app.config import load_config
from crawler.app.database import open_db
from tests.alerts_fixtures import WebhookSink, add_story, alerts_setup

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _child(config_path: str, step: str, nth: int) -> None:
    seen = {"n": 0}

    def die(at: str, row_id: int) -> None:
        if at == step:
            seen["n"] += 1
            if seen["n"] == nth:
                os._exit(137)

    config = load_config(config_path)
    alert_due(config, open_db(config.db_path), T0, hook=die)
    os._exit(0)


def crash_at(config_path: str, step: str, nth: int = 1) -> int:
    proc = multiprocessing.get_context("spawn").Process(target=_child, args=(config_path, step, nth))
    proc.start()
    proc.join(60)
    return proc.exitcode or 0


def setup(tmp_path: Path, hook: WebhookSink, mode: str = "resend", paths: tuple[str, ...] = ("a",)):  # type: ignore[no-untyped-def]
    urls = ", ".join(f'"team={hook.url(p)}"' for p in paths)
    config, db = alerts_setup(tmp_path, f'urls = [{urls}]\nunknown_outcome = "{mode}"\n'
                                        '[[alerts.routes]]\nname = "team"\ntag = "team"\n')
    add_story(db, headline="Held in a compound", score=0.9, seen=T0.isoformat(), nationalities=["Kenya"])
    return config, db


@pytest.mark.parametrize(("step", "copies"),
                         [("queued", 1), ("claimed", 1), ("sending", 1), ("accepted", 2), ("recorded", 1),
                          ("finished", 1)])
def test_crash_at_each_step_resend(tmp_path: Path, hook: WebhookSink, step: str, copies: int) -> None:
    config, db = setup(tmp_path, hook)
    assert crash_at(str(config.source_file), step) == 137
    report = alert_due(config, db, T0 + timedelta(seconds=1))
    assert outbox.counts(db) == {"pending": 0, "sending": 0, "sent": 1, "failed": 0, "held": 0}, report
    posts = hook.at("a")
    assert len(posts) == copies
    if step == "accepted":  # the documented window: the repeat says so
        assert RESEND_NOTE in posts[1].body["message"] and RESEND_NOTE not in posts[0].body["message"]
    assert alert_due(config, db, T0 + timedelta(hours=1)).sent == 0
    assert len(hook.at("a")) == copies


@pytest.mark.slow
@pytest.mark.parametrize(("step", "copies_before_retry"), [("sending", 0), ("accepted", 1)])
def test_crash_mid_send_hold_is_at_most_once(tmp_path: Path, hook: WebhookSink, step: str,
                                             copies_before_retry: int) -> None:
    config, db = setup(tmp_path, hook, mode="hold")
    assert crash_at(str(config.source_file), step) == 137
    alert_due(config, db, T0 + timedelta(seconds=1))
    assert outbox.counts(db)["held"] == 1 and len(hook.at("a")) == copies_before_retry
    [held] = outbox.listing(db, "held")
    assert "alerts retry" in held["last_error"]
    assert outbox.retry(db, held["id"], T0)
    alert_due(config, db, T0 + timedelta(seconds=2))
    assert outbox.counts(db)["sent"] == 1 and len(hook.at("a")) == copies_before_retry + 1


@pytest.mark.slow
def test_crash_between_services_never_repeats_the_first(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = setup(tmp_path, hook, paths=("a", "b", "c"))
    assert crash_at(str(config.source_file), "recorded", nth=2) == 137  # a and b got it, c did not
    assert len(hook.at("a")) + len(hook.at("b")) == 2 and hook.at("c") == []
    alert_due(config, db, T0 + timedelta(seconds=1))
    assert [len(hook.at(p)) for p in ("a", "b", "c")] == [1, 1, 1]
    assert RESEND_NOTE in hook.at("c")[0].body["message"]


def test_live_lease_is_respected(tmp_path: Path, hook: WebhookSink) -> None:
    """A row another live process is sending is left alone until its lease expires."""
    config, db = setup(tmp_path, hook)
    plan.queue_stories(config, db, templates_for(config), T0)
    [row] = outbox.due(db, T0)
    assert outbox.claim(db, row, f"{os.uname().nodename}:1:other", T0, 600)  # pid 1 is alive
    assert alert_due(config, db, T0 + timedelta(seconds=10)).sent == 0 and hook.posts == []
    assert alert_due(config, db, T0 + timedelta(seconds=601)).sent == 1
