"""ruff keeps the code base to one style (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess

from tests.conftest import REPO, installed_tool


def test_ruff_is_clean() -> None:
    proc = subprocess.run([installed_tool("ruff"), "check", "--no-cache", str(REPO)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
