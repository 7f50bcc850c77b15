"""Measure the classifier against labeled items (the format of ``../shared/data/dev.jsonl``).

Pure functions: gold rows and predictions in, figures out. Figures: precision/recall/F1 of
``relevant`` and ``held``, micro-F1 of ``nationalities`` on gold-held items and of ``places``
on gold-relevant items, accuracy of ``status`` and ``count`` on gold-held items — overall, for
English, for all other languages and per language — and the items that came out wrong.

The dev labels' ``held`` marks a reported incident at any stage (held, freed or home), so it is
compared with the predicted incident (victims named, status known), not with the stricter
predicted ``held`` (still held). Statuses are compared in the dev labels' vocabulary:
``awaiting_repatriation`` counts as ``rescued``, ``unknown`` as no status.
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


_AS_DEV = {"awaiting_repatriation": "rescued", "unknown": None}


def dev_status(status: str | None) -> str | None:
    """A predicted status in the dev labels' vocabulary."""
    return _AS_DEV.get(status, status) if status else None


def incident(pred: dict[str, Any]) -> bool:
    """Whether a prediction reports an incident at any stage: what the dev labels call held."""
    return bool(pred["nationalities"]) and dev_status(pred["status"]) is not None


def accuracy(pairs: Sequence[tuple[Any, Any]]) -> float | None:
    return round(sum(g == p for g, p in pairs) / len(pairs), 4) if pairs else None


def figures(pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """All figures for (gold, predicted) item pairs."""
    held = [(g, p) for g, p in pairs if g.get("held")]
    relevant = [(g, p) for g, p in pairs if g.get("relevant")]
    return {
        "items": len(pairs),
        "relevant": binary((bool(g.get("relevant")), bool(p["relevant"])) for g, p in pairs),
        "held": binary((bool(g.get("held")), incident(p)) for g, p in pairs),
        "nationalities": set_micro((g.get("nationalities") or [], p["nationalities"]) for g, p in held),
        "places": set_micro((g.get("places") or [], p.get("places") or []) for g, p in relevant),
        "status_accuracy": accuracy([(g.get("status"), dev_status(p["status"])) for g, p in held]),
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
        "english": figures(by_lang.get("en", [])),
        "non_english": figures(non_english),
        "languages": languages,
        "language_id": _language_id(pairs),
        "misclassified": [_miss(g, p) for g, p in pairs
                          if bool(g.get("relevant")) != p["relevant"] or bool(g.get("held")) != incident(p)],
    }


def _language_id(pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> float | None:
    """Share of labeled items whose language is detected right from title and text alone."""
    from classifier.language import detect_language, normalize_tag

    return accuracy([(normalize_tag(g["lang"]), detect_language(f"{g.get('title') or ''}\n{g.get('text') or ''}"))
                     for g, _ in pairs if g.get("lang")])


def _miss(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, Any]:
    return {"id": gold.get("id"), "lang": gold.get("lang"), "title": (gold.get("title") or "")[:100],
            "score": pred["score"], "relevant": [bool(gold.get("relevant")), pred["relevant"]],
            "held": [bool(gold.get("held")), incident(pred)],
            "nationalities": [gold.get("nationalities") or [], pred["nationalities"]]}


def _num(f: dict[str, Any], key: str) -> str:
    """A figure, or '-' where nothing was there to find or found (no F1 to speak of)."""
    return "-" if not (f["tp"] or f["fp"] or f["fn"]) else f"{f[key]:.3f}"


def _line(name: str, f: dict[str, Any]) -> str:
    r, h, n, pl = f["relevant"], f["held"], f["nationalities"], f["places"]
    status = "-" if f["status_accuracy"] is None else f"{f['status_accuracy']:.3f}"
    count = "-" if f["count_accuracy"] is None else f"{f['count_accuracy']:.3f}"
    rel = " ".join(f"{_num(r, k):>5}" for k in ("precision", "recall", "f1"))
    held = " ".join(f"{_num(h, k):>5}" for k in ("precision", "recall", "f1"))
    return (f"{name:<12}{f['items']:>5}  {rel}   {held}   {_num(n, 'f1'):>5}   {_num(pl, 'f1'):>5}   "
            f"{status:>5}  {count:>5}")


def format_report(result: dict[str, Any]) -> str:
    """The figures as a plain-text table, then the misclassified items."""
    lang_id = result.get("language_id")
    lines = ["             items  relevant P/R/F1        held P/R/F1           nat-F1  plc-F1  status  count",
             _line("overall", result["overall"]), _line("English", result["english"]),
             _line("other langs", result["non_english"])]
    lines += [_line(f"  {lang}", f) for lang, f in result["languages"].items()]
    lines.append("held: an incident at any stage (victims named, status known), as the labels mean it; "
                 "plc-F1 on relevant items" + ("" if lang_id is None else f"; language identified: {lang_id:.3f}"))
    misses = result["misclassified"]
    lines.append(f"\nmisclassified ({len(misses)}): id lang score relevant(gold→pred) held(gold→pred) title")
    for m in misses:
        rel = "{}→{}".format(*("yes" if v else "no" for v in m["relevant"]))
        held = "{}→{}".format(*("yes" if v else "no" for v in m["held"]))
        lines.append(f"  {m['id']} {m['lang']} {m['score']:.3f} {rel:<7} {held:<7} {m['title']}")
    return "\n".join(lines)
