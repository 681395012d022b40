"""Tests of nameless place phrases and a document's focus place (hand-made places, no gazetteer)."""

from __future__ import annotations

from gazetteer.records import MentionKind, Place, Precision, Toponym
from incidents.extract.focus import (
    Anaphor,
    AnaphorKind,
    Seen,
    capital_place,
    demonym_country,
    find_anaphors,
    focus_country,
    focus_place,
    last_town,
    region_place,
)
from incidents.extract.lexicon import load_lexicon

TOWN = Place("t:town", "Northtown", 50.0, 30.0, "AA", "North", "PPLA", 90000, Precision.LOCALITY)
PORT = Place("t:port", "Porto", 46.0, 31.0, "AA", "South", "PPL", 30000, Precision.LOCALITY)
SEAT = Place("t:seat", "Seat City", 48.0, 29.0, "AA", "Centre", "PPLC", 900000, Precision.LOCALITY)
NORTH = Place("t:north", "North Province", 50.2, 30.1, "AA", "North", "ADM1", 900000, Precision.REGION, 80.0)
SOUTH = Place("t:south", "South Province", 46.3, 31.2, "AA", "South", "ADM1", 500000, Precision.REGION, 80.0)
LAND = Place("t:aa", "Aland", 48.0, 30.0, "AA", None, "PCLI", 9000000, Precision.COUNTRY, 500.0)
OTHER = Place("t:bb", "Beland", 40.0, 20.0, "BB", None, "PCLI", 5000000, Precision.COUNTRY, 400.0)
OTHER_SEAT = Place("t:bseat", "Bee City", 40.5, 20.5, "BB", "Bee", "PPLC", 700000, Precision.LOCALITY)


class Book:
    """A tiny gazetteer stand-in: regions by admin1, capitals by country."""

    def region_of(self, place: Place) -> Place | None:
        return {"North": NORTH, "South": SOUTH}.get(place.admin1 or "")

    def capital_of(self, country_code: str) -> Place | None:
        return {"AA": SEAT, "BB": OTHER_SEAT}.get(country_code)


class RegionsOnly:
    """A gazetteer stand-in without ``capital_of`` (the older interface)."""

    def region_of(self, place: Place) -> Place | None:
        return NORTH if place.admin1 == "North" else None


def seen(*places: Place, sentence: int = 0) -> list[Seen]:
    return [Seen(sentence, Toponym(i, i + 1, p.name, p)) for i, p in enumerate(places)]


def kinds(text: str, lang: str, names: tuple[tuple[int, int], ...] = ()) -> list[tuple[str, AnaphorKind]]:
    return [(a.text, a.kind) for a in find_anaphors(text, load_lexicon(lang), names)]


def test_phrases_are_found_by_kind_in_each_language() -> None:
    assert kinds("Drones struck the capital and the surrounding region.", "en") == [
        ("the capital", AnaphorKind.CAPITAL), ("the surrounding region", AnaphorKind.REGION)]
    assert kinds("Raketten troffen de hoofdstad en de omliggende regio.", "nl") == [
        ("de hoofdstad", AnaphorKind.CAPITAL), ("de omliggende regio", AnaphorKind.REGION)]
    assert kinds("Drohnen trafen die Hauptstadt und die umliegende Region.", "de")[1][1] == AnaphorKind.REGION
    assert [k for _, k in kinds("Des frappes ont visé la capitale et la région.", "fr")] == [
        AnaphorKind.CAPITAL, AnaphorKind.REGION]
    assert [k for _, k in kinds("Дрони атакували столицю, місто та область.", "uk")] == [
        AnaphorKind.CAPITAL, AnaphorKind.PLACE, AnaphorKind.REGION]


def test_a_phrase_before_or_inside_a_name_is_no_anaphor() -> None:
    text = "Shells hit the city of Northtown."
    start = text.index("Northtown")
    assert kinds(text, "en", ((start, start + 9),)) == []
    uk = "Дрони атакували Харківську область."
    name = (uk.index("Харківську"), uk.index("Харківську") + len("Харківську"))
    assert kinds(uk, "uk", (name,)) == []


def test_the_capital_is_the_gazetteers_or_the_last_town_of_the_country() -> None:
    history = seen(LAND, PORT)
    assert capital_place("AA", Book(), history) == SEAT
    assert capital_place("AA", RegionsOnly(), history) == PORT
    assert capital_place("AA", None, seen(LAND)) is None
    assert focus_country(history) == "AA"
    assert focus_country([], [Toponym(0, 1, "B", OTHER)]) == "BB"
    assert focus_country([]) is None


def test_a_demonym_beside_the_capital_names_its_country() -> None:
    anaphor = Anaphor(4, 18, "the ? capital", AnaphorKind.CAPITAL)
    inside = Toponym(14, 20, "Belish", OTHER, kind=MentionKind.DEMONYM)
    assert demonym_country(anaphor, [inside], offset=10) == "BB"
    far = Toponym(60, 66, "Belish", OTHER, kind=MentionKind.DEMONYM)
    assert demonym_country(anaphor, [far], offset=10) is None


def test_a_region_phrase_is_the_region_of_the_town_just_named_else_the_title_region() -> None:
    title = [Toponym(0, 5, "South", SOUTH)]
    assert region_place(3, seen(TOWN, sentence=2), title, Book()) == NORTH
    assert region_place(3, seen(SOUTH, sentence=3), [], Book()) == SOUTH
    assert region_place(9, seen(TOWN, sentence=2), title, Book()) == SOUTH  # the town is too far back
    assert region_place(3, seen(TOWN, sentence=2), [], None) is None
    assert region_place(0, [], [*title, Toponym(9, 14, "North", NORTH)], Book()) is None


def test_the_city_is_the_last_town_and_the_focus_is_one_title_region_or_the_dateline() -> None:
    assert last_town(seen(TOWN, NORTH, PORT, LAND)) == PORT
    assert last_town(seen(NORTH)) == NORTH
    assert last_town([]) is None
    title = Toponym(0, 5, "North", NORTH)
    dateline = Toponym(0, 4, "PORTO", PORT)
    assert focus_place([title], [dateline]) == title
    assert focus_place([], [dateline]) == dateline
    assert focus_place([title, Toponym(9, 14, "South", SOUTH)], []) is None
    assert focus_place([], []) is None
