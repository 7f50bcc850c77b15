"""Render what an officer sees, with real headless Chromium: an alert email and the story page behind it.

Builds a small database (file name with a space, to prove links follow the real name), delivers a
new-incident alert through a real SMTP server (aiosmtpd) on 127.0.0.1, serves the database with
``scamwatch serve`` and screenshots the email's HTML part and the story page it links to.

    .venv/bin/python bench/screenshots.py [--out docs]

The slow test ``tests/test_screenshots.py`` runs the same steps and checks the DOM.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from alerts.stage import alert_due  # noqa: E402
from tests.alerts_fixtures import SmtpSink, add_story, alerts_setup  # noqa: E402

SCAMWATCH = str(Path(sys.executable).with_name("scamwatch"))
NOW = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)


@dataclass
class Site:
    config: Path
    public_url: str
    port: int
    story_id: int
    email_html: str
    email_text: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(folder: Path) -> Site:
    """A database with one new incident reported by three outlets in two languages, and its alert email."""
    os.environ.setdefault("SCAMWATCH_FEEDBACK_SECRET", secrets.token_urlsafe(24))
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    with SmtpSink() as smtp:
        config, db = alerts_setup(folder, f'urls = ["desk={smtp.url("desk@example.org")}"]\npublic_url = "{public}"\n'
                                          '[[alerts.routes]]\nname = "jakarta-desk"\ntag = "desk"\ntemplate = "email"\n'
                                          'timezone = "Asia/Jakarta"\n',
                                  extra='[database]\npath = "officer demo.db"\n')
        text = ("Twenty-seven Indonesian workers were found in a guarded building in Bavet after relatives raised"
                " the alarm. They said they had been promised office jobs and were made to run online scams.")
        sid = add_story(db, headline="27 Indonesians found in Bavet scam compound, embassy says", score=0.94,
                        seen="2026-12-05T06:10:00+00:00", nationalities=["Indonesia"],
                        locations=["Bavet", "Cambodia"], count=27, status="awaiting_repatriation",
                        sources=["mekong-wire", "jakarta-harian", "phnom-penh-daily"], text=text,
                        langs={"jakarta-harian": "id"}, new_incident=True)
        db["incidents"].upsert({"id": 1, "nationality": "Indonesia", "location": "Bavet", "first_story_id": sid,
                                "latest_story_id": sid, "first_reported": "2026-12-04",
                                "last_reported": "2026-12-05", "story_count": 1,
                                "count_trend": '[["2026-12-04", 19], ["2026-12-05", 27]]',
                                "status_trend": '[["2026-12-04", "held"], ["2026-12-05", "awaiting_repatriation"]]'},
                               pk="id")
        db["story_incidents"].upsert({"story_id": sid, "incident_id": 1, "is_new": 1}, pk=("story_id", "incident_id"))
        db.conn.commit()
        alert_due(config, db, NOW)
        [mail] = smtp.to("desk@example.org")
    message = email.message_from_string(mail.raw, policy=email.policy.default)
    html = message.get_body(preferencelist=("html",))
    plain = message.get_body(preferencelist=("plain",))
    db.close()
    return Site(folder / "scamwatch.toml", public, port, sid, html.get_content() if html else "",
                plain.get_content() if plain else "")


@contextmanager
def serving(config: Path, port: int) -> Iterator[str]:
    """``scamwatch serve`` with ``config`` on 127.0.0.1:``port``; yields its base URL once it answers."""
    public_url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([SCAMWATCH, "--config", str(config), "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(public_url + "/-/versions.json", timeout=5):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            proc.kill()
        if proc.poll() is not None:
            raise RuntimeError(f"scamwatch serve did not start: {proc.stdout.read() if proc.stdout else ''}")
        yield public_url
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    return found


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", "--virtual-time-budget=3000", *args]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def screenshot(url: str, png: Path, profile: Path, width: int = 760, height: int = 960) -> Path:
    _chromium([f"--screenshot={png}", f"--window-size={width},{height}", url], profile)
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot of {url}")
    return png


def dom(url: str, profile: Path) -> str:
    return _chromium(["--dump-dom", url], profile).stdout


def story_url(site: Site) -> str:
    found = re.search(r'href="([^"]+/-/story/\d+)"', site.email_html)
    if not found:
        raise RuntimeError("the email links to no story page")
    return found.group(1)


def render_all(out: Path) -> list[Path]:
    """Build, deliver, serve and screenshot; returns the PNGs written to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scamwatch-shots-") as tmp:
        folder = Path(tmp)
        site = build(folder)
        (folder / "email.html").write_text(site.email_html, "utf-8")
        shots = [screenshot((folder / "email.html").as_uri(), out / "alert-email.png", folder / "profile")]
        with serving(site.config, site.port):
            shots.append(screenshot(story_url(site), out / "story-page.png", folder / "profile", 1000, 980))
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    for png in render_all(args.out):
        print(f"wrote {png} ({png.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
