"""City labels for the offline map: tiers by population, two files written once per gazetteer index."""

from __future__ import annotations

import json
from pathlib import Path

from gazetteer.records import Place, Precision
from incidents.explore import labels
from incidents.explore.labels import (
    CITIES_FILE,
    PART_ZOOM,
    TOWNS_FILE,
    TOWNS_FROM_ZOOM,
    city_labels,
    ensure_labels,
    label_zoom,
    written_stamp,
)


def town(name: str, population: int, lat: float = 50.0, lon: float = 30.0) -> Place:
    return Place(f"t:{name}", name, lat, lon, "UA", None, "PPL", population, Precision.LOCALITY)


PLACES = [town("Village", 2_000), town("Izium", 45_000, 49.2, 37.3), town("Kyiv", 2_900_000, 50.45, 30.52),
          town("Kharkiv", 1_400_000, 49.99, 36.23), town("Town", 12_000, 48.0, 35.0)]


def test_larger_cities_are_labelled_from_farther_out() -> None:
    assert label_zoom(9_000_000) == 3 and label_zoom(2_900_000) == 4 and label_zoom(45_000) == 9
    assert label_zoom(10_000) == 10 and label_zoom(9_999) is None
    found = city_labels(PLACES)
    assert [c.name for c in found] == ["Kyiv", "Kharkiv", "Izium", "Town"], "most populous first"


def test_one_label_per_name_and_spot() -> None:
    twice = [town("Kyiv", 2_900_000, 50.45, 30.52), town("Kyiv", 2_800_000, 50.46, 30.5)]
    assert len(city_labels(twice)) == 1


def test_labels_are_written_once_per_index(tmp_path: Path) -> None:
    index = tmp_path / "index"
    index.mkdir()
    (index / "stamp.json").write_text('{"format": 1}', encoding="utf-8")
    out = tmp_path / "labels"
    calls: list[int] = []

    def places() -> list[Place]:
        calls.append(1)
        return PLACES

    stamp = ensure_labels(out, index_dir=index, places=places)
    assert stamp and written_stamp(out) == stamp
    cities = json.loads((out / CITIES_FILE).read_text(encoding="utf-8"))["cities"]
    towns = json.loads((out / TOWNS_FILE).read_text(encoding="utf-8"))["cities"]
    assert [c[0] for c in cities] == ["Kyiv", "Kharkiv"] and [c[0] for c in towns] == ["Izium", "Town"]
    assert all(c[3] >= TOWNS_FROM_ZOOM for c in towns)
    assert ensure_labels(out, index_dir=index, places=places) == stamp and len(calls) == 1
    (index / "stamp.json").write_text('{"format": 2}', encoding="utf-8")
    assert ensure_labels(out, index_dir=index, places=places) != stamp and len(calls) == 2


def test_no_index_writes_nothing(tmp_path: Path) -> None:
    assert ensure_labels(tmp_path / "labels", index_dir=tmp_path, places=list) == ""
    assert not (tmp_path / "labels").exists() and labels.index_stamp(tmp_path) == ""


def test_a_district_of_a_large_city_is_labelled_as_a_part_from_street_zoom() -> None:
    city = town("Kharkiv", 1_400_000, 49.99, 36.23)
    district = town("Rayon KTZ", 200_000, 49.94, 36.37)  # GeoNames lists districts as populated places
    suburb = town("Merefa", 21_000, 49.82, 36.05)  # 22 km out: a town of its own
    neighbour = town("Bnei Brak", 214_000, 32.08, 34.83)  # next to a city only twice its size
    found = {c.name: c for c in city_labels([city, district, suburb, neighbour,
                                             town("Tel Aviv", 435_000, 32.08, 34.78)])}
    assert found["Rayon KTZ"].part and found["Rayon KTZ"].min_zoom == PART_ZOOM
    assert not found["Kharkiv"].part and found["Kharkiv"].min_zoom == 4
    assert not found["Merefa"].part and not found["Bnei Brak"].part
    capital = Place("t:c", "Capital", 49.95, 36.3, "UA", None, "PPLC", 100_000, Precision.LOCALITY)
    assert not labels.part_of_city(capital, [city])


def test_parts_are_marked_in_the_written_files(tmp_path: Path) -> None:
    kyiv, obolon = town("Kyiv", 2_900_000, 50.45, 30.52), town("Obolon", 239_500, 50.5, 30.5)
    labels.write_labels(city_labels([kyiv, obolon]), tmp_path, stamp="s")
    towns = json.loads((tmp_path / TOWNS_FILE).read_text(encoding="utf-8"))["cities"]
    assert towns == [["Obolon", 50.5, 30.5, PART_ZOOM, 1]]
    cities = json.loads((tmp_path / CITIES_FILE).read_text(encoding="utf-8"))["cities"]
    assert cities == [["Kyiv", 50.45, 30.52, 4]]
