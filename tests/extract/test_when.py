"""Tests of date resolution, driven by tests/cases/when.jsonl (own sentences)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from incidents.extract.lexicon import load_lexicon
from incidents.extract.when import find_times, resolve_date
from tests.paths import CASES

CASE_FILE = CASES / "when.jsonl"
CASES = [json.loads(line) for line in CASE_FILE.read_text("utf-8").splitlines()]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_cases(case: dict[str, Any]) -> None:
    published = dt.date.fromisoformat(case["published"]) if case["published"] else None
    found = resolve_date(case["text"], load_lexicon(case["lang"]), published)
    assert (found.isoformat() if found else None) == case["date"]


def test_nearest_expression_wins() -> None:
    text = "Gisteren sloeg een raket in, meldde de krant op 3 maart."
    nl = load_lexicon("nl")
    published = dt.date(2024, 3, 6)
    assert resolve_date(text, nl, published, near=0) == dt.date(2024, 3, 5)
    assert resolve_date(text, nl, published, near=len(text)) == dt.date(2024, 3, 3)


def test_impossible_dates_are_unresolved() -> None:
    times = find_times("op 31 februari", load_lexicon("nl"), dt.date(2024, 3, 6))
    assert len(times) == 1 and times[0].date is None


@pytest.mark.parametrize("text", ["Yesterday a drone hit the port.", "On Sunday a drone hit the port.",
                                  "On May 13 a drone hit the port.", "Last night a drone hit the port."])
def test_the_first_day_of_the_calendar_gives_no_date_and_no_crash(text: str) -> None:
    assert resolve_date(text, load_lexicon("en"), dt.date(1, 1, 1)) is None


def test_the_last_day_of_the_calendar_resolves_relative_days() -> None:
    yesterday = resolve_date("Yesterday a drone hit the port.", load_lexicon("en"), dt.date.max)
    assert yesterday == dt.date(9999, 12, 30)


@pytest.mark.parametrize("text", ["On 9999-12-31 a drone hit the port.",
                                  "On May 13, 2031 a drone hit the port."])
def test_a_date_after_publication_is_no_incident_date(text: str) -> None:
    assert resolve_date(text, load_lexicon("en"), dt.date(2024, 5, 20)) is None
    assert resolve_date(text, load_lexicon("en"), None) is not None  # without a publication date: as written
