"""Shared fixtures: loopback-only network, the ../shared data, a real HTTP server, temp databases."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import netguard
from tests.alerts_fixtures import SmtpSink, WebhookSink
from tests.httpserver import TestServer

REPO = Path(__file__).resolve().parents[1]


def installed_tool(name: str) -> str:
    """Path of a command-line tool from the test extras: beside this interpreter, else on PATH."""
    tool = str(Path(sys.executable).with_name(name))
    if not os.path.exists(tool):
        tool = shutil.which(name) or tool
    if not os.path.exists(tool):
        pytest.fail(f"{name} is not installed (pip install -e '.[test]')")
    return tool
SHARED = Path(os.environ.get("SCAMWATCH_SHARED", REPO.parent / "shared")).resolve()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run tests marked slow (CI does)")


def pytest_configure(config: pytest.Config) -> None:
    netguard.install()
    # Subprocesses started by tests get the same guard through sitecustomize.
    site = str(REPO / "tests" / "netguard_site")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (site, os.environ.get("PYTHONPATH")) if p)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.pop("SCAMWATCH_CONFIG", None)
    os.environ.pop("SCAMWATCH_DB", None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder (corpus and labeled data); tests need it."""
    if not (SHARED / "corpus").is_dir():
        pytest.fail(f"../shared not found at {SHARED} (set SCAMWATCH_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def corpus(shared: Path) -> Path:
    return shared / "corpus"


@pytest.fixture
def http_server() -> Iterator[TestServer]:
    """A real HTTP server on 127.0.0.1 with routes set by the test."""
    with TestServer() as server:
        yield server


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "scamwatch.db"


@pytest.fixture
def hook() -> Iterator[WebhookSink]:
    """A real webhook sink on 127.0.0.1 for Apprise's json:// channels."""
    with WebhookSink() as sink:
        yield sink


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 for Apprise's mailto:// channels."""
    with SmtpSink() as sink:
        yield sink
