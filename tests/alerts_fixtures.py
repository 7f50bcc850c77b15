"""Loopback sinks for alert tests and the alerts benchmark, and a stand-in for the stories tables.

* :class:`WebhookSink` — a real HTTP server on 127.0.0.1 that records every POST (Apprise
  ``json://``/``form://``) and can be switched down (HTTP 503) and up again.
* :class:`SmtpSink` — a real SMTP server (aiosmtpd) on 127.0.0.1 that records every message.
* :func:`add_story` — a story written as the stories stage writes it (its real schema), so
  alert tests need not run gather, classify and stories first.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import sqlite_utils

from classifier.config import ClassifierConfig
from classifier.pipeline import band_of
from crawler.base.confschema import build


@dataclass
class Post:
    path: str
    body: dict[str, Any]


class WebhookSink:
    """Records JSON/form POSTs; ``down = True`` answers 503 (nothing recorded)."""

    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.down = False
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if sink.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw)
                else:  # form://
                    body = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
                with sink.lock:
                    sink.posts.append(Post(self.path, body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookSink:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "hook", scheme: str = "json") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/{path}"

    def at(self, path: str) -> list[Post]:
        with self.lock:
            return [p for p in self.posts if p.path.split("?")[0] == "/" + path]


@dataclass
class Mail:
    to: list[str]
    subject: str
    body: str
    content_type: str
    raw: str = field(repr=False, default="")


class SmtpSink:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.mails: list[Mail] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
                raw = envelope.content.decode("utf-8", "replace")
                msg = email.message_from_string(raw, policy=email.policy.default)
                part = msg.get_body(preferencelist=("html", "plain")) or msg
                sink.mails.append(Mail(list(envelope.rcpt_tos), str(msg["subject"]), part.get_content(),
                                       part.get_content_type(), raw))
                return "250 OK"

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._make = lambda: Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller: Any = None

    def start(self) -> None:
        """(Re)start listening on the same port."""
        self.controller = self._make()
        self.controller.start()

    def stop(self) -> None:
        """Stop listening: deliveries fail with a connection error until :meth:`start`."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, to: str, sender: str = "scamwatch@example.org") -> str:
        return f"mailto://127.0.0.1:{self.port}?from={sender}&to={to}"

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address in m.to]


_ids = iter(range(1, 10**9))


def add_story(db: sqlite_utils.Database, *, headline: str, score: float, seen: str,
              nationalities: list[str] | None = None, locations: list[str] | None = None,
              count: int | None = None, status: str | None = "held", sources: list[str] | None = None,
              text: str = "", new_incident: bool = False, story_id: int | None = None,
              langs: dict[str, str] | None = None) -> int:
    """Write a story as the stories stage does (one item per source, in English unless ``langs`` maps the
    source to another language), or update story ``story_id``.

    Items and the story get the band classify gives ``score`` with the default thresholds."""
    band = band_of(score, build(ClassifierConfig, {}))
    sources = sources or ["outlet-a"]
    sid = story_id or next(_ids)
    item_ids = []
    for source in sources:
        url = f"https://{source}.example.org/news/{sid}"
        db["items"].upsert({"canonical_url": url, "url": url, "source": source, "title": headline, "text": text,
                            "lang": (langs or {}).get(source, "en"),
                            "published": seen, "fetched_at": seen}, pk="canonical_url")
        item_id = db.execute("SELECT id FROM items WHERE canonical_url = ?", [url]).fetchone()[0]
        db["story_index"].upsert({"item_id": item_id, "story_id": sid, "ts": 0.0}, pk="item_id")
        db["classifications"].upsert({"item_id": item_id, "score": score, "band": band, "relevant": int(score >= 0.5),
                                      "nationalities": json.dumps(nationalities or []),
                                      "locations": json.dumps(locations or []), "count": count, "status": status},
                                     pk="item_id")
        item_ids.append(item_id)
    opened = [[n, (locations or [""])[0]] for n in (nationalities or [])] if new_incident else []
    row = {"id": sid, "headline": headline, "headline_item_id": item_ids[0], "first_published": seen,
           "first_seen": seen, "last_seen": seen, "created_at": seen, "updated_at": seen,
           "item_count": len(sources), "source_count": len(sources), "sources": json.dumps(sources),
           "relevant": int(score >= 0.5), "held": 1, "best_score": score, "band": band,
           "nationalities": json.dumps(nationalities or []), "locations": json.dumps(locations or []),
           "count": count, "status": status}
    if story_id and db["stories"].count_where("id = ?", [story_id]):
        for keep in ("first_seen", "first_published", "created_at"):
            row.pop(keep)
        db.table("stories").update(story_id, row)
    else:
        db.table("stories").insert(row)
    for nationality, location in opened:
        incident = db.table("incidents").insert({"nationality": nationality, "location": location,
                                                 "first_story_id": sid, "latest_story_id": sid,
                                                 "first_reported": seen, "last_reported": seen,
                                                 "story_count": 1}).last_pk
        db.table("story_incidents").insert({"story_id": sid, "incident_id": incident, "is_new": 1,
                                            "linked_at": seen}, replace=True)
    db.conn.commit()
    return sid


def alerts_setup(tmp_path: Any, alerts_toml: str, extra: str = "") -> tuple[Any, sqlite_utils.Database]:
    """A config (no shipped sources, Apprise pacing off) with ``[alerts]`` body ``alerts_toml``, and its db."""
    from crawler.app.config import load_config
    from crawler.app.database import open_db

    path = tmp_path / "scamwatch.toml"
    path.write_text(f"[crawler]\ninclude_default_sources = false\n{extra}\n[alerts]\nthrottle = false\n"
                    f"{alerts_toml}", "utf-8")
    config = load_config(path)
    return config, open_db(config.db_path)
