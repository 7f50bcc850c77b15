"""Text every reader and encoder takes: what the web sends is not always text.

JSON escapes (``"\\ud800"``) and character references (``&#xD800;``, ``&#1;``) can name lone
surrogates, control characters or numbers past U+10FFFF. Python strings hold them, but UTF-8
cannot encode them (SQLite refuses the row, Datasette and Apprise fail on it), XML forbids
them, and parsers pass them on to the next step, which fails on them.
"""

from __future__ import annotations

import re

# What no encoder or reader takes as text: lone surrogates (from JSON "\ud800" escapes or
# "&#xD800;" references) and control characters other than tab and line breaks.
_NOT_TEXT = re.compile(r"[\ud800-\udfff]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def repair_char_refs(markup: str) -> tuple[str, int]:
    """``markup`` with numeric character references to what is not text made harmless (control
    characters dropped; surrogates, U+FFFE/U+FFFF and numbers past U+10FFFF read as U+FFFD),
    and how many there were.

    Parsers pass such references on (feedparser as a lone surrogate, lxml as a control character)
    and the next step fails on them: feedparser loses the feed, trafilatura the page's text."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        digits = match.group(1) or match.group(2)
        code = int(digits, 16 if match.group(1) else 10) if len(digits) <= 10 else -1
        if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
            return match.group()
        count += 1
        return "" if 0 <= code < 0x20 else "&#xFFFD;"

    return _CHAR_REF.sub(replace, markup), count


def valid_text(text: str) -> str:
    """``text`` as UTF-8 (SQLite, Datasette, Apprise) can carry it: a lone surrogate becomes
    U+FFFD, control characters other than tab and line breaks are dropped."""
    return _NOT_TEXT.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    return "\ufffd" if match.group() >= "\ud800" else ""
