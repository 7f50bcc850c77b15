"""``scamwatch serve``: Datasette on the live database, read-only.

Runs plain ``datasette serve FILE`` (never ``-i``: an immutable open would not see the
rows the daemon keeps adding; Datasette opens a mutable file with ``mode=ro``), with
``default_allow_sql off`` so visitors get the canned queries, facets, full-text search
and the map, but no arbitrary SQL. The shipped metadata names the database
"scamwatch"; it is renamed here to match the file actually served.

The plugin modules :mod:`crawler.app.pages` (story and incident pages, the feedback endpoint;
templates in ``deploy/datasette/templates``) and :mod:`crawler.app.browse` (id links, the
stories table's defaults, formula-free CSV) are loaded through a two-line module in a
temporary ``--plugins-dir``.
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml

from crawler.app.config import Config

log = logging.getLogger(__name__)

METADATA = Path(str(resources.files("scamwatch_deploy").joinpath("datasette", "metadata.yml")))
TEMPLATES = Path(str(resources.files("scamwatch_deploy").joinpath("datasette", "templates")))
SHIPPED_NAME = "scamwatch"
PLUGIN_SHIM = ("from crawler.app.pages import handle_exception, register_routes  # noqa: F401  (scamwatch's pages)\n"
               "from crawler.app.browse import asgi_wrapper, render_cell  # noqa: F401\n")


def load_metadata(path: Path, database_name: str) -> dict[str, Any]:
    """The metadata file, with its database section keyed by ``database_name``."""
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    databases = data.get("databases") or {}
    if SHIPPED_NAME in databases and database_name != SHIPPED_NAME:
        databases[database_name] = databases.pop(SHIPPED_NAME)
    return data


def datasette_command(db_path: Path, metadata_file: Path, host: str, port: int,
                      plugins_dir: Path | None = None) -> list[str]:
    """The ``datasette serve`` command line: mutable (live) database, no arbitrary SQL, scamwatch's pages."""
    extra = ["--plugins-dir", str(plugins_dir), "--template-dir", str(TEMPLATES)] if plugins_dir else []
    return [sys.executable, "-m", "datasette", "serve", str(db_path),
            "--metadata", str(metadata_file), *extra,
            "--host", host, "--port", str(port),
            "--setting", "default_allow_sql", "off",
            "--setting", "sql_time_limit_ms", "3000",
            "--setting", "allow_download", "off"]


def serve_datasette(config: Config, db: sqlite_utils.Database, *, host: str = "127.0.0.1", port: int = 8001,
                    metadata: str | None = None) -> int:
    """Run Datasette until it exits or this process is told to stop; returns its exit code.

    ``db`` is the already migrated database: opening it first means the search indexes,
    hotspots and views exist before Datasette looks at the file.
    """
    db_path = config.db_path
    source = Path(metadata) if metadata else METADATA
    if not source.exists():
        raise FileNotFoundError(f"Datasette metadata not found: {source} (pass --metadata)")
    db.close()
    with tempfile.TemporaryDirectory(prefix="scamwatch-serve-") as tmp:
        meta_file = Path(tmp) / "metadata.json"
        meta = load_metadata(source, db_path.stem)
        meta_file.write_text(json.dumps(meta), "utf-8")
        plugins = Path(tmp) / "plugins"
        plugins.mkdir()
        (plugins / "scamwatch_pages.py").write_text(PLUGIN_SHIM, "utf-8")
        command = datasette_command(db_path, meta_file, host, port, plugins)
        log.info("Datasette on http://%s:%d/%s (read-only)", host, port, db_path.stem)
        child = subprocess.Popen(command)
        return _supervise(child)


def _supervise(child: subprocess.Popen[bytes]) -> int:
    """Forward SIGTERM/SIGINT/SIGHUP to Datasette and wait for it."""

    def forward(signum: int, frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:  # pragma: no cover - SIGINT is handled by forward()
                continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
