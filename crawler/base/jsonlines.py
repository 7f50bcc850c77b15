"""JSON Lines input judged line by line: one bad line is one reject, the good ones always get through.

A line is read as bytes and decoded on its own, so bytes that are not UTF-8 spoil only their line;
nesting deeper than :data:`MAX_DEPTH`, numbers too long to convert and strings holding lone
surrogates (which no database or encoder accepts) are reported like any malformed line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

MAX_DEPTH = 32


def read_json_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[int, Any, str]]:
    """Yield ``(line number, value, "")`` for each good non-blank line, ``(number, None, problem)``
    for a bad one."""
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield number, None, f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})"
                continue
        else:
            line = raw
        if number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        except RecursionError:
            yield number, None, f"nested more than {MAX_DEPTH} levels deep"
            continue
        except ValueError as exc:  # e.g. an integer longer than Python converts
            yield number, None, f"not valid JSON ({exc})"
            continue
        problem = _problem(value, 0)
        yield (number, None, problem) if problem else (number, value, "")


def _problem(value: Any, depth: int) -> str:
    """What makes a parsed value unusable: nesting too deep or a lone surrogate; '' when fine."""
    if depth > MAX_DEPTH:
        return f"nested more than {MAX_DEPTH} levels deep"
    if isinstance(value, str):
        return _surrogate(value)
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _surrogate(key) or _problem(item, depth + 1)
            if problem:
                return problem
    elif isinstance(value, list):
        for item in value:
            problem = _problem(item, depth + 1)
            if problem:
                return problem
    return ""


def _surrogate(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"a string holds a lone surrogate (\\u{ord(text[exc.start]):04x}), which is not text"
    return ""
