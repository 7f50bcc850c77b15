"""Text and byte helpers every layer may use: undoing a gzip layer, normalising text for comparison."""

from __future__ import annotations

import unicodedata
import zlib

GZIP_MAGIC = b"\x1f\x8b"


class GzipError(ValueError):
    """The data starts like gzip but cannot be decompressed."""


class GzipTooLarge(GzipError):
    """The data decompresses to more than the allowed size."""


def gunzip(data: bytes, max_size: int, *, cut: bool = False) -> bytes:
    """``data`` without its gzip layer (all members), or ``data`` itself when it is not gzip.

    Decompresses at most ``max_size`` bytes (a bomb costs no more): beyond that
    :class:`GzipTooLarge`, or with ``cut`` the first ``max_size`` bytes. Truncated or
    corrupt data keeps what decompressed before the break; with nothing, :class:`GzipError`.
    """
    if not data.startswith(GZIP_MAGIC):
        return data
    out, rest, problem = bytearray(), data, ""
    while rest[:2] == GZIP_MAGIC and len(out) <= max_size:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            out += inflater.decompress(rest, max_size + 1 - len(out))
        except zlib.error as exc:
            problem = f"broken gzip data: {exc}"
            break
        if not inflater.eof:
            problem = "" if len(out) > max_size else "truncated gzip data"
            break
        rest = inflater.unused_data
    if len(out) > max_size:
        if cut:
            return bytes(out[:max_size])
        raise GzipTooLarge(f"gzip body exceeds {max_size} bytes when decompressed")
    if problem and not out:
        raise GzipError(problem)
    return bytes(out)


def fold(text: str | None) -> str:
    """NFKC, lower case, whitespace collapsed to single spaces: text compared as words."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())
