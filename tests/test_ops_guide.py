"""The deploy guide, followed in a temporary root: one config and one database for every command and unit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

DEPLOY = REPO / "deploy"
GUIDE = DEPLOY / "README.md"
RUNNABLE = ("mkdir ", "install ", "scamwatch-ctl ", "SCAMWATCH_NO_SYSTEMD_RUN=1 scamwatch-ctl ")


def install_steps() -> list[str]:
    """The shell lines of the guide's install block (continuations joined, comments dropped)."""
    text = GUIDE.read_text("utf-8")
    block = text[text.index("## Install (systemd)"):].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.replace("\\\n", " ").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.strip() and not line.startswith("#")]


def in_root(line: str, root: Path) -> str:
    for path in ("/etc/", "/var/lib/", "/usr/local/"):
        line = line.replace(f" {path}", f" {root}{path}")
    return line


def test_the_guide_gives_one_config_and_one_database(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "usr/local/bin").mkdir(parents=True)
    env = {**os.environ, "PATH": f"{root}/usr/local/bin:{os.environ['PATH']}",
           "SCAMWATCH_ENV": f"{root}/etc/scamwatch/scamwatch.env",
           "SCAMWATCH_BIN": str(Path(sys.executable).with_name("scamwatch")),
           "SCAMWATCH_NO_SYSTEMD_RUN": "1"}  # no systemd here: run as ourselves
    for var in ("SCAMWATCH_CONFIG", "SCAMWATCH_DB"):
        env.pop(var, None)
    ran: list[str] = []
    for step in install_steps():
        if not step.startswith(RUNNABLE):
            continue  # git, pip, systemctl: the machine's business
        result = subprocess.run(["sh", "-c", in_root(step, root)], cwd=REPO, env=env, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, (step, result.stdout + result.stderr)
        words = step.split()
        ran.append(words[words.index("scamwatch-ctl") + 1] if words[-1] != "scamwatch-ctl" and
                   "scamwatch-ctl" in words else words[0])
        if step.startswith("install ") and step.endswith("scamwatch.env"):  # the guide's paths, in our root
            envfile = root / "etc/scamwatch/scamwatch.env"
            envfile.write_text(in_root(envfile.read_text("utf-8").replace("=/", "= /"), root).replace("= ", "="),
                               "utf-8")
        if "status" in step:
            status = result.stdout
    assert {"mkdir", "install", "init", "config", "status"} <= set(ran), ran
    assert f"database: {root}/var/lib/scamwatch/scamwatch.db" in status
    assert "not polled yet" in status  # the configured sources, before the first run
    assert (root / "etc/scamwatch/scamwatch.toml").is_file()
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.db")) == ["var/lib/scamwatch/scamwatch.db"]


def test_units_take_config_and_database_from_the_environment_file_only() -> None:
    for unit in DEPLOY.glob("*.service"):
        text = unit.read_text("utf-8")
        assert "EnvironmentFile=/etc/scamwatch/scamwatch.env" in text, unit.name
        assert not re.search(r"bin/scamwatch .*--(config|db)\b", text), unit.name
    example = (DEPLOY / "scamwatch.env.example").read_text("utf-8")
    assert "SCAMWATCH_CONFIG=/etc/scamwatch/scamwatch.toml" in example
    assert "SCAMWATCH_DB=/var/lib/scamwatch/scamwatch.db" in example


def test_secret_names_match_the_readme() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    block = readme[readme.index("### Alerts"):]
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)\}", block.split("```toml", 1)[1].split("```", 1)[0]))
    example = (DEPLOY / "scamwatch.env.example").read_text("utf-8")
    # the settings every unit reads, and the feedback signing key (not a channel secret)
    defined = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", example, re.M)) - {"SCAMWATCH_CONFIG", "SCAMWATCH_DB",
                                                                          "SCAMWATCH_FEEDBACK_SECRET"}
    assert used and used == defined


def test_the_readme_alerts_example_passes_config_check_with_the_example_secrets(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    block = readme[readme.index("### Alerts"):].split("```toml\n", 1)[1].split("```", 1)[0]
    config = tmp_path / "sw.toml"
    config.write_text("[crawler]\ninclude_default_sources = false\n" + block, "utf-8")
    example = (DEPLOY / "scamwatch.env.example").read_text("utf-8")
    secrets = {k: v for k, v in re.findall(r"^([A-Z_][A-Z0-9_]*)=(\S+)$", example, re.M)
               if not k.startswith("SCAMWATCH_")}
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCAMWATCH_")} | secrets
    result = subprocess.run([str(Path(sys.executable).with_name("scamwatch")), "--config", str(config),
                             "--db", str(tmp_path / "sw.db"), "config", "check"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.rstrip().endswith("ok"), result.stdout + result.stderr
    missing = {k: v for k, v in env.items() if k != "SLACK_TOKENS"}
    result = subprocess.run([str(Path(sys.executable).with_name("scamwatch")), "--config", str(config),
                             "--db", str(tmp_path / "sw.db"), "config", "check"],
                            env=missing, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "SLACK_TOKENS not set" in result.stderr
    assert secrets["SMTP_PASSWORD"] not in result.stdout + result.stderr
