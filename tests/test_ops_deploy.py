"""The shipped deployment files: systemd units verify, and they run commands that exist."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.app.cli import main
from tests.conftest import REPO

DEPLOY = REPO / "deploy"
SHIPPED_BINARY = "/opt/scamwatch/.venv/bin/scamwatch"
UNITS = sorted(p.name for p in DEPLOY.glob("*.service")) + sorted(p.name for p in DEPLOY.glob("*.timer"))


def test_every_service_has_a_timer_or_install_section_and_uses_the_shipped_paths() -> None:
    assert {"scamwatch.service", "scamwatch-run.service", "scamwatch-run.timer", "scamwatch-datasette.service",
            "scamwatch-check.service", "scamwatch-check.timer"} <= set(UNITS)
    daemon = (DEPLOY / "scamwatch.service").read_text("utf-8")
    assert "Type=notify" in daemon and "WatchdogSec=" in daemon and "ExecReload=/bin/kill -HUP $MAINPID" in daemon
    for name in UNITS:
        text = (DEPLOY / name).read_text("utf-8")
        if name.endswith(".service"):
            assert SHIPPED_BINARY in text, name
            assert "User=scamwatch" in text, f"{name}: units must share one dynamic user"
    assert "serve" in (DEPLOY / "scamwatch-datasette.service").read_text("utf-8")
    assert "SuccessExitStatus=75" in (DEPLOY / "scamwatch-run.service").read_text("utf-8")


def test_the_commands_the_units_and_crontab_run_exist() -> None:
    texts = [(DEPLOY / n).read_text("utf-8") for n in UNITS] + [(DEPLOY / "crontab.example").read_text("utf-8")]
    commands = {m.group(1) for t in texts for m in re.finditer(r"bin/scamwatch(?: --\S+ \S+)* (\w+)", t)}
    assert {"run", "daemon", "serve", "status"} <= commands
    for command in commands:
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0, f"scamwatch {command}: {result.output}"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verify_passes(tmp_path: Path) -> None:
    binary = Path(sys.executable).with_name("scamwatch")
    assert binary.exists()
    for name in UNITS:
        text = (DEPLOY / name).read_text("utf-8").replace(SHIPPED_BINARY, str(binary))
        (tmp_path / name).write_text(text, "utf-8")
    result = subprocess.run(["systemd-analyze", "verify", *UNITS], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    # verify only warns (exit 0) on unknown keys or values: any output is a finding.
    assert result.returncode == 0 and not result.stderr.strip() and not result.stdout.strip(), (
        result.stdout + result.stderr)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verify_catches_a_mistake(tmp_path: Path) -> None:
    """The verify test above can fail: a misspelt service type is reported."""
    text = (DEPLOY / "scamwatch.service").read_text("utf-8").replace("Type=notify", "Type=notifyy")
    text = text.replace(SHIPPED_BINARY, str(Path(sys.executable).with_name("scamwatch")))
    (tmp_path / "scamwatch.service").write_text(text, "utf-8")
    result = subprocess.run(["systemd-analyze", "verify", "scamwatch.service"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert "notifyy" in result.stderr


def test_the_deployment_guide_covers_every_file() -> None:
    guide = (DEPLOY / "README.md").read_text("utf-8")
    for name in [*UNITS, "crontab.example", "scamwatch.env.example", "datasette/metadata.yml"]:
        assert name in guide, f"deploy/README.md does not mention {name}"
