"""Commands of the classify stage: ``classify``, ``eval``, ``train`` and ``label``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import click

from classifier.encoder import ModelNotAvailable, get_encoder
from classifier.head import HeadError
from classifier.pipeline import Classifier, user_head_path
from crawler.app import App

CHUNK = 256  # items per model call: it sorts a call's texts by length, so larger calls pad less


def _classifier(app: App, head: str | None = None) -> Classifier:
    from classifier.head import Head
    from classifier.stage import make_classifier

    try:
        if head:
            return Classifier(app.config.classifier, head=Head.load(Path(head)))
        return make_classifier(app.config)
    except (ModelNotAvailable, HeadError) as exc:
        raise click.ClickException(str(exc)) from None


def parse_records(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """Yield (line number, record or None, problem) for each non-blank JSON Lines input line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"not JSON ({exc.msg})"
            continue
        if not isinstance(record, dict):
            yield number, None, "not a JSON object"
        elif "id" not in record:
            yield number, None, "no 'id'"
        elif any(not isinstance(record.get(k), str | None) for k in ("title", "text", "lang")):
            yield number, None, "'title', 'text' and 'lang' must be strings"
        elif not (record.get("title") or record.get("text")):
            yield number, None, "needs a non-empty 'title' or 'text'"
        else:
            yield number, record, ""


@click.command()
@click.option("--input", "input_file", type=click.File("r", encoding="utf-8"), default="-",
              help="JSON Lines with id, title, text (and optionally url, lang); default stdin")
@click.option("--output", "output_file", type=click.File("w", encoding="utf-8"), default="-",
              help="JSON Lines out, one per input item in order; default stdout")
@click.pass_obj
def classify(app: App, input_file: IO[str], output_file: IO[str]) -> None:
    """Classify articles given as JSON Lines (no database needed).

    Each output line has id, score, band, relevant, lang, held, nationalities, locations, places,
    count and status. Malformed lines are reported on stderr with their line number and skipped; the exit
    code is 0 unless lines were skipped and nothing could be classified.
    """
    clf, skipped, done, chunk = _classifier(app), 0, 0, []
    for number, record, problem in parse_records(input_file):
        if record is None:
            skipped += 1
            click.echo(f"scamwatch classify: line {number}: skipped: {problem}", err=True)
            continue
        chunk.append(record)
        if len(chunk) >= CHUNK:
            done += _write(clf, chunk, output_file)
            chunk = []
    done += _write(clf, chunk, output_file)
    if skipped:
        click.echo(f"scamwatch classify: {done} classified, {skipped} malformed lines skipped", err=True)
        if not done:
            raise SystemExit(1)


def _write(clf: Classifier, records: list[dict[str, Any]], out: IO[str]) -> int:
    for result in clf.classify(records):
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
    return len(records)


@click.command("eval")
@click.option("--input", "input_file", required=True, type=click.File("r", encoding="utf-8"),
              help="Labeled JSON Lines (the format of shared/data/dev.jsonl)")
@click.option("--head", "head", type=click.Path(dir_okay=False, exists=True), help="Evaluate this head file instead")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object")
@click.pass_obj
def evaluate_command(app: App, input_file: IO[str], head: str | None, as_json: bool) -> None:
    """Precision, recall and F1 of relevant/held, nationality F1, status and count accuracy, per language."""
    from classifier.evaluate import evaluate, format_report

    gold = []
    for number, record, problem in parse_records(input_file):
        if record is None or not isinstance(record.get("relevant"), bool):
            raise click.ClickException(f"line {number}: {problem or 'no boolean relevant label'}")
        gold.append(record)
    clf = _classifier(app, head)
    predicted = [p for start in range(0, len(gold), CHUNK) for p in clf.classify(gold[start:start + CHUNK])]
    result = evaluate(gold, predicted)
    result["classifier"] = {"id": clf.id, "alert_threshold": clf.cfg.alert_threshold,
                            "window_weight": clf.cfg.window_weight}
    click.echo(json.dumps(result, ensure_ascii=False, indent=1) if as_json else
               f"classifier {clf.id} (alert at {clf.cfg.alert_threshold})\n{format_report(result)}")


@click.command()
@click.option("--output", type=click.Path(dir_okay=False), help="Head file to write (default: beside the database)")
@click.option("--examples", type=click.Path(dir_okay=False, exists=True), help="Training examples (default: shipped)")
@click.option("--labels/--no-labels", default=True, show_default=True,
              help="Also learn from items labeled in the database")
@click.option("--seed", type=int, default=None, help="Random seed (default: the shipped head's)")
@click.pass_obj
def train(app: App, output: str | None, examples: str | None, labels: bool, seed: int | None) -> None:
    """Rebuild the relevance head from the shipped examples plus your labels (scamwatch label)."""
    from classifier import training
    from classifier.stage import user_labels

    cfg = app.config.classifier
    try:
        items = training.read_examples(Path(examples) if examples else None)
        encoder = get_encoder(cfg)
    except (ValueError, OSError, ModelNotAvailable) as exc:
        raise click.ClickException(str(exc)) from None
    labeled = user_labels(app.db, encoder, cfg.lead_words) if labels and app.config.db_path.exists() else []
    head = training.train(encoder, items, cfg.lead_words, labeled,
                          seed=training.DEFAULT_SEED if seed is None else seed)
    target = Path(output) if output else user_head_path(app.config.db_path)
    head.save(target)
    click.echo(f"trained {head.id} on {len(items)} examples and {len(labeled)} labels; wrote {target}")
    if not output and not cfg.head_path:
        click.echo("classify passes and commands use it from now on (classifier.head_path overrides it)")


@click.command()
@click.argument("item_id", type=int)
@click.argument("label", type=click.Choice(["relevant", "irrelevant"]))
@click.pass_obj
def label(app: App, item_id: int, label: str) -> None:
    """Label item ITEM_ID relevant or irrelevant; 'scamwatch train' learns from the labels."""
    from classifier.stage import store_label

    try:
        store_label(app.db, item_id, label)
    except KeyError:
        raise click.ClickException(f"no item with id {item_id}") from None
    click.echo(f"item {item_id} labeled {label}")


COMMANDS = [classify, evaluate_command, train, label]
