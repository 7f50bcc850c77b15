"""Logging set-up for the CLI: plain lines to stderr, journald-friendly, secrets masked."""

from __future__ import annotations

import logging
import os
import re
import sys

# scheme://user:password@host → scheme://user:***@host; token-like query values too.
_SECRET_PATTERNS = [
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]+@", re.I), r"\1***@"),
    (re.compile(r"([?&](?:pass|password|token|key|secret|apikey|api_key)=)[^&\s]+", re.I), r"\1***"),
]


def redact(text: str) -> str:
    """Mask passwords and tokens embedded in URLs."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


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
