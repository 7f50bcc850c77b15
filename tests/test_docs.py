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
