"""The systemd hand-over of the state folder: every unit, ``scamwatch-ctl``, the environment file and the
guide name one folder, systemd's ``StateDirectory=`` of the shared dynamic user, and it holds the database.

systemd itself is not running here: ``systemd-analyze verify`` (tests/test_ops_deploy.py) checks the unit
syntax; what systemd does at start (moving a folder the guide made as root to /var/lib/private and handing it
to the dynamic user) is systemd's documented behaviour, not tested here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import PurePosixPath

from tests.conftest import REPO

DEPLOY = REPO / "deploy"
ENV_FILE = "/etc/scamwatch/scamwatch.env"


def unit_settings(text: str) -> dict[str, list[str]]:
    """Each ``Key=value`` of a unit file's [Service] section (a key given twice keeps both values)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith(("#", ";")):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def ctl_settings(script: str) -> dict[str, list[str]]:
    """The ``-p Key=value`` properties ``scamwatch-ctl`` hands to systemd-run, and its default environment file."""
    words = shlex.split(script.replace("\\\n", " "), comments=True)
    settings: dict[str, list[str]] = {}
    for flag, value in zip(words, words[1:], strict=False):
        if flag == "-p" and "=" in value:
            key, val = value.split("=", 1)
            settings.setdefault(key, []).append(val)
    default = re.search(r"ENV_FILE=\$\{SCAMWATCH_ENV:-([^}]+)\}", script)
    settings["EnvironmentFile"] = [default.group(1)] if default else []
    return settings


def env_values(text: str) -> dict[str, str]:
    return dict(re.findall(r"^([A-Z_][A-Z0-9_]*)=(.*)$", text, re.M))


def disagreements(units: dict[str, str], ctl: str, env: str, guide: str) -> list[str]:
    """Every way the deployment files disagree on where the state lives; empty when they agree."""
    values = env_values(env)
    db, config = PurePosixPath(values.get("SCAMWATCH_DB", "")), PurePosixPath(values.get("SCAMWATCH_CONFIG", ""))
    problems = []
    if db.parent.parent != PurePosixPath("/var/lib"):
        problems.append(f"SCAMWATCH_DB={db} is not in a systemd state folder (/var/lib/NAME)")
    state = db.parent.name
    runners = {**{name: unit_settings(text) for name, text in units.items()}, "scamwatch-ctl": ctl_settings(ctl)}
    for name, settings in runners.items():
        expected = {"DynamicUser": "yes", "User": "scamwatch", "Group": "scamwatch", "StateDirectory": state,
                    "WorkingDirectory": str(db.parent), "EnvironmentFile": ENV_FILE}
        for key, value in expected.items():
            if settings.get(key) != [value]:
                problems.append(f"{name}: {key}={settings.get(key)}, expected {value}")
        if any(key.startswith(("ReadWritePaths", "ReadOnlyPaths")) for key in settings):
            problems.append(f"{name}: extra paths; the state folder is the one writable place")
    made = {word for line in re.findall(r"^mkdir -p (.+)$", guide, re.M) for word in line.split()}
    for folder in (db.parent, config.parent):
        if str(folder) not in made:
            problems.append(f"the guide does not create {folder}")
    if f"install -m 0600 deploy/scamwatch.env.example {ENV_FILE}" not in guide:
        problems.append(f"the guide does not install the environment file as {ENV_FILE}")
    for path in (f"SCAMWATCH_DB={db}", f"SCAMWATCH_CONFIG={config}", f"StateDirectory={state}"):
        if path not in guide:
            problems.append(f"the guide does not say {path}")
    return problems


def shipped() -> tuple[dict[str, str], str, str, str]:
    units = {p.name: p.read_text("utf-8") for p in sorted(DEPLOY.glob("*.service"))}
    return (units, (DEPLOY / "scamwatch-ctl").read_text("utf-8"),
            (DEPLOY / "scamwatch.env.example").read_text("utf-8"), (DEPLOY / "README.md").read_text("utf-8"))


def test_units_ctl_env_file_and_guide_agree_on_the_state_folder() -> None:
    units, ctl, env, guide = shipped()
    assert len(units) >= 4
    assert disagreements(units, ctl, env, guide) == []


def test_a_unit_or_a_database_elsewhere_is_caught() -> None:
    units, ctl, env, guide = shipped()
    moved = dict(units, **{"scamwatch.service": units["scamwatch.service"].replace(
        "StateDirectory=scamwatch", "StateDirectory=scamwatch2")})
    assert disagreements(moved, ctl, env, guide) == [
        "scamwatch.service: StateDirectory=['scamwatch2'], expected scamwatch"]
    elsewhere = env.replace("SCAMWATCH_DB=/var/lib/scamwatch/", "SCAMWATCH_DB=/srv/scamwatch/")
    assert any("not in a systemd state folder" in p for p in disagreements(units, ctl, elsewhere, guide))
    lax = ctl.replace("-p DynamicUser=yes ", "")
    assert disagreements(units, lax, env, guide) == ["scamwatch-ctl: DynamicUser=None, expected yes"]
