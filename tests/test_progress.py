"""Progress on long work: a bar on a terminal (a real pseudo-terminal here), and on a pipe only summary
lines with no carriage return; the model is announced before it loads and not loaded for nothing;
idle daemon ticks say nothing above DEBUG."""

from __future__ import annotations

import json
import logging
import os
import pty
import re
import subprocess
import sys
import threading
import tty
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

import classifier.pipeline
from crawler.app.cli import main
from crawler.base.progress import progress_bar
from tests import httpserver
from tests.classifier_fakes import IRRELEVANT, RELEVANT, FakeEncoder, fake_head
from tests.test_gather import rss

SCAMWATCH = str(Path(sys.executable).with_name("scamwatch"))


class Terminal:
    """A pseudo-terminal whose output a thread collects, raw (no newline translation)."""

    def __init__(self) -> None:
        self.master, slave = pty.openpty()
        tty.setraw(slave)
        self.slave = os.fdopen(slave, "w", encoding="utf-8", buffering=1)
        self.chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: every slave end is closed
                return
            if not data:
                return
            self.chunks.append(data)

    def text(self) -> str:
        """Everything written, once the slave end is closed (by us and by any child holding it)."""
        if not self.slave.closed:
            self.slave.close()
        self._reader.join(timeout=30)
        os.close(self.master)
        return b"".join(self.chunks).decode("utf-8", "replace")


def drawn(label: str, out: str) -> bool:
    """Whether a bar labelled ``label`` was drawn: a carriage return (and maybe a cursor hide), then it."""
    return re.search("\r(?:\033\\[\\?25l)?" + label, out) is not None


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    term = Terminal()
    yield term
    if not term.slave.closed:
        term.text()


