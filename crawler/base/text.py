"""Text and byte helpers every layer may use: undoing a gzip layer, normalising text for comparison.

:func:`normalise_text` (content fingerprints) and :func:`fold` (text similarity of stories) are
the two normalisers; the incident rules' ``classifier.incident_text.normalize`` keeps case and
punctuation on purpose (their patterns read them)."""

from __future__ import annotations

import unicodedata
import zlib

GZIP_MAGIC = b"\x1f\x8b"

# What each character becomes, by Unicode category: punctuation (P*) a space, since it
# still separates words ("fraud—trafficking"); symbols (S*) and controls/format
# characters (Cc, Cf) nothing, except whitespace controls (a space); anything else itself.
_DROPPED_CATEGORIES = ("P", "S")
_DROPPED_EXACT = frozenset({"Cc", "Cf"})
_CACHE_LIMIT = 100_000  # distinct characters remembered; more (a hostile page) are looked up afresh


class _CategoryTable(dict[int, int | str | None]):
    """A ``str.translate`` table filled on first sight of each character.

    Built lazily: classifying all 1.1 million code points up front costs ~0.4 s at import,
    while real text uses a few thousand distinct characters.
    """

    def __missing__(self, code: int) -> int | str | None:
        char = chr(code)
        category = unicodedata.category(char)
        value: int | str | None = code
        if char.isspace():
            value = " "  # \n and \t are controls (Cc) but still separate words
        elif category.startswith(_DROPPED_CATEGORIES) or category in _DROPPED_EXACT:
            value = " " if category.startswith("P") else None
        if len(self) < _CACHE_LIMIT:
            self[code] = value
        return value


_TABLE = _CategoryTable()


def normalise_text(text: str | None) -> str:
    """NFKC, casefolded, punctuation and symbols removed, whitespace collapsed to one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TABLE)
    return " ".join(text.split())  # str.split() and re's \s agree on what whitespace is


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
    """NFKC, lower case, whitespace collapsed to single spaces: text compared as words
    (punctuation kept; :func:`normalise_text` drops it too)."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())
