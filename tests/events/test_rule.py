"""The same-event rule: places that coincide or contain each other, days, contradictions."""

from __future__ import annotations

import dataclasses
import datetime as dt

from gazetteer.records import Place, Precision
from incidents.events import pair_strength, place_relation
from incidents.events.reports import Report
from incidents.events.rule import COINCIDE, CONTAINS, IN_COUNTRY, join_strength, reach_km, weapons_conflict
from incidents.records import IncidentType

ODESA = Place("t:odesa", "Odesa", 46.48, 30.73, "UA", "Odeska oblast", "PPLA", 1_000_000, Precision.LOCALITY)
ODESA_TOO = dataclasses.replace(ODESA, id="t:odesa-2", lat=46.47, lon=30.75)
PRYMORSKYI = Place("t:prym", "Prymorskyi", 46.46, 30.74, "UA", "Odeska oblast", "PPLX", 0,
                   Precision.DISTRICT)
OBLAST = Place("t:oblast", "Odesa Oblast", 46.6, 30.3, "UA", "Odesa Oblast", "ADM1", 0, Precision.REGION,
               168.0)
KHARKIV = Place("t:kharkiv", "Kharkiv", 49.99, 36.23, "UA", "Kharkivska oblast", "PPLA", 1_400_000,
                Precision.LOCALITY)
UKRAINE = Place("t:ua", "Ukraine", 49.0, 32.0, "UA", None, "PCLI", 0, Precision.COUNTRY, 400.0)


def report(doc: str, *places: Place, date: dt.date | None = dt.date(2024, 3, 2),
           subtype: str | None = "drone", published: dt.date | None = None,
           kind: IncidentType = IncidentType.STRIKE) -> Report:
    return Report(incident_id=f"{doc}-0", doc_id=doc, type=kind, subtype=subtype, places=places, date=date,
                  published=published, killed=None, injured=None, source=None, seq=0)


def test_places_coincide_contain_or_not() -> None:
    assert place_relation(ODESA, ODESA) == COINCIDE
    assert place_relation(ODESA, ODESA_TOO) == COINCIDE  # one town, two gazetteer entries
    assert place_relation(PRYMORSKYI, ODESA) == CONTAINS  # a district in its city
    assert place_relation(OBLAST, ODESA) == CONTAINS  # within the region's radius
    assert place_relation(UKRAINE, ODESA) == IN_COUNTRY
    assert place_relation(KHARKIV, ODESA) == 0.0
    assert place_relation(OBLAST, KHARKIV) == 0.0


def test_a_division_contains_its_towns_by_name() -> None:
    far = Place("t:far", "Moscow Oblast", 55.75, 37.6, "RU", "Moskovskaya oblast'", "ADM1", 0,
                Precision.REGION, 20.0)
    town = Place("t:town", "Ramenskoye", 55.56, 38.24, "RU", "Moskovskaya", "PPL", 90_000, Precision.LOCALITY)
    assert place_relation(far, town) == CONTAINS


def test_reach_grows_with_population_within_bounds() -> None:
    assert reach_km(PRYMORSKYI) == 2.0
    assert 8 < reach_km(ODESA) < 10
    assert reach_km(dataclasses.replace(ODESA, population=12_000_000)) == 15.0


def test_days_allow_overnight_and_a_late_report_but_not_two_days() -> None:
    night = report("a", ODESA, date=dt.date(2024, 3, 2))
    assert pair_strength(night, report("b", ODESA, date=dt.date(2024, 3, 1))) > 0
    assert pair_strength(night, report("b", ODESA, date=None, published=dt.date(2024, 3, 4))) > 0
    assert pair_strength(night, report("b", ODESA, date=dt.date(2024, 3, 4))) == 0
    assert pair_strength(night, report("b", ODESA, date=None, published=dt.date(2024, 3, 5))) == 0
    assert pair_strength(night, report("b", ODESA, date=None)) > 0  # nothing dates it: no contradiction


def test_contradictions_keep_reports_apart() -> None:
    drone = report("a", ODESA)
    assert pair_strength(drone, report("a", ODESA)) == 0  # one document told them apart
    assert pair_strength(drone, report("b", ODESA, subtype="missile")) == 0
    assert pair_strength(drone, report("b", ODESA, kind=IncidentType.ALERT)) == 0
    assert pair_strength(drone, report("b", ODESA, subtype="airstrike")) > 0
    assert pair_strength(drone, report("b", ODESA, subtype=None)) > 0
    assert weapons_conflict("rocket", "drone") and not weapons_conflict("missile", "shelling")


def test_joining_needs_every_member_complete_linkage() -> None:
    first = report("a", ODESA, date=None, published=None)
    late = report("b", ODESA, date=dt.date(2024, 3, 3))
    early = report("c", ODESA, date=dt.date(2024, 3, 1))
    assert pair_strength(first, early) > 0
    assert join_strength(early, [first, late]) == 0  # 1 and 3 March are two days apart
    assert join_strength(report("d", ODESA), [first, late]) > 0


def test_the_calendars_first_day_has_a_window() -> None:
    first = report("a", ODESA, date=dt.date.min)
    assert pair_strength(first, report("b", ODESA, date=None, published=dt.date.min)) > 0
