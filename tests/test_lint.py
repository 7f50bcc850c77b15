"""ruff keeps the code base to one style (configured in pyproject.toml)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def test_ruff_is_clean() -> None:
    ruff = str(Path(sys.executable).with_name("ruff"))
    if not os.path.exists(ruff):
        ruff = shutil.which("ruff") or ruff
    if not os.path.exists(ruff):
        pytest.fail("ruff is not installed (pip install -e '.[test]')")
    proc = subprocess.run([ruff, "check", "--no-cache", str(REPO)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
