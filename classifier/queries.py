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
