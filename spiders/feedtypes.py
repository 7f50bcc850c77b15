"""What a parsed feed is, whatever its format: entries, or a named reason there are none."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from crawler.gather.validtext import valid_text

# A link holding any of these is not the address the publisher meant: lone surrogates, U+FFFD
# (bytes or references that were not text) and control characters, but tabs and line breaks,
# which browsers drop from a URL (as the WHATWG URL standard says), and so does ``add``.
_NOT_IN_A_LINK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffd]")
_LINE_BREAKS = re.compile(r"[\t\n\r]")
_LANG = re.compile(r"[a-z]{2,3}")


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
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (link, why) of entries refused
    repaired: int = 0               # entries kept whose text held characters that are not text

    def add(self, entry: FeedEntry) -> None:
        """Keep ``entry`` with its text made valid, or refuse it when its link is not an address."""
        problem = link_problem(entry.link)
        clean = dataclasses.replace(entry, **{f.name: valid_text(value) for f in dataclasses.fields(entry)
                                              if isinstance(value := getattr(entry, f.name), str)})
        clean.link = _LINE_BREAKS.sub("", clean.link)
        if problem:
            self.rejected.append((clean.link, problem))
            return
        self.repaired += clean != entry
        self.entries.append(clean)

    def warn(self, note: str) -> None:
        self.warning = f"{self.warning}; {note}" if self.warning else note


def link_problem(link: str) -> str | None:
    """Why ``link`` cannot be an article's address, or None."""
    bad = _NOT_IN_A_LINK.search(link)
    if bad is None:
        return None
    return f"the link holds U+{ord(bad.group()):04X}, which is not text a URL can carry"


def feed_lang(value: Any) -> str | None:
    """A feed's declared language reduced to its primary subtag (``en-US`` -> ``en``), None unless letters."""
    if not isinstance(value, str) or not value.strip():
        return None
    primary = value.strip().split("-")[0].split("_")[0].lower()[:3]
    return primary if _LANG.fullmatch(primary) else None
