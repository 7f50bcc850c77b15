"""Template values for each kind of message: story alerts, digests, operator notices, tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alerts.content import StoryView, alert_title, key_sentences, people, place
from alerts.digest import Entry
from alerts.templates import Link, Message, TemplateSet


def story_values(story: StoryView, kind: str, changes: tuple[str, ...] = (),
                 public_url: str | None = None) -> dict[str, Any]:
    """Everything a story template may use ($title, $headline_link, $sentences, …)."""
    story_url = f"{public_url.rstrip('/')}/scamwatch/stories/{story.id}" if public_url else None
    outlets = f"{story.source_count} outlet" + ("s" if story.source_count != 1 else "")
    label = f"scamwatch label {story.item_id if story.item_id is not None else 'ITEM_ID'} irrelevant"
    return {
        "title": alert_title(story, kind),
        "kind": kind,
        "update_note": ("Update: " + "; ".join(changes) + ". ") if changes else "",
        "headline": story.headline,
        "headline_link": Link(story.headline, story.url),
        "url": story.url or "",
        "article_link": Link(story.url or "(no link)", story.url),
        "sources": ", ".join(story.sources) or "unknown",
        "source_count": story.source_count,
        "outlets": outlets,
        "item_count": story.item_count,
        "published": (story.first_published or story.first_seen or "unknown")[:10],
        "status": story.status or "unknown",
        "score": f"{story.best_score:.2f}",
        "who": people(story.nationalities, story.count) or "not stated",
        "nationalities": ", ".join(story.nationalities) or "not stated",
        "locations": place(story.locations) or "not stated",
        "count": story.count if story.count is not None else "unknown",
        "sentences": key_sentences(story),
        "story_id": story.id,
        "story_link": Link(f"story {story.id}", story_url),
        "item_id": story.item_id if story.item_id is not None else "",
        "label_command": label,
        "new_incident": "new incident" if story.new_incident else "",
    }


def digest_entry(story: StoryView, section: str, changes: tuple[str, ...] = ()) -> Entry:
    """How a story waits in a digest: its title and what its one line needs."""
    kind = {"new": "new", "update": "update", "review": "review"}[section]
    title = alert_title(story, kind).split(": ", 1)[-1]
    if changes:
        title += " (update: " + "; ".join(changes) + ")"
    return Entry(story.id, section, title, {"url": story.url, "score": round(story.best_score, 2),
                                            "outlets": story.source_count, "headline": story.headline})


def _line(entry: Entry) -> Link:
    data = entry.data
    text = (f"{entry.title} — {data.get('headline', '')} ({data.get('outlets', 1)} outlet(s),"
            f" score {data.get('score')}, story {entry.story_id})")
    return Link(text, data.get("url"))


def render_digest(templates: TemplateSet, template: str, route: str, entries: list[Entry],
                  health: tuple[int, int], now: datetime) -> Message:
    """The digest message: new stories, then 'possibly relevant', then source health."""
    new = [_line(e) for e in entries if e.section in ("new", "update")]
    review = [_line(e) for e in entries if e.section == "review"]
    healthy, total = health
    return templates.render(template, "digest", {
        "title": f"scamwatch digest {now:%Y-%m-%d %H:%M} UTC: {len(new)} new stor{'y' if len(new) == 1 else 'ies'}",
        "route": route,
        "new_count": len(new),
        "review_count": len(review),
        "new_stories": new or ["No new stories."],
        "review_stories": review or ["None."],
        "health": f"{healthy} of {total} sources healthy",
        "date": f"{now:%Y-%m-%d}",
    })


def operator_values(title: str, detail: str, since: str, kind: str, repeat: str) -> dict[str, Any]:
    return {"title": title, "detail": detail, "since": since, "kind": kind, "repeat": repeat}
