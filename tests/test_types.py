"""mypy checks the packages' type hints (configured in pyproject.toml: every function typed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_mypy_is_clean(tmp_path: Path) -> None:
    mypy = Path(sys.executable).with_name("mypy")
    if not os.path.exists(mypy):
        pytest.fail("mypy is not installed (pip install -e '.[test]')")
    proc = subprocess.run([str(mypy), "--cache-dir", str(tmp_path / "cache")], cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
