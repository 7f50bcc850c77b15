"""Classify throughput on 2 CPU cores, against the bare model on the same texts.

Two workloads: headline+lead items (AG News test split: title + description) and full article
bodies (Reuters-21578 articles of at least 250 words: title+lead plus body windows). For each,
items/s through ``Classifier.classify`` (embedding, head, keyword prior, incident extraction)
and items/s of bare ``model.encode`` on exactly the texts the classifier embeds, and their
ratio (goal >= 0.9). Then the languages (issue 12): English headline+lead items and the
other-language items of ``../shared/data/dev.jsonl`` through today's path (MiniLM alone) and
through the routed one (language identification; other languages also through the
multilingual encoder), their ratio (goal >= 0.6 on headline+lead) and where the time goes.
Then the classify stage on a temporary database: first pass, and a second pass over the same
items after resetting them (no lead is embedded again). Peak memory last.

    python bench/classify.py [--items 1000] [--articles 200] [--precision float32|bfloat16]
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# bench/ holds scripts named like the packages (alerts.py…): import the packages, not them.
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
_spec = importlib.util.spec_from_file_location("false_positives", REPO / "bench" / "false_positives.py")
assert _spec and _spec.loader
corpora = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpora)
ag_news, reuters = corpora.ag_news, corpora.reuters


def best_times(runs: int, *fns: Callable[[], object]) -> list[float]:
    """Shortest wall time of each function over ``runs`` interleaved rounds.

    The machine is shared: interleaving exposes every function to the same load, and the
    minimum is the least disturbed run.
    """
    best = [float("inf")] * len(fns)
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def overhead(clf, records: list[dict]) -> float:  # noqa: ANN001
    """Seconds per item the classifier spends outside the model (windows, head, keywords, incidents)."""
    import numpy as np

    from classifier.pipeline import Classifier

    class NoModel:
        name, dim = clf.encoder.name, clf.encoder.dim

        def encode(self, texts: list[str]) -> np.ndarray:
            return np.full((len(texts), self.dim), self.dim ** -0.5, dtype=np.float32)

    bare = Classifier(clf.cfg, NoModel(), clf.head)
    return best_times(3, lambda: bare.classify(records))[0] / len(records)


def compare(clf, name: str, records: list[dict], runs: int) -> None:  # noqa: ANN001
    """Print classify vs bare-encode throughput on ``records``."""
    texts = [t for r in records for t in (lambda it: [it.lead, *it.windows])(clf.texts(r["title"], r["text"]))]
    model, batch = clf.encoder.model, clf.encoder.batch_size

    def bare() -> object:
        return model.encode(texts, batch_size=batch, normalize_embeddings=True, show_progress_bar=False)

    def pipeline() -> object:
        return [clf.classify(records[at:at + 256]) for at in range(0, len(records), 256)]

    bare(), pipeline()  # warm up
    t_bare, t_pipe = best_times(runs, bare, pipeline)
    n = len(records)
    print(f"{name}: {n} items, {len(texts)} texts embedded ({len(texts) / n:.2f} per item)")
    print(f"  classify      {n / t_pipe:8.1f} items/s")
    print(f"  model.encode  {n / t_bare:8.1f} items/s  ({len(texts) / t_bare:.1f} texts/s)")
    print(f"  ratio         {t_bare / t_pipe:8.3f}  (goal >= 0.9)")
    extra = overhead(clf, records)
    print(f"  work outside the model: {1000 * extra:.2f} ms/item = {100 * extra * n / t_bare:.1f} % of model time "
          f"(ratio bound {t_bare / (t_bare + extra * n):.3f})")


def other_language_items(limit: int) -> list[dict]:
    """Title and text of the items of dev.jsonl not in English (read at run time, never copied)."""
    import json

    path = corpora.SHARED / "data" / "dev.jsonl"
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [{"id": r["id"], "title": r.get("title") or "", "text": r.get("text") or ""}
            for r in rows if r.get("lang") not in (None, "en")][:limit]


def languages(clf, short: list[dict], other: list[dict], runs: int) -> None:  # noqa: ANN001
    """Items/s of today's path (MiniLM alone) against the routed one, and where the routed time goes."""
    from classifier.language import detect_language
    from classifier.pipeline import Classifier

    base = Classifier(clf.cfg, clf.encoder, clf.head, route=None)
    leads = [(r["title"] + ". " + r["text"]) for r in short]
    for name, records in (("headline+lead (AG News, English)", short), ("other languages (dev.jsonl)", other)):
        def today(records: list[dict] = records) -> object:
            return [base.classify(records[at:at + 256]) for at in range(0, len(records), 256)]

        def routed(records: list[dict] = records) -> object:
            return [clf.classify(records[at:at + 256]) for at in range(0, len(records), 256)]

        today(), routed()
        t_today, t_routed = best_times(runs, today, routed)
        n = len(records)
        print(f"{name}: {n} items: MiniLM alone {n / t_today:.1f} items/s, routed {n / t_routed:.1f} items/s, "
              f"ratio {t_today / t_routed:.3f}" + ("  (goal >= 0.6)" if records is short else ""))
    if clf.route is None:
        return
    split = [clf.texts(r["title"], r["text"]) for r in other]
    texts = [t for it in split for t in (it.lead, *it.windows)]
    t_detect, t_minilm, t_use = best_times(
        runs, lambda: [detect_language(x) for x in leads], lambda: clf.encoder.encode([it.lead for it in split]),
        lambda: clf.route.encoder.encode(texts))
    print(f"  where the time goes: language identification {1000 * t_detect / len(leads):.2f} ms/item (English "
          f"headline+lead); other languages: {len(texts) / len(other):.2f} texts/item, multilingual encoder "
          f"{len(texts) / t_use:.1f} texts/s ({1000 * t_use / len(other):.0f} ms/item), MiniLM lead "
          f"{1000 * t_minilm / len(other):.0f} ms/item")


