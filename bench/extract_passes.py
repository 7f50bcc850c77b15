"""How many trafilatura passes each page costs, over the saved pages of ``bench.extract``.

Run from the repository root::

    python -m bench.extract_passes

Prints the pages that needed more than the one fast pass (text and metadata together), the
totals per kind of pass, and the CPU time of a hostile page (one element with 40,000 attributes
and hardly any text), where a second pass costs the most.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import trafilatura

from bench.extract import SETS, corpus_dir, run
from crawler.gather.extract import extract_article

HOSTILE = ("<html><head><title>Attributes</title></head><body><div "
           + " ".join(f'a{i}="v"' for i in range(40_000)) + "><p>Hardly any words here.</p></div></body></html>")


def counting(passes: Counter[str]) -> None:
    """Wrap trafilatura's entry points so each call is counted by kind in ``passes``."""
    def wrap(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            kind = ("fast" if kwargs.get("fast") else "full") if name == "bare_extraction" else name
            passes[kind] += 1
            return real(*args, **kwargs)
        return counted

    for name in ("bare_extraction", "extract_metadata", "html2txt"):
        setattr(trafilatura, name, wrap(name, getattr(trafilatura, name)))


def main() -> None:
    passes: Counter[str] = Counter()
    counting(passes)
    total: Counter[str] = Counter()
    pages = 0
    for name, load in SETS.items():
        for page in load(corpus_dir()):
            passes.clear()
            article, cpu, _ = run(page)
            pages += 1
            total.update(passes)
            if sum(passes.values()) > 1:
                print(f"{name} {page.path.name}: {dict(passes)}, {len(article.text)} chars "
                      f"({article.method}), {cpu * 1000:.0f} ms CPU")
    print(f"{pages} pages: " + ", ".join(f"{kind} {count}" for kind, count in sorted(total.items())))
    passes.clear()
    cpu = time.process_time()
    extract_article(HOSTILE, "https://example.org/hostile")
    print(f"hostile page (40,000 attributes): {time.process_time() - cpu:.1f} s CPU, passes {dict(passes)}")


if __name__ == "__main__":
    main()
