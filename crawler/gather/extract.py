"""Article extraction: fetched HTML in, an :class:`Article` out, never an exception.

trafilatura does the work (main text, title, author, date); the URL the page declares
as the original (canonical link, ``og:url``) comes from :mod:`crawler.gather.declared`.  When trafilatura
finds no article, or too little text to be one, the feed entry's title and summary stand
in (``method='feed'``) and ``error`` says why, so the item is still classified
and the reason is stored with it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Literal

import trafilatura
from trafilatura.settings import Document, use_config
from w3lib.encoding import html_to_unicode
from w3lib.html import remove_comments, remove_tags, remove_tags_with_content, replace_entities

from crawler.base.clock import SYSTEM_CLOCK, normalise_date
from crawler.base.text import GzipError, gunzip
from crawler.gather.declared import declared_url
from crawler.gather.validtext import repair_char_refs, valid_text

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 200  # below this, trafilatura's text is a teaser or boilerplate, not an article
MAX_HTML_BYTES = 10_000_000  # as crawler.max_response_bytes; larger input is cut, not refused
Method = Literal["trafilatura", "feed"]

_ATTR_VALUE = r"\s*=\s*[\"']?([^\"'\s>]+)"
_LANG_PATTERNS = (
    re.compile(r"<html\b[^>]*?\blang" + _ATTR_VALUE, re.I),
    re.compile(r"<meta\b[^>]*?http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*?content"
               + _ATTR_VALUE, re.I),
    re.compile(r"<meta\b[^>]*?property\s*=\s*[\"']?og:locale[\"']?[^>]*?content" + _ATTR_VALUE, re.I),
)
# A well-formed BCP 47 tag (language[-script][-region]...), so junk such as "utf-8" is ignored.
_LANG_TAG = re.compile(
    r"([a-z]{2,3})(?:[-_][a-z]{4})?(?:[-_](?:[a-z]{2}|\d{3}))?(?:[-_][a-z0-9]{5,8})*", re.I)
_BLOCK_TAGS = re.compile(
    r"<\s*(?:br|hr)\b[^>]*>"
    r"|<\s*/?\s*(?:p|div|li|ul|ol|h[1-6]|tr|table|blockquote|section|article|pre|dd|dt)\b[^>]*>",
    re.I,
)
_CHAOS_MARGIN = 0.1
# Live blogs embed every update as JSON-LD; trafilatura's JSON-LD metadata parser takes
# seconds on such a block (2 s for one 840 KB block in the corpus). Blocks this large are
# dropped: og:/meta tags and the headline still give the title and date.
MAX_JSON_LD_CHARS = 200_000
# trafilatura drops a document whose text comes out empty, metadata and all; kept, one pass gives both.
_KEEP_EMPTY = use_config()
_KEEP_EMPTY.set("DEFAULT", "MIN_OUTPUT_SIZE", "0")
_KEEP_EMPTY.set("DEFAULT", "MIN_OUTPUT_COMM_SIZE", "0")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


@dataclass
class Article:
    """What a page says, where the text came from, and why trafilatura fell short if it did."""

    title: str | None
    text: str
    published: str | None = None  # ISO 8601 UTC, e.g. 2026-11-23T00:00:00+00:00
    lang: str | None = None  # ISO 639 primary subtag, lowercase
    author: str | None = None
    method: Method = "trafilatura"  # 'feed': the feed entry's summary stands in
    error: str | None = None  # why trafilatura's text was not (fully) usable
    declared_url: str | None = None  # the original's URL as the page declares it, canonicalised


def extract_article(
    html: bytes | str | None,
    url: str,
    *,
    fallback_title: str | None = None,
    fallback_summary: str | None = None,
    content_type: str | None = None,
) -> Article:
    """Extract the article in ``html`` (bytes are decoded by BOM, valid UTF-8, the
    ``content_type`` header, ``<meta charset>``, then sniffing), falling back to the
    feed entry's title and summary when trafilatura finds too little."""
    summary = strip_html(fallback_summary)
    feed_title = _clean(fallback_title)
    page, problem = _page_text(html, content_type)
    if problem:
        return Article(title=feed_title, text=summary, method="feed", error=problem)
    page = repair_char_refs(drop_huge_json_ld(page))[0]
    meta, text, problem = _run_trafilatura(page, url)
    title = _clean(meta.title) if meta is not None else None
    fields: dict[str, Any] = {
        "lang": page_language(page),
        "published": normalise_date(meta.date) if meta is not None else None,
        "author": _clean(meta.author) if meta is not None else None,
        "declared_url": declared_url(page, url),
    }
    if len(text) >= MIN_TEXT_CHARS:
        return Article(title=title or feed_title, text=text, method="trafilatura", **fields)
    if problem is None:
        problem = "no article text found" if not text else f"extracted text too short ({len(text)} chars)"
    if len(summary) >= len(text):
        return Article(title=feed_title or title, text=summary, method="feed", error=problem, **fields)
    return Article(title=title or feed_title, text=text, method="trafilatura", error=problem, **fields)


