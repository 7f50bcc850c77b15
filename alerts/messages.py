"""Template values for each kind of message: story alerts, digests, operator notices, tests.

A story alert leads with its kind and the facts (who, where, how many, status, when,
confidence), then every report with its outlet, language and link, an English line of the
facts for reports in other languages, the story page and the one-click feedback links.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from alerts.config import RouteConfig
from alerts.content import StoryView, alert_title, key_sentences, people, place, what_happened
from alerts.digest import Entry
from alerts.links import Links
from alerts.templates import Blocks, Line, Link, Message, Raw, TemplateSet
from alerts.wording import (
    Kind,
    ago,
    alert_kind,
    confidence,
    is_english,
    language,
    local_time,
    outlet,
    plural,
    shorten,
    status_words,
)
from crawler.base.clock import SYSTEM_CLOCK

REPORTS_SHOWN = 12
CHAT_REPORTS = 4
HEADLINE_MAX = 300


def badge(kind: Kind) -> Raw:
    """The kind as a coloured badge (HTML), bold (Markdown) or capitals (text)."""
    label = html.escape(kind.label)
    return Raw(
        html=(f'<span class="kind-badge" data-kind="{kind.key}" style="display:inline-block;padding:3px 10px;'
              f'border-radius:10px;background:{kind.colour};color:#ffffff;font-size:12px;font-weight:bold;'
              f'letter-spacing:0.5px;text-transform:uppercase">{label}</span>'),
        markdown=f"*{kind.label}*", text=kind.label.upper())


def _when(published: str | None, zone: ZoneInfo, now: datetime) -> str:
    since = ago(published, now)
    return local_time(published, zone) + (f" ({since})" if since else "")


def _reports(story: StoryView, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Each report once (by URL), earliest first, with its outlet and language named."""
    seen: set[str] = set()
    out = []
    for item in story.reports:
        key = item.get("url") or f"item:{item.get('id')}"
        if key in seen:
            continue
        seen.add(key)
        out.append({**item, "outlet": outlet(item.get("url"), item.get("source")),
                    "language": language(item.get("lang")),
                    "time": local_time(item.get("published") or item.get("fetched_at"), zone),
                    "headline": shorten(item.get("title") or story.headline, HEADLINE_MAX)})
    return out


def _english_facts(reports: list[dict[str, Any]]) -> list[str]:
    """For reports in other languages, what was extracted from them, in English."""
    lines = []
    for r in reports:
        if is_english(r.get("lang")):
            continue
        facts = what_happened(list(r.get("nationalities") or []), r.get("count"), r.get("status"),
                              list(r.get("locations") or []))
        if facts:
            lines.append(f"{r['outlet']} ({r['language']}), in English: {facts}.")
    return lines


