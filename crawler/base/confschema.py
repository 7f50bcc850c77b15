"""Turn parsed TOML tables into typed, validated dataclasses.

Every setting is a dataclass field whose ``metadata["help"]`` documents it; the
loader rejects unknown keys and wrong types with a :class:`ConfigError` that names
the file, the dotted key and the problem, so the CLI can print one line and exit 2.
Sections declare extra checks in a ``validate(self, key)`` method.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


class ConfigError(ValueError):
    """A user mistake in the configuration: ``file: key: problem``."""

    def __init__(self, key: str, problem: str, file: str | None = None) -> None:
        self.key, self.problem, self.file = key, problem, file
        super().__init__(self._text())

    def _text(self) -> str:
        where = f"{self.file}: " if self.file else ""
        return f"{where}{self.key}: {self.problem}" if self.key else f"{where}{self.problem}"

    def in_file(self, file: str) -> ConfigError:
        """Return the same error attributed to ``file``."""
        return ConfigError(self.key, self.problem, file)


class Duration(float):
    """Seconds, written in TOML as a number or a string such as ``"90s"``, ``"15m"``, ``"2h"``."""


def setting(default: Any = dataclasses.MISSING, help: str = "", **kw: Any) -> Any:  # noqa: A002
    """A documented dataclass field; mutable defaults are copied per instance."""
    meta = {"help": help}
    if isinstance(default, list | dict):
        value = default
        return dataclasses.field(default_factory=lambda: type(value)(value), metadata=meta, **kw)
    return dataclasses.field(default=default, metadata=meta, **kw)


def parse_duration(value: Any, key: str) -> Duration:
    """Parse ``"15m"``-style durations (or plain seconds) into seconds."""
    if isinstance(value, bool):
        raise ConfigError(key, f"expected a duration such as '15m', got {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ConfigError(key, f"expected a duration such as '90s', '15m', '2h', got {value!r}")
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds < 0:
        raise ConfigError(key, "a duration cannot be negative")
    return Duration(seconds)


def build(cls: type[T], data: Any, key: str = "") -> T:
    """Build dataclass ``cls`` from a TOML table, validating keys and types."""
    if not isinstance(data, dict):
        raise ConfigError(key, f"expected a table, got {_kind(data)}")
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls)
    for name in data:
        if name not in fields:
            known = ", ".join(sorted(fields))
            raise ConfigError(_join(key, name), f"unknown key (known keys: {known})")
    for name, f in fields.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and name not in data:
            raise ConfigError(_join(key, name), "missing (this key is required)")
    values = {name: _coerce(hints[name], data[name], _join(key, name)) for name in data}
    obj = cls(**values)
    validate = getattr(obj, "validate", None)
    if validate is not None:
        validate(key)
    return obj


def _coerce(hint: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        errors = []
        for option in options:
            try:
                return _coerce(option, value, key)
            except ConfigError as exc:
                errors.append(exc)
        raise errors[0]
    if origin is typing.Literal:
        if value not in args:
            allowed = ", ".join(repr(a) for a in args)
            raise ConfigError(key, f"must be one of {allowed}, got {value!r}")
        return value
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(key, f"expected a list, got {_kind(value)}")
        return [_coerce(args[0], item, f"{key}[{i}]") for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(key, f"expected a table, got {_kind(value)}")
        return {k: _coerce(args[1], v, _join(key, k)) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return build(hint, value, key)  # type: ignore[arg-type]
    if hint is Duration:
        return parse_duration(value, key)
    if hint is Any:
        return value
    return _scalar(hint, value, key)


def _scalar(hint: type, value: Any, key: str) -> Any:
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is bool and not isinstance(value, bool):
        raise ConfigError(key, f"expected true or false, got {value!r}")
    if hint is int and isinstance(value, bool):
        raise ConfigError(key, f"expected a whole number, got {value!r}")
    if not isinstance(value, hint):
        raise ConfigError(key, f"expected {_HINT_NAMES.get(hint, hint.__name__)}, got {_kind(value)}")
    return value


_HINT_NAMES = {int: "a whole number", float: "a number", str: "a string", bool: "true or false"}


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _join(key: str, name: str | int) -> str:
    return f"{key}.{name}" if key else str(name)


def describe(cls: type, prefix: str = "") -> Iterator[tuple[str, str, str]]:
    """Yield ``(dotted key, default, help)`` for every documented setting of ``cls``."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        key = _join(prefix, f.name)
        hint = hints[f.name]
        if dataclasses.is_dataclass(hint):
            yield from describe(hint, key)  # type: ignore[arg-type]
            continue
        if f.default is not dataclasses.MISSING:
            default = toml_literal(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            default = toml_literal(f.default_factory())
        else:
            default = "(required)"
        yield key, default, f.metadata.get("help", "")


def toml_literal(value: Any) -> str:
    """A default as it would be written in the TOML file."""
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Duration):
        return _duration_text(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_literal(v) for v in value) + "]"
    return str(value)


def _duration_text(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f'"{int(seconds // size)}{unit}"'
    return f'"{seconds:g}s"'
