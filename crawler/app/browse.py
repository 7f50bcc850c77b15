"""Datasette hooks loaded by ``scamwatch serve`` beside :mod:`crawler.app.pages`: how browsing looks and what
leaves the server.

- ``render_cell``: story and incident ids, and story headlines, in tables and canned queries link to
  their reading pages.
- ``asgi_wrapper``: the stories table opens on relevant stories, facts first; every CSV export has its
  formula-like cells (``=``, ``+``, ``-``, ``@``, tab, CR) prefixed with ``'`` so no spreadsheet runs them.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from markupsafe import Markup

# Columns holding a story or incident id, and the tables whose ``id`` column is one.
STORY_COLUMNS = {"story_id", "first_story_id", "latest_story_id", "related_id"}
INCIDENT_COLUMNS = {"incident_id"}
ID_OF = {"stories": "story", "story_overview": "story", "incidents": "incident"}
# A bare stories page opens on the relevant stories, facts and kind first (the story_overview view).
STORIES_DEFAULT = [("relevant", "1"), ("_sort_desc", "first_seen")]
_STORIES_TABLE = re.compile(r"^/[^/]+/stories$")
_FORMULA = tuple("=+-@\t\r")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _id_kind(row: Any, table: str | None) -> str | None:
    """What an ``id`` column names: by table, or in a canned query by the columns beside it."""
    if table:
        return ID_OF.get(table)
    keys = set(row.keys()) if hasattr(row, "keys") else set()
    if "headline" in keys:
        return "story"
    return "incident" if {"nationality", "location"} <= keys else None


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    if column == "headline" and isinstance(value, str) and _id_kind(row, table) == "story" and "id" in row.keys():
        return Markup('<a href="{}/-/story/{}">{}</a>').format(datasette.urls.database(database), int(row["id"]), value)
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    kind = ("story" if column in STORY_COLUMNS else "incident" if column in INCIDENT_COLUMNS
            else _id_kind(row, table) if column == "id" else None)
    if kind is None:
        return None
    return Markup(f'<a href="{datasette.urls.database(database)}/-/{kind}/{value}">{value}</a>')


def defuse_csv(body: bytes) -> bytes:
    """The CSV with every cell a spreadsheet would evaluate made literal (numbers stay numbers)."""
    text = body.decode("utf-8", "replace")
    out = io.StringIO()
    writer = csv.writer(out)
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow(["'" + cell if cell.startswith(_FORMULA) and not _NUMBER.match(cell) else cell
                         for cell in row])
    return out.getvalue().encode("utf-8")


def _is_csv(scope: dict[str, Any]) -> bool:
    return str(scope.get("path", "")).endswith(".csv") or b"_format=csv" in scope.get("query_string", b"")


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            path = str(scope.get("path", ""))
            if _STORIES_TABLE.match(path) and not scope.get("query_string") and scope.get("method") == "GET":
                await send({"type": "http.response.start", "status": 302,
                            "headers": [(b"location", f"{path.removesuffix('/stories')}/story_overview?"
                                                      f"{urlencode(STORIES_DEFAULT)}".encode())]})
                await send({"type": "http.response.body", "body": b""})
                return
            if not _is_csv(scope):
                await app(scope, receive, send)
                return
            start: dict[str, Any] = {}
            chunks: list[bytes] = []

            async def capture(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    start.update(message)
                    return
                if message["type"] != "http.response.body":
                    await send(message)
                    return
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = defuse_csv(b"".join(chunks))
                headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})

            await app(scope, receive, capture)

        return wrapped

    return wrap
