"""The public surface: each package's ``__all__`` lists exactly names that exist (and nothing private),
and imports flow one way through the rooms of the house."""

from __future__ import annotations

import ast
import importlib

import pytest

from tests.paths import ROOT

PACKAGES = [
    "incidents",
    "incidents.extract",
    "incidents.ingest",
    "incidents.store",
    "incidents.events",
    "incidents.explore",
    "incidents.export",
    "gazetteer",
    "gazetteer.indexer",
]


@pytest.mark.parametrize("package", PACKAGES)
def test_all_names_exist_and_are_public(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__doc__, f"{package} says what its room is for"
    names = module.__all__
    assert len(names) == len(set(names))
    for name in names:
        assert not name.startswith("_") or name == "__version__"
        assert getattr(module, name) is not None, name


def imports_of(folder: str) -> set[tuple[str, str]]:
    """Return (module file, imported module) for every import under a folder of the checkout."""
    found = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add((str(path.relative_to(ROOT)), node.module))
            elif isinstance(node, ast.Import):
                found.update((str(path.relative_to(ROOT)), alias.name) for alias in node.names)
    return found


# Which rooms each room may not import: data flows text -> extract -> store -> explore / export.
FORBIDDEN = {
    "gazetteer": ("incidents",),
    "incidents/extract": ("incidents.store", "incidents.explore", "incidents.ingest", "incidents.cli",
                          "streamlit"),
    "incidents/ingest": ("incidents.explore", "incidents.export", "streamlit"),
    "incidents/store": ("incidents.explore", "incidents.export", "incidents.ingest", "streamlit"),
    "incidents/events": ("incidents.store", "incidents.explore", "incidents.export", "incidents.ingest",
                         "incidents.extract", "streamlit"),
    "incidents/export": ("incidents.store", "incidents.explore", "incidents.ingest", "streamlit"),
}


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_imports_flow_one_way(folder: str) -> None:
    wrong = sorted(
        (path, module)
        for path, module in imports_of(folder)
        if any(module == banned or module.startswith(banned + ".") for banned in FORBIDDEN[folder])
    )
    assert not wrong, wrong


def test_run_time_gazetteer_does_not_import_the_indexer() -> None:
    # Loading the index must not pull in the build sources (registry packages, dumps).
    runtime = {(p, m) for p, m in imports_of("gazetteer") if not p.startswith("gazetteer/indexer")}
    users = {p for p, m in runtime if m.startswith("gazetteer.indexer")}
    assert users <= {"gazetteer/__init__.py", "gazetteer/__main__.py"}, users
