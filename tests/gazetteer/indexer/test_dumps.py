"""GeoNames dumps: main rows, alternate names, admin1 names, zip or text, streaming, bad rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from gazetteer.errors import GazetteerFormatError
from gazetteer.indexer import dumps
from gazetteer.indexer.dumps import iter_alternate_names, precision_of, read_admin1_codes, read_geonames_dump
from gazetteer.records import Entry, Place, Precision
from tests.paths import FIXTURES

GEONAMES = FIXTURES / "geonames"
MAIN = GEONAMES / "cities_fixture.txt"
ALTERNATES = GEONAMES / "alternateNamesV2_fixture.txt"
ADMIN1 = GEONAMES / "admin1CodesASCII_fixture.txt"


def _by_id(entries: list[Entry]) -> dict[str, Entry]:
    return {e.place.id: e for e in entries}


def _zip(path: Path, members: dict[str, Path]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, source in members.items():
            archive.write(source, name)
    return path


def _main_lines() -> list[str]:
    return MAIN.read_text(encoding="utf-8").splitlines(keepends=True)


def test_every_main_row_becomes_one_entry_with_its_coordinates() -> None:
    entries = _by_id(list(read_geonames_dump(MAIN)))
    assert len(entries) == len(_main_lines())
    gaza = entries["geonames:281133"].place
    assert (gaza.name, gaza.country_code, gaza.feature, gaza.population) == ("Gaza", "PS", "PPLA", 410000)
    assert (gaza.lat, gaza.lon) == pytest.approx((31.50161, 34.46672))
    assert gaza.admin1 is None


@pytest.mark.parametrize(("code", "precision"), [
    ("PPL", Precision.LOCALITY), ("PPLA", Precision.LOCALITY), ("PPLC", Precision.LOCALITY),
    ("PPLX", Precision.DISTRICT), ("ADM1", Precision.REGION), ("ADM2", Precision.REGION),
    ("RGN", Precision.REGION), ("PCLI", Precision.COUNTRY), ("PCLD", Precision.COUNTRY),
    ("LK", Precision.POINT), ("MT", Precision.POINT),
])
def test_feature_codes_map_to_precision(code: str, precision: Precision) -> None:
    assert precision_of(code) is precision


def test_fixture_rows_get_the_precision_of_their_feature_code() -> None:
    entries = _by_id(list(read_geonames_dump(MAIN)))
    assert entries["geonames:99000001"].place.precision is Precision.DISTRICT
    assert entries["geonames:99000003"].place.precision is Precision.REGION
    assert entries["geonames:294640"].place.precision is Precision.COUNTRY
    assert entries["geonames:99000002"].place.precision is Precision.POINT


def test_without_alternates_the_column_gives_untagged_names_minus_codes() -> None:
    entries = _by_id(list(read_geonames_dump(MAIN)))
    tel_aviv = {name for name, _ in entries["geonames:293397"].names}
    assert "Tel Aviv-Yafo" in tel_aviv
    assert "TLV" not in tel_aviv
    assert ("ISR", None) in entries["geonames:294640"].names
    assert {lang for e in entries.values() for _, lang in e.names} == {None}


def test_alternates_give_language_tags_and_the_english_preferred_name() -> None:
    entries = _by_id(list(read_geonames_dump(MAIN, alternate_names=ALTERNATES)))
    khan = entries["geonames:281124"]
    assert khan.place.name == "Khan Yunis"
    assert {("Khan Younis", "nl"), ("خان يونس", "ar"), ("Khān Yūnis", None)} <= set(khan.names)
    beersheba = {name for name, _ in entries["geonames:295530"].names}
    assert "Beër Sheva" in beersheba
    assert not beersheba & {"BEV", "https://en.wikipedia.org/wiki/Beersheba"}
    kharkiv = set(entries["geonames:706483"].names)
    assert {("Харків", "uk"), ("Харьков", "ru")} <= kharkiv
    assert ("Kharkov", "en") not in kharkiv
    assert entries["geonames:281133"].place.name == "Gaza"
    assert ("Ghazzah", None) in entries["geonames:281133"].names


def test_old_eight_column_alternates_are_read() -> None:
    rows = [a for a in iter_alternate_names(ALTERNATES) if a.geonameid == 293992]
    assert ("Ofakim", "en") in {(a.name, a.lang) for a in rows}


def test_unfiltered_alternates_path_gives_the_same_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    filtered = list(read_geonames_dump(MAIN, alternate_names=ALTERNATES))
    monkeypatch.setattr(dumps, "PRESCAN_LIMIT_BYTES", 0)
    assert list(read_geonames_dump(MAIN, alternate_names=ALTERNATES)) == filtered


def test_admin1_codes_fill_region_names() -> None:
    assert read_admin1_codes(ADMIN1)["IL.01"] == "Southern District"
    entries = _by_id(list(read_geonames_dump(MAIN, admin1=ADMIN1)))
    assert entries["geonames:293992"].place.admin1 == "Southern District"
    assert entries["geonames:281124"].place.admin1 == "Gaza Strip"
    assert entries["geonames:294640"].place.admin1 is None


def test_zip_files_read_like_text_files(tmp_path: Path) -> None:
    main_zip = _zip(tmp_path / "cities500.zip", {"cities500.txt": MAIN})
    alt_zip = _zip(tmp_path / "alternateNamesV2.zip",
                   {"iso-languagecodes.txt": ADMIN1, "alternateNamesV2.txt": ALTERNATES})
    from_zip = list(read_geonames_dump(main_zip, alternate_names=alt_zip))
    from_text = list(read_geonames_dump(MAIN, alternate_names=ALTERNATES))
    assert [e.place for e in from_zip] == [e.place for e in from_text]
    assert [e.names for e in from_zip] == [e.names for e in from_text]


def test_a_zip_with_several_data_members_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "odd.zip", {"a.txt": MAIN, "b.txt": MAIN})
    with pytest.raises(GazetteerFormatError, match="which member"):
        list(read_geonames_dump(path))


def test_countries_filter_rows_and_lend_their_radius() -> None:
    israel = Place(id="test:IL", name="Israel", lat=31.5, lon=34.9, country_code="IL", admin1=None,
                   feature="PCLI", population=1, precision=Precision.COUNTRY, radius_km=150.0)
    entries = list(read_geonames_dump(MAIN, countries={"IL": israel}))
    assert {e.place.country_code for e in entries} == {"IL"}
    radii = {e.place.feature: e.place.radius_km for e in entries}
    assert radii["PCLI"] == 150.0
    assert radii["PPL"] is None


def test_feature_classes_filter_rows() -> None:
    entries = list(read_geonames_dump(MAIN, feature_classes={"A"}))
    assert {e.place.feature for e in entries} == {"PCLI", "ADM1"}


def test_rows_stream_before_a_bad_row_is_reached(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    lines = _main_lines()
    path.write_text("".join(lines) + "1\tonly\tthree\n", encoding="utf-8")
    reader = read_geonames_dump(path)
    first = next(reader)
    assert first.place.id == "geonames:281133"
    with pytest.raises(GazetteerFormatError, match=rf"broken\.txt:{len(lines) + 1}: 3 columns"):
        list(reader)


@pytest.mark.parametrize(("column", "value", "problem"), [
    (4, "north", "latitude"), (5, "200", "coordinates"), (0, "x1", "geonameid"), (14, "many", "population"),
])
def test_bad_values_name_file_and_line(tmp_path: Path, column: int, value: str, problem: str) -> None:
    lines = _main_lines()
    fields = lines[2].rstrip("\n").split("\t")
    fields[column] = value
    lines[2] = "\t".join(fields) + "\n"
    path = tmp_path / "bad.txt"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(GazetteerFormatError, match=rf"bad\.txt:3: .*{problem}"):
        list(read_geonames_dump(path))


def test_bytes_that_are_not_utf8_are_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(MAIN.read_bytes() + "9\tK\xf6ln".encode("latin-1") + b"\t" * 17 + b"\n")
    with pytest.raises(GazetteerFormatError, match="not UTF-8"):
        list(read_geonames_dump(path))


def test_a_missing_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerFormatError, match="cannot read"):
        list(read_geonames_dump(tmp_path / "absent.txt"))
