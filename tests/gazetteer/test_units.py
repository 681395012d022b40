"""Units named after their seat: adjectives back to town names, unit phrases in uk and ru text."""

# ruff: noqa: RUF001  (Cyrillic letters are the point here)

from __future__ import annotations

import pytest

from gazetteer.records import Place, Precision
from gazetteer.units import find_units, seat_names, unit_place, unit_places, unit_rules, unit_type


@pytest.mark.parametrize(
    ("adjective", "town"),
    [
        ("Грайворонский", "грайворон"),
        ("Нікопольського", "нікополь"),
        ("Охтирській", "охтирка"),
        ("Великописарівську", "велика писарівка"),
        ("Новоайдарської", "новий айдар"),
        ("Тростянецька", "тростянець"),
        ("Донецкий", "донецк"),
        ("Сумською", "суми"),
        ("Шебекинском", "шебекино"),
        ("Краснопільської", "краснопілля"),
    ],
)
def test_an_adjective_leads_back_to_the_town_it_is_made_from(adjective: str, town: str) -> None:
    assert town in seat_names(adjective)


def test_a_word_without_an_adjective_ending_leads_nowhere() -> None:
    assert seat_names("Харків") == ()


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        (["громаду"], "hromada"),
        (["селищна", "громада"], "hromada"),
        (["міській", "територіальній", "громаді"], "hromada"),
        (["городском", "округе"], "okrug"),
        (["муниципального", "округа"], "okrug"),
        (["районі"], "raion"),
        (["ОТГ"], "hromada"),
    ],
)
def test_unit_nouns_with_their_qualifiers_in_any_case(words: list[str], kind: str) -> None:
    unit = unit_type(words, unit_rules())
    assert unit is not None
    assert unit.kind == kind


def test_a_lower_case_word_that_is_no_qualifier_is_no_unit() -> None:
    assert unit_type(["було", "громади"], unit_rules()) is None


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("Дрон влучив у Великописарівську селищну громаду.", "Великописарівську селищну громаду", "hromada"),
        ("У Новоайдарській громаді поранено двох людей.", "Новоайдарській громаді", "hromada"),
        ("Грайворонский городской округ снова под обстрелом.", "Грайворонский городской округ", "okrug"),
        ("В Шебекинском округе ранены трое.", "Шебекинском округе", "okrug"),
        ("Снаряд упал в Нікопольському районі Дніпропетровської області.", "Нікопольському районі", "raion"),
    ],
)
def test_unit_phrases_are_found_with_their_span(text: str, phrase: str, kind: str) -> None:
    found = list(find_units(text))
    assert [(text[u.start : u.end], u.unit.kind) for u in found] == [(phrase, kind)]


def test_a_raion_named_before_its_city_is_left_to_the_city() -> None:
    # A city district ("Київський район Харкова") is a part of the city, not a unit seated in Kyiv.
    assert list(find_units("Вибухи в Київському районі Харкова.")) == []


def _town(name: str, population: int, place_id: str) -> Place:
    return Place(place_id, name, 50.48, 35.67, "RU", "Belgorod", "PPL", population, Precision.LOCALITY)


def test_a_unit_is_a_district_place_at_its_seat() -> None:
    span = next(find_units("Грайворонский городской округ"))
    seat = _town("Grayvoron", 6000, "geonames:1")
    places = unit_places(span, lambda name: [seat] if name == "грайворон" else [])
    assert places == (unit_place(seat, span.unit),)
    unit = places[0]
    assert (unit.feature, unit.precision, unit.admin1) == ("ADM2", Precision.DISTRICT, "Belgorod")
    assert (unit.lat, unit.lon) == (seat.lat, seat.lon)
    assert unit.id == "unit:okrug:geonames:1"


def test_a_unit_sits_only_in_a_town_of_its_country_large_enough_for_it() -> None:
    span = next(find_units("Борисовский городской округ"))
    abroad = Place("geonames:2", "Barysaw", 54.2, 28.5, "BY", "Minsk", "PPL", 140_000, Precision.LOCALITY)
    hamlet = Place("geonames:3", "Borisovka", 51.0, 37.0, "RU", "Belgorod", "PPL", 150, Precision.LOCALITY)
    town = _town("Borisovka", 13_000, "geonames:4")
    places = unit_places(span, lambda name: [abroad, hamlet, town])
    assert [p.id for p in places] == ["unit:okrug:geonames:4"]


def test_only_settlements_seat_a_unit() -> None:
    span = next(find_units("Грайворонский городской округ"))
    region = Place("x:1", "Grayvoron", 50.0, 35.0, "RU", None, "ADM1", 0, Precision.REGION)
    assert unit_places(span, lambda name: [region]) == ()
