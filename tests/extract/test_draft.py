"""Tests of the incident draft: counts that settle, and the tests that match it to a sentence."""

from __future__ import annotations

import datetime as dt

from gazetteer.records import Place, Precision, Toponym
from incidents.extract.casualties import CasualtyReading
from incidents.extract.draft import Draft, belongs, conflicts, is_compatible, is_near
from incidents.records import IncidentType

TOWN = Place("t:town", "Town", 31.34, 34.30, "PS", None, "PPL", 200000, Precision.LOCALITY)
CAMP = Place("t:camp", "Camp", 31.38, 34.27, "PS", None, "PPL", 0, Precision.LOCALITY)  # about 5 km away
FAR = Place("t:far", "Far", 31.52, 34.45, "PS", None, "PPL", 500000, Precision.LOCALITY)  # about 25 km away
AREA = Place("t:area", "Area", 31.4, 34.35, "PS", None, "RGN", 2000000, Precision.REGION, 50.0)
DAY = dt.date(2024, 3, 6)


def at(place: Place) -> Toponym:
    return Toponym(0, 4, place.name, place)


def draft(*, killed: int | None = None) -> Draft:
    made = Draft(IncidentType.STRIKE, None, [at(TOWN)], [0], DAY)
    made.add_counts(CasualtyReading(killed=killed))
    return made


def test_counts_are_filled_once_and_vague_counts_settle_as_null() -> None:
    d = draft(killed=3)
    d.add_counts(CasualtyReading(killed=5, injured_vague=True))
    d.add_counts(CasualtyReading(injured=7))
    assert (d.killed, d.injured) == (3, None)
    unknown = draft()
    unknown.add_counts(CasualtyReading(unknown=True))
    unknown.add_counts(CasualtyReading(killed=2, injured=4))
    assert (unknown.killed, unknown.injured) == (None, None)


def test_latest_counts_a_sentence_that_went_on_telling_of_it() -> None:
    d = draft()
    d.sentences.append(2)
    assert d.latest() == 2
    d.last = 5
    assert d.latest() == 5


def test_a_different_count_conflicts_and_a_missing_one_does_not() -> None:
    d = draft(killed=3)
    assert conflicts(d, CasualtyReading(killed=4))
    assert not conflicts(d, CasualtyReading(killed=3, injured=9))
    assert not conflicts(d, CasualtyReading())


def test_compatible_needs_the_same_type_a_shared_place_and_no_conflict() -> None:
    d = draft(killed=3)
    same = CasualtyReading(killed=3)
    assert is_compatible(d, IncidentType.STRIKE, [at(TOWN)], DAY, same)
    assert not is_compatible(d, IncidentType.ALERT, [at(TOWN)], DAY, same)
    assert not is_compatible(d, IncidentType.STRIKE, [at(TOWN)], DAY + dt.timedelta(days=1), same)
    assert not is_compatible(d, IncidentType.STRIKE, [at(TOWN)], None, CasualtyReading(killed=8))
    assert not is_compatible(d, IncidentType.STRIKE, [at(CAMP)], DAY, same)
    assert is_compatible(d, IncidentType.STRIKE, [at(CAMP)], DAY, same, nearby=True)
    assert not is_compatible(d, IncidentType.STRIKE, [at(FAR)], DAY, same, nearby=True)


def test_near_and_belongs() -> None:
    d = draft()
    assert is_near(d, [at(CAMP)]) and not is_near(d, [at(CAMP), at(FAR)])
    assert belongs(at(TOWN), d) and belongs(at(AREA), d)
    assert not belongs(at(CAMP), d)
