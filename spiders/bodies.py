"""Response bodies that arrive gzip-compressed without saying so (a ``.xml.gz`` served raw)."""

from __future__ import annotations

from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.gz import gunzip

GZIP_MAGIC = b"\x1f\x8b"


class BodyError(ValueError):
    """The body cannot be unpacked; ``kind`` is the health-row error kind."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def unpack_gzip(body: bytes, max_size: int) -> bytes:
    """``body`` with an undeclared gzip layer removed, bounded by ``max_size`` decompressed bytes."""
    if body[:2] != GZIP_MAGIC:
        return body
    try:
        return gunzip(body, max_size=max_size)
    except _DecompressionMaxSizeExceeded:
        raise BodyError("too_large", f"gzip body exceeds {max_size} bytes when decompressed") from None
    except OSError as exc:
        raise BodyError("malformed", f"broken gzip data: {exc}") from None
