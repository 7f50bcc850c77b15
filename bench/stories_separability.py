"""How far text evidence can tell copies of one article from other outlets' reports of one event.

    python bench/stories_separability.py [--folds 5]

Takes every pair of ``../shared/data/dev.jsonl`` items that share an ``event`` (or ``story``)
id or whose title+lead embeddings have cosine >= 0.6, computes the features the stories stage
uses (``textsim.pair_features``) plus sentence-level embedding alignment, and fits a logistic
scorer on them with cross-validation. It prints the best pairwise precision the scorer reaches
at several recalls of the "same story" pairs: an upper bound for any threshold on these
features, before clustering (which only adds transitive pairs).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stories_eval import load_dev  # noqa: E402

from classifier.stories.textsim import fingerprint, longest_increasing, pair_features  # noqa: E402
from classifier.windows import lead_text  # noqa: E402
from crawler.app.config import Config  # noqa: E402
from crawler.base.sentences import split_sentences  # noqa: E402

RECALLS = (0.5, 0.65, 0.8, 0.9)
FEATURES = ("cosine", "word Jaccard", "char-5 containment", "aligned sentences", "headline Jaccard",
            "sentence-embedding alignment", "mean best sentence cosine")


def sentence_vectors(rows: list[dict[str, Any]], encoder: Any) -> list[np.ndarray]:
    per_row = [[s for s in split_sentences(r["text"]) if len(s) >= 25] for r in rows]
    flat = encoder.encode([s for sentences in per_row for s in sentences])
    out, start = [], 0
    for sentences in per_row:
        out.append(np.asarray(flat[start:start + len(sentences)]))
        start += len(sentences)
    return out


def embedding_alignment(a: np.ndarray, b: np.ndarray, floor: float = 0.7) -> tuple[float, float]:
    """Share of the shorter text's sentences matched in order (cosine >= floor), and the mean best cosine."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    if len(a) > len(b):
        a, b = b, a
    sims = a @ b.T
    matched = [int(w) for w, best in zip(sims.argmax(1), sims.max(1), strict=True) if best >= floor]
    return longest_increasing(matched) / len(a), float(sims.max(1).mean())


def pairs(rows: list[dict[str, Any]], config: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from classifier.encoder import get_encoder
    encoder = get_encoder(config.classifier)
    leads = encoder.encode([lead_text(r["title"], r["text"], config.classifier.lead_words) for r in rows])
    sentences = sentence_vectors(rows, encoder)
    prints = [fingerprint(r["title"], r["text"]) for r in rows]
    features, same, same_event = [], [], []
    for i, j in itertools.combinations(range(len(rows)), 2):
        story_i, story_j = rows[i].get("story"), rows[j].get("story")
        event_i, event_j = rows[i].get("event") or story_i, rows[j].get("event") or story_j
        cosine = float(leads[i] @ leads[j])
        if not ((event_i and event_i == event_j) or cosine >= 0.6):
            continue
        alignment = embedding_alignment(sentences[i], sentences[j])
        features.append((*pair_features(prints[i], prints[j], cosine), *alignment))
        same.append(bool(story_i and story_i == story_j))
        same_event.append(bool(event_i and event_i == event_j))
    return np.array(features), np.array(same), np.array(same_event)


def precision_at(scores: np.ndarray, same: np.ndarray, recall: float) -> float:
    """Precision at the highest threshold that reaches ``recall`` of the same-story pairs."""
    order = np.argsort(-scores)
    hits = np.cumsum(same[order])
    k = int(np.searchsorted(hits, np.ceil(recall * same.sum())))
    return float(hits[k] / (k + 1))


def main() -> None:
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.model_selection import StratifiedKFold, cross_val_predict  # type: ignore[import-untyped]

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    features, same, same_event = pairs(load_dev(), Config())
    print(f"pairs: {len(same)}; same story {int(same.sum())}; "
          f"same event, other story {int((same_event & ~same).sum())}; unrelated {int((~same_event).sum())}")
    scorer = LogisticRegression(C=10, max_iter=5000, class_weight="balanced")
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=0)
    columns = {"all features": list(range(len(FEATURES)))} | {name: [n] for n, name in enumerate(FEATURES)}
    print("best pairwise precision of same-story pairs at recall " + " / ".join(f"{r:.2f}" for r in RECALLS))
    for label, cols in columns.items():
        scores = cross_val_predict(scorer, features[:, cols], same, cv=folds, method="predict_proba")[:, 1]
        print(f"  {label:30s} " + " / ".join(f"{precision_at(scores, same, r):.2f}" for r in RECALLS))


if __name__ == "__main__":
    main()
