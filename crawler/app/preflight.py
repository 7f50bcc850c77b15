"""Everything the daemon will need from the configuration, checked before it starts; nothing is sent.

``scamwatch config check`` prints every problem on its own line; ``run``, ``daemon`` and
``alert`` refuse to start with one (exit 2), and the daemon's SIGHUP keeps the running
configuration when the new one has a problem. Checked: every alert channel (``${VAR}`` set,
the URL parses to an Apprise service, ``apprise_config`` readable), every route's and the
operator's tag carried by some channel, route filter values that can match (nationalities
from the country list, places from the gazetteer, statuses from the classifier's vocabulary,
source names or tags), templates rendering with sample values, and the files named.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from alerts.config import RouteConfig
from alerts.send import Channels
from alerts.templates import KINDS, TemplateSet
from classifier.countries import COUNTRY_NAMES, country_forms
from classifier.encoder import model_problem
from classifier.gazetteer import default_gazetteer
from classifier.incident_status import STATUSES as CLASSIFIER_STATUSES
from crawler.app.config import Config
from crawler.base.confschema import ConfigError

STATUSES = tuple(dict.fromkeys((*CLASSIFIER_STATUSES, "awaiting_repatriation", "unknown")))
SAMPLE = {"title": "Sample: 12 nationals held in a compound", "headline": "Sample headline", "count": 12,
          "nationalities": ["Indonesia"], "locations": ["Myawaddy"], "status": "held", "detail": "sample",
          "entries": ["a sample entry"], "summary": "A sample summary."}


class ConfigProblems(ConfigError):
    """Several configuration problems at once; the CLI prints each on its own line."""

    def __init__(self, problems: list[ConfigError]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(first.key, first.problem, first.file)

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


def require_valid(config: Config) -> None:
    """Raise :class:`ConfigProblems` when :func:`preflight` finds anything."""
    problems = preflight(config)
    if problems:
        raise ConfigProblems(problems)


def preflight(config: Config) -> list[ConfigError]:
    """Every problem that would keep an alert from reaching someone, each attributed to the file."""
    problems: list[ConfigError] = []
    templates = _templates(config, problems)
    channels = Channels(config.alerts, config.base_dir)
    channels.close()
    problems += channels.problems
    configured = bool(config.alerts.urls or config.alerts.apprise_config)
    tags = channels.tags() | channels.broken_tags
    routes = config.alerts.routes
    for i, route in enumerate(routes or config.alerts.effective_routes):
        key = f"alerts.routes[{i}]" if routes else "alerts (default route)"
        if configured:
            problems += _tag(f"{key}.tag", route.tag, tags)
        problems += _filters(config, key, route)
        problems += _template(templates, f"{key}.template", route.template)
    operator = config.alerts.operator
    if operator.tag:
        problems += _tag("alerts.operator.tag", operator.tag, tags)
    problems += _template(templates, "alerts.operator.template", operator.template)
    problems += _model(config)
    file = config.source_file or "(defaults)"
    return [p if p.file else p.in_file(file) for p in problems]


def _model(config: Config) -> list[ConfigError]:
    """The embedding model and the heads the classify stage will load (found, not loaded)."""
    cfg = config.classifier
    problems = [ConfigError("classifier.model", problem)] if (problem := model_problem(cfg.model)) else []
    heads = {"head_path": config.resolve(cfg.head_path) if cfg.head_path else None,  # as the loaders read them
             "multilingual_head_path": Path(cfg.multilingual_head_path) if cfg.multilingual_head_path else None}
    return problems + [ConfigError(f"classifier.{key}", f"no such file: {path}")
                       for key, path in heads.items() if path is not None and not path.is_file()]


def _templates(config: Config, problems: list[ConfigError]) -> TemplateSet | None:
    folder = config.alerts.templates_dir
    try:
        return TemplateSet(config.resolve(folder) if folder else None)
    except ConfigError as exc:
        problems.append(exc)
        return None


def _template(templates: TemplateSet | None, key: str, name: str) -> list[ConfigError]:
    if templates is None:
        return []
    try:
        templates.check(name)
        for kind in KINDS:
            templates.render(name, kind, SAMPLE)
    except ConfigError as exc:
        return [ConfigError(key, f"template set {name!r}: {exc.problem}")]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return [ConfigError(key, f"template set {name!r} does not render: {exc}")]
    return []


def _tag(key: str, tag: str, tags: set[str]) -> list[ConfigError]:
    if tag == "all" or tag in tags:
        return []
    known = ", ".join(sorted(tags)) or "none"
    return [ConfigError(key, f"no alert channel carries the tag {tag!r} (tags: {known}){_nearest(tag, tags)}")]


def _filters(config: Config, key: str, route: RouteConfig) -> list[ConfigError]:
    found: list[ConfigError] = []
    forms = {form.casefold(): name for form, name, _ in country_forms()}
    for i, value in enumerate(route.nationalities):
        if value not in COUNTRY_NAMES and value.casefold() not in {n.casefold() for n in COUNTRY_NAMES}:
            hint = forms.get(value.casefold())
            found.append(_unknown(f"{key}.nationalities[{i}]", value, "country", COUNTRY_NAMES, hint))
    places = {p.name for p in default_gazetteer().places} | set(COUNTRY_NAMES)
    aliases = {alias.casefold(): p.name for p in default_gazetteer().places for alias in p.aliases}
    folded = {p.casefold() for p in places}
    for i, value in enumerate(route.locations):
        if value.casefold() not in folded:
            hint = aliases.get(value.casefold()) or forms.get(value.casefold())
            found.append(_unknown(f"{key}.locations[{i}]", value, "place", places, hint))
    for i, value in enumerate(route.statuses):
        if value.casefold() not in STATUSES:
            found.append(_unknown(f"{key}.statuses[{i}]", value, "status", STATUSES, None,
                                  f" (one of: {', '.join(STATUSES)})"))
    sources = {s.name for s in config.sources} | {t for s in config.sources for t in s.tags}
    for i, value in enumerate(route.sources):
        if value not in sources:
            found.append(_unknown(f"{key}.sources[{i}]", value, "source name or source tag", sources, None))
    return found


def _unknown(key: str, value: str, what: str, known: Iterable[str], hint: str | None,
             extra: str = "") -> ConfigError:
    suggestion = f"; did you mean {hint!r}?" if hint else _nearest(value, known)
    return ConfigError(key, f"unknown {what} {value!r}, so the route can never match{suggestion}{extra}")


def _nearest(value: str, known: Iterable[str]) -> str:
    by_fold = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(value.casefold(), list(by_fold), n=1, cutoff=0.6)
    return f"; did you mean {by_fold[close[0]]!r}?" if close else ""