def _page_text(html: bytes | str | None, content_type: str | None) -> tuple[str, str | None]:
    """The page as text, and why it is not worth extracting (or None)."""
    if isinstance(html, bytes):
        try:
            page = decode_html(html, content_type)
        except Exception as exc:  # noqa: BLE001 - bad input must become data, not a crash
            return "", f"undecodable input: {exc}"
    elif isinstance(html, str):
        page = html
    else:
        return "", f"no page content ({type(html).__name__})"
    return page, _not_html(page)


def _date_params() -> dict[str, Any]:
    # Non-extensive search: meta tags, JSON-LD, URL and <time> find nearly all news dates
    # without scanning the free text; keep the time of day when the page gives one.
    return {
        "original_date": True,
        "extensive_search": False,
        "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        "max_date": SYSTEM_CLOCK.now().strftime("%Y-%m-%d"),  # a plausibility bound, in the worker
    }


def _run_trafilatura(page: str, url: str) -> tuple[Document | None, str, str | None]:
    """trafilatura without comments: one fast pass for text and metadata; the full cascade
    (readability/jusText fallbacks), text only, just when fast mode found too little and the
    page holds more text than that.

    On the corpus (``bench.extract``) fast mode first scores about as the full cascade on every
    page (body F1 0.945 vs 0.950 on fundus, 0.961 vs 0.959 on AEB) for 12% less CPU per page
    (22% at p95); the second pass rescues pages whose markup defeats the fast heuristics (1 of
    544, body F1 0.08 -> 0.98; ``bench.extract_passes`` lists it).
    Returns the document with the page's metadata (or None), its text, and why there is none.
    """
    options: dict[str, Any] = {"url": url or None, "include_comments": False}
    doc = None
    try:
        doc = _document(trafilatura.bare_extraction(page, fast=True, with_metadata=True, config=_KEEP_EMPTY,
                                                    date_extraction_params=_date_params(), **options))
        text = (doc.text or "").strip() if doc is not None else ""
        if len(text) >= MIN_TEXT_CHARS or not _holds_more_text(page, len(text)):
            return doc, text, None
        full = _document(trafilatura.bare_extraction(page, fast=False, **options))
        return doc, (full.text or "").strip() if full is not None else text, None
    except Exception as exc:  # noqa: BLE001 - trafilatura/lxml raise assorted errors on odd markup
        log.info("trafilatura failed on %s: %r", url, exc)
        problem = f"trafilatura error: {type(exc).__name__}: {exc}"
        if doc is None:
            return _metadata_only(page, url), "", problem
        return doc, (doc.text or "").strip(), problem


def _holds_more_text(page: str, found: int) -> bool:
    """Whether the page's visible text (scripts, styles, asides, footers and cookie banners left out)
    could give the full cascade enough text that fast mode missed: it can only find what is there."""
    visible = len(trafilatura.html2txt(page))
    return visible >= MIN_TEXT_CHARS and visible > found


def _document(result: object) -> Document | None:
    return result if isinstance(result, Document) else None


def _metadata_only(page: str, url: str) -> Document | None:
    """Title, date and author of a page trafilatura failed on."""
    try:
        return trafilatura.extract_metadata(page, default_url=url or None,
                                            date_config=_date_params())
    except Exception as exc:  # noqa: BLE001 - metadata is a bonus; its absence is not an error
        log.debug("no metadata from %s: %r", url, exc)
        return None