def stage(clf, records: list[dict]) -> None:  # noqa: ANN001
    """The classify stage on a temporary database: a first pass, then a re-run with nothing re-embedded."""
    from classifier.stage import classify_pending
    from crawler.app.config import load_config
    from crawler.app.database import open_db

    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(db=str(Path(tmp) / "bench.db"))
        db = open_db(config.db_path)
        db["items"].insert_all({"canonical_url": f"https://example.org/{n}", "title": r["title"], "text": r["text"]}
                               for n, r in enumerate(records))
        start = time.perf_counter()
        first = classify_pending(config, db, classifier=clf)
        t_first = time.perf_counter() - start
        db.execute("DELETE FROM classifications")
        db.conn.commit()
        start = time.perf_counter()
        second = classify_pending(config, db, classifier=clf)
        t_second = time.perf_counter() - start
        db.close()
    print(f"stage: first pass {first.classified / t_first:.1f} items/s ({first.embedded} leads embedded); "
          f"re-run {second.classified / t_second:.1f} items/s ({second.embedded} embedded, {second.reused} reused)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1000, help="headline+lead items")
    parser.add_argument("--articles", type=int, default=200, help="full articles")
    parser.add_argument("--runs", type=int, default=2, help="timed runs per measurement (best is kept)")
    parser.add_argument("--other", type=int, default=100, help="other-language items (from dev.jsonl)")
    parser.add_argument("--precision", default="float32", choices=["float32", "bfloat16"])
    args = parser.parse_args()

    import torch

    torch.set_num_threads(2)
    from classifier.config import ClassifierConfig
    from classifier.pipeline import Classifier

    clf = Classifier(ClassifierConfig(precision=args.precision))
    print(f"classifier {clf.id}; precision {args.precision}; torch threads {torch.get_num_threads()}")
    short = [{"id": n, "title": t, "text": x} for n, (t, x) in enumerate(ag_news(args.items))]
    articles = [r for r in reuters() if len(r[1].split()) >= 250][: args.articles]
    long = [{"id": n, "title": t, "text": x} for n, (t, x) in enumerate(articles)]
    compare(clf, "headline+lead (AG News)", short, args.runs)
    compare(clf, "full articles (Reuters >= 250 words)", long, args.runs)
    languages(clf, short[:300], other_language_items(args.other), args.runs)
    stage(clf, short[: min(len(short), 500)])
    if args.precision == "bfloat16":
        exact = Classifier(ClassifierConfig())
        texts = [r["title"] + ". " + r["text"] for r in short[:200]]
        cosine = (exact.encoder.encode(texts) * clf.encoder.encode(texts)).sum(axis=1)
        print(f"bfloat16 vs float32 embeddings: min cosine {cosine.min():.5f}, mean {cosine.mean():.5f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
