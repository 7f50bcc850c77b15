"""``scamwatch demo``: the whole pipeline, offline, on sample feeds served from 127.0.0.1.

Serves ``config/demo/site`` (three invented outlets, four relevant reports among
ordinary news, one syndicated copy), runs one full cycle into a fresh database with
alerts posted by Apprise (``json://``) to a local sink that prints them, then shows
what was found and how to browse it.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import click

from crawler.app.context import App
from crawler.app.cycle import run_cycle

SITE_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".html": "text/html; charset=utf-8",
              ".txt": "text/plain; charset=utf-8"}
DEMO_SOURCES = [("demo-coastal-herald", "/feeds/coastal-herald.xml", "AU"),
                ("demo-regional-wire", "/feeds/regional-wire.xml", "TH"),
                ("demo-rights-monitor", "/feeds/rights-monitor.xml", None)]


def site_root() -> Path:
    return Path(str(resources.files("scamwatch_config").joinpath("demo", "site")))


def render(text: str, base: str, now: datetime) -> str:
    """Fill ``{base}``, ``{pubdate:N}`` and ``{isodate:N}`` (N hours ago) in a demo file."""
    text = text.replace("{base}", base)
    for hours in range(0, 73):
        when = now - timedelta(hours=hours)
        text = text.replace(f"{{pubdate:{hours}}}", format_datetime(when))
        text = text.replace(f"{{isodate:{hours}}}", when.isoformat(timespec="seconds"))
    return text


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1 running in a daemon thread."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def demo_site(root: Path) -> _Server:
    """Serve the demo outlets with addresses and dates filled in."""
    now = datetime.now(UTC).replace(microsecond=0)
    holder: dict[str, str] = {}

    class Site(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            path = (root / self.path.split("?")[0].lstrip("/")).resolve()
            if root.resolve() not in path.parents or not path.is_file():
                self.send_error(404)
                return
            body = render(path.read_text("utf-8"), holder["base"], now).encode()
            self.send_response(200)
            self.send_header("Content-Type", SITE_TYPES.get(path.suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = _Server(Site)
    holder["base"] = server.base
    return server


def alert_printer(received: list[dict[str, Any]]) -> _Server:
    """A webhook that prints each alert Apprise posts to it (``json://``)."""

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                message = json.loads(body)
            except ValueError:
                message = {"title": "", "message": body.decode(errors="replace")}
            received.append(message)
            click.echo(click.style(f"\n=== ALERT: {message.get('title', '')}", bold=True))
            click.echo(str(message.get("message", "")).strip())
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    return _Server(Hook)


def demo_config(folder: Path, site: str, hook: str) -> Path:
    """Write the demo's config file: only the sample sources, alerts to the local printer."""
    lines = ["# Written by `scamwatch demo`: sample sources on a loopback server that is gone now.",
             '[database]\npath = "demo.db"',
             "[crawler]\ninclude_default_sources = false\nallow_private_hosts = true\ndownload_delay = 0.0",
             f'[alerts]\nurls = ["{hook.replace("http://", "json://")}/alerts"]\nthrottle = false']
    for name, path, country in DEMO_SOURCES:
        lines.append(f'[[sources]]\nname = "{name}"\nurl = "{site}{path}"\nkind = "feed"\nlang = "en"'
                     + (f'\ncountry = "{country}"' if country else ""))
    target = folder / "demo.toml"
    target.write_text("\n\n".join(lines) + "\n", "utf-8")
    return target


def run_demo(keep: str | None = None, serve_port: int | None = None) -> int:
    """Run the demo; returns the exit code (0 when the cycle completed)."""
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="scamwatch-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    received: list[dict[str, Any]] = []
    for chatty in ("apprise", "alerts.dispatch"):  # the sink prints each alert itself
        logging.getLogger(chatty).setLevel(logging.WARNING)
    site, hook = demo_site(site_root()), alert_printer(received)
    try:
        config_path = demo_config(folder, site.base, hook.base)
        app = App(config_path=str(config_path))
        click.echo(f"demo: {len(DEMO_SOURCES)} sample outlets on {site.base}; database {app.config.db_path}")
        click.echo("demo: one full cycle (gather → classify → stories → alert); the first loads the model…")
        report = run_cycle(app.config, app.db, mode="demo", force=True, clock=app.clock)
        click.echo("\n" + report.summary())
        show_findings(app)
    finally:
        site.close()
        hook.close()
    click.echo(f"\n{len(received)} alert(s) printed above.")
    click.echo(f"browse it:  scamwatch --config {config_path} serve   (then open http://127.0.0.1:8001/demo)")
    if serve_port is not None:
        from crawler.app.serve import serve_datasette

        return serve_datasette(app.config, app.db, port=serve_port)
    app.close()
    return 1 if report.errors else 0


def show_findings(app: App) -> None:
    """Print the relevant stories the cycle found."""
    rows = list(app.db.query("SELECT id, headline, item_count, nationalities, locations, status, count "
                         "FROM stories WHERE relevant = 1 ORDER BY id"))
    click.echo(f"\n{len(rows)} relevant stor{'y' if len(rows) == 1 else 'ies'}:")
    for row in rows:
        who = ", ".join(json.loads(row["nationalities"] or "[]")) or "?"
        where = ", ".join(json.loads(row["locations"] or "[]")) or "?"
        copies = f", {row['item_count']} reports" if (row["item_count"] or 1) > 1 else ""
        click.echo(f"  #{row['id']} {row['headline']}\n      {who} in {where}; {row['status'] or 'status ?'}"
                   f"{', ' + str(row['count']) + ' people' if row['count'] else ''}{copies}")
