"""How far facts and text can tell one event's reports from another event's when their head counts differ.

    python bench/events_separability.py [--folds 5]

Event grouping joins reports that give the same head count, or none, readily; the pairs it misses on
``../shared/data/dev.jsonl`` are mostly reports of one mass event giving different running totals
("308 asked to go home", "over 1,400 left in five days"). Beside them sit reports of other events of the
same nationality in the same country with other figures: a group freed two years earlier, another flight.
This takes every pair of relevant items whose *labelled* victims' nationalities and countries overlap and
whose labelled counts differ (facts as a perfect extractor would give them), computes what the stories
stage could weigh — lead cosines (MiniLM, and the multilingual encoder), shared names and figures, how far
the counts are apart, status, places, years and months the openings name, whether one cites the other's
figure, language — and fits two scorers (logistic, gradient boosting) with cross-validation that keeps
each event's pairs in one fold (the held-out set has other events). It prints the ROC AUC and the best
precision at several recalls of the same-event pairs: a ceiling for any rule on these signals, before
dates are known.

``--classified DB`` takes the facts the classify stage extracted instead (a database from
``bench/stories_eval.py --keep-db DB``): what the stories stage actually has to go on.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stories_eval import load_dev  # noqa: E402
from stories_separability import precision_at  # noqa: E402

from classifier.stories.textsim import fingerprint, other_months, other_years, shared_names  # noqa: E402
from classifier.windows import lead_text  # noqa: E402
from crawler.app.config import Config  # noqa: E402

RECALLS = (0.25, 0.5, 0.75)
FEATURES = ("MiniLM cosine", "multilingual cosine", "shared names", "count ratio (log)", "smaller count (log)",
            "same status", "a place shared", "places named, none shared", "other years", "other months",
            "cites the other's figure", "same language", "nationality overlap")


def event_of(row: dict[str, Any]) -> str:
    """The item's event label (as ``bench/stories_eval.py`` reads it: its story, else itself)."""
    return row.get("event") or row.get("story") or row["id"]


def comparable(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Relevant reports of one nationality in one country with different head counts."""
    return bool(a["relevant"] and b["relevant"] and set(a["nationalities"]) & set(b["nationalities"])
                and set(a["locations"]) & set(b["locations"]) and a["count"] and b["count"]
                and a["count"] != b["count"])


def with_extracted_facts(rows: list[dict[str, Any]], path: Path) -> list[dict[str, Any]]:
    """``rows`` with the facts the classify stage stored for their URLs in database ``path``."""
    import sqlite_utils

    from classifier import queries

    db = sqlite_utils.Database(path)
    by_url = {url: item_id for item_id, url in db.execute("SELECT id, url FROM items")}
    columns = ("id", "relevant", "nationalities", "locations", "places", "count", "status")
    stored = {r["id"]: r for r in queries.classified(db, list(by_url.values()), columns)}
    out = []
    for row in rows:
        facts = stored.get(by_url.get(row["url"], -1))
        if facts is None:
            raise SystemExit(f"{path}: item {row['id']} is not classified there "
                             "(make the database with bench/stories_eval.py --keep-db)")
        out.append(row | {k: json.loads(facts[k] or "[]") for k in ("nationalities", "locations", "places")}
                   | {"relevant": bool(facts["relevant"]), "count": facts["count"], "status": facts["status"]})
    return out


def pairs(rows: list[dict[str, Any]], config: Config) -> tuple[np.ndarray, np.ndarray, list[str]]:
    from classifier.encoder import get_encoder
    from classifier.multilingual import get_multilingual
    leads = [lead_text(r["title"], r["text"], config.classifier.lead_words) for r in rows]
    english = get_encoder(config.classifier).encode(leads)
    multilingual = get_multilingual(config.classifier.multilingual_model).encode(leads)
    prints = [fingerprint(r["title"], r["text"]) for r in rows]
    features, same, groups = [], [], []
    for i, j in itertools.combinations(range(len(rows)), 2):
        a, b = rows[i], rows[j]
        if not comparable(a, b):
            continue
        pa, pb = prints[i], prints[j]
        places_a, places_b = set(a.get("places") or []), set(b.get("places") or [])
        nationalities_a, nationalities_b = set(a["nationalities"]), set(b["nationalities"])
        features.append((
            float(english[i] @ english[j]), float(multilingual[i] @ multilingual[j]),
            min(shared_names(pa, pb), 30) / 15, abs(math.log(a["count"] / b["count"])),
            math.log10(min(a["count"], b["count"])), float(a["status"] == b["status"]),
            float(bool(places_a & places_b)), float(bool(places_a and places_b and not places_a & places_b)),
            float(other_years(pa, pb)), float(other_months(pa, pb)),
            float(a["count"] in pb.numbers or b["count"] in pa.numbers), float(a["lang"] == b["lang"]),
            len(nationalities_a & nationalities_b) / len(nationalities_a | nationalities_b)))
        same.append(event_of(a) == event_of(b))
        groups.append(min(event_of(a), event_of(b)))
    return np.array(features), np.array(same), groups


def main() -> None:
    from sklearn.ensemble import GradientBoostingClassifier  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]
    from sklearn.model_selection import GroupKFold, cross_val_predict  # type: ignore[import-untyped]

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--classified", type=Path, help="read the extracted facts from this database")
    args = parser.parse_args()
    rows = load_dev() if args.classified is None else with_extracted_facts(load_dev(), args.classified)
    print(f"facts: {'extracted, ' + str(args.classified) if args.classified else 'labelled (a perfect extractor)'}")
    features, same, groups = pairs(rows, Config())
    events = [event_of(r) for r in rows]
    all_same = sum(1 for a, b in itertools.combinations(events, 2) if a == b)
    print(f"pairs of one nationality in one country, counts differing: {len(same)}; same event {int(same.sum())} "
          f"(of {all_same} same-event pairs in dev: {same.sum() / all_same:.2f} of event recall); "
          f"other events {int((~same).sum())}")
    positives = sorted({g for g, hit in zip(groups, same, strict=True) if hit})
    print(f"the same-event pairs come from {len(positives)} events")
    print("all features, cross-validated with each event's pairs in one fold: ROC AUC; best precision at recall "
          + " / ".join(f"{r:.2f}" for r in RECALLS))
    scorers = {"logistic": LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced"),
               "gradient boosting": GradientBoostingClassifier(max_depth=3, n_estimators=300, random_state=0)}
    for name, scorer in scorers.items():
        scores = cross_val_predict(scorer, features, same, cv=GroupKFold(args.folds), groups=groups,
                                   method="predict_proba")[:, 1]
        print(f"  {name:28s} {roc_auc_score(same, scores):.2f}   "
              + " / ".join(f"{precision_at(scores, same, r):.2f}" for r in RECALLS))
    print("each feature alone, ROC AUC of its value (below 0.5: it points to other events):")
    for n, name in enumerate(FEATURES):
        print(f"  {name:28s} {roc_auc_score(same, features[:, n]):.2f}")

if __name__ == "__main__":
    main()
