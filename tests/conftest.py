"""Shared test set-up: the tests use the project's own data folder unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path

# ./test exports INCIDENTS_HOME=var/; a bare `pytest` from the checkout gets the same folder, where
# scripts/setup.sh builds the gazetteer index.
os.environ.setdefault("INCIDENTS_HOME", str(Path(__file__).resolve().parents[1] / "var"))
