"""Curated regions and demonyms: the data files are well-formed, derived radii hold, expansions work."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from gazetteer.errors import GazetteerFormatError
from gazetteer.geo import distance_km
from gazetteer.indexer.curated import (
    REGION_COLUMNS,
    derive_radius_km,
    expand_word,
    read_demonym_table,
    read_demonyms,
    read_region_rows,
    read_regions,
)
from gazetteer.normalize import fold_name
from gazetteer.records import MentionKind, Place, Precision


def _country(code: str) -> Place:
    return Place(id=f"test:{code}", name=code, lat=0.0, lon=0.0, country_code=code, admin1=None,
                 feature="PCLI", population=1, precision=Precision.COUNTRY)


def test_regions_are_a_few_dozen_region_entries_with_unique_ids() -> None:
    entries = list(read_regions())
    ids = [e.place.id for e in entries]
    assert 30 <= len(entries) <= 60
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("curated:") for i in ids)
    assert {e.place.precision for e in entries} == {Precision.REGION}
    assert {e.kind for e in entries} == {MentionKind.PLACE}


def test_each_radius_is_the_distance_to_the_farthest_member_rounded_up() -> None:
    for row in read_region_rows():
        assert row.place.radius_km == derive_radius_km(row.place.lat, row.place.lon, row.members), row.key
        farthest = max(distance_km(row.place.lat, row.place.lon, m.lat, m.lon) for m in row.members)
        assert farthest <= row.place.radius_km < farthest + 1, row.key


def test_every_region_has_english_and_dutch_names_and_a_source() -> None:
    for row in read_region_rows():
        langs = {lang for _, lang in row.names}
        assert {"en", "nl"} <= langs, row.key
        assert all(name == name.strip() and name for name, _ in row.names), row.key
        assert "GeoNames" in row.sources, row.key


@pytest.mark.parametrize(("name", "lang", "key"), [
    ("Gazastrook", "nl", "gaza-strip"),
    ("Gazastreifen", "de", "gaza-strip"),
    ("bande de Gaza", "fr", "gaza-strip"),
    ("Сектор Газа", "uk", "gaza-strip"),
    ("قطاع غزة", "ar", "gaza-strip"),
    ("רצועת עזה", "he", "gaza-strip"),
    ("Westelijke Jordaanoever", "nl", "west-bank"),
    ("grensgebied met Gaza", "nl", "gaza-envelope"),
    ("Gaza-Grenzgebiet", "de", "gaza-envelope"),
    ("pourtour de Gaza", "fr", "gaza-envelope"),
    ("עוטף עזה", "he", "gaza-envelope"),
    ("Golanhoogten", "nl", "golan-heights"),
    ("Donbas", "en", "donbas"),
    ("Krim", "nl", "crimea"),
    ("Придністров'я", "uk", "transnistria"),
])
def test_spec_names_resolve_to_their_region(name: str, lang: str, key: str) -> None:
    owners = {row.key for row in read_region_rows() if (name, lang) in row.names}
    assert owners == {key}


def test_no_name_belongs_to_two_regions_in_the_same_language() -> None:
    owners: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for row in read_region_rows():
        for name, lang in row.names:
            owners[(fold_name(name), lang)].add(row.key)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def _write_regions(path: Path, row: dict[str, str]) -> Path:
    header = ",".join(REGION_COLUMNS)
    values = ",".join(f'"{row.get(c, "")}"' for c in REGION_COLUMNS)
    path.write_text(f"{header}\n{values}\n", encoding="utf-8")
    return path


_GOOD = {"key": "test-area", "name": "Test Area", "country_code": "IL", "feature": "RGN", "lat": "31.5",
         "lon": "34.5", "radius_km": "12", "members": "A=31.6,34.5", "en": "Test Area", "sources": "test"}


def test_a_good_written_row_reads_back(tmp_path: Path) -> None:
    (entry,) = read_regions(_write_regions(tmp_path / "r.csv", _GOOD))
    assert entry.place.id == "curated:test-area"
    assert entry.place.radius_km == 12
    assert ("Test Area", "en") in entry.names


@pytest.mark.parametrize(("column", "value", "problem"), [
    ("lat", "91", "latitude"),
    ("lon", "east", "longitude"),
    ("key", "Bad Key", "key"),
    ("members", "", "members"),
    ("members", "A=31.6", "member"),
    ("radius_km", "0", "radius_km"),
    ("country_code", "ISR", "country_code"),
])
def test_bad_rows_name_file_line_and_problem(tmp_path: Path, column: str, value: str, problem: str) -> None:
    path = _write_regions(tmp_path / "r.csv", {**_GOOD, column: value})
    with pytest.raises(GazetteerFormatError, match=rf"r\.csv:2: .*{problem}"):
        list(read_regions(path))


def test_duplicate_keys_and_missing_columns_are_errors(tmp_path: Path) -> None:
    path = _write_regions(tmp_path / "r.csv", _GOOD)
    path.write_text(path.read_text(encoding="utf-8") + path.read_text(encoding="utf-8").split("\n")[1] + "\n",
                    encoding="utf-8")
    with pytest.raises(GazetteerFormatError, match="duplicate key"):
        list(read_regions(path))
    path.write_text("key,name\nx,y\n", encoding="utf-8")
    with pytest.raises(GazetteerFormatError, match="missing columns"):
        list(read_regions(path))


@pytest.mark.parametrize(("word", "endings", "forms"), [
    ("israélien{,ne,s,nes}", None, ["israélien", "israélienne", "israéliens", "israéliennes"]),
    ("russisch*", ["", "e", "en"], ["russisch", "russische", "russischen"]),
    ("Libanese", None, ["Libanese"]),
    ("a{b}c", None, ["abc"]),
])
def test_expand_word(word: str, endings: list[str] | None, forms: list[str]) -> None:
    assert expand_word(word, endings) == forms


@pytest.mark.parametrize("word", ["stem*", "a{b", "a{b{c}}"])
def test_expand_word_rejects_bad_notation(word: str) -> None:
    with pytest.raises(ValueError, match=word.split("{")[0]):
        expand_word(word, None)


def test_demonyms_cover_forty_countries_in_six_languages() -> None:
    table = read_demonym_table()
    wanted = {"nl", "de", "fr", "uk", "ru"}
    full = [code for code, names in table.items() if wanted <= {lang for _, lang in names}]
    assert len(full) >= 40


@pytest.mark.parametrize(("code", "lang", "form"), [
    ("IL", "nl", "Israëliërs"), ("IL", "nl", "Israëlische"), ("PS", "nl", "Palestijnse"),
    ("LB", "nl", "Libanese"), ("US", "nl", "Amerikaanse"), ("RU", "en", "Russian"),
    ("UA", "de", "ukrainischen"), ("IL", "de", "israelisches"), ("PS", "fr", "palestiniennes"),
    ("RU", "fr", "russes"), ("IL", "uk", "ізраїльських"), ("RU", "uk", "російського"),
    ("UA", "uk", "українські"), ("RU", "ru", "российская"), ("YE", "nl", "Jemenitische"),
])
def test_inflected_forms_are_generated(code: str, lang: str, form: str) -> None:
    assert (form, lang) in read_demonym_table()[code]


def test_no_demonym_form_points_at_two_countries_in_one_language() -> None:
    owners: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for code, names in read_demonym_table().items():
        for form, lang in names:
            owners[(fold_name(form), lang)].add(code)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_read_demonyms_points_at_the_given_countries_and_skips_others() -> None:
    countries = {code: _country(code) for code in ("IL", "UA", "ZZ")}
    entries = list(read_demonyms(countries))
    assert {e.place.id for e in entries} == {"test:IL", "test:UA"}
    assert {e.kind for e in entries} == {MentionKind.DEMONYM}


def test_a_stem_in_a_language_without_endings_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text('[endings]\nde = ["", "e"]\n[countries.IL]\nfr = ["israélien*"]\n', encoding="utf-8")
    with pytest.raises(GazetteerFormatError, match=r"countries\.IL\] fr"):
        list(read_demonyms({"IL": _country("IL")}, path))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Київської області", "Київської"),
        ("Одеська область", "Одеська"),
        ("Киевской области", "Киевской"),
        ("Київщина", None),
        ("Kyiv Oblast", None),
        ("Київ", None),
    ],
)
def test_adjective_form_of_region_names(name: str, expected: str | None) -> None:
    from gazetteer.indexer.curated import adjective_form

    assert adjective_form(name) == expected
