"""Datasette plugin loaded by ``scamwatch serve``: a reading page per story and per incident, and the
one endpoint that writes — one-click feedback from a signed link.

Routes (``<db>`` is the served database's name as Datasette writes it in URLs):

- ``/<db>/-/story/<id>``: the facts, their history, every report, related stories, feedback buttons;
- ``/<db>/-/incident/<id>``: an incident, its counts and statuses over time, its stories;
- ``/<db>/-/feedback?t=<token>``: GET shows what the link would record and asks to confirm;
  POST (with Datasette's CSRF token) records it once. A forged or altered token is refused (403).

Templates ``scamwatch_*.html`` are in ``deploy/datasette/templates`` (Jinja, autoescaped, extending
Datasette's ``base.html``). Reads go through ``classifier.stories.queries``/``classifier.queries``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils
from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import Request, Response

from alerts.content import people, place, what_happened
from alerts.links import database_path
from alerts.wording import ago, confidence, is_english, language, local_time, outlet, safe_url, status_words
from classifier import queries as classify_queries
from classifier.stories import queries
from crawler.base.signing import VERDICTS, Feedback, secret_from_env, sign, verify

UTC_ZONE = ZoneInfo("UTC")


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/(?P<database>[^/]+)/-/story/(?P<id>\d{1,12})$", story_page),
        (r"^/(?P<database>[^/]+)/-/incident/(?P<id>\d{1,12})$", incident_page),
        (r"^/(?P<database>[^/]+)/-/feedback$", feedback_page),
    ]


# Datasette 0.x reports these mistakes in a visitor's own URL as server errors (500).
_VISITOR_MISTAKES = ("Cannot sort table by", "Cannot use _sort and _sort_desc")


@hookimpl
def handle_exception(datasette: Any, request: Request, exception: Exception) -> Awaitable[Response] | None:
    """A table sorted by a column it does not have is the visitor's mistake: a 400 page naming it, not a
    500 (Datasette's own handler still runs after this one and logs the exception)."""
    message = str(exception)
    if not message.startswith(_VISITOR_MISTAKES):
        return None

    async def bad_request() -> Response:
        if request.path.endswith(".json"):
            return Response.json({"ok": False, "error": message, "status": 400}, status=400)
        page = await datasette.render_template(["400.html", "error.html"], {
            "ok": False, "error": message, "status": 400, "title": "Bad request"}, request=request)
        return Response.html(page, status=400)

    return bad_request()


def _database(datasette: Any, request: Request) -> tuple[Any, str] | None:
    name = tilde_decode(request.url_vars["database"])
    try:
        return datasette.get_database(name), name
    except KeyError:
        return None


Page = Callable[[Any, Request, Any, str], Awaitable[Response]]


def _on_database(page: Page) -> Callable[[Any, Request], Awaitable[Response]]:
    """A route for ``page``, which is handed the served database and its name (404 for an unknown one)."""

    async def route(datasette: Any, request: Request) -> Response:  # Datasette passes arguments by name
        found = _database(datasette, request)
        if found is None:
            return await _not_found(datasette, request, "database")
        return await page(datasette, request, *found)

    return route


async def _read(database: Any, fn: Any) -> Any:
    return await database.execute_fn(lambda conn: fn(sqlite_utils.Database(conn)))


async def _render(datasette: Any, request: Request, template: str, context: dict[str, Any],
                  status: int = 200) -> Response:
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


async def _not_found(datasette: Any, request: Request, what: str) -> Response:
    return await _render(datasette, request, "scamwatch_message.html",
                         {"heading": "Not found", "message": f"There is no {what} here."}, status=404)


def _report(item: dict[str, Any], now: datetime) -> dict[str, Any]:
    when = item.get("published") or item.get("fetched_at")
    facts = what_happened(list(item.get("nationalities") or []), item.get("count"), item.get("status"),
                          list(item.get("locations") or []))
    return {"headline": item.get("title") or "(no headline)", "url": safe_url(item.get("url")),
            "outlet": outlet(item.get("url"), item.get("source")), "language": language(item.get("lang")),
            "when": local_time(when, UTC_ZONE), "ago": ago(when, now),
            "english": facts if facts and not is_english(item.get("lang")) else "",
            "status": status_words(item.get("status")) if item.get("status") else ""}


def _trend(incident: dict[str, Any]) -> list[dict[str, Any]]:
    """Counts and statuses over time, merged by date."""
    rows: dict[str, dict[str, Any]] = {}
    for date, count in incident.get("count_trend") or []:
        rows.setdefault(str(date)[:10], {})["count"] = count
    for date, status in incident.get("status_trend") or []:
        rows.setdefault(str(date)[:10], {})["status"] = status_words(status)
    return [{"date": d, **v} for d, v in sorted(rows.items())]


def _feedback_links(db_url: str, story_id: int) -> list[dict[str, str]]:
    secret = secret_from_env()
    if secret is None:
        return []
    return [{"label": label, "url": f"{db_url}/-/feedback?t={sign(secret, Feedback(story_id, verdict, 'page'))}"}
            for verdict, label in VERDICTS.items()]


@_on_database
async def story_page(datasette: Any, request: Request, database: Any, name: str) -> Response:
    story_id = int(request.url_vars["id"])

    def read(db: sqlite_utils.Database) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        return queries.story_detail(db, story_id), classify_queries.story_feedback(db, story_id)

    story, feedback = await _read(database, read)
    if story is None:
        return await _not_found(datasette, request, f"story {story_id}")
    now = datetime.now(UTC)
    db_url = "/" + database_path(name)
    first = story.get("first_published") or story.get("first_seen")
    context = {
        "story": story, "db_url": db_url,
        "what": what_happened(story.get("nationalities") or [], story.get("count"), story.get("status"),
                              story.get("locations") or []) or story.get("headline"),
        "facts": [("Who", people(story.get("nationalities") or [], story.get("count")) or "not stated"),
                  ("Where", place(story.get("locations") or []) or "not stated"),
                  ("How many", story.get("count") if story.get("count") is not None else "not stated"),
                  ("Status", status_words(story.get("status"))),
                  ("First published", f"{local_time(first, UTC_ZONE)} ({ago(first, now) or 'time unknown'})"),
                  ("Confidence", confidence(float(story.get("best_score") or 0.0))),
                  ("Relevant", "yes" if story.get("relevant") else "no")],
        "reports": [_report(item, now) for item in story["items"]],
        "incidents": [{**i, "where": i["location"], "who": people([i["nationality"]], None),
                       "trend": _trend(i), "new": bool(i.get("is_new"))} for i in story["incidents"]],
        "related": story["related"],
        "feedback_links": _feedback_links(db_url, story_id),
        "feedback": [{**f, "label": VERDICTS.get(f["verdict"], f["verdict"])} for f in feedback],
        "dismissed": bool(feedback) and feedback[-1]["verdict"] == "irrelevant",
    }
    return await _render(datasette, request, "scamwatch_story.html", context)


@_on_database
async def incident_page(datasette: Any, request: Request, database: Any, name: str) -> Response:
    incident_id = int(request.url_vars["id"])
    incident = await _read(database, lambda db: queries.incident_detail(db, incident_id))
    if incident is None:
        return await _not_found(datasette, request, f"incident {incident_id}")
    context = {"incident": incident, "db_url": "/" + database_path(name), "trend": _trend(incident),
               "who": people([incident["nationality"]], None), "where": incident["location"]}
    return await _render(datasette, request, "scamwatch_incident.html", context)


@_on_database
async def feedback_page(datasette: Any, request: Request, database: Any, name: str) -> Response:
    token = request.args.get("t") or ""
    if request.method == "POST":
        token = (await request.post_vars()).get("t") or ""
    feedback = verify(secret_from_env(), token)
    if feedback is None:
        return await _render(datasette, request, "scamwatch_message.html", {
            "heading": "This feedback link is not valid",
            "message": "It was altered, is incomplete, or was not issued by this scamwatch. Nothing was recorded."},
            status=403)
    story = await _read(database, lambda db: queries.story_detail(db, feedback.story_id))
    if story is None:
        return await _not_found(datasette, request, f"story {feedback.story_id}")
    db_url = "/" + database_path(name)
    context = {"story": story, "db_url": db_url, "token": token, "verdict": VERDICTS[feedback.verdict],
               "route": feedback.route}
    if request.method != "POST":
        return await _render(datasette, request, "scamwatch_feedback.html", context)

    def record(conn: sqlite3.Connection) -> bool:
        return classify_queries.record_feedback(
            sqlite_utils.Database(conn), story_id=feedback.story_id, item_id=story.get("headline_item_id"),
            verdict=feedback.verdict, route=feedback.route, received_at=datetime.now(UTC).isoformat(timespec="seconds"),
            via="page" if feedback.route == "page" else "link", token=token)

    recorded = await database.execute_write_fn(record, block=True)
    return await _render(datasette, request, "scamwatch_feedback.html", {**context, "done": True, "recorded": recorded})
