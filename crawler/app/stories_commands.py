"""Commands of the stories stage: ``import`` (JSONL → classify → stories) and ``stories``."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from typing import BinaryIO, TextIO

import click

from classifier.stage import classify_pending
from classifier.stories import queries
from classifier.stories.stage import group_pending
from crawler.app import replay
from crawler.app.context import App
from crawler.app.cycle import unclassified
from crawler.app.progress import classify_bar
from crawler.gather.importer import import_lines


def _classify(app: App) -> str:
    """Run the classify stage on pending items (those just imported among them)."""
    try:
        with classify_bar(unclassified(app.db)) as progress:
            report = classify_pending(app.config, app.db, clock=app.clock, progress=progress)
    except Exception as exc:  # the items are stored; the next run classifies them
        raise click.ClickException(f"items stored, but classifying failed: {exc}") from exc
    return f"classified {report.classified} items ({report.relevant} relevant, {report.held} held)"


@click.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--report", "report_file", type=click.File("w", encoding="utf-8"),
              help="Replay: take the items in `published` order as if they arrived one after another and write "
                   "one JSON line per item: its story, incident and the alert it would have sent then "
                   "(new_incident, follow_up, update or null) on a route taking everything; nothing is sent")
@click.pass_obj
def import_command(app: App, file: BinaryIO, report_file: TextIO | None) -> None:
    """Import FILE (JSONL: id, title, text, optional url, lang, published, source, declared_url;
    '-' = stdin), then classify and group it as if gathered."""
    lines = list(file) if report_file is not None else file
    report = import_lines(app.db, lines)  # in file order: problems name the file's line numbers
    for problem in report.errors:
        click.echo(f"{file.name}: {problem}", err=True)
    click.echo(f"imported {report.imported} items ({report.duplicates} already stored, "
               f"{len(report.errors)} bad lines skipped)")
    # nothing new: the model is not even loaded
    click.echo(_classify(app) if report.imported else "nothing new to classify")
    if report_file is not None:
        replayed = replay.replay(app.config, app.db, replay.item_ids(app.db, replay.arrival_order(lines)),
                                 clock=app.clock)
        for line in replayed:
            report_file.write(json.dumps(line, ensure_ascii=False) + "\n")
        alerts = sum(1 for line in replayed if line["alert"])
        click.echo(f"replay: {len(replayed)} items, {len({r['story'] for r in replayed if r['story']})} stories, "
                   f"{alerts} alerts; report written to {report_file.name}")
    click.echo(f"stories: {group_pending(app.config, app.db, clock=app.clock)}")
    if report.errors and not (report.imported or report.duplicates):
        sys.exit(1)


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    if value.endswith("d") and value[:-1].isdigit():
        return (datetime.now(UTC) - timedelta(days=int(value[:-1]))).isoformat(timespec="seconds")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("expected an ISO date (2026-01-31) or a number of days (7d)") from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat(timespec="seconds")


@click.command("stories")
@click.option("--since", help="Only stories seen since DATE (ISO date, or e.g. '7d')")
@click.option("--limit", default=20, show_default=True, help="How many stories")
@click.option("--relevant", is_flag=True, help="Only relevant stories")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story, with its items and incidents")
@click.pass_obj
def stories_command(app: App, since: str | None, limit: int, relevant: bool, as_json: bool) -> None:
    """The latest stories with their sources (outlets = corroboration) and new incidents."""
    rows = queries.recent_stories(app.db, since=_since(since), limit=limit, relevant_only=relevant)
    for row in rows:
        if as_json:
            click.echo(json.dumps(queries.story_detail(app.db, row["id"]), ensure_ascii=False))
            continue
        flag = " NEW:" + ",".join(f"{n}@{loc}" for n, loc in row["new_incidents"]) if row["new_incidents"] else ""
        mark = "*" if row["relevant"] else " "
        click.echo(f"{mark} #{row['id']:<6} {row['last_seen'] or '':25} {row['source_count']} outlets "
                   f"{row['item_count']} items  {row['headline'] or '(no headline)'}{flag}")
        click.echo(f"           sources: {', '.join(row['sources'] or [])}")
    if not rows:
        click.echo("no stories yet", err=True)


COMMANDS = [import_command, stories_command]