@pytest.fixture
def root_logging() -> Iterator[None]:
    """``main`` points the root logger at the stderr of the moment: put it back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


def test_a_bar_on_a_terminal_and_log_lines_above_it(terminal: Terminal) -> None:
    handler = logging.StreamHandler(terminal.slave)
    logging.getLogger().addHandler(handler)  # the bar looks for the root's handlers on its stream
    try:
        with progress_bar("work", "things", stream=terminal.slave) as bar:
            assert bar is not None
            bar(3, 10, "so far so good")
            logging.getLogger("tests.progress").warning("a line in between")
            bar(7, 10, "nearly")
    finally:
        logging.getLogger().removeHandler(handler)
    out = terminal.text()
    assert drawn("work", out) and "3/10" in out and "7/10" in out and "things  nearly" in out
    assert "\r\033[Ka line in between\n" in out  # the bar's line is wiped first, never glued to
    assert re.search(r"line in between\n\r(\033\[\?25l)?work .*7/10  things  nearly", out)  # drawn again below
    assert out.endswith("nearly\033[?25h\n")  # closing ends the bar's line: no blank line


def test_no_bar_and_nothing_written_on_a_pipe() -> None:
    read, write = os.pipe()
    with os.fdopen(write, "w") as stream, progress_bar("work", stream=stream) as bar:
        assert bar is None
    with os.fdopen(read) as got:
        assert got.read() == ""


def test_no_bar_beside_output_to_the_same_terminal(terminal: Terminal) -> None:
    with progress_bar("work", stream=terminal.slave, beside=terminal.slave) as bar:
        assert bar is None


# -- gather: sources done / total, items stored --------------------------------------------------
def gather_sources(server: httpserver.TestServer) -> str:
    """Two feeds with three entries between them, and a source that answers 404."""
    server.set("/one.xml", rss([("First report", "http://127.0.0.1:9/a", "Some words."),
                                ("Second report", "http://127.0.0.1:9/b", "More words.")]),
               content_type="application/rss+xml")
    server.set("/two.xml", rss([("Third report", "http://127.0.0.1:9/c", "Other words.")]),
               content_type="application/rss+xml")
    return "".join(f'[[sources]]\nname = "{name}"\nurl = "{server.url(f"/{name}.xml")}"\nallow_private = true\n'
                   for name in ("one", "two", "gone"))


def gather_config(tmp_path: Path, server: httpserver.TestServer) -> Path:
    config = tmp_path / "sw.toml"
    config.write_text('[database]\npath = "sw.db"\n[crawler]\ninclude_default_sources = false\ndownload_delay = 0\n'
                      "retries = 0\nmax_articles_per_source = 0\n" + gather_sources(server), "utf-8")
    return config


def scamwatch(config: Path, *args: str, stderr: Any) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "JOURNAL_STREAM"}
    return subprocess.run([SCAMWATCH, "--config", str(config), *args], stdout=subprocess.PIPE, stderr=stderr,
                          text=True, timeout=120, env=env)


@pytest.mark.slow
def test_gather_draws_a_bar_on_a_terminal(tmp_path: Path, http_server: httpserver.TestServer,
                                          terminal: Terminal) -> None:
    done = scamwatch(gather_config(tmp_path, http_server), "gather", stderr=terminal.slave)
    err = terminal.text()
    assert done.returncode == 0, err
    assert drawn("gather", err) and "3/3" in err and "sources  3 items stored" in err, err
    assert "3 new items" in done.stdout and "\r" not in done.stdout
    check = Terminal()
    checked = scamwatch(tmp_path / "sw.toml", "sources", "check", stderr=check.slave)
    err = check.text()
    assert checked.returncode == 1 and drawn("check", err) and "3/3  sources" in err, err


@pytest.mark.slow
def test_gather_on_a_pipe_writes_summary_lines_only(tmp_path: Path, http_server: httpserver.TestServer) -> None:
    done = scamwatch(gather_config(tmp_path, http_server), "gather", stderr=subprocess.PIPE)
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stdout + done.stderr and "\033" not in done.stderr
    assert [line for line in done.stderr.splitlines() if "gather:" in line] == [
        next(line for line in done.stderr.splitlines() if "gather: 2 ok, 1 failed, 3 new items" in line)]
    assert len(done.stdout.splitlines()) == 2  # the summary, and the failed source
    assert done.stdout.startswith("gather: 2 sources ok")


# -- classify and train (the fake encoder, in this process, stderr on the terminal) ---------------
def counting_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, more: str = "") -> tuple[Path, list[str]]:
    """A config (plus ``more``) whose model is the fake encoder with a head for it, and the list in which
    each model load is noted."""
    from crawler.app import classify_commands

    encoder = FakeEncoder()
    fake_head(encoder).save(tmp_path / "head.json")
    loads: list[str] = []
    for module in (classifier.pipeline, classify_commands):
        monkeypatch.setattr(module, "get_encoder", lambda cfg: loads.append("model") or encoder)
    config = tmp_path / "sw.toml"
    config.write_text(f"[classifier]\nmodel = 'fake-model'\nhead_path = '{tmp_path / 'head.json'}'\n"
                      f"[database]\npath = '{tmp_path / 'sw.db'}'\n[crawler]\ninclude_default_sources = false\n"
                      + more, "utf-8")
    return config, loads


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    config, loads = counting_model(tmp_path, monkeypatch)
    return {"config": config, "loads": loads}


def on_terminal(monkeypatch: pytest.MonkeyPatch, terminal: Terminal, config: Path, *args: str) -> None:
    previous = sys.stderr
    monkeypatch.setattr(sys, "stderr", terminal.slave)
    try:
        main.main(["--config", str(config), *args], standalone_mode=False)
    finally:
        monkeypatch.setattr(sys, "stderr", previous)


def jsonl(path: Path, count: int) -> Path:
    pairs = (RELEVANT + IRRELEVANT) * (count // len(RELEVANT + IRRELEVANT) + 1)
    path.write_text("".join(json.dumps({"id": i, "title": t, "text": x}) + "\n"
                            for i, (t, x) in enumerate(pairs[:count])), "utf-8")
    return path


def test_classify_draws_lines_done_of_the_total_on_a_terminal(
        tmp_path: Path, fake_model: dict[str, Any], terminal: Terminal, monkeypatch: pytest.MonkeyPatch,
        root_logging: None) -> None:
    source = jsonl(tmp_path / "in.jsonl", 600)
    source.write_text(source.read_text("utf-8") + "not json\n", "utf-8")
    on_terminal(monkeypatch, terminal, fake_model["config"], "classify", "--input", str(source),
                "--output", str(tmp_path / "out.jsonl"))
    err = terminal.text()
    assert drawn("classify", err) and "256/601" in err and "601/601" in err and "600 classified" in err, err
    assert "\r\033[Kscamwatch classify: line 601: skipped" in err  # above the bar, not glued to it
    assert err.rstrip("\n").endswith("scamwatch classify: 600 classified, 1 malformed lines skipped")


def test_classify_on_a_pipe_says_one_summary_line(tmp_path: Path, fake_model: dict[str, Any]) -> None:
    source = jsonl(tmp_path / "in.jsonl", 300)
    result = CliRunner().invoke(main, ["--config", str(fake_model["config"]), "classify", "--input", str(source),
                                       "--output", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    assert "\r" not in result.stderr
    assert result.stderr.splitlines() == ["scamwatch classify: loading the model…",
                                          "scamwatch classify: 300 classified"]


def test_run_draws_the_classify_bar_on_a_terminal(tmp_path: Path, fake_model: dict[str, Any],
                                                  terminal: Terminal, monkeypatch: pytest.MonkeyPatch,
                                                  root_logging: None) -> None:
    from crawler.app.database import open_db
    from crawler.gather.importer import import_lines

    db = open_db(tmp_path / "sw.db")
    import_lines(db, jsonl(tmp_path / "in.jsonl", 300).read_bytes().splitlines())
    db.close()
    on_terminal(monkeypatch, terminal, fake_model["config"], "run")
    err = terminal.text()
    assert drawn("classify", err) and "256/300" in err and "300/300" in err, err
    assert fake_model["loads"] == ["model"]


def test_import_and_eval_draw_items_done_on_a_terminal(tmp_path: Path, fake_model: dict[str, Any],
                                                      terminal: Terminal, monkeypatch: pytest.MonkeyPatch,
                                                      root_logging: None) -> None:
    source = jsonl(tmp_path / "in.jsonl", 300)
    on_terminal(monkeypatch, terminal, fake_model["config"], "import", str(source))
    labeled = tmp_path / "labeled.jsonl"
    labeled.write_text("".join(json.dumps({**json.loads(line), "relevant": i % 2 == 0}) + "\n"
                               for i, line in enumerate(source.read_text("utf-8").splitlines())), "utf-8")
    on_terminal(monkeypatch, terminal, fake_model["config"], "eval", "--input", str(labeled))
    err = terminal.text()
    assert drawn("classify", err) and "256/300  items" in err and "300/300  items" in err, err
    assert drawn("eval", err) and err.count("300/300  items") >= 2


def test_train_draws_texts_embedded_on_a_terminal(tmp_path: Path, fake_model: dict[str, Any],
                                                  terminal: Terminal, monkeypatch: pytest.MonkeyPatch,
                                                  root_logging: None) -> None:
    examples = tmp_path / "examples.jsonl"
    pairs = [(True, t, x) for t, x in RELEVANT] * 20 + [(False, t, x) for t, x in IRRELEVANT] * 20
    examples.write_text("".join(json.dumps({"title": f"{t} {i}", "text": x, "relevant": rel, "kind": "k",
                                            "lang": "en"}) + "\n" for i, (rel, t, x) in enumerate(pairs)), "utf-8")
    on_terminal(monkeypatch, terminal, fake_model["config"], "train", "--examples", str(examples))
    err = terminal.text()
    total = len(pairs)
    assert drawn("train", err) and f"64/{total}" in err and f"{total}/{total}" in err and "texts embedded" in err, err
    assert (tmp_path / "sw.head.json").exists()


def test_train_and_run_on_a_pipe_write_no_carriage_return(tmp_path: Path, fake_model: dict[str, Any]) -> None:
    from crawler.app.database import open_db
    from crawler.gather.importer import import_lines

    db = open_db(tmp_path / "sw.db")
    import_lines(db, jsonl(tmp_path / "in.jsonl", 300).read_bytes().splitlines())
    db.close()
    ran = CliRunner().invoke(main, ["--config", str(fake_model["config"]), "run"])
    assert "300 classified" in ran.stdout and "\r" not in ran.stdout + ran.stderr
    summaries = [line for line in ran.stderr.splitlines() if "classifier.stage" in line]
    assert len(summaries) == 1 and "classified 300 items" in summaries[0]
    examples = tmp_path / "examples.jsonl"
    examples.write_text("".join(json.dumps({"title": t, "text": x, "relevant": rel, "kind": "k", "lang": "en"}) + "\n"
                                for rel, group in ((True, RELEVANT), (False, IRRELEVANT)) for t, x in group), "utf-8")
    trained = CliRunner().invoke(main, ["--config", str(fake_model["config"]), "train", "--examples", str(examples)])
    assert trained.exit_code == 0 and "\r" not in trained.stdout + trained.stderr, trained.output
    assert trained.stdout.startswith("trained ")


@pytest.mark.slow
def test_embedding_batch_by_batch_gives_the_very_vectors_of_one_call() -> None:
    """So a head trained on a terminal is the head trained under cron, to the last bit (and its id)."""
    from classifier.config import ClassifierConfig
    from classifier.encoder import get_encoder
    from crawler.app.progress import ShowingEncoder
    from crawler.base.progress import Bar

    words = "people were held in a compound near the border and later freed by the police".split()
    texts = [" ".join(words[i % 7:] + words[:i % 5]) * (1 + i % 4) for i in range(150)]
    encoder = get_encoder(ClassifierConfig())
    with open(os.devnull, "w") as sink:
        bar = Bar("test", sink, "texts")
        shown = ShowingEncoder(encoder, bar).encode(texts)
        bar.close()
    assert np.array_equal(shown, encoder.encode(texts))


# -- the model: announced before it loads, never loaded for nothing ------------------------------
def test_the_model_load_is_announced_before_it_starts(monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    import sentence_transformers

    from classifier.encoder import load_encoder

    said_first: list[bool] = []

    class Model:
        def __init__(self, location: str, device: str) -> None:
            said_first.append(any("loading embedding model" in r.getMessage() for r in caplog.records))

        def get_sentence_embedding_dimension(self) -> int:
            return 8

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", Model)
    with caplog.at_level(logging.INFO):
        load_encoder("all-MiniLM-L6-v2")
    assert said_first == [True]


def test_run_with_nothing_to_classify_loads_no_model(tmp_path: Path, fake_model: dict[str, Any]) -> None:
    from crawler.app.database import open_db
    from crawler.gather.importer import import_lines

    first = CliRunner().invoke(main, ["--config", str(fake_model["config"]), "run"])
    assert first.exit_code == 0 and fake_model["loads"] == [], first.output
    db = open_db(tmp_path / "sw.db")
    import_lines(db, jsonl(tmp_path / "in.jsonl", 3).read_bytes().splitlines())
    db.close()
    second = CliRunner().invoke(main, ["--config", str(fake_model["config"]), "run"])
    assert second.exit_code == 0 and "3 classified" in second.output and fake_model["loads"] == ["model"]


def test_import_of_an_empty_file_loads_no_model(tmp_path: Path, fake_model: dict[str, Any]) -> None:
    (tmp_path / "empty.jsonl").write_text("", "utf-8")
    result = CliRunner().invoke(main, ["--config", str(fake_model["config"]), "import", str(tmp_path / "empty.jsonl")])
    assert result.exit_code == 0 and "nothing new to classify" in result.output, result.output
    assert fake_model["loads"] == []


# -- the daemon: no bar even on a terminal, and an idle tick says nothing above DEBUG
def test_the_daemon_draws_no_bar_even_on_a_terminal(tmp_path: Path, http_server: httpserver.TestServer,
                                                     terminal: Terminal, monkeypatch: pytest.MonkeyPatch,
                                                     root_logging: None) -> None:
    from crawler.app.context import App
    from crawler.app.daemon import Daemon
    from crawler.base.logs import setup_logging

    # extraction inline: a pool's worker processes would inherit (and hold open) the terminal
    config, loads = counting_model(tmp_path, monkeypatch, "download_delay = 0\nretries = 0\nextract_workers = 0\n"
                                   "max_articles_per_source = 0\n" + gather_sources(http_server))
    monkeypatch.setattr(sys, "stderr", terminal.slave)
    setup_logging("INFO")
    app = App(config_path=str(config))
    try:
        report = Daemon(app).tick()
    finally:
        app.close()
    err = terminal.text()
    assert report.stages["gather"].new_items == 3 and loads == ["model"], err
    assert "\r" not in err and "gather: 2 ok, 1 failed, 3 new items" in err and "classified 3 items" in err


# -- the daemon: an idle tick says nothing above DEBUG --------------------------------------------
def test_idle_daemon_ticks_log_nothing_above_debug(tmp_path: Path, fake_model: dict[str, Any],
                                                   caplog: pytest.LogCaptureFixture) -> None:
    from crawler.app.context import App
    from crawler.app.daemon import Daemon

    app = App(config_path=str(fake_model["config"]))
    daemon = Daemon(app)
    try:
        with caplog.at_level(logging.DEBUG):
            for _ in range(3):  # the first on a fresh database among them
                daemon.tick()
    finally:
        app.close()
    loud = [f"{r.levelname} {r.name}: {r.getMessage()}" for r in caplog.records if r.levelno > logging.DEBUG]
    assert loud == []
    assert fake_model["loads"] == []
