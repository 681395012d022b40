"""Each package's ``__all__`` lists exactly names that exist (and nothing private)."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("package", ["incidents", "gazetteer"])
def test_all_names_exist_and_are_public(package: str) -> None:
    module = importlib.import_module(package)
    names = module.__all__
    assert len(names) == len(set(names))
    for name in names:
        assert not name.startswith("_") or name == "__version__"
        assert getattr(module, name) is not None, name
