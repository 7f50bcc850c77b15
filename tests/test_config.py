"""Configuration: validation errors are one line naming file, key and problem, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.app.cli import main
from crawler.app.config import ConfigError, default_sources, load_config
from crawler.app.exits import EXIT_CONFIG


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scamwatch.toml"
    path.write_text(text, "utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("[crawler]\nconcurency = 3\n", "crawler.concurency", "unknown key"),
        ("[crawler]\nconcurrency = 'many'\n", "crawler.concurrency", "expected a whole number"),
        ("[crawler]\nobey_robots = 1\n", "crawler.obey_robots", "expected true or false"),
        ("[classifier]\nalert_threshold = 1.5\n", "classifier.alert_threshold", "between 0 and 1"),
        ("[[sources]]\nname = 'a'\nurl = 'ftp://x.org/f'\n", "sources[0].url", "not an http(s) URL"),
        ("[[sources]]\nname = 'a'\nurl = 'not a url'\n", "sources[0].url", "not an http(s) URL"),
        ("[[sources]]\nname = 'a'\nurl = 'https://a.org/f'\n[[sources]]\nname = 'a'\nurl = 'https://b.org/f'\n",
         "sources[1].name", "duplicate source name"),
        ("[[sources]]\nname = 'a'\nurl = 'https://a.org/'\nkind = 'listing'\n", "sources[0]", "needs link_selector"),
        ("[[sources]]\nname = 'a'\nurl = 'https://a.org/'\nkind = 'podcast'\n", "sources[0].kind", "must be one of"),
        ("[[sources]]\nname = 'a'\nurl = 'https://a.org/'\npoll_interval = 'often'\n", "sources[0].poll_interval",
         "expected a duration"),
        ("[[sources]]\nurl = 'https://a.org/'\n", "sources[0]", "missing"),
        ("[database\npath = 'x'\n", "", "not valid TOML"),
    ],
)
def test_mistakes_are_one_line_errors(tmp_path: Path, text: str, key: str, problem: str) -> None:
    path = write(tmp_path, text)
    result = run("--config", str(path), "sources", "list")
    assert result.exit_code == EXIT_CONFIG, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert str(path) in lines[0] and key in lines[0] and problem in lines[0]
    assert "Traceback" not in result.output


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    result = run("--config", str(tmp_path / "nope.toml"), "sources", "list")
    assert result.exit_code == EXIT_CONFIG
    assert "not found" in result.output


def test_durations_and_relative_db_path(tmp_path: Path) -> None:
    path = write(tmp_path, "[database]\npath = 'data/x.db'\n[crawler]\npoll_floor = '90s'\npoll_ceiling = '2h'\n")
    config = load_config(path)
    assert config.crawler.poll_floor == 90 and config.crawler.poll_ceiling == 7200
    assert config.db_path == tmp_path / "data" / "x.db"


def test_db_flag_overrides_config(tmp_path: Path) -> None:
    path = write(tmp_path, "[database]\npath = 'a.db'\n")
    assert load_config(path, db=str(tmp_path / "b.db")).db_path == tmp_path / "b.db"


def test_user_source_overrides_default_by_name(tmp_path: Path) -> None:
    shipped = default_sources()
    assert len(shipped) >= 30
    name = shipped[0].name
    path = write(tmp_path, f"[[sources]]\nname = '{name}'\nurl = 'https://example.org/feed'\nenabled = false\n")
    config = load_config(path)
    mine = [s for s in config.sources if s.name == name]
    assert len(mine) == 1 and not mine[0].enabled
    assert len(config.sources) == len(shipped)


def test_default_sources_can_be_left_out(tmp_path: Path) -> None:
    path = write(tmp_path, "[crawler]\ninclude_default_sources = false\n")
    assert load_config(path).sources == []


def test_shipped_sources_are_valid_and_unique() -> None:
    shipped = default_sources()
    names = [s.name for s in shipped]
    assert len(names) == len(set(names))
    assert {s.kind for s in shipped} >= {"feed", "listing"}


def test_init_writes_a_loadable_starter_and_database(tmp_path: Path) -> None:
    target = tmp_path / "scamwatch.toml"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    config = load_config(target)
    assert config.db_path.exists()
    assert run("init", str(target)).exit_code != 0  # no silent overwrite


def test_config_error_names_file_when_wrapped() -> None:
    err = ConfigError("crawler.timeout", "bad").in_file("x.toml")
    assert str(err) == "x.toml: crawler.timeout: bad"
