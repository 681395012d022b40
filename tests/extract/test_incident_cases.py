"""Whole-pipeline cases by class of difficulty (tests/cases/incidents.jsonl), in our own words.

Each case lists every incident a careful coder would take from its text: type, the place as written,
killed and injured (and the date, the precision of the place named, or the place an anaphor resolves to,
where the class is about that; with ``resolves``, any mention of that place will do).
A case that the extractor does not get right yet carries ``gap`` (why) and runs as a strict xfail, so
it turns red the day it passes and its mark must go. They use the real gazetteer and skip without it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from incidents.extract import pipeline
from incidents.records import Incident
from tests.paths import CASES

CASES_FILE = CASES / "incidents.jsonl"


def load_cases() -> list[Any]:
    cases = []
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        marks = [pytest.mark.xfail(reason=case["gap"], strict=True)] if case.get("gap") else []
        name = f"{case['class']}-{case['lang']}-{case['text'][:40]}"
        cases.append(pytest.param(case, id=name, marks=marks))
    return cases


@pytest.fixture(scope="module")
def gazetteer() -> Any:
    try:
        return pipeline.default_gazetteer()
    except Exception as err:
        pytest.skip(f"no gazetteer index: {err}")


def matches(expected: dict[str, Any], incident: Incident) -> bool:
    """Tell whether a predicted incident is the expected one: type, place as written, counts, date."""
    at = expected["at"].casefold()
    mentions = [p.mention.casefold() for p in incident.places]
    resolves = expected.get("resolves")
    named = any(at in m or m in at for m in mentions)
    # Where the expected place is given by what it resolves to, another mention of it is as good.
    same = resolves is not None and any(
        resolves.casefold() in p.place.name.casefold() for p in incident.places)
    if str(incident.type) != expected["type"] or not (named or same):
        return False
    if (incident.casualties.killed, incident.casualties.injured) != (expected["killed"], expected["injured"]):
        return False
    if "date" in expected and (incident.date is None or incident.date.isoformat() != expected["date"]):
        return False
    if "precision" in expected and not any(
            str(p.place.precision) == expected["precision"] for p in incident.places
            if at in p.mention.casefold() or p.mention.casefold() in at):
        return False
    return resolves is None or same


@pytest.mark.parametrize("case", load_cases())
def test_case(case: dict[str, Any], gazetteer: Any) -> None:
    published = dt.date.fromisoformat(case["published"]) if case.get("published") else None
    found = pipeline.extract(case["text"], lang=case["lang"], published=published, gazetteer=gazetteer)
    unmatched = list(found)
    for expected in case["expect"]:
        hit = next((i for i in unmatched if matches(expected, i)), None)
        got = [(str(i.type), [p.mention for p in i.places], i.casualties.killed, i.casualties.injured,
                i.date) for i in found]
        assert hit is not None, f"missing {expected}; got {got}"
        unmatched.remove(hit)
    extra = [(str(i.type), [p.mention for p in i.places]) for i in unmatched]
    assert not unmatched, f"extra incidents: {extra}"
