"""Tests of incident confidence scores over hand-made drafts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from gazetteer.records import Place, Precision, Toponym
from incidents.extract.confidence import DOUBTS, confidence
from incidents.extract.draft import Draft
from incidents.records import IncidentType

TOWN = Place("t:town", "Town", 50.0, 30.0, "UA", None, "PPL", 1000, Precision.LOCALITY)


def at(place: Place) -> Toponym:
    return Toponym(0, 4, place.name, place)


def plain(precision: Precision = Precision.LOCALITY) -> Draft:
    return Draft(IncidentType.STRIKE, None, [at(replace(TOWN, precision=precision))], [0], None)


def test_a_weapon_counts_and_a_date_each_raise_the_score() -> None:
    base = plain()
    weapon = replace(base, subtype="missile")
    counted = replace(base, killed=2)
    dated = replace(base, date=dt.date(2024, 1, 1))
    everything = replace(base, subtype="missile", injured=1, date=dt.date(2024, 1, 1))
    assert all(confidence(d) > confidence(base) for d in (weapon, counted, dated))
    assert confidence(everything) > max(confidence(d) for d in (weapon, counted, dated))


@pytest.mark.parametrize("doubt", [name for name, _ in DOUBTS])
def test_every_sign_of_doubt_lowers_the_score(doubt: str) -> None:
    base = plain()
    assert confidence(replace(base, **{doubt: True})) < confidence(base)


def test_vaguer_places_score_lower_and_the_finest_place_counts() -> None:
    scores = [confidence(plain(p)) for p in (Precision.LOCALITY, Precision.DISTRICT, Precision.REGION,
                                             Precision.COUNTRY)]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)
    mixed = plain(Precision.COUNTRY)
    mixed.places.append(at(TOWN))
    assert confidence(mixed) == confidence(plain())


def test_the_score_stays_within_bounds() -> None:
    worst = replace(plain(Precision.COUNTRY), **{name: True for name, _ in DOUBTS})
    best = replace(plain(Precision.POINT), subtype="missile", killed=1, date=dt.date(2024, 1, 1))
    assert 0.0 < confidence(worst) <= confidence(best) < 1.0
