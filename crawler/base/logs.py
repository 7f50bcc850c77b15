"""Logging set-up for the CLI: plain lines to stderr, journald-friendly, secrets masked."""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

# scheme://user:password@host → scheme://***@host; token-like query values too.
TOKEN_PARAMS = ("key", "apikey", "api_key", "api-key", "token", "access_token", "auth", "secret",
                "client_secret", "password", "pass", "passwd", "sig", "signature")
_SECRET_PATTERNS = [
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@?#]+@", re.I), r"\1***@"),
    (re.compile(rf"([?&;](?:{'|'.join(map(re.escape, TOKEN_PARAMS))})=)[^&;#\s]+", re.I), r"\1***"),
]


def redact(text: str, url: str | None = None) -> str:
    """Mask credentials embedded in URLs (userinfo, token-like query values): for anything logged,
    printed, stored or served that may carry a URL; given ``url``, also its credentials wherever
    they appear on their own (an error quoting only the host part, say)."""
    for secret in [*(url_credentials(url) if url else ()), *_hidden]:
        text = text.replace(secret, "***")
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


_hidden: list[str] = []  # longest first


def hide(values: Iterable[str]) -> None:
    """Mask these values (credentials of configured URLs) in everything :func:`redact` touches."""
    _hidden[:] = sorted(set(_hidden) | {v for v in values if len(v) >= 3}, key=len, reverse=True)


def url_credentials(url: str) -> list[str]:
    """The user name, password and token-like query values of ``url`` (longest first)."""
    try:
        parts = urlsplit(url)
        found = [parts.username, parts.password]
    except ValueError:
        return []
    found += [value for key, value in parse_qsl(parts.query) if key.casefold() in TOKEN_PARAMS]
    return sorted({unquote(f) for f in found if f and len(f) >= 3} | {f for f in found if f and len(f) >= 3},
                  key=len, reverse=True)


class RedactingFormatter(logging.Formatter):
    """A formatter that never lets a URL's credentials reach the log."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(level: str = "INFO") -> None:
    """Send log lines to stderr; journald adds its own timestamps, a terminal gets ours."""
    under_journald = bool(os.environ.get("JOURNAL_STREAM"))
    fmt = "%(levelname)s %(name)s: %(message)s" if under_journald else "%(asctime)s %(levelname)s %(name)s: %(message)s"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(fmt, datefmt="%Y-%m-%dT%H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Scrapy and Twisted are chatty at INFO; their warnings still come through.
    for noisy in ("scrapy", "twisted", "filelock", "urllib3", "sentence_transformers", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # Extraction failures are stored on the item (extraction_error); trafilatura's own
    # per-page warnings would only repeat them.
    for chatty in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
        logging.getLogger(chatty).setLevel(logging.ERROR)
