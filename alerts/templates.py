"""Render alert messages from ``string.Template`` files.

A template set (``chat``, ``email``, ``text``, or the operator's own) is a group of files
``<set>.<kind>.<ext>`` where kind is ``story``, ``digest``, ``operator`` or ``test`` and the
extension picks Apprise's body format: ``.md`` Markdown, ``.html`` HTML, ``.txt`` text.
The first line of a file is the title template, the rest (after one blank line) the body.
Files in ``alerts.templates_dir`` override the shipped ones (``config/templates/``) by name.

Every value is made inert for its format here, and only here: HTML-escaped for ``.html``,
Markdown-escaped for ``.md``, and in every format chat mentions (Slack ``<!channel>``,
``<@U…>``, Discord ``@everyone``/``@here``) are broken with a zero-width space. Links are
emitted only for http(s) URLs. List values become bullet lists in the format; a
:class:`Line` joins text and links on one line. Titles are one line of at most
:data:`TITLE_MAX` characters. Unknown ``$names`` stay as written rather than failing a send.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from alerts.wording import safe_url, shorten
from crawler.base.confschema import ConfigError

_EMPTY_HTML = re.compile(r"^\s*<(p|h\d|li)\b[^>]*>(<(strong|em)></(strong|em)>)?</\1>\s*$")
FORMATS = {".md": "markdown", ".html": "html", ".txt": "text"}
KINDS = ("story", "digest", "operator", "test")
TITLE_MAX = 250
_MENTION = re.compile(r"<(?=[!@#])|@(?=(?:everyone|here|channel)\b)", re.I)
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~#])")


@dataclass(frozen=True)
class Message:
    """A rendered message: what Apprise is asked to send."""

    title: str
    body: str
    body_format: str


class TemplateSet:
    """Finds and renders templates; ``folder`` (the operator's) wins over the shipped files."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        if folder is not None and not folder.is_dir():
            raise ConfigError("alerts.templates_dir", f"{folder} is not a folder")

    def _find(self, name: str, kind: str) -> tuple[str, str]:
        shipped = resources.files("scamwatch_config").joinpath("templates")
        for ext in FORMATS:
            filename = f"{name}.{kind}{ext}"
            if self.folder is not None and (self.folder / filename).is_file():
                return (self.folder / filename).read_text("utf-8"), FORMATS[ext]
            if shipped.joinpath(filename).is_file():
                return shipped.joinpath(filename).read_text("utf-8"), FORMATS[ext]
        raise ConfigError("alerts", f"no template {name}.{kind}.(md|html|txt) in the templates folders")

    def check(self, name: str) -> None:
        """Raise a ConfigError unless the set ``name`` has a template of every kind."""
        for kind in KINDS:
            self._find(name, kind)

    def render(self, name: str, kind: str, values: dict[str, Any]) -> Message:
        """Render template ``name.kind`` with ``values`` (strings, numbers, lists or None)."""
        text, fmt = self._find(name, kind)
        title_tpl, _, body_tpl = text.partition("\n")
        safe = {k: _format_value(v, fmt) for k, v in values.items()}
        title = Template(title_tpl.strip()).safe_substitute({k: inert(_plain(v)) for k, v in values.items()})
        body = Template(body_tpl.lstrip("\n")).safe_substitute(safe)
        return Message(shorten(title, TITLE_MAX), _tidy(body), fmt)


def note(text: str, fmt: str) -> str:
    """A one-paragraph remark in the body format (e.g. a resend warning), with a blank line after."""
    if fmt == "html":
        return f"<p><em>{html.escape(text)}</em></p>\n"
    if fmt == "markdown":
        return f"_{escape(text, fmt)}_\n\n"
    return f"{text}\n\n"


def inert(text: str) -> str:
    """``text`` with chat mentions broken (``<!channel>``, ``<@U1>``, ``@everyone``, ``@here``)."""
    return _MENTION.sub(lambda m: m.group(0) + "\u200b", text)


def escape(text: str, fmt: str) -> str:
    """``text`` made inert and literal in body format ``fmt``."""
    text = inert(text)
    if fmt == "html":
        return html.escape(text, quote=True)
    if fmt == "markdown":
        return _MARKDOWN.sub(r"\\\1", text)
    return text



def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


_UL = '<ul style="margin:0 0 12px 0;padding-left:20px">'
_LI = '<li style="margin:0 0 6px 0">'


def _format_value(value: Any, fmt: str) -> str:
    if isinstance(value, Link | Line | Raw | Blocks):
        return value.render(fmt)
    if isinstance(value, list):
        if not value:
            return "(none)" if fmt != "html" else "<p>(none)</p>"
        if fmt == "html":
            return _UL + "".join(f"{_LI}{_format_value(v, fmt)}</li>" for v in value) + "</ul>"
        return "\n".join(f"- {_format_value(v, fmt)}" for v in value)
    return escape(_plain(value), fmt)


@dataclass(frozen=True)
class Line:
    """Text and links on one line, each part escaped for the format."""

    parts: tuple[str | Link, ...]

    def __str__(self) -> str:
        return self.render("text")

    def render(self, fmt: str) -> str:
        return "".join(p.render(fmt) if isinstance(p, Link) else escape(p, fmt) for p in self.parts)


@dataclass(frozen=True)
class Blocks:
    """Values (headings, lists…) one after another."""

    items: tuple[Any, ...]

    def render(self, fmt: str) -> str:
        return "\n".join(_format_value(item, fmt) for item in self.items)


@dataclass(frozen=True)
class Raw:
    """Markup written by scamwatch itself (never from stored data), per format."""

    html: str = ""
    markdown: str = ""
    text: str = ""

    def __str__(self) -> str:
        return self.text

    def render(self, fmt: str) -> str:
        return {"html": self.html, "markdown": self.markdown}.get(fmt, self.text)


@dataclass(frozen=True)
class Link:
    """Text linked to a URL, written the way the body format links (plain text: ``text <url>``)."""

    text: str
    url: str | None

    def __str__(self) -> str:
        return self.render("text")

    def render(self, fmt: str) -> str:
        url = safe_url(self.url)
        if not url:
            return escape(self.text, fmt)
        if fmt == "html":
            return (f'<a href="{html.escape(url, quote=True)}" style="color:#175cd3">'
                    f'{escape(self.text, fmt)}</a>')
        if fmt == "markdown":
            return f"[{escape(self.text, fmt)}]({url.replace('(', '%28').replace(')', '%29')})"
        return f"{inert(self.text)} <{url}>"


def _tidy(body: str) -> str:
    """Collapse the blank lines left by empty optional values."""
    lines = body.strip("\n").rstrip().splitlines()
    out: list[str] = []
    for line in lines:
        if _EMPTY_HTML.match(line):
            continue
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line.rstrip())
    return "\n".join(out) + "\n"
