"""A non-editable install must carry every module and data file the code loads."""

from __future__ import annotations

import tomllib

from tests.conftest import REPO


def _setuptools() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def test_every_python_package_is_listed() -> None:
    listed = set(_setuptools()["packages"])
    for top in ("crawler", "spiders", "classifier", "alerts"):
        for init in (REPO / top).rglob("__init__.py"):
            name = ".".join(init.parent.relative_to(REPO).parts)
            assert name in listed, f"{name} is not in [tool.setuptools] packages"


def _glob_match(path: str, pattern: str) -> bool:
    """setuptools-style glob: '*' stays within one folder, '**' spans folders."""
    from fnmatch import fnmatchcase

    parts, pats = path.split("/"), pattern.split("/")
    if "**" in pats:
        i = pats.index("**")
        return len(parts) > i and all(fnmatchcase(a, b) for a, b in zip(parts[:i], pats[:i], strict=False)) \
            and fnmatchcase(parts[-1], pats[-1])
    return len(parts) == len(pats) and all(fnmatchcase(a, b) for a, b in zip(parts, pats, strict=True))


def test_data_files_are_covered_by_package_data() -> None:
    tool = _setuptools()
    for package, folder in tool["package-dir"].items():
        patterns = tool["package-data"][package]
        root = REPO / folder
        for file in root.rglob("*"):
            if file.is_dir() or file.suffix == ".py" or "__pycache__" in file.parts:
                continue
            rel = file.relative_to(root).as_posix()
            assert any(_glob_match(rel, p) for p in patterns), f"{folder}/{rel} would not be installed"
