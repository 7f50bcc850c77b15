"""Known scam-compound hotspots (``config/gazetteer.json``) and finding them in text.

Each place has a country, coordinates for maps, aliases in several scripts, a kind —
``compound``, ``town``, ``region``, ``area`` (loosely bounded: northern Myanmar), ``city``, or
``transit`` (a border crossing or arrival
point such as Mae Sot or an airport, which tells where people passed, never where they were
held) — and a parent: the place it lies in, or its country at the top (KK Park → Myawaddy →
Karen State → Myanmar). :meth:`Gazetteer.chain` walks it, so two places are compatible when
one lies within the other.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .incident_text import FormMatcher

log = logging.getLogger(__name__)

KINDS = frozenset({"compound", "town", "region", "area", "city", "transit"})
RESOURCE = "gazetteer.json"


class GazetteerError(ValueError):
    """The gazetteer file is missing or malformed; the message names the entry and field."""


@dataclass(frozen=True)
class Place:
    """A hotspot: canonical name, country, coordinates, kind and aliases."""

    name: str
    country: str
    lat: float
    lon: float
    kind: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class PlaceMention:
    """A place found in text, with its character span."""

    place: Place
    start: int
    end: int


class Gazetteer:
    """A set of places and a matcher over their names and aliases."""

    def __init__(self, places: list[Place]) -> None:
        self.places = tuple(places)
        self._matcher: FormMatcher[Place] = FormMatcher(
            (form, place) for place in self.places for form in (place.name, *place.aliases)
        )

    def find(self, text: str) -> list[PlaceMention]:
        """Places mentioned in text, in order."""
        return [PlaceMention(m.value, m.start, m.end) for m in self._matcher.finditer(text)]

    def by_name(self, name: str) -> Place | None:
        """The place with this canonical name, if any."""
        return next((p for p in self.places if p.name == name), None)

    def chain(self, name: str) -> list[str]:
        """``name`` and the places it lies in, innermost first, ending with its country."""
        out: list[str] = []
        place = self.by_name(name)
        while place is not None and place.name not in out:
            out.append(place.name)
            if place.parent is None or place.parent == place.country:
                out.append(place.country)
                break
            place = self.by_name(place.parent)
        return out

    def within(self, inner: str, outer: str) -> bool:
        """Whether place ``inner`` is ``outer`` or lies in it (a place, or a country)."""
        return outer in self.chain(inner)


def parse_gazetteer(data: Any, source: str = "gazetteer") -> list[Place]:
    """Validate decoded JSON; raise :class:`GazetteerError` naming the bad entry and field."""
    if not isinstance(data, dict) or not isinstance(data.get("places"), list):
        raise GazetteerError(f"{source}: expected an object with a 'places' list")
    places = []
    for i, entry in enumerate(data["places"]):
        where = f"{source}: places[{i}]"
        if not isinstance(entry, dict):
            raise GazetteerError(f"{where}: expected an object")
        where = f"{where} ({entry.get('name', '?')})"
        for key in ("name", "country", "kind"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise GazetteerError(f"{where}: '{key}' must be a non-empty string")
        if entry["kind"] not in KINDS:
            raise GazetteerError(f"{where}: 'kind' must be one of {sorted(KINDS)}")
        for key, bound in (("lat", 90), ("lon", 180)):
            value = entry.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > bound:
                raise GazetteerError(f"{where}: '{key}' must be a number within ±{bound}")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            raise GazetteerError(f"{where}: 'aliases' must be a list of non-empty strings")
        parent = entry.get("parent")
        if parent is not None and (not isinstance(parent, str) or not parent.strip()):
            raise GazetteerError(f"{where}: 'parent' must be a non-empty string")
        places.append(Place(entry["name"], entry["country"], float(entry["lat"]),
                            float(entry["lon"]), entry["kind"], tuple(aliases), parent))
    _check_parents(places, source)
    return places


def _check_parents(places: list[Place], source: str) -> None:
    """Each parent is another place of the same country, or the place's country itself."""
    by_name = {p.name: p for p in places}
    for place in places:
        if place.parent is None or place.parent == place.country:
            continue
        parent = by_name.get(place.parent)
        if parent is None:
            raise GazetteerError(f"{source}: {place.name}: parent {place.parent!r} is neither a place "
                                 f"nor its country {place.country!r}")
        if parent.country != place.country:
            raise GazetteerError(f"{source}: {place.name}: parent {place.parent!r} is in another country")


def _read_default() -> tuple[str, str]:
    """Text of the shipped gazetteer: the ``scamwatch_config`` package, else the repo folder."""
    try:
        from importlib.resources import files

        resource = files("scamwatch_config").joinpath(RESOURCE)
        if resource.is_file():
            return resource.read_text(encoding="utf-8"), f"scamwatch_config/{RESOURCE}"
    except (ModuleNotFoundError, FileNotFoundError):
        log.debug("package scamwatch_config not importable; reading the repository copy")
    path = Path(__file__).parents[1] / "config" / RESOURCE
    return path.read_text(encoding="utf-8"), str(path)


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Load a gazetteer file, or the shipped one when ``path`` is None."""
    if path is None:
        return default_gazetteer()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read gazetteer ({exc.strerror or exc})") from exc
    return _build(text, str(path))


def _build(text: str, source: str) -> Gazetteer:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{source}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    return Gazetteer(parse_gazetteer(data, source))


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process."""
    text, source = _read_default()
    return _build(text, source)
