"""``config check`` finds what would keep an alert from anyone, without sending; faults stay local."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from alerts import outbox
from alerts.stage import alert_due
from crawler.app.cli import main
from crawler.app.config import load_config
from crawler.app.context import App
from crawler.app.cycle import run_cycle
from crawler.app.daemon import Daemon
from crawler.app.database import open_db
from crawler.app.exits import EXIT_CONFIG
from tests.alerts_fixtures import SmtpSink, WebhookSink, add_story, alerts_setup

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
HEAD = "[crawler]\ninclude_default_sources = false\n[alerts]\nthrottle = false\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "scamwatch.toml"
    path.write_text(HEAD + body, "utf-8")
    return path


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def story(db, **kw) -> int:  # type: ignore[no-untyped-def]
    args = {"headline": "Twenty Indonesians held in a compound", "score": 0.9, "seen": T0.isoformat(),
            "nationalities": ["Indonesia"], "locations": ["Myawaddy", "Myanmar"], "count": 20,
            "text": "Twenty Indonesians were held in a compound, officials said.", "sources": ["outlet-a"]}
    args.update(kw)
    return add_story(db, **args)


def test_every_mistake_is_one_line(tmp_path: Path, hook: WebhookSink, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SW_SET_TOKEN", "s3cr3t-value")
    monkeypatch.delenv("SW_UNSET_TOKEN", raising=False)
    path = write(tmp_path, f"""urls = ["team={hook.url('team')}/${{SW_SET_TOKEN}}", "mail=json://x/${{SW_UNSET_TOKEN}}",
  "odd=jsn://example.org/x"]
