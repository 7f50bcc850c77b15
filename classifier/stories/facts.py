"""What a report says happened, in language-neutral terms: the interface event grouping reads.

:class:`Facts` holds who (victims' nationalities), where (countries, and places of captivity with
the places containing them), how many, what status and when. It is built from the classify
stage's columns; places come from ``items.places`` when the classify stage stores them, else
from the gazetteer places named in the headline and opening (:func:`classifier.queries.places_in`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from classifier.queries import place_chain, places_in
from classifier.stories.store import PendingItem

LEAD_CHARS = 600  # places named further down are usually background (earlier raids, other hubs)

# Status stages in the order an episode moves through them; an advance is news.
STAGES = {"held": 0, "detained_after_rescue": 1, "rescued": 1, "awaiting_repatriation": 2, "repatriated": 3}


@lru_cache(maxsize=4096)
def chain(place: str) -> tuple[str, ...]:
    """The place and every place containing it, ending with its country."""
    return place_chain(place)


def lead_places(title: str | None, text: str | None) -> list[str]:
    """Places of captivity named in the headline and the opening of ``text``."""
    return places_in(f"{title or ''}\n{(text or '')[:LEAD_CHARS]}")


@dataclass(frozen=True)
class Facts:
    """Who, where, how many, what status and when one report (or a story) tells."""

    nationalities: frozenset[str]
    countries: frozenset[str]
    places: frozenset[str]
    count: int | None
    status: str | None
    ts: float
    lang: str | None = None
    years: frozenset[int] = frozenset()  # years the report's opening names

    @property
    def areas(self) -> frozenset[str]:
        """Every place and country this report puts the victims in, containing places included."""
        return frozenset(self.countries | {p for place in self.places for p in chain(place)})

    def other_language(self, other: Facts) -> bool:
        """Both languages are known and differ."""
        return bool(self.lang and other.lang and self.lang.split("-")[0] != other.lang.split("-")[0])

    def same_victims(self, other: Facts) -> bool:
        return bool(self.nationalities & other.nationalities)

    def places_compatible(self, other: Facts) -> bool:
        """No contradiction on where: a place is compatible with the places containing it and with
        its country; a report without a place or country is compatible with any."""
        if self.places and other.places:
            mine = {p for place in self.places for p in chain(place)}
            theirs = {p for place in other.places for p in chain(place)}
            if not (self.places & theirs or other.places & mine):
                return False
        if self.countries and other.countries:
            return bool(self.areas & other.areas)
        return True

    def shares_place(self, other: Facts) -> bool:
        """Both name a place of captivity and one contains (or is) the other."""
        return bool(self.places and other.places and (
            self.places & {p for place in other.places for p in chain(place)}
            or other.places & {p for place in self.places for p in chain(place)}))


def item_facts(item: PendingItem, places: list[str] | None = None, lang: str | None = None,
               years: frozenset[int] = frozenset()) -> Facts:
    """The facts of a classified item (``places``: as the classify stage stored them, if it does)."""
    found = places if places is not None else lead_places(item.title, item.text)
    return Facts(frozenset(n for n in item.nationalities if n), frozenset(c for c in item.locations if c),
                 frozenset(found), item.count, item.status, item.ts, lang, years)

