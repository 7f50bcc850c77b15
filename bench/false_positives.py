"""Flagged fraction on real general-news corpora, where every flag is a false positive.

Corpora (from ``../shared/corpus/news``): the AG News test split (title + description), the
Reuters-21578 newswire (title + full body, so body windows are scored too) and the real news
headlines of the Clickbait corpus. Goal: below 0.2 % flagged (band 'alert').

    python bench/false_positives.py [--limit N] [--head FILE] [--show 10]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCAMWATCH_SHARED", REPO.parent / "shared")).resolve()
NEWS = SHARED / "corpus" / "news"
_REUTERS = re.compile(r"<REUTERS.*?</REUTERS>", re.S)
_TAG = re.compile(r"<(TITLE|BODY)>(.*?)</\1>", re.S)


def ag_news(limit: int | None = None) -> Iterator[tuple[str, str]]:
    """AG News test split: (title, description)."""
    with (NEWS / "ag_news" / "test.csv").open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.reader(fh)):
            if limit is not None and n >= limit:
                return
            yield row[1], row[2].replace("\\", " ")


def reuters(limit: int | None = None) -> Iterator[tuple[str, str]]:
    """Reuters-21578 articles that have a body: (title, body)."""
    count = 0
    for path in sorted((NEWS / "reuters21578").glob("reut2-*.sgm.gz")):
        text = gzip.open(path, "rb").read().decode("latin-1")
        for doc in _REUTERS.findall(text):
            parts = {tag: html.unescape(value).strip() for tag, value in _TAG.findall(doc)}
            body = re.sub(r"\s+Reuter\s*$", "", parts.get("BODY", "")).strip()
            if not body:
                continue
            if limit is not None and count >= limit:
                return
            count += 1
            yield parts.get("TITLE", "").title(), body


def headlines(limit: int | None = None) -> Iterator[tuple[str, str]]:
    """The real news headlines of the Clickbait corpus: (headline, '')."""
    with gzip.open(NEWS / "clickbait" / "non_clickbait_data.gz", "rt", encoding="utf-8") as fh:
        lines = (line.strip() for line in fh)
        for n, line in enumerate(line for line in lines if line):
            if limit is not None and n >= limit:
                return
            yield line, ""


CORPORA = {"ag_news": ag_news, "reuters21578": reuters, "headlines": headlines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="At most this many items per corpus")
    parser.add_argument("--head", help="Head file (default: as the config selects)")
    parser.add_argument("--show", type=int, default=10, help="Flagged items to list per corpus")
    args = parser.parse_args()
    sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
    from classifier.config import ClassifierConfig
    from classifier.head import Head
    from classifier.pipeline import Classifier

    clf = Classifier(ClassifierConfig(), head=Head.load(Path(args.head)) if args.head else None)
    print(f"classifier {clf.id}, alert_threshold {clf.cfg.alert_threshold}")
    total_flagged = total = 0
    for name, load in CORPORA.items():
        items = list(load(args.limit))
        start = time.perf_counter()
        scores = []
        for at in range(0, len(items), 256):
            chunk = [clf.texts(t, x) for t, x in items[at:at + 256]]
            scores.extend(float(s) for s in clf.score(chunk).scores)
        flagged = [(s, items[i][0]) for i, s in enumerate(scores) if s >= clf.cfg.alert_threshold]
        review = sum(clf.cfg.review_threshold <= s < clf.cfg.alert_threshold for s in scores)
        total_flagged, total = total_flagged + len(flagged), total + len(items)
        print(f"{name:14} {len(items):6} items  flagged {len(flagged):4} = {100 * len(flagged) / len(items):.3f} %"
              f"  (review band {100 * review / len(items):.2f} %)  {time.perf_counter() - start:.0f} s")
        for score, title in sorted(flagged, reverse=True)[: args.show]:
            print(f"    {score:.3f}  {title[:100]}")
    print(f"{'all':14} {total:6} items  flagged {total_flagged:4} = {100 * total_flagged / total:.3f} % (goal < 0.2 %)")


if __name__ == "__main__":
    main()
