"""Incremental grouping: the index finds events near a report; a document's reports are placed together."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from incidents.events import Grouper, assign_document, group_reports, index_keys, probe_keys
from incidents.records import IncidentType
from tests.events.test_rule import KHARKIV, OBLAST, ODESA, ODESA_TOO, PRYMORSKYI, UKRAINE, report


def test_a_report_finds_events_filed_under_its_keys() -> None:
    a, b = report("a", ODESA), report("b", ODESA, date=dt.date(2024, 3, 1))
    exact, prefixes = probe_keys(b)
    assert index_keys(a) & exact and not prefixes
    undated = report("c", ODESA, date=None)
    exact, prefixes = probe_keys(undated)
    assert not exact and any(key.startswith(p) for key in index_keys(a) for p in prefixes)


def test_far_or_late_reports_are_not_candidates() -> None:
    grouper = Grouper()
    grouper.add([report("a", ODESA)])
    assert grouper.candidates(report("b", KHARKIV)) == []
    assert grouper.candidates(report("b", ODESA, date=dt.date(2024, 3, 9))) == []
    assert list(grouper.candidates(report("b", OBLAST))) == ["ev-a-0"]


def test_a_town_takes_the_towns_event_before_the_region_does() -> None:
    events = {"ev-odesa": [report("a", ODESA)]}
    region = dataclasses.replace(report("b", OBLAST), incident_id="b-0")
    town = dataclasses.replace(report("b", ODESA), incident_id="b-1")
    assert assign_document([region, town], events) == {"b-0": None, "b-1": "ev-odesa"}


def test_a_reviewer_split_keeps_a_report_out() -> None:
    events = {"ev-odesa": [report("a", ODESA)]}
    assert assign_document([report("b", ODESA)], events, apart={"b-0": {"a-0"}}) == {"b-0": None}


def test_group_reports_goes_document_by_document() -> None:
    reports = [dataclasses.replace(report(doc, ODESA), seq=n) for n, doc in enumerate("abc")]
    assert set(group_reports(reports).values()) == {"ev-a-0"}


def test_the_grouper_chooses_as_the_rule_does_over_every_event_and_report() -> None:
    # Many documents of a few places, days, weapons and types: the grouper asks only the events its
    # keys find, each by its kinds; the rule asked of every event with all its reports agrees.
    rng = random.Random(5)
    places = [ODESA, ODESA_TOO, PRYMORSKYI, OBLAST, KHARKIV, UKRAINE]
    days = [None, dt.date(2024, 3, 1), dt.date(2024, 3, 2)]
    grouper = Grouper()
    for n in range(120):
        reports = [dataclasses.replace(
            report(f"d{n}", rng.choice(places), date=rng.choice(days),
                   subtype=rng.choice(["drone", "missile", None]), published=dt.date(2024, 3, 2),
                   kind=rng.choice(list(IncidentType))),
            incident_id=f"d{n}-{k}", seq=n) for k in range(rng.randint(1, 3))]
        expected = assign_document(reports, dict(grouper.events))
        found = grouper.add(reports)
        assert found == {r.incident_id: expected[r.incident_id] or f"ev-{r.incident_id}" for r in reports}
    assert max(len(members) for members in grouper.events.values()) > 10  # events told by many documents


def test_a_grouper_that_keeps_no_reports_groups_alike() -> None:
    rng = random.Random(8)
    keeping, lean = Grouper(), Grouper(keep_reports=False)
    for n in range(60):
        reports = [dataclasses.replace(report(f"d{n}", rng.choice([ODESA, PRYMORSKYI, OBLAST, KHARKIV])),
                                       incident_id=f"d{n}-{k}") for k in range(rng.randint(1, 2))]
        assert lean.add_arrival(reports) == keeping.add_arrival(reports)
    assert not lean.events and sum(map(len, keeping.events.values())) > 60
