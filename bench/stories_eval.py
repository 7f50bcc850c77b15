"""Story grouping quality on ../shared/data/dev.jsonl: pairwise precision and recall.

    python bench/stories_eval.py [--fields gold|none|classifier] [--encoder real|hashing] [--fit]

Imports every dev item in one go (all with the same fetch time, as dev has no dates),
runs the stories stage and compares its grouping with the labels: "same story" pairs
against ``story`` ids (items without one are singletons), and event-level figures
(same story or linked as related, against ``event`` ids). ``--fields`` chooses where
nationalities/locations/count come from (the classifier when present, else the labels
or nothing). ``--fit`` refits the logistic weights of ``textsim`` on dev pairs and prints them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("SCAMWATCH_SHARED", REPO.parent / "shared")).resolve()

from classifier.stories.stage import group_pending  # noqa: E402
from crawler.app.config import Config  # noqa: E402
from crawler.app.database import open_db  # noqa: E402
from tests.seed import HashingEncoder, insert_classified  # noqa: E402

FIELDS = ("relevant", "held", "nationalities", "locations", "count", "status")


def load_dev() -> list[dict[str, Any]]:
    with (SHARED / "data" / "dev.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def encode(rows: list[dict[str, Any]], which: str, config: Config) -> Any:
    """Title+lead vectors, as the classify stage stores them."""
    from classifier.windows import lead_text
    texts = [lead_text(r["title"], r["text"], config.classifier.lead_words) for r in rows]
    if which == "hashing":
        return HashingEncoder().encode(texts)
    from classifier.encoder import get_encoder
    return get_encoder(config.classifier).encode(texts)


def with_fields(rows: list[dict[str, Any]], which: str, config: Config) -> list[dict[str, Any]]:
    if which == "gold":
        return rows
    stripped = [{k: v for k, v in r.items() if k not in FIELDS} for r in rows]
    return stripped


def pair_scores(labels: list[str | None], predicted: list[set[int]]) -> tuple[float, float, int, int, int]:
    """Pairwise precision/recall of ``predicted`` (per item: the items it is grouped with)."""
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(labels)), 2):
        same = labels[i] is not None and labels[i] == labels[j]
        together = j in predicted[i]
        tp, fp, fn = tp + (same and together), fp + (together and not same), fn + (same and not together)
    return tp / max(1, tp + fp), tp / max(1, tp + fn), tp, fp, fn


def run_import(config: Config, db: Any, rows: list[dict[str, Any]]) -> list[int]:
    """``scamwatch import`` path: items via the importer, then the real classify stage."""
    from classifier.stage import classify_pending
    from crawler.gather.importer import import_lines
    keys = ("id", "title", "text", "url", "lang")
    lines = [json.dumps({k: r[k] for k in keys if r.get(k) is not None}) for r in rows]
    report = import_lines(db, lines)
    assert not report.errors and report.imported == len(rows), (report.errors, report.duplicates)
    classify_pending(config, db)
    return report.item_ids


def group(args: argparse.Namespace, rows: list[dict[str, Any]]) -> tuple[list[int], dict[int, int], set[Any], Any,
                                                                        float]:
    config = Config()
    config.stories.merge_events = not args.no_event_merge
    if args.threshold is not None:
        config.stories.match_threshold = args.threshold
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "eval.db")
        if args.via == "import":
            ids = run_import(config, db, rows)
        else:
            ids = insert_classified(db, with_fields(rows, args.fields, config), encode(rows, args.encoder, config))
        if args.fit:
            fit(db, ids, rows)
        start = time.perf_counter()
        report = group_pending(config, db)
        elapsed = time.perf_counter() - start
        story = {i: s for i, s in db.execute(
            "SELECT id, story_id FROM items LEFT JOIN story_index ON story_index.item_id = items.id")}
        links = {(a, b) for a, b in db.execute("SELECT story_id, related_id FROM story_links")}
    return ids, story, links, report, elapsed


def fit(db: Any, ids: list[int], rows: list[dict[str, Any]]) -> None:
    """Refit the logistic weights of textsim on candidate pairs (cosine >= 0.5) and print them."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    from classifier.stories import store
    from classifier.stories.textsim import fingerprint, pair_features
    vectors = store.load_vectors(db, ids)
    prints = [fingerprint(r["title"], r["text"]) for r in rows]
    features, labels = [], []
    for i, j in itertools.combinations(range(len(ids)), 2):
        cos = float(vectors[ids[i]] @ vectors[ids[j]])
        if cos >= 0.5:
            features.append(pair_features(prints[i], prints[j], cos))
            labels.append(int(rows[i].get("story") is not None and rows[i].get("story") == rows[j].get("story")))
    model = LogisticRegression(C=10, max_iter=5000, class_weight="balanced").fit(np.array(features), labels)
    weights = tuple(round(float(w), 2) for w in model.coef_[0])
    print("WEIGHTS =", weights, " BIAS =", round(float(model.intercept_[0]), 2))


def evaluate(args: argparse.Namespace) -> None:
    rows = load_dev()
    try:
        ids, story, links, report, elapsed = group(args, rows)
    except Exception as exc:  # the classify stage (or its head) is not usable here
        if args.via != "import":
            raise
        print(f"classify stage not usable ({type(exc).__name__}: {exc}); using --via seed --fields {args.fields}")
        args.via = "seed"
        ids, story, links, report, elapsed = group(args, rows)
    members: dict[int, set[int]] = {}
    for n, item_id in enumerate(ids):
        members.setdefault(story[item_id], set()).add(n)
    same_story = [members[story[i]] for i in ids]
    same_event = [set().union(*(members[s] for s in members if s == story[i] or (story[i], s) in links))
                  for i in ids]
    print(f"dev items: {len(ids)}; stories: {len(members)}; stage time {elapsed:.2f}s; {report}")
    print(f"via: {args.via}" + (f"; fields: {args.fields}; encoder: {args.encoder}" if args.via == "seed" else ""))
    p, r, tp, fp, fn = pair_scores([x.get("story") for x in rows], same_story)
    print(f"story pairs:  precision {p:.3f}  recall {r:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    ev = [x.get("event") or x.get("story") for x in rows]
    cross = sum(1 for i, j in itertools.combinations(range(len(ids)), 2)
                if j in same_story[i] and (ev[i] is None or ev[i] != ev[j]))
    print(f"  of the {fp} false story pairs, {fp - cross} join reports of one event (same event id), "
          f"{cross} join different events")
    p, r, tp, fp, fn = pair_scores(ev, same_story)
    print(f"event pairs, grouped in one story:          precision {p:.3f}  recall {r:.3f}")
    p, r, tp, fp, fn = pair_scores(ev, same_event)
    print(f"event pairs, same story or linked related:  precision {p:.3f}  recall {r:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--via", choices=("import", "seed"), default="import",
                        help="import: importer + real classify stage; seed: insert classified rows directly")
    parser.add_argument("--fields", choices=("gold", "none"), default="gold",
                        help="seed: nationalities/locations/count from the labels or none")
    parser.add_argument("--encoder", choices=("real", "hashing"), default="real", help="seed: embeddings")
    parser.add_argument("--no-event-merge", action="store_true", help="stories.merge_events = false")
    parser.add_argument("--threshold", type=float, help="stories.match_threshold to use (default: config's)")
    parser.add_argument("--fit", action="store_true", help="refit and print textsim's logistic weights")
    args = parser.parse_args()
    evaluate(args)


if __name__ == "__main__":
    main()
