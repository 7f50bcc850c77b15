"""Measure the classifier against labeled items (the format of ``../shared/data/dev.jsonl``).

Pure functions: gold rows and predictions in, figures out. Figures: precision/recall/F1 of
``relevant`` and ``held``, micro-F1 of ``nationalities`` on gold-held items, accuracy of
``status`` and ``count`` on gold-held items — overall and per language — and the items whose
``relevant`` or ``held`` came out wrong.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1 from counts (0 where undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def binary(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float | int]:
    """P/R/F1 of (gold, predicted) booleans."""
    tp = fp = fn = 0
    for gold, pred in pairs:
        tp += gold and pred
        fp += pred and not gold
        fn += gold and not pred
    return prf(tp, fp, fn)


def set_micro(pairs: Iterable[tuple[Iterable[str], Iterable[str]]]) -> dict[str, float | int]:
    """Micro-averaged P/R/F1 of (gold set, predicted set) pairs."""
    tp = fp = fn = 0
    for gold, pred in pairs:
        g, p = set(gold), set(pred)
        tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
    return prf(tp, fp, fn)


def accuracy(pairs: Sequence[tuple[Any, Any]]) -> float | None:
    return round(sum(g == p for g, p in pairs) / len(pairs), 4) if pairs else None


def figures(pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """All figures for (gold, predicted) item pairs."""
    held = [(g, p) for g, p in pairs if g.get("held")]
    return {
        "items": len(pairs),
        "relevant": binary((bool(g.get("relevant")), bool(p["relevant"])) for g, p in pairs),
        "held": binary((bool(g.get("held")), bool(p["held"])) for g, p in pairs),
        "nationalities": set_micro((g.get("nationalities") or [], p["nationalities"]) for g, p in held),
        "status_accuracy": accuracy([(g.get("status"), p["status"]) for g, p in held]),
        "count_accuracy": accuracy([(g.get("count"), p["count"]) for g, p in held]),
    }


def evaluate(gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Overall and per-language figures, and the misclassified items."""
    pairs = list(zip(gold, predicted, strict=True))
    by_lang: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for g, p in pairs:
        by_lang[g.get("lang") or "?"].append((g, p))
    non_english = [pair for lang, group in by_lang.items() if lang != "en" for pair in group]
    languages = {lang: figures(group) for lang, group in sorted(by_lang.items(), key=lambda kv: (-len(kv[1]), kv[0]))}
    return {
        "overall": figures(pairs),
        "non_english": figures(non_english),
        "languages": languages,
        "misclassified": [_miss(g, p) for g, p in pairs
                          if bool(g.get("relevant")) != p["relevant"] or bool(g.get("held")) != p["held"]],
    }


def _miss(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, Any]:
    return {"id": gold.get("id"), "lang": gold.get("lang"), "title": (gold.get("title") or "")[:100],
            "score": pred["score"], "relevant": [bool(gold.get("relevant")), pred["relevant"]],
            "held": [bool(gold.get("held")), pred["held"]],
            "nationalities": [gold.get("nationalities") or [], pred["nationalities"]]}


def _line(name: str, f: dict[str, Any]) -> str:
    r, h, n = f["relevant"], f["held"], f["nationalities"]
    status = "-" if f["status_accuracy"] is None else f"{f['status_accuracy']:.3f}"
    count = "-" if f["count_accuracy"] is None else f"{f['count_accuracy']:.3f}"
    return (f"{name:<12}{f['items']:>5}  {r['precision']:.3f} {r['recall']:.3f} {r['f1']:.3f}   "
            f"{h['precision']:.3f} {h['recall']:.3f} {h['f1']:.3f}   {n['f1']:.3f}   {status:>5}  {count:>5}")


def format_report(result: dict[str, Any]) -> str:
    """The figures as a plain-text table, then the misclassified items."""
    lines = ["             items  relevant P/R/F1        held P/R/F1           nat-F1  status  count",
             _line("overall", result["overall"]), _line("non-English", result["non_english"])]
    lines += [_line(f"  {lang}", f) for lang, f in result["languages"].items()]
    misses = result["misclassified"]
    lines.append(f"\nmisclassified ({len(misses)}): id lang score relevant(gold→pred) held(gold→pred) title")
    for m in misses:
        rel = "{}→{}".format(*("yes" if v else "no" for v in m["relevant"]))
        held = "{}→{}".format(*("yes" if v else "no" for v in m["held"]))
        lines.append(f"  {m['id']} {m['lang']} {m['score']:.3f} {rel:<7} {held:<7} {m['title']}")
    return "\n".join(lines)
