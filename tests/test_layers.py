"""The layers a newcomer can see: bottom, stages in data-flow order, top; no import cycle.

Rooms, in the order data flows:

- ``base`` (``crawler.base``) imports no other scamwatch package;
- the stages ``gather`` (``crawler.gather``, ``spiders``), ``classify`` (``classifier``),
  ``stories`` (``classifier.stories``) and ``alerts`` import ``base``, their own room, and of a
  stage upstream only its ``queries`` module (its read API);
- ``app`` (``crawler.app``), the top layer, may import every room and no room imports it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.conftest import REPO

PACKAGES = ("crawler", "spiders", "classifier", "alerts")
STAGES = ("gather", "classify", "stories", "alerts")  # data-flow order
PREFIXES = (  # most specific first
    ("crawler.base", "base"),
    ("crawler.gather", "gather"),
    ("crawler.app", "app"),
    ("spiders", "gather"),
    ("classifier.stories", "stories"),
    ("classifier", "classify"),
    ("alerts", "alerts"),
)


def room_of(module: str) -> str | None:
    """The room a dotted module name belongs to; None outside scamwatch (or the bare ``crawler``)."""
    for prefix, room in PREFIXES:
        if module == prefix or module.startswith(prefix + "."):
            return room
    return None


def modules() -> Iterator[tuple[str, ast.Module]]:
    """Every module of the installed packages, by dotted name, parsed."""
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield name, ast.parse(path.read_text("utf-8"), str(path))


def imported(tree: ast.Module) -> Iterator[str]:
    """Absolute module names a module imports, wherever the import stands (functions too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # ``from classifier.stories import queries`` imports the submodule
                sub = f"{node.module}.{alias.name}"
                yield sub if _is_module(sub) else node.module


def _is_module(name: str) -> bool:
    path = REPO.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def violation(importer: str, target: str) -> str | None:
    """Why ``importer`` may not import ``target``; None when the layers allow it."""
    mine, theirs = room_of(importer), room_of(target)
    if mine is None or theirs is None or mine == theirs or mine == "app":
        return None
    if mine == "base":
        return "the bottom layer imports no other scamwatch package"
    if theirs == "app":
        return "only the top layer imports crawler.app"
    if theirs == "base":
        return None
    if STAGES.index(theirs) > STAGES.index(mine):
        return f"{mine} is upstream of {theirs}: data flows one way"
    if not target.endswith(".queries"):
        return f"a stage reads upstream only through its queries module, not {target}"
    return None


def room_graph(edges: list[tuple[str, str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for importer, target in edges:
        a, b = room_of(importer), room_of(target)
        if a and b and a != b:
            graph.setdefault(a, set()).add(b)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a path that returns to its start, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def all_edges() -> list[tuple[str, str]]:
    return [(name, target) for name, tree in modules() for target in imported(tree)]


def test_every_import_respects_the_layers() -> None:
    problems = sorted({f"{a} imports {b}: {why}" for a, b in all_edges() if (why := violation(a, b))})
    assert problems == []


def test_no_import_cycle_between_rooms() -> None:
    assert find_cycle(room_graph(all_edges())) is None


def test_the_checks_can_fail() -> None:
    assert violation("crawler.base.urls", "classifier.head")
    assert violation("alerts.plan", "crawler.app.config")
    assert violation("classifier.stories.stage", "classifier.head")
    assert violation("classifier.stage", "alerts.outbox")
    assert violation("alerts.source", "classifier.stories.queries") is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}}) is None


# What a module really pulls in when imported on its own (deferred imports included once run).
_PROBE = """
import importlib, json, pkgutil, sys
names = []
for package in {packages!r}:
    module = importlib.import_module(package)
    names.append(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        importlib.import_module(info.name)
        names.append(info.name)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {all!r})))
"""


def _loaded_by(*packages: str) -> set[str]:
    code = _PROBE.format(packages=packages, all=PACKAGES)
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return set(json.loads(proc.stdout))


@pytest.mark.parametrize("packages, forbidden", [
    (("crawler.base",), ("crawler.gather", "crawler.app", "spiders", "classifier", "alerts")),
    (("crawler.gather", "spiders", "classifier", "alerts"), ("crawler.app",)),
])
def test_importing_a_layer_loads_nothing_above_it(packages: tuple[str, ...], forbidden: tuple[str, ...]) -> None:
    loaded = _loaded_by(*packages)
    above = sorted(m for m in loaded if any(m == f or m.startswith(f + ".") for f in forbidden))
    assert above == []
