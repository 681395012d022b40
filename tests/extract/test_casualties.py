"""Tests of casualty reading, driven by tests/cases/casualties.jsonl (own sentences)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from incidents.extract.casualties import CasualtyReading, read_casualties
from incidents.extract.lexicon import load_lexicon
from tests.paths import CASES

CASE_FILE = CASES / "casualties.jsonl"
CASES = [json.loads(line) for line in CASE_FILE.read_text("utf-8").splitlines()]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_cases(case: dict[str, Any]) -> None:
    reading = read_casualties(case["text"], load_lexicon(case["lang"]))
    assert (reading.killed, reading.injured) == (case["killed"], case["injured"])
    assert reading.injured_vague == case.get("injured_vague", False)
    assert reading.unknown == case.get("unknown", False)


def test_a_number_is_used_once() -> None:
    reading = read_casualties("Twee doden gewonden.", load_lexicon("nl"))
    assert (reading.killed, reading.injured) == (2, None)


def test_munition_and_building_counts_are_not_casualties() -> None:
    en = load_lexicon("en")
    assert read_casualties("Two missiles destroyed nine buildings.", en).empty
    assert read_casualties("The building has nine floors.", en).empty


def test_empty_reading() -> None:
    assert CasualtyReading().empty
    assert not CasualtyReading(unknown=True).empty
