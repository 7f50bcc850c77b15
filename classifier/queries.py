"""What the classify stage offers the stages downstream: how to name what it extracted.

Downstream stages import this module, never the classifier's internals.
"""

from __future__ import annotations

from functools import cache

from classifier.countries import COUNTRIES


@cache
def plural_demonyms() -> dict[str, str]:
    """Country name → plural demonym ('Indonesia' → 'Indonesians', 'China' → 'Chinese nationals')."""
    out: dict[str, str] = {}
    for country in COUNTRIES:
        if not country.adjectives:
            continue
        adjective = country.adjectives[0]
        plural = adjective + "s"
        out[country.name] = plural if plural in country.people else f"{adjective} nationals"
    return out


# --- Places (for the stories stage's event grouping) -------------------------------------------

def places_in(text: str) -> list[str]:
    """Canonical names of the gazetteer's compounds, towns and regions named in ``text``: places of
    captivity (cities are left out, where embassies and ministries are named, and transit points)."""
    from classifier.gazetteer import default_gazetteer
    found = (m.place for m in default_gazetteer().find(text or ""))
    return list(dict.fromkeys(p.name for p in found if p.kind in ("compound", "town", "region")))


def place_chain(name: str) -> tuple[str, ...]:
    """A place and what contains it, most specific first: ('KK Park', 'Myawaddy', 'Myanmar');
    a name the gazetteer does not know stands alone (a country is its own chain)."""
    from classifier.gazetteer import default_gazetteer
    gazetteer = default_gazetteer()
    chain: list[str] = []
    place = gazetteer.by_name(name)
    while place is not None and place.name not in chain:
        chain.append(place.name)
        parent = getattr(place, "parent", None)
        if not parent:
            break
        place = gazetteer.by_name(parent)
        if place is None:
            chain.append(parent)
    if not chain:
        return (name,)
    last = gazetteer.by_name(chain[-1])
    country = last.country if last is not None else None
    return (*chain, country) if country and country not in chain else tuple(chain)
