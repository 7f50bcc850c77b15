"""Benchmark items for the stories stage, made from the news corpora in ../shared/corpus/news.

Distinct articles come from Reuters-21578 (title + body), AG News (title + description) and
the headline lists; syndicated copies are variants of them: other boilerplate around the
text, a rewritten headline, dropped words, a truncated end.
"""

from __future__ import annotations

import csv
import gzip
import html
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCAMWATCH_SHARED", REPO.parent / "shared")).resolve()
NEWS = SHARED / "corpus" / "news"

_REUTERS = re.compile(r"<TITLE>(.*?)</TITLE>.*?<BODY>(.*?)</BODY>", re.S)
PREFIXES = ["", "Advertisement. ", "Share on social media. ", "(Wire service) ", "Breaking: ", "From our partners: "]
SUFFIXES = ["", " Subscribe for more.", " Read more on our website.", " Copyright the agency. All rights reserved.",
            " Follow us for updates.", " Related coverage below."]
COUNTRIES = ["Kenya", "Uganda", "Indonesia", "Philippines", "Viet Nam", "Nepal", "Sri Lanka", "Ethiopia"]
PLACES = ["Myanmar", "Cambodia", "Laos", "Thailand"]


def reuters() -> Iterator[tuple[str, str]]:
    for path in sorted((NEWS / "reuters21578").glob("reut2-*.sgm.gz")):
        raw = gzip.open(path, "rt", encoding="latin-1").read()
        for title, body in _REUTERS.findall(raw):
            yield html.unescape(title).strip(), " ".join(html.unescape(body).split()).replace(" Reuter", "")


def ag_news() -> Iterator[tuple[str, str]]:
    with (NEWS / "ag_news" / "test.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) == 3:
                yield row[1], row[2].replace("\\", " ")


def headlines() -> Iterator[tuple[str, str]]:
    for name in ("clickbait_data.gz", "non_clickbait_data.gz"):
        lines = [x.strip() for x in gzip.open(NEWS / "clickbait" / name, "rt", encoding="utf-8") if x.strip()]
        for i in range(0, len(lines) - 4, 4):  # four headlines make a short "brief"
            yield lines[i], " ".join(lines[i:i + 4])


def base_articles() -> list[tuple[str, str]]:
    """Every distinct article the corpora give (about 50k)."""
    seen: set[str] = set()
    out = []
    for title, text in [*reuters(), *ag_news(), *headlines()]:
        if len(text) > 80 and text not in seen:
            seen.add(text)
            out.append((title, text))
    return out


def variant(title: str, text: str, rng: random.Random) -> tuple[str, str]:
    """A syndicated copy: new boilerplate, maybe a new headline, a few dropped words, maybe trimmed."""
    words = text.split()
    kept = [w for w in words if rng.random() > 0.03]
    if len(kept) > 60 and rng.random() < 0.3:
        kept = kept[: int(len(kept) * rng.uniform(0.6, 0.9))]
    body = rng.choice(PREFIXES) + " ".join(kept) + rng.choice(SUFFIXES)
    if rng.random() < 0.5:
        title = rng.choice(["Update: ", "Report: ", ""]) + title.title()
    return title, body


def fields(rng: random.Random) -> dict[str, Any]:
    """Classifier output: a few percent relevant, some of them nationals held."""
    if rng.random() > 0.03:
        return {"relevant": False, "score": round(rng.random() * 0.4, 3)}
    return {"relevant": True, "score": 0.9, "held": rng.random() < 0.6, "nationalities": [rng.choice(COUNTRIES)],
            "locations": [rng.choice(PLACES)], "count": rng.randint(5, 300), "status": "held"}


def make_items(n: int, bases: list[tuple[str, str]], rng: random.Random, copy_share: float = 0.4,
               start: int = 0) -> list[dict[str, Any]]:
    """``n`` items: distinct articles (taken in turn from ``bases``) and copies of recent ones."""
    items: list[dict[str, Any]] = []
    originals: list[int] = []
    for k in range(n):
        extra: dict[str, Any]
        if originals and rng.random() < copy_share:
            src = items[rng.choice(originals[-2000:])]
            title, text = variant(src["title"], src["text"], rng)
            extra = {key: src[key] for key in ("relevant", "score", "held", "nationalities", "locations", "count",
                                               "status") if key in src}
        else:
            title, text = bases[(start + k) % len(bases)]
            if (start + k) >= len(bases):  # corpus exhausted: reuse with edits, still a distinct item
                title, text = variant(title, f"{k} {text}", rng)
            extra = fields(rng)
            originals.append(len(items))
        items.append({"id": f"b{start + k}", "title": title, "text": text, "source": f"outlet{rng.randint(1, 300)}",
                      "canonical_url": f"https://bench.example.org/{start + k}", **extra})
    return items
