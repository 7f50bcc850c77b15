"""Plain words for what the database stores as codes: alert kinds, statuses, languages, outlets, times.

Everything an officer reads goes through here, so no raw code (``detained_after_rescue``,
``0.93``, ``id``) reaches a message or a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from crawler.base.clock import parse_iso


@dataclass(frozen=True)
class Kind:
    """How an alert kind is shown: its label, the badge colour, the Apprise notify type."""

    key: str
    label: str
    colour: str
    notify_type: str


KINDS = {
    "new_incident": Kind("new_incident", "New incident", "#b42318", "warning"),
    "follow_up": Kind("follow_up", "Follow-up", "#b54708", "info"),
    "update": Kind("update", "Update", "#175cd3", "info"),
    "report": Kind("report", "Report", "#475467", "info"),
    "review": Kind("review", "Needs review", "#667085", "info"),
}


def alert_kind(outbox_kind: str, new_incident: bool, follows_incident: bool = False) -> Kind:
    """The kind an officer sees for today's outbox kinds ('new' | 'update' | 'review').

    'new' is a *new incident* only when the story opened one; otherwise it is a *follow-up*
    on an open incident, or a plain *report* when no incident is involved. The word "new"
    never labels anything but a new incident. Kinds decided upstream ('new_incident', 'follow_up',
    'update', …) pass through as they are.
    """
    if outbox_kind in KINDS:
        return KINDS[outbox_kind]
    if new_incident:
        return KINDS["new_incident"]
    return KINDS["follow_up"] if follows_incident else KINDS["report"]


# The classifier's statuses (classifier.incident_status.STATUSES) in plain words.
STATUS_WORDS = {
    "held": "held in a compound",
    "rescued": "rescued",
    "repatriated": "repatriated, back home",
    "detained_after_rescue": "rescued, detained before repatriation",
    "awaiting_repatriation": "rescued, awaiting repatriation",
    "dead": "reported dead",
    "mixed": "some held, some freed",
    "unknown": "what became of them is not reported",
}
# Verb and preposition for a title: '20 Indonesians held in Myawaddy'.
STATUS_VERBS = {"held": ("held", "in"), "rescued": ("rescued", "in"), "repatriated": ("repatriated", "from"),
                "detained_after_rescue": ("rescued, detained,", "in"),
                "awaiting_repatriation": ("rescued, awaiting repatriation,", "in"), "dead": ("dead", "in"),
                "mixed": ("held or freed", "in")}


def status_words(status: str | None) -> str:
    if not status:
        return "not stated"
    return STATUS_WORDS.get(status, status.replace("_", " "))


def confidence(score: float, review: bool = False) -> str:
    """'high', 'medium' or 'needs review' — never the score itself."""
    if review or score < 0.6:
        return "needs review"
    return "high" if score >= 0.8 else "medium"


LANGUAGES = {
    "en": "English", "id": "Indonesian", "ms": "Malay", "th": "Thai", "vi": "Vietnamese", "km": "Khmer",
    "lo": "Lao", "my": "Burmese", "tl": "Filipino", "fil": "Filipino", "zh": "Chinese", "ja": "Japanese",
    "ko": "Korean", "hi": "Hindi", "ne": "Nepali", "bn": "Bengali", "si": "Sinhala", "ta": "Tamil",
    "ur": "Urdu", "ru": "Russian", "uk": "Ukrainian", "kk": "Kazakh", "uz": "Uzbek", "ky": "Kyrgyz",
    "de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese", "it": "Italian", "ar": "Arabic",
    "am": "Amharic", "sw": "Swahili", "tr": "Turkish", "fa": "Persian", "mn": "Mongolian",
}


def language(code: str | None) -> str:
    if not code:
        return "language unknown"
    base = code.lower().replace("_", "-").split("-")[0]
    return LANGUAGES.get(base, code)


def is_english(code: str | None) -> bool:
    return not code or code.lower().startswith("en")


def outlet(url: str | None, fallback: str | None = None) -> str:
    """The outlet as readers know it: the article's web site ('khmertimeskh.com')."""
    host = (urlsplit(url).hostname or "") if url else ""
    if host.startswith("www."):
        host = host[4:]
    return host or (fallback or "unknown outlet")


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL, else None (no ``javascript:``, ``data:``… link is ever emitted)."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in url for c in "\r\n\t "):
        return None
    return url


def local_time(text: str | None, zone: ZoneInfo) -> str:
    """'Sat 5 Dec 2026, 14:05 Asia/Manila' (or the date alone when the time is unknown)."""
    moment = parse_iso(text)
    if moment is None:
        return "unknown"
    if text and len(text) <= 10:
        return f"{moment:%a} {moment.day} {moment:%b %Y}"
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {zone.key}"


def ago(text: str | None, now: datetime) -> str:
    """'3 hours ago', 'yesterday', '5 days ago' ('' when unknown or in the future)."""
    moment = parse_iso(text)
    if moment is None:
        return ""
    seconds = (now - moment).total_seconds()
    if seconds < 0:
        return ""
    if seconds < 3600:
        return plural(max(1, int(seconds // 60)), "minute") + " ago"
    if seconds < 86400:
        return plural(int(seconds // 3600), "hour") + " ago"
    days = int(seconds // 86400)
    return "yesterday" if days == 1 else plural(days, "day") + " ago"


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """'1 story', '2 stories', '0 reports'."""
    if n == 1:
        return f"1 {noun}"
    if nouns is None:
        nouns = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return f"{n} {nouns}"


def shorten(text: str, width: int) -> str:
    """One line of at most ``width`` characters, cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
