"""The Who's On First supplement: the data file is well-formed, names are made safely, entries are placed."""



from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from gazetteer.errors import GazetteerFormatError
from gazetteer.indexer.sources import Admin1Names, City
from gazetteer.indexer.subdivisions import (
    COLUMNS,
    SubdivisionRow,
    display_name,
    district_names,
    neighbourhood_names,
    raion_forms,
    read_rows,
    subdivision_entries,
    typed,
)
from gazetteer.normalize import fold_name
from gazetteer.records import Precision


def _row(**changes: object) -> SubdivisionRow:
    values: dict[str, object] = {
        "wof_id": 1, "placetype": "county", "name": "Brenskyi", "country_code": "UA", "region": "Test",
        "parent": "", "lat": 48.0, "lon": 35.0, "radius_km": 20.0, "population": 0,
        "names": (("Brens'kyi", "en"), ("Бренський", "uk")), "source": "test", "line": 2,
    }
    values.update(changes)
    return SubdivisionRow(**values)  # type: ignore[arg-type]


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return path


def test_the_committed_file_has_districts_and_neighbourhoods_with_sources() -> None:
    rows = list(read_rows())
    kinds = Counter(r.placetype for r in rows)
    assert kinds["county"] > 900 and kinds["neighbourhood"] > 300
    assert {r.country_code for r in rows} >= {"UA", "PS", "LB", "SY", "YE", "SD", "IL"}
    assert all(r.source.startswith("whosonfirst-data-admin-") for r in rows)
    assert all(r.parent for r in rows if r.placetype == "neighbourhood")


def test_a_bad_row_names_its_file_and_line(tmp_path: Path) -> None:
    row = {"wof_id": "5", "placetype": "campus", "name": "X", "country_code": "UA", "lat": "1", "lon": "1"}
    path = _write(tmp_path / "s.csv", [row])
    with pytest.raises(GazetteerFormatError, match=r"s\.csv:2: placetype 'campus'"):
        list(read_rows(path))


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("wof_id,name\n1,X\n", encoding="utf-8")
    with pytest.raises(GazetteerFormatError, match="missing columns"):
        list(read_rows(path))


def test_typed_names_carry_a_type_word_in_any_script() -> None:
    assert typed("Jerusalem District") and typed("قضاء بعلبك") and typed("Гаспринський район")
    assert not typed("Baalbek") and not typed("Бренський")


def test_a_raion_gets_its_cases_and_romanised_forms_never_its_bare_adjective() -> None:
    names = {n for n, _ in raion_forms(_row(), {})}
    assert {"Бренський район", "Бренського району", "Бренському районі", "Brens'kyi raion",
            "Rajon Brens'kyi"} <= names
    assert "Бренський" not in names and "Brens'kyi" not in names
    assert not any(n.startswith("Brens ") for n in names)


def test_a_raion_is_named_after_its_town_only_when_that_town_is_near() -> None:
    near = {fold_name("Bren"): [(48.1, 35.1)]}
    far = {fold_name("Bren"): [(40.0, 20.0)]}
    assert "Bren district" in {n for n, _ in raion_forms(_row(), near)}
    assert "Bren district" not in {n for n, _ in raion_forms(_row(), far)}


def test_a_district_named_like_a_town_is_indexed_only_with_its_type() -> None:
    row = _row(country_code="LB", name="Qarnet", names=(("Qarnet", "en"), ("قضاء قرنة", "ar")))
    with_town = {n for n, _ in district_names(row, {"qarnet": [(48.0, 35.0)]})}
    assert "Qarnet" not in with_town and {"Qarnet district", "district de Qarnet", "قضاء قرنة"} <= with_town
    assert "Qarnet" in {n for n, _ in district_names(row, {})}
    assert display_name(row, {"qarnet": [(48.0, 35.0)]}) == "Qarnet District"
    assert display_name(_row(), {}) == "Brenskyi raion"


def test_a_neighbourhood_named_like_the_town_around_it_is_that_town() -> None:
    row = _row(placetype="neighbourhood", name="Old Brenn", names=(("Old Brenn", "en"), ("Brenn", "en")))
    town = {"brenn": [(48.01, 35.01)]}
    assert [n for n, _ in neighbourhood_names(row, town)] == ["Old Brenn"]
    assert neighbourhood_names(_row(placetype="neighbourhood", name="Brenn"), town) == ()


def test_entries_take_their_admin1_from_the_nearest_town(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", [
        {"wof_id": "7", "placetype": "neighbourhood", "name": "Zarfa", "country_code": "LB", "parent": "Town",
         "lat": "33.90", "lon": "35.50", "population": "0", "en": "Zarfa|Zarfah", "source": "t"},
        {"wof_id": "8", "placetype": "county", "name": "Kesra", "country_code": "LB", "lat": "34.30",
         "lon": "35.90", "radius_km": "12.5", "population": "9000", "source": "t"},
    ])
    cities = [City(1, "Town", 33.89, 35.49, "LB", "04", 100_000, ()),
              City(2, "North", 34.29, 35.91, "LB", "09", 5_000, ())]
    admin1 = Admin1Names({("LB", "04"): "Capital", ("LB", "09"): "North Region"}, {})
    entries = {e.place.id: e for e in subdivision_entries(cities, admin1, path)}
    zarfa, kesra = entries["wof:7"], entries["wof:8"]
    assert zarfa.place.feature == "PPLX" and zarfa.place.admin1 == "Capital"
    assert zarfa.place.precision == Precision.DISTRICT
    assert {n for n, _ in zarfa.names} >= {"Zarfa", "Zarfah"}
    assert kesra.place.feature == "ADM2" and kesra.place.admin1 == "North Region"
    assert kesra.place.radius_km == 12.5 and kesra.place.population == 9000
    assert "wof:8" in kesra.source
