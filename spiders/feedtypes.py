"""What a parsed feed is, whatever its format: entries, or a named reason there are none."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FeedEntry:
    """One entry of a feed, reduced to what the gather stage stores."""

    link: str
    title: str | None = None
    summary: str = ""
    text: str = ""
    published: str | None = None
    author: str | None = None
    entry_id: str | None = None


@dataclass
class ParsedFeed:
    """The entries of a feed, or why there are none (``error_kind``/``error``)."""

    entries: list[FeedEntry] = field(default_factory=list)
    version: str = ""
    lang: str | None = None
    error_kind: str | None = None
    error: str | None = None
    warning: str | None = None      # the parser's note when entries were still recovered from a broken feed
    without_link: int = 0           # entries dropped because they had no usable link


def feed_lang(value: Any) -> str | None:
    """A feed's declared language reduced to its primary subtag (``en-US`` -> ``en``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().split("-")[0].split("_")[0].lower()[:3] or None
