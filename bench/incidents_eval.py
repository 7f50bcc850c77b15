"""Per-field accuracy of the incident extractor on ``../shared/data/dev.jsonl``.

Prints, overall and per language: nationality micro-F1 on held items, location micro-F1 on
relevant items, count and status accuracy on held items, and held precision/recall among
relevant items (relevance taken as given). Run::

    python bench/incidents_eval.py [--data PATH] [--errors FIELD]

``--errors nationalities`` (or locations, count, status, held) lists the misses by id.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_NAT_F1 = 0.85
sys.path.insert(0, str(ROOT))

from classifier.incidents import Incident, extract_incident  # noqa: E402


def shared_dir() -> Path:
    """``$SCAMWATCH_SHARED`` or ``../shared`` beside the repository."""
    return Path(os.environ.get("SCAMWATCH_SHARED") or ROOT.parent / "shared")


class Tally:
    """Counters for one slice of the data (all items, or one language)."""

    def __init__(self) -> None:
        self.n: defaultdict[str, int] = defaultdict(int)

    def f1(self, prefix: str) -> float | None:
        tp, fp, fn = (self.n[f"{prefix}_{k}"] for k in ("tp", "fp", "fn"))
        return None if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)

    def ratio(self, num: str, den: str) -> float | None:
        return None if self.n[den] == 0 else self.n[num] / self.n[den]

    def add_sets(self, prefix: str, gold: Iterable[str], pred: Iterable[str]) -> None:
        g, p = set(gold), set(pred)
        self.n[f"{prefix}_tp"] += len(g & p)
        self.n[f"{prefix}_fp"] += len(p - g)
        self.n[f"{prefix}_fn"] += len(g - p)


def score(row: dict, inc: Incident, tally: Tally) -> dict[str, bool]:
    """Add one item to a tally; return which fields were wrong."""
    wrong: dict[str, bool] = {}
    if not row["relevant"]:
        return wrong
    tally.n["relevant"] += 1
    tally.add_sets("loc", row["locations"], inc.locations)
    wrong["locations"] = set(row["locations"]) != set(inc.locations)
    tally.n["held_tp"] += row["held"] and inc.held
    tally.n["held_pred"] += inc.held
    tally.n["held_gold"] += row["held"]
    wrong["held"] = row["held"] != inc.held
    if row["held"]:
        tally.add_sets("nat", row["nationalities"], inc.nationalities)
        wrong["nationalities"] = set(row["nationalities"]) != set(inc.nationalities)
        tally.n["count_ok"] += row["count"] == inc.count
        tally.n["status_ok"] += row["status"] == inc.status
        wrong["count"] = row["count"] != inc.count
        wrong["status"] = row["status"] != inc.status
    return wrong


def line(name: str, t: Tally) -> str:
    def fmt(v: float | None) -> str:
        return "   -  " if v is None else f"{v:6.3f}"

    return (f"{name:8} {t.n['relevant']:4d} {t.n['held_gold']:4d}  {fmt(t.f1('nat'))}  "
            f"{fmt(t.f1('loc'))}  {fmt(t.ratio('count_ok', 'held_gold'))}  "
            f"{fmt(t.ratio('status_ok', 'held_gold'))}  {fmt(t.ratio('held_tp', 'held_pred'))}  "
            f"{fmt(t.ratio('held_tp', 'held_gold'))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=shared_dir() / "data" / "dev.jsonl")
    parser.add_argument("--errors", choices=["nationalities", "locations", "count", "status", "held"])
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"no labelled data at {args.data} (set SCAMWATCH_SHARED)", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line]
    overall = Tally()
    by_lang: defaultdict[str, Tally] = defaultdict(Tally)
    for row in rows:
        inc = extract_incident(row.get("title") or "", row.get("text") or "", row.get("lang"))
        wrong = score(row, inc, overall)
        score(row, inc, by_lang[row.get("lang") or "?"])
        if args.errors and wrong.get(args.errors):
            gold = row[args.errors]
            got = getattr(inc, args.errors)
            print(f"{row['id']} {row.get('lang')}: gold={gold} got={got} | {row['title'][:90]}")
    print("nat-F1: nationality micro-F1 on held items; loc-F1: location micro-F1 on relevant items;")
    print("count, status: accuracy on held items; held-P/R: held among relevant items.")
    print("slice    rel. held  nat-F1  loc-F1  count   status  held-P  held-R")
    print(line("all", overall))
    for lang in sorted(by_lang, key=lambda k: -by_lang[k].n["relevant"]):
        if by_lang[lang].n["relevant"]:
            print(line(lang, by_lang[lang]))
    f1 = overall.f1("nat") or 0.0
    print(f"goal nationality micro-F1 >= {GOAL_NAT_F1}: {'met' if f1 >= GOAL_NAT_F1 else 'NOT met'} ({f1:.3f})")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BrokenPipeError:  # output piped into head
        sys.stderr.close()
