"""Event grouping and alerts on ../shared/data/dev.jsonl, measured from the replay report.

    python bench/stories_eval.py [--input FILE] [--report OUT.jsonl] [--from-report OUT.jsonl]
                                 [--classified DB] [--set stories.KEY=VALUE ...]

Runs ``scamwatch import FILE --report OUT`` on a fresh database (items in ``published`` order, file
order when absent, as if they arrived one after another; see ``crawler/app/replay.py``) and prints:

- event-pair precision and recall: pairs of items in one story against pairs with the same ``event``
  label (an item with a ``story`` label but no ``event`` is its own event);
- copy recall: pairs with the same ``story`` label in one story;
- alerts per event: alert lines per event with two or more relevant reports; events with none;
- "new incident" alerts on an event that already had one;
- events of nationals held (a relevant, held report naming the victims' nationality; an unlabelled
  report is an event of its own) that got no alert: what "events without an alert" leaves out.

``--from-report`` measures an existing report. ``--classified DB`` replays on a copy of a database
where the file was already imported and classified (its stories are cleared first): quicker sweeps.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("SCAMWATCH_SHARED", REPO.parent / "shared")).resolve()
KEYS = ("id", "title", "text", "url", "lang", "published", "source", "declared_url")


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_dev() -> list[dict[str, Any]]:
    """The labelled dev items (``bench/stories_separability.py`` reads them through here)."""
    return load(SHARED / "data" / "dev.jsonl")


def pairs(labels: dict[str, Any], grouped: dict[str, Any]) -> tuple[float, float, int, int, int]:
    """Pairwise precision and recall of ``grouped`` (item → story or None) against ``labels`` (item → label)."""
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(labels), 2):
        same = labels[a] is not None and labels[a] == labels[b]
        together = grouped.get(a) is not None and grouped.get(a) == grouped.get(b)
        tp, fp, fn = tp + (same and together), fp + (together and not same), fn + (same and not together)
    return tp / max(1, tp + fp), tp / max(1, tp + fn), tp, fp, fn


def measure(rows: list[dict[str, Any]], report: list[dict[str, Any]]) -> dict[str, float]:
    """The figures the issue asks for, from the labelled ``rows`` and the replay ``report``."""
    by_id = {str(r["id"]): r for r in rows}
    lines = {str(line["id"]): line for line in report}
    grouped = {i: lines[i]["story"] if i in lines else None for i in by_id}
    event = {i: r.get("event") or r.get("story") for i, r in by_id.items()}
    precision, recall, *_ = pairs(event, grouped)
    _, copy_recall, *_ = pairs({i: r.get("story") for i, r in by_id.items()}, grouped)
    relevant = Counter(e for i, e in event.items() if e is not None and by_id[i].get("relevant"))
    judged = [e for e, n in relevant.items() if n >= 2]
    alerts: dict[str, list[str]] = defaultdict(list)
    for i, e in event.items():
        if e is not None and i in lines and lines[i]["alert"]:
            alerts[e].append(lines[i]["alert"])
    repeated = sum(max(0, kinds.count("new_incident") - 1) for kinds in alerts.values())
    held = {event[i] or i for i, r in by_id.items() if r.get("relevant") and r.get("held") and r.get("nationalities")}
    alerted = {event[i] or i for i in by_id if i in lines and lines[i]["alert"]}
    return {"event_precision": precision, "event_recall": recall, "copy_recall": copy_recall,
            "events": len(judged), "alerts_per_event": sum(len(alerts[e]) for e in judged) / max(1, len(judged)),
            "events_without_alert": sum(1 for e in judged if not alerts[e]),
            "repeated_new_incident": repeated, "held_events": len(held), "held_unalerted": len(held - alerted),
            "stories": len({s for s in grouped.values() if s is not None}),
            "alerts": sum(1 for line in report if line["alert"])}


def run_import(rows: list[dict[str, Any]], report_path: Path, db_path: Path, settings: list[str]) -> None:
    """``scamwatch import --report`` on a fresh database (in this process, through the CLI)."""
    from click.testing import CliRunner

    from crawler.app.cli import main
    source = db_path.with_suffix(".jsonl")
    source.write_text("".join(json.dumps({k: r[k] for k in KEYS if r.get(k) is not None}, ensure_ascii=False)
                              + "\n" for r in rows), "utf-8")
    config = _config_file(db_path.parent, settings)
    args = ["--db", str(db_path)] + (["--config", str(config)] if config else [])
    result = CliRunner().invoke(main, [*args, "import", str(source), "--report", str(report_path)])
    print(result.output.strip())
    if result.exit_code:
        raise SystemExit(f"scamwatch import failed ({result.exit_code}): {result.exception!r}")


def _config_file(folder: Path, settings: list[str]) -> Path | None:
    if not settings:
        return None
    path = folder / "scamwatch.toml"
    body = "\n".join(s.split(".", 1)[1] for s in settings)
    path.write_text(f"[stories]\n{body}\n", "utf-8")
    return path


def run_classified(rows: list[dict[str, Any]], report_path: Path, classified: Path, folder: Path,
                   settings: list[str]) -> None:
    """Replay on a copy of an imported-and-classified database, its stories cleared."""
    from crawler.app import replay
    from crawler.app.config import load_config
    from crawler.app.database import open_db
    copy = folder / "replay.db"
    shutil.copy(classified, copy)
    db = open_db(copy)
    for table in ("stories", "story_links", "story_index", "story_lsh", "incidents", "story_incidents",
                  "story_event_facts"):
        db.execute(f"DELETE FROM {table}")
    db.conn.commit()
    config_path = _config_file(folder, settings)
    config = load_config(config_path) if config_path else load_config(None)
    lines = replay.arrival_order(json.dumps({k: r[k] for k in KEYS if r.get(k) is not None}) for r in rows)
    report = replay.replay(config, db, replay.item_ids(db, lines))
    report_path.write_text("".join(json.dumps(line) + "\n" for line in report), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", type=Path, default=SHARED / "data" / "dev.jsonl", help="labelled JSONL")
    parser.add_argument("--report", type=Path, help="where to keep the replay report (default: temporary)")
    parser.add_argument("--from-report", type=Path, help="measure this replay report instead of running one")
    parser.add_argument("--classified", type=Path, help="replay on a copy of this imported, classified database")
    parser.add_argument("--keep-db", type=Path, help="keep the fresh database here (reuse with --classified)")
    parser.add_argument("--set", dest="settings", action="append", default=[],
                        help="a [stories] setting for the run, e.g. stories.event_threshold=0.9")
    args = parser.parse_args()
    rows = load(args.input)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report_path = args.from_report or args.report or folder / "report.jsonl"
        if args.from_report is None and args.classified is not None:
            run_classified(rows, report_path, args.classified, folder, args.settings)
        elif args.from_report is None:
            db_path = args.keep_db or folder / "eval.db"
            db_path.unlink(missing_ok=True)
            run_import(rows, report_path, db_path, args.settings)
        figures = measure(rows, load(report_path))
    print(f"{args.input.name}: {len(rows)} items, {figures['stories']} stories, {figures['alerts']} alerts")
    print(f"event pairs:  precision {figures['event_precision']:.3f}  recall {figures['event_recall']:.3f}")
    print(f"copy pairs:   recall {figures['copy_recall']:.3f}")
    print(f"alerts per event (events with >= 2 relevant reports: {figures['events']}): "
          f"{figures['alerts_per_event']:.2f}")
    print(f"events without an alert: {figures['events_without_alert']}")
    print(f"'new incident' alerts on an event that already had one: {figures['repeated_new_incident']}")
    print(f"events of nationals held, single reports included ({figures['held_events']}): "
          f"{figures['held_unalerted']} without an alert")


if __name__ == "__main__":
    main()
