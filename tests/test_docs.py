"""The README's commands stay true: CI runs exactly its test command."""

from __future__ import annotations

import re

from tests.conftest import REPO


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text("utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text, flags=re.S)


def test_ci_runs_the_readme_test_command() -> None:
    commands = _readme_commands()
    assert len(commands) >= 2
    test_command = commands[1].strip()
    assert "pytest" in test_command
    ci_lines = [line.strip() for line in (REPO / ".ci" / "run").read_text("utf-8").splitlines()]
    assert test_command in ci_lines


def test_readme_install_command_runs_the_main_job() -> None:
    install = _readme_commands()[0]
    assert "torch==2.13.0" in install and install.index("torch==2.13.0") < install.index("-e .")
    assert "scamwatch run" in install


def _all_commands() -> list[str]:
    import click

    from crawler.app.cli import main

    names = []
    for name, command in main.commands.items():
        if isinstance(command, click.Group):
            names += [f"{name} {sub}" for sub in command.commands]
        else:
            names.append(name)
    return names


def test_every_command_is_in_the_readme() -> None:
    text = (REPO / "README.md").read_text("utf-8")
    missing = [name for name in _all_commands() if f"`scamwatch {name}" not in text]
    assert not missing, f"commands missing from the README's table: {missing}"


def test_readme_config_reference_is_current() -> None:
    from crawler.app.config_commands import reference_markdown

    text = (REPO / "README.md").read_text("utf-8")
    block = text.split("<!-- config-reference:start -->")[1].split("<!-- config-reference:end -->")[0]
    assert block.strip() == reference_markdown().strip(), (
        "README's configuration reference is stale: paste the output of `scamwatch config reference`")


def test_readme_config_examples_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from crawler.app.config import load_config

    text = (REPO / "README.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.+?)\n```", text, flags=re.S)
    assert blocks
    for i, block in enumerate(blocks):
        path = tmp_path / f"example{i}.toml"
        path.write_text(block, "utf-8")
        load_config(path)
