"""Tests of which places are context for others (hand-made places, no gazetteer)."""

from __future__ import annotations

from gazetteer.records import Place, Precision, Toponym
from incidents.extract.containment import contains, distance_km, unique_places, without_context

LVIV = Place("t:lviv", "Lviv", 49.84, 24.03, "UA", None, "PPLA", 700000, Precision.LOCALITY)
RIVNE = Place("t:rivne", "Rivne", 50.62, 26.25, "UA", None, "PPLA", 240000, Precision.LOCALITY)
UKRAINE = Place("t:ua", "Ukraine", 49.0, 32.0, "UA", None, "PCLI", 40000000, Precision.COUNTRY)
POLAND = Place("t:pl", "Poland", 52.0, 19.0, "PL", None, "PCLI", 38000000, Precision.COUNTRY)
OBLAST = Place("t:lviv-oblast", "Lviv Oblast", 49.8, 23.9, "UA", None, "ADM1", 2500000, Precision.REGION,
               100.0)


def at(place: Place, start: int = 0) -> Toponym:
    return Toponym(start, start + 4, place.name, place)


def test_containment_and_distance() -> None:
    lviv = at(LVIV)
    assert contains(at(OBLAST), lviv) and contains(at(UKRAINE), lviv)
    assert not contains(lviv, at(OBLAST))
    assert not contains(at(POLAND), lviv)
    assert not contains(at(OBLAST), at(RIVNE))  # farther than the oblast's radius
    assert 180 < distance_km(LVIV, RIVNE) < 200


def test_a_town_is_never_dropped_as_context_of_a_region() -> None:
    backwards = Toponym(0, 5, "regio", OBLAST, context=LVIV)  # a context link the wrong way round
    lviv = Toponym(10, 14, "Lviv", LVIV)
    assert not contains(lviv, backwards)
    assert contains(backwards, lviv)


def test_unique_places_keeps_the_first_mention_of_each_place() -> None:
    first, again, other = at(LVIV, 0), at(LVIV, 20), at(RIVNE, 10)
    assert unique_places([first, other, again]) == [first, other]


def test_without_context_drops_containing_areas_but_never_everything() -> None:
    lviv, rivne, oblast, country = at(LVIV), at(RIVNE, 10), at(OBLAST, 20), at(UKRAINE, 30)
    assert without_context([country, lviv, oblast, rivne]) == [lviv, rivne]
    assert without_context([country, oblast]) == [oblast]
    assert without_context([country]) == [country]


def test_a_large_region_holds_a_small_one() -> None:
    strip = Place("r:strip", "Strip", 31.42, 34.33, "PS", "Strip", "ADM1", 0, Precision.REGION,
                  radius_km=24.0)
    district = Place("r:dist", "District", 31.42, 34.35, "PS", "District", "ADM1", 0, Precision.REGION,
                     radius_km=5.0)
    far = Place("r:far", "Far", 32.5, 35.5, "PS", "Far", "ADM1", 0, Precision.REGION, radius_km=5.0)
    assert contains(Toponym(0, 5, "Strip", strip), Toponym(10, 18, "District", district))
    assert not contains(Toponym(10, 18, "District", district), Toponym(0, 5, "Strip", strip))
    assert not contains(Toponym(0, 5, "Strip", strip), Toponym(20, 23, "Far", far))
