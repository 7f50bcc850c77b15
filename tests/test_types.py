"""mypy checks the packages' type hints (configured in pyproject.toml: every function typed)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, installed_tool


@pytest.mark.slow
def test_mypy_is_clean(tmp_path: Path) -> None:
    proc = subprocess.run([installed_tool("mypy"), "--cache-dir", str(tmp_path / "cache")], cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
