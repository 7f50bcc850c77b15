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
from crawler.app.context import App
from crawler.app.progress import ShowingEncoder
from crawler.base.jsonlines import read_json_lines
from crawler.base.progress import progress_bar

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


def parse_records(lines: Iterable[bytes | str]) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """Yield (line number, record or None, problem) for each non-blank JSON Lines input line."""
    for number, record, problem in read_json_lines(lines):
        if problem:
            yield number, None, problem
        elif not isinstance(record, dict):
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
@click.option("--input", "input_file", type=click.File("rb"), default="-",
              help="JSON Lines with id, title, text (and optionally url, lang); default stdin")
@click.option("--output", "output_file", type=click.File("w", encoding="utf-8"), default="-",
              help="JSON Lines out, one per input item in order; default stdout")
@click.pass_obj
def classify(app: App, input_file: IO[bytes], output_file: IO[str]) -> None:
    """Classify articles given as JSON Lines (no database needed).

    Each output line has id, score, band, relevant, lang, held, nationalities, locations, places,
    count and status. Malformed lines are reported on stderr with their line number and skipped; the exit
    code is 0 unless lines were skipped and nothing could be classified.
    """
    clf: Classifier | None = None  # loaded once there is something to classify, after reading input
    skipped, done, chunk = 0, 0, []
    with progress_bar("classify", "lines", beside=output_file) as bar:
        say = bar.echo if bar is not None else (lambda message: click.echo(message, err=True))
        total = _lines_in(input_file) if bar is not None else None
        for number, record, problem in parse_records(input_file):
            if record is None:
                skipped += 1
                say(f"scamwatch classify: line {number}: skipped: {problem}")
                continue
            chunk.append(record)
            if len(chunk) >= CHUNK:
                clf = clf or _load(app)
                done += _write(clf, chunk, output_file)
                chunk = []
                if bar is not None:
                    bar(number, total, f"{done} classified")
        if chunk:
            done += _write(clf or _load(app), chunk, output_file)
        if bar is not None and done:
            bar(total if total is not None else done + skipped, total, f"{done} classified")
    skips = f", {skipped} malformed lines skipped" if skipped else ""
    click.echo(f"scamwatch classify: {done} classified{skips}", err=True)
    if skipped and not done:
        raise SystemExit(1)


def _lines_in(file: IO[bytes]) -> int | None:
    """How many lines a seekable input holds (read once, then rewound); None for a pipe."""
    try:
        if not file.seekable():
            return None
        start = file.tell()
        count = sum(1 for _ in file)
        file.seek(start)
    except OSError:
        return None
    return count


def _load(app: App) -> Classifier:
    click.echo("scamwatch classify: loading the model…", err=True)
    return _classifier(app)


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
    predicted: list[dict[str, Any]] = []
    with progress_bar("eval", "items") as bar:
        for start in range(0, len(gold), CHUNK):
            predicted += clf.classify(gold[start:start + CHUNK])
            if bar is not None:
                bar(len(predicted), len(gold), "")
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
    with progress_bar("train", "texts embedded") as bar:
        shown = ShowingEncoder(encoder, bar) if bar is not None else encoder
        labeled = user_labels(app.db, shown, cfg.lead_words) if labels and app.config.db_path.exists() else []
        head = training.train(shown, items, cfg.lead_words, labeled,
                              seed=training.DEFAULT_SEED if seed is None else seed)
    target = Path(output) if output else user_head_path(app.config.db_path)
    head.save(target)
    click.echo(f"trained {head.id} on {len(items)} examples and {len(labeled)} labels; wrote {target}")
    if not output and not cfg.head_path:
        click.echo("classify passes and commands use it from now on (classifier.head_path overrides it)")


@click.command()
@click.argument("target_id", metavar="ID", type=int)
@click.argument("label", type=click.Choice(["relevant", "irrelevant"]))
@click.option("--story", "is_story", is_flag=True, help="ID is a story (as in alerts and story pages), not an item")
@click.option("--yes", "-y", is_flag=True, help="Change a label someone else gave without asking")
@click.pass_obj
def label(app: App, target_id: int, label: str, is_story: bool, yes: bool) -> None:
    """Label item ID (or story ID with --story) relevant or irrelevant.

    Shows the headline first, and asks before changing a label someone else gave. An item label
    is learnt from ('scamwatch train', and the daemon's nightly retrain); a story marked irrelevant
    gets no more alerts or updates at once.
    """
    user = _user()
    if is_story:
        _label_story(app, target_id, label, user, yes)
        return
    from classifier.queries import item_label
    from classifier.stage import store_label

    item = item_label(app.db, target_id)
    if item is None:
        raise click.ClickException(f"no item with id {target_id} (a story id? add --story)")
    click.echo(f"item {target_id}: {item['title'] or '(no headline)'} ({item['source']}, {(item['date'] or '')[:10]})")
    if item["label"] and item["label"] != label and item["labeled_by"] != user and not yes:
        click.confirm(f"{item['labeled_by'] or 'someone'} labelled it {item['label']} on"
                      f" {(item['labeled_at'] or '')[:10]}. Change it to {label}?", abort=True)
    store_label(app.db, target_id, label, by=user)
    click.echo(f"item {target_id} labelled {label}")


def _label_story(app: App, story_id: int, label: str, user: str, yes: bool) -> None:
    from datetime import UTC, datetime

    from classifier.queries import record_feedback, story_feedback
    from classifier.stories.queries import story_detail
    from crawler.base.signing import VERDICTS

    story = story_detail(app.db, story_id)
    if story is None:
        raise click.ClickException(f"no story with id {story_id}")
    click.echo(f"story {story_id}: {story['headline'] or '(no headline)'} ({story['item_count']} reports)")
    verdict = "irrelevant" if label == "irrelevant" else "correct"
    given = story_feedback(app.db, story_id)
    last = given[-1] if given else None
    if last and last["verdict"] != verdict and last["route"] != f"cli:{user}" and not yes:
        click.confirm(f"Feedback from {last['route']} on {(last['received_at'] or '')[:10]} says"
                      f" '{VERDICTS[last['verdict']]}'. Change it to {label}?", abort=True)
    record_feedback(app.db, story_id=story_id, item_id=story.get("headline_item_id"), verdict=verdict,
                    route=f"cli:{user}", received_at=datetime.now(UTC).isoformat(timespec="seconds"), via="cli")
    effect = ": no more alerts or updates" if verdict == "irrelevant" else ""
    click.echo(f"story {story_id} labelled {label}{effect}")


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


COMMANDS = [classify, evaluate_command, train, label]