def _new_fact_report(story: StoryView, reports: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest report carrying the story's current count or status: what an update links to."""
    carrying = [r for r in reports if (story.count is not None and r.get("count") == story.count)
                or (story.status and r.get("status") == story.status)]
    pool = carrying or reports
    return max(pool, key=lambda r: r.get("published") or r.get("fetched_at") or "") if pool else None


def _history(story: StoryView) -> str:
    """'27 (5 Dec) → 41 (7 Dec)': the counts of the story's incidents over time."""
    points: dict[str, int] = {}
    for incident in story.incidents:
        for date, value in incident.get("count_trend") or []:
            points.setdefault(str(date)[:10], value)
    if len(points) < 2:
        return ""
    return " → ".join(f"{v} ({d})" for d, v in sorted(points.items()))


def story_values(story: StoryView, outbox_kind: str, changes: tuple[str, ...] = (), links: Links | None = None,
                 route: str = "default", zone: ZoneInfo | None = None,
                 now: datetime | None = None) -> dict[str, Any]:
    """Everything a story template may use ($title, $badge, $who, $reports, $feedback, …)."""
    zone = zone or ZoneInfo("UTC")
    now = now or SYSTEM_CLOCK.now()
    links = links or Links(None, "scamwatch")
    kind = alert_kind(outbox_kind, story.new_incident, story.follows_incident)
    reports = _reports(story, zone)
    first = reports[0] if reports else {}
    carrier = _new_fact_report(story, reports) if kind.key == "update" else None
    lead = carrier or first
    headline = shorten(lead.get("headline") or story.headline, HEADLINE_MAX)
    page = links.story(story.id)
    feedback = links.feedback(story.id, route)
    shown = reports[:REPORTS_SHOWN]
    report_lines = [Line((Link(r["outlet"], r.get("url")), f" ({r['language']}, {r['time']}): {r['headline']}"))
                    for r in shown]
    if len(reports) > len(shown):
        report_lines.append(Line((f"and {len(reports) - len(shown)} more on ", Link("the story page", page))))
    outlets = sorted({r["outlet"] for r in reports}) or story.sources
    url_list = ([Link(f"Story page: {page}", page)] if page else []) + [
        Link(f"{r['outlet']}: {r['url']}", r.get("url")) for r in shown if r.get("url")] + [
        Link(f"{label}: {url}", url) for label, url in feedback]
    return {
        "title": alert_title(story, kind, changes),
        "kind": kind.label,
        "kind_key": kind.key,
        "badge": badge(kind),
        "what": what_happened(story.nationalities, story.count, story.status, story.locations)
        or shorten(story.headline, 120),
        "who": people(story.nationalities, story.count) or "not stated",
        "where": place(story.locations) or "not stated",
        "how_many": story.count if story.count is not None else "not stated",
        "status": status_words(story.status),
        "when": _when((carrier.get("published") or carrier.get("fetched_at")) if carrier
                      else story.first_published or story.first_seen, zone, now),
        "confidence": confidence(story.best_score, outbox_kind == "review"),
        "changes": "; ".join(changes),
        "update_note": _update_note(changes, carrier),
        "history": ("Count over time: " + _history(story)) if _history(story) else "",
        "headline": headline,
        "headline_link": Link(headline, lead.get("url")),
        "lead_outlet": lead.get("outlet", ""),
        "lead_language": lead.get("language", ""),
        "url": lead.get("url") or "",
        "article_link": Link(lead.get("outlet") or "(no link)", lead.get("url")),
        "reports": report_lines or ["(no report stored)"],
        "report_count": len(reports),
        "outlets": f"{len(outlets)} outlet" + ("s" if len(outlets) != 1 else ""),
        "sources": ", ".join(outlets) or "unknown",
        "english_facts": _english_facts(shown) or "",
        "reports_short": (report_lines[:CHAT_REPORTS] + (
            [Line((f"+{len(reports) - CHAT_REPORTS} more: ", Link("story page", page)))] if page else [
                f"+{len(reports) - CHAT_REPORTS} more"]) if len(reports) > CHAT_REPORTS else report_lines) or "",
        "story_page": f"Story page: {page}" if page else "",
        "sentences": key_sentences(story),
        "story_link": Link("Open the story page", page) if page else "",
        "story_url": page or "",
        "feedback": Line(tuple(_joined([Link(label, url) for label, url in feedback], " · "))) if feedback else "",
        "feedback_prompt": "Is this right? One click tells scamwatch:" if feedback else "",
        "urls": url_list,
        "route": route,
        "story_id": story.id,
        # kept for templates written against earlier versions
        "published": local_time(story.first_published or story.first_seen, zone),
        "locations": place(story.locations) or "not stated",
        "nationalities": ", ".join(story.nationalities) or "not stated",
        "count": story.count if story.count is not None else "not stated",
        "item_count": story.item_count,
        "source_count": len(outlets),
        "new_incident": "new incident" if kind.key == "new_incident" else "",
    }


def _update_note(changes: tuple[str, ...], carrier: dict[str, Any] | None) -> Line | str:
    """'What changed: 27 → 41 people, reported by <outlet link>' ('' when nothing changed)."""
    if not changes:
        return ""
    what = "What changed: " + "; ".join(changes)
    return Line((what + ", reported by ", Link(carrier["outlet"], carrier.get("url")))) if carrier else what


def _joined(parts: list[Link], separator: str) -> list[str | Link]:
    out: list[str | Link] = []
    for part in parts:
        if out:
            out.append(separator)
        out.append(part)
    return out


def digest_entry(story: StoryView, outbox_kind: str, changes: tuple[str, ...] = (),
                 links: Links | None = None, grown: int = 0) -> Entry:
    """How a story waits in a digest: its kind, title and what its one line needs."""
    kind = alert_kind(outbox_kind, story.new_incident, story.follows_incident)
    title = alert_title(story, kind, changes).split(": ", 1)[-1]
    reports = _reports(story, ZoneInfo("UTC"))
    page = links.story(story.id) if links else None
    return Entry(story.id, "grown" if grown else outbox_kind, title, {
        "kind": "grown" if grown else kind.key, "page": page,
        "url": page or (reports[0].get("url") if reports else None),
        "headline": shorten(story.headline, 160),
        "outlets": len({r["outlet"] for r in reports}) or story.source_count,
        "published": story.first_published or story.first_seen, "grown": grown,
        "confidence": confidence(story.best_score, outbox_kind == "review")})


# (kind, heading, one, many): the digest's sections in order, and how its title counts them.
SECTIONS = (("new_incident", "New incidents", "new incident", "new incidents"),
            ("follow_up", "Follow-ups", "follow-up", "follow-ups"), ("update", "Updates", "update", "updates"),
            ("report", "Other reports", "other report", "other reports"),
            ("grown", "More reports on earlier alerts", "story with more reports", "stories with more reports"),
            ("review", "Needs review", "story to review", "stories to review"))


def _digest_line(entry: Entry, zone: ZoneInfo) -> Line:
    data = entry.data
    extra = [plural(int(data.get("outlets") or 1), "outlet"), local_time(data.get("published"), zone)]
    if data.get("grown"):
        extra.insert(0, "+" + plural(int(data["grown"]), "report"))
    headline = f" — “{data['headline']}”" if data.get("headline") and data["headline"] != entry.title else ""
    return Line((Link(entry.title, data.get("page") or data.get("url")), headline + " · " + " · ".join(extra)))


def _section(entry: Entry) -> str:
    kind = entry.data.get("kind")
    if kind in {section[0] for section in SECTIONS}:
        return str(kind)
    return {"new": "report", "update": "update", "review": "review"}.get(entry.section, "report")


def render_digest(templates: TemplateSet, template: str, route: RouteConfig, entries: list[Entry],
                  health: tuple[int, int], now: datetime) -> Message:
    """The digest: stories grouped by alert kind, counts that match the lines, times in the route's zone."""
    zone = route.zone
    groups = {key: [_digest_line(e, zone) for e in entries if _section(e) == key] for key, *_ in SECTIONS}
    counted = [plural(len(groups[key]), one, many) for key, _, one, many in SECTIONS if groups[key]]
    sections: list[Any] = []
    for key, heading, *_ in SECTIONS:
        if groups[key]:
            n = len(groups[key])
            sections.append(Raw(html=f'<h3 style="margin:18px 0 6px 0;font-size:15px">{heading} ({n})</h3>',
                                markdown=f"\n**{heading}** ({n})", text=f"\n{heading} ({n}):"))
            sections.append(groups[key])
    healthy, polled = health
    local = now.astimezone(zone)
    stamp = f"{local:%a} {local.day} {local:%b %H:%M} {zone.key}"
    return templates.render(template, "digest", {
        "title": f"scamwatch digest, {stamp}: " + (", ".join(counted) if counted else "nothing to report"),
        "route": route.name,
        "summary": ", ".join(counted) if counted else "Nothing to report since the last digest.",
        "sections": Blocks(tuple(sections)),
        "health": (f"{healthy} of {plural(polled, 'polled source')} healthy" if polled
                   else "no source polled (import-only setup)"),
        "date": f"{local:%Y-%m-%d}",
        "new_count": len(groups["new_incident"]),
        "review_count": len(groups["review"]),
    })


def operator_values(title: str, detail: str, since: str, kind: str, repeat: str) -> dict[str, Any]:
    return {"title": title, "detail": detail, "since": since, "kind": kind, "repeat": repeat}