def drop_huge_json_ld(page: str) -> str:
    """``page`` without the contents of JSON-LD blocks longer than MAX_JSON_LD_CHARS."""
    if len(page) <= MAX_JSON_LD_CHARS:
        return page
    pieces, pos = [], 0
    while (marker := page.find("application/ld+json", pos)) >= 0:
        start = page.find(">", marker) + 1
        end = page.find("</script", start) if start else -1
        if end < 0:
            break
        pieces.append(page[pos:start] if end - start > MAX_JSON_LD_CHARS else page[pos:end])
        pos = end
    pieces.append(page[pos:])
    return "".join(pieces)


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode page bytes: BOM, then valid UTF-8, then as declared (HTTP header, ``<meta>``,
    XML declaration), then a sniffed encoding; undecodable bytes become U+FFFD."""
    data = _maybe_gunzip(data[: MAX_HTML_BYTES * 2])[:MAX_HTML_BYTES]
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) and not data.isascii():
        # Valid multi-byte UTF-8 is almost never an accident; a page that says
        # otherwise was re-saved or mislabelled (seen on real news sites).
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    _, text = html_to_unicode(content_type, data, default_encoding="cp1252",
                              auto_detect_fun=_sniff_encoding)
    return text


def _sniff_encoding(data: bytes) -> str | None:
    """Best guess for undeclared, non-UTF-8 bytes.

    charset_normalizer ranks by "chaos" alone and, on Western text, often prefers an
    exotic code page (cp775) whose mojibake is barely noisier than the right one;
    among the nearly-as-clean candidates we take the most language-coherent, and the
    web's commonest legacy encoding (windows-1252) on ties.  None → windows-1252.
    """
    from charset_normalizer import from_bytes  # installed with trafilatura

    sample = data if len(data) <= 60_000 else data[:30_000] + data[-30_000:]
    try:
        # A multi-byte guess that swallows markup ("\xe9<" read as one character) is wrong.
        results = [m for m in from_bytes(sample) if str(m).count("<") == sample.count(b"<")]
    except Exception:  # noqa: BLE001 - a sniffer failure means "unknown", not a crash
        log.debug("charset sniffing failed", exc_info=True)
        return None
    if not results:
        return None
    cleanest = min(m.chaos for m in results)
    candidates = [m for m in results if m.chaos <= cleanest + _CHAOS_MARGIN]
    best = max(candidates, key=lambda m: (round(m.coherence, 2), "cp1252" in m.could_be_from_charset))
    return str(best.encoding)


def _maybe_gunzip(data: bytes) -> bytes:
    """Undo a gzip layer a server applied without saying so (bounded against bombs)."""
    try:
        return gunzip(data, MAX_HTML_BYTES, cut=True)
    except GzipError:
        return data


def _not_html(page: str) -> str | None:
    """Why ``page`` is not worth handing to trafilatura, or None."""
    if not page.strip():
        return "empty page"
    head = page[:2048]
    controls = sum(1 for ch in head if ch < " " and ch not in "\t\n\r\f") + head.count("\ufffd")
    if controls > len(head) * 0.05:
        return "binary content, not HTML"
    if "<" not in page[:65536]:
        return "not HTML (no markup)"
    return None


def page_language(page: str) -> str | None:
    """Language declared by ``<html lang>``, ``Content-Language`` meta or ``og:locale``."""
    head = page[:65536]
    for pattern in _LANG_PATTERNS:
        match = pattern.search(head)
        tag = _LANG_TAG.fullmatch(match.group(1)) if match else None
        if tag:
            return tag.group(1).lower()
    return None


def strip_html(text: str | None) -> str:
    """Plain text of an HTML snippet (feed summaries): tags, scripts and comments gone,
    entities decoded, block elements on their own lines, spaces collapsed, valid text."""
    if not text or not isinstance(text, str):
        return ""
    try:
        text = remove_comments(text)
        text = remove_tags_with_content(text, which_ones=("script", "style", "noscript"))
        text = remove_tags(_BLOCK_TAGS.sub("\n", text))
        text = replace_entities(text)
    except Exception:  # noqa: BLE001 - a summary that defeats w3lib still yields its raw text
        log.debug("strip_html fell back to raw text", exc_info=True)
    text = _SPACES.sub(" ", valid_text(text).replace("\xa0", " "))
    return _BLANK_LINES.sub("\n", text).strip()


def _clean(value: str | None) -> str | None:
    """A title/author stripped of markup and spare whitespace, or None if empty."""
    if not value:
        return None
    cleaned = " ".join(strip_html(value).split())
    return cleaned or None
