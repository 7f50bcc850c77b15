"""Extraction quality and speed over the saved real pages in ../shared/corpus/pages.

Run from the repository root::

    python -m bench.extract            # all three page sets
    python -m bench.extract fundus     # one set: fundus, aeb, trafeval

Prints, per set: pages, title match (fundus), body token-F1 (fundus, aeb), snippet
recall/rejection (trafeval), the share of pages where trafilatura supplied the text,
and extraction time per page (median, p95, max; CPU and wall clock).  tests/test_extract.py asserts floors
on the same measurements, using the loaders and scorers defined here.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crawler.base.fingerprint import normalise_text
from crawler.gather.extract import Article, extract_article

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Page:
    """One saved page and what a correct extraction of it must give."""

    path: Path
    url: str
    title: str | None = None
    body: str | None = None
    must_have: list[str] = field(default_factory=list)
    must_not_have: list[str] = field(default_factory=list)

    def html(self) -> bytes:
        data = self.path.read_bytes()
        return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def corpus_dir() -> Path:
    shared = Path(os.environ.get("SCAMWATCH_SHARED", REPO.parent / "shared"))
    return shared.resolve() / "corpus"


def _manifest_pages(corpus: Path, folder: str) -> Iterator[dict]:
    manifest = json.loads((corpus / "manifest.json").read_text("utf-8"))
    for entry in manifest["files"]:
        if entry["kind"] == "page" and entry["path"].startswith(f"pages/{folder}/") and entry.get("ground_truth"):
            yield entry


def _load_truth(corpus: Path, cache: dict[str, dict], rel: str) -> dict:
    if rel not in cache:
        cache[rel] = json.loads((corpus / rel).read_text("utf-8"))
    return cache[rel]


def fundus_pages(corpus: Path) -> list[Page]:
    """Fundus pages with the title and body paragraphs of their parser version."""
    cache: dict[str, dict] = {}
    pages = []
    for entry in _manifest_pages(corpus, "fundus"):
        truth = _load_truth(corpus, cache, entry["ground_truth"])[entry["ground_truth_key"]]
        body = truth.get("body") or {}
        paragraphs = list(body.get("summary") or [])
        for section in body.get("sections") or []:
            paragraphs += section.get("headline") or []
            paragraphs += section.get("paragraphs") or []
        pages.append(Page(corpus / entry["path"], entry["url"], truth.get("title"), "\n".join(paragraphs)))
    return pages


def aeb_pages(corpus: Path) -> list[Page]:
    """article-extraction-benchmark pages with their reference ``articleBody``."""
    cache: dict[str, dict] = {}
    pages = []
    for entry in _manifest_pages(corpus, "article-extraction-benchmark"):
        truth = _load_truth(corpus, cache, entry["ground_truth"])[entry["ground_truth_key"]]
        pages.append(Page(corpus / entry["path"], entry.get("url") or truth.get("url", ""), body=truth["articleBody"]))
    return pages


def trafeval_pages(corpus: Path) -> list[Page]:
    """trafilatura-eval pages with the snippets a good extraction must / must not contain."""
    cache: dict[str, dict] = {}
    pages = []
    for entry in _manifest_pages(corpus, "trafilatura-eval"):
        truth = _load_truth(corpus, cache, entry["ground_truth"])[entry["ground_truth_key"]]
        pages.append(Page(corpus / entry["path"], entry["url"], must_have=list(truth.get("with") or []),
                          must_not_have=list(truth.get("without") or [])))
    return pages


def title_matches(extracted: str | None, expected: str | None) -> bool:
    """Same title once normalised; a site name added before/after the headline is tolerated."""
    got, want = normalise_text(extracted), normalise_text(expected)
    if not got or not want:
        return False
    return got == want or (want in got and len(want) >= 0.5 * len(got))


def token_f1(extracted: str, expected: str) -> float:
    """Token-level F1 of two texts (bag of normalised words), as the AEB benchmark scores."""
    got, want = Counter(normalise_text(extracted).split()), Counter(normalise_text(expected).split())
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def snippet_scores(text: str, page: Page) -> tuple[int, int, int, int]:
    """(found wanted, all wanted, found unwanted, all unwanted) snippets, whitespace-insensitive."""
    flat = " ".join(text.split())

    def found(snippet: str) -> bool:
        return " ".join(snippet.split()) in flat

    return (sum(map(found, page.must_have)), len(page.must_have),
            sum(map(found, page.must_not_have)), len(page.must_not_have))


def run(page: Page) -> tuple[Article, float, float]:
    """Extract ``page`` from its bytes; return the article, CPU seconds and wall seconds.

    CPU time is the stable figure on a shared machine; wall time includes waiting for a core.
    """
    html = page.html()
    cpu, wall = time.process_time(), time.perf_counter()
    article = extract_article(html, page.url)
    return article, time.process_time() - cpu, time.perf_counter() - wall


def _timing(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"


def report(name: str, pages: list[Page]) -> tuple[list[float], list[float]]:
    """Print one set's figures; return its per-page CPU and wall times."""
    cpu_times, wall_times, f1s, titles, trafilatura_used = [], [], [], 0, 0
    snippets = [0, 0, 0, 0]
    for page in pages:
        article, cpu, wall = run(page)
        cpu_times.append(cpu)
        wall_times.append(wall)
        trafilatura_used += article.method == "trafilatura" and not article.error
        if page.title is not None:
            titles += title_matches(article.title, page.title)
        if page.body is not None:
            f1s.append(token_f1(article.text, page.body))
        snippets = [a + b for a, b in zip(snippets, snippet_scores(article.text, page), strict=True)]
    n = len(pages)
    print(f"{name}: {n} pages; trafilatura text on {trafilatura_used / n:.1%}")
    if any(p.title is not None for p in pages):
        print(f"  title match {titles / n:.1%}")
    if f1s:
        print(f"  body token-F1 mean {statistics.mean(f1s):.3f}, median {statistics.median(f1s):.3f}")
    if snippets[1]:
        print(f"  wanted snippets found {snippets[0] / snippets[1]:.1%}; "
              f"unwanted snippets absent {1 - snippets[2] / max(1, snippets[3]):.1%}")
    print(f"  CPU per page: {_timing(cpu_times)}")
    print(f"  wall per page: {_timing(wall_times)}")
    return cpu_times, wall_times


SETS = {"fundus": fundus_pages, "aeb": aeb_pages, "trafeval": trafeval_pages}


def main(argv: list[str]) -> None:
    corpus = corpus_dir()
    chosen = argv or list(SETS)
    all_cpu: list[float] = []
    all_wall: list[float] = []
    for name in chosen:
        cpu, wall = report(name, SETS[name](corpus))
        all_cpu += cpu
        all_wall += wall
    if len(chosen) > 1:
        print(f"all {len(all_cpu)} pages: CPU {_timing(all_cpu)}; wall {_timing(all_wall)}")


if __name__ == "__main__":
    main(sys.argv[1:])
