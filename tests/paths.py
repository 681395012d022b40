"""Where the tests find the checkout, their own case files and fixtures, and the shared benchmarks."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
CASES = TESTS / "cases"
FIXTURES = TESTS / "fixtures"
SHARED = ROOT.parent / "shared"
