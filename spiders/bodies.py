"""Response bodies that arrive gzip-compressed without saying so (a ``.xml.gz`` served raw)."""

from __future__ import annotations

from crawler.base.text import GzipError, GzipTooLarge, gunzip


class BodyError(ValueError):
    """The body cannot be unpacked; ``kind`` is the health-row error kind."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def unpack_gzip(body: bytes, max_size: int) -> bytes:
    """``body`` with an undeclared gzip layer removed, bounded by ``max_size`` decompressed bytes."""
    try:
        return gunzip(body, max_size)
    except GzipTooLarge as exc:
        raise BodyError("too_large", str(exc)) from None
    except GzipError as exc:
        raise BodyError("malformed", str(exc)) from None