apprise_config = "missing.yml"
templates_dir = "no-such-folder"
[[alerts.routes]]
name = "a"
tag = "team"
nationalities = ["Indonesian"]
statuses = ["hold"]
locations = ["Myawady"]
[[alerts.routes]]
name = "b"
tag = "nobody"
template = "fancy"
""")
    result = invoke("--config", str(path), "config", "check")
    assert result.exit_code == EXIT_CONFIG, result.output
    errors = [line for line in result.output.splitlines() if "config error" in line]
    expected = [
        ("alerts.urls[1]", "SW_UNSET_TOKEN not set"),
        ("alerts.urls[2]", "Apprise cannot use this URL"),
        ("alerts.apprise_config", "does not exist"),
        ("alerts.templates_dir", "is not a folder"),
        ("alerts.routes[0].nationalities[0]", "did you mean 'Indonesia'?"),
        ("alerts.routes[0].statuses[0]", "did you mean 'held'?"),
        ("alerts.routes[0].locations[0]", "did you mean 'Myawaddy'?"),
        ("alerts.routes[1].tag", "no alert channel carries the tag 'nobody'"),
    ]
    for key, problem in expected:
        assert any(key in line and problem in line for line in errors), (key, result.output)
    assert all(str(path) in line for line in errors)
    assert "s3cr3t-value" not in result.output and "Traceback" not in result.output
    assert hook.posts == []  # nothing sent


def test_unknown_template_and_good_config(tmp_path: Path, hook: WebhookSink) -> None:
    bad = write(tmp_path, f'urls = ["team={hook.url("team")}"]\n[[alerts.routes]]\nname = "a"\ntag = "team"\n'
                          'template = "fancy"\n')
    result = invoke("--config", str(bad), "config", "check")
    assert result.exit_code == EXIT_CONFIG and "alerts.routes[0].template" in result.output
    assert "fancy" in result.output
    good = write(tmp_path, f'urls = ["team={hook.url("team")}", "ops={hook.url("ops")}"]\n'
                           '[alerts.operator]\ntag = "ops"\n'
                           '[[alerts.routes]]\nname = "a"\ntag = "team"\nnationalities = ["Indonesia"]\n'
                           'statuses = ["awaiting_repatriation", "held"]\nlocations = ["Myawaddy", "Cambodia"]\n')
    result = invoke("--config", str(good), "config", "check")
    assert result.exit_code == 0 and result.output.rstrip().endswith("ok"), result.output
    assert hook.posts == []


def test_daemon_refuses_to_start_with_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, 'urls = ["json://localhost/${SW_NEVER_SET}"]\n')
    result = invoke("--config", str(path), "--db", str(tmp_path / "sw.db"), "daemon", "--max-cycles", "1")
    assert result.exit_code == EXIT_CONFIG
    assert "SW_NEVER_SET not set" in result.output and "Traceback" not in result.output


def test_failed_reload_keeps_the_running_config(tmp_path: Path, hook: WebhookSink) -> None:
    path = write(tmp_path, f'urls = ["team={hook.url("team")}"]\n')
    app = App(config_path=str(path))
    running = app.config
    path.write_text(HEAD + 'urls = ["jsn://broken"]\n', "utf-8")
    daemon = Daemon(app)
    daemon._reload_requested = True
    daemon._reload_config()
    assert app.config is running
    path.write_text(HEAD + f'urls = ["team={hook.url("team")}", "ops={hook.url("ops")}"]\n', "utf-8")
    daemon._reload_config()
    assert app.config is not running and len(app.config.alerts.urls) == 2


def test_missing_secret_skips_one_channel_only(tmp_path: Path, hook: WebhookSink,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SW_MAIL_PASSWORD", raising=False)
    with SmtpSink() as smtp:
        mail = smtp.url("desk@example.org").replace("mailto://", "mailto://user:${SW_MAIL_PASSWORD}@", 1)
        config, db = alerts_setup(tmp_path, f'urls = ["chat={hook.url("chat")}", "mail={mail}", '
                                            f'"ops={hook.url("ops")}"]\n[alerts.operator]\ntag = "ops"\n'
                                            '[[alerts.routes]]\nname = "chat"\ntag = "chat"\n'
                                            '[[alerts.routes]]\nname = "mail"\ntag = "mail"\n')
        story(db)
        report = alert_due(config, db, T0)
        assert len(hook.at("chat")) == 1  # the working channel delivered
        [told] = hook.at("ops")  # the operator heard, naming the variable
        assert "SW_MAIL_PASSWORD" in str(told.body) and "alerts.urls[1]" in str(told.body)
        [waiting] = [r for r in outbox.listing(db) if r["route"] == "mail"]
        assert waiting["status"] == "pending" and report.failed == 0  # kept for when the secret is set
        assert smtp.mails == []


def test_tag_no_channel_carries_fails_at_once(tmp_path: Path, hook: WebhookSink) -> None:
    config, db = alerts_setup(tmp_path, f'urls = ["chat={hook.url("chat")}"]\nmax_attempts = 8\n'
                                        '[[alerts.routes]]\nname = "lost"\ntag = "nobody"\n')
    story(db)
    report = alert_due(config, db, T0)
    [row] = outbox.listing(db)
    assert report.failed == 1 and row["status"] == "failed" and row["attempts"] == 1
    assert "configuration error" in row["last_error"] and "nobody" in row["last_error"]


def test_config_error_in_a_stage_is_recorded_and_the_cycle_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    path = write(tmp_path, 'templates_dir = "mine"\n')
    config = load_config(path)
    db = open_db(config.db_path)
    folder.rmdir()  # vanished after the start
    report = run_cycle(config, db, mode="daemon")
    assert "config error" in report.errors["alert"] and "templates_dir" in report.errors["alert"]
    row = next(db["cycles"].rows_where(order_by="id desc", limit=1))
    assert row["result"] == "error" and "alert" in row["summary"]


def test_a_model_folder_or_head_that_is_not_there_is_caught_before_any_run(tmp_path: Path) -> None:
    missing = tmp_path / "models" / "minilm"
    path = write(tmp_path, f'[classifier]\nmodel = "{missing}"\nhead_path = "heads/mine.json"\n')
    result = invoke("--config", str(path), "config", "check")
    assert result.exit_code == EXIT_CONFIG, result.output
    assert f"classifier.model: model folder '{missing}' does not exist" in result.output
    assert f"classifier.head_path: no such file: {tmp_path / 'heads' / 'mine.json'}" in result.output
    assert "no head is shipped" not in result.output
    missing.mkdir(parents=True)
    (tmp_path / "heads").mkdir()
    (tmp_path / "heads" / "mine.json").write_text("{}", "utf-8")
    assert invoke("--config", str(path), "config", "check").exit_code == 0


def test_a_missing_model_folder_is_not_called_a_missing_head(tmp_path: Path) -> None:
    from classifier.config import ClassifierConfig
    from classifier.encoder import ModelNotAvailable
    from classifier.pipeline import load_head

    with pytest.raises(ModelNotAvailable, match="does not exist"):
        load_head(ClassifierConfig(model=str(tmp_path / "gone")))
