"""Plain text from the news: titles and summaries are stored without markup, entities decoded.

News carries markup where text belongs (``<b>`` in titles, ``&lt;script&gt;`` that decodes
to a tag, tracking pixels in summaries). Everything stored and shown later starts from what
gather and import store, so they store plain text: tags, scripts, styles and comments gone,
entities decoded, and decoded markup stripped again, until nothing tag-like is left.
"""

from __future__ import annotations

import re

from w3lib.html import remove_comments, remove_tags_with_content, replace_entities

# What a browser reads as a tag: '<' then a letter, '/', '!' or '?' at once ("a < b" stays text).
_TAG_LIKE = re.compile(r"<[/!?]?[A-Za-z][^<>]*>|<!--.*?-->", re.DOTALL)
_INLINE = frozenset("a abbr b bdi bdo cite code em font i kbd mark q s small span strong sub sup time u".split())
_BLOCK = frozenset("address article aside blockquote br dd div dl dt figcaption footer h1 h2 h3 h4 h5 h6 header "
                   "hr li main nav ol p pre section table td th tr ul".split())
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ROUNDS = 4  # markup encoded more deeply than this loses its remaining tag-like runs wholesale


def strip_markup(text: str) -> str:
    """``text`` without tags, scripts, styles or comments, entities decoded (whitespace kept)."""
    for _ in range(ROUNDS):
        before = text
        text = remove_comments(text)
        text = remove_tags_with_content(text, which_ones=("script", "style", "noscript"))
        text = replace_entities(_TAG_LIKE.sub(_gap, text))
        if text == before or not _TAG_LIKE.search(text):
            break
    return _CONTROL.sub("", _TAG_LIKE.sub(_gap, text))


def _gap(tag: re.Match[str]) -> str:
    """Inline tags vanish, block tags end a line, any other (images, unknown) leaves a space."""
    match = re.match(r"<[/!?]?([A-Za-z0-9]+)", tag.group(0))
    name = match.group(1).lower() if match else ""
    return "" if name in _INLINE else "\n" if name in _BLOCK else " "


def plain_line(value: object) -> str | None:
    """A title, summary or author as stored: plain text on one line, None when nothing is left."""
    if not isinstance(value, str) or not value:
        return None
    return " ".join(strip_markup(value).split()) or None


def plain_text(value: object) -> str | None:
    """A summary as stored: plain text, paragraphs kept, None when nothing is left."""
    if not isinstance(value, str) or not value:
        return None
    lines = (" ".join(line.split()) for line in strip_markup(value).splitlines())
    return "\n".join(line for line in lines if line) or None
