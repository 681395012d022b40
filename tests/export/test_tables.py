"""Exports: GeoJSON valid against the contract's schema, ACLED-like CSV, GeoPackage read back by pyogrio."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gazetteer.records import Place, Precision
from incidents.errors import ExportError
from incidents.export import tables as export
from incidents.records import Casualties, Incident, IncidentPlace, IncidentType

SCHEMA = json.loads(files("incidents").joinpath("data/incidents.schema.json").read_text(encoding="utf-8"))

TYRE = Place("t:tyre", "Tyre", 33.27, 35.20, "LB", "South Governorate", "PPLA", 117_000, Precision.LOCALITY)
NORTH = Place("t:north", "Northern border area", 33.1, 35.5, "IL", None, "RGN", 0, Precision.REGION, 30.0)

INCIDENTS = [
    Incident("i1", "d1", IncidentType.STRIKE, "airstrike", (IncidentPlace(TYRE, "Tyrus", 5, 10),),
             Casualties(3, 7), dt.date(2024, 10, 5), "nl", "Zeven gewonden in Tyrus, “zegt” men; a,b", "NOS",
             0.8),
    Incident("i2", "d1", IncidentType.ALERT, "siren",
             (IncidentPlace(NORTH, "het noorden", 0, 3), IncidentPlace(TYRE, "Tyrus", 20, 25)),
             Casualties(None, None), None, "nl", "Luchtalarm.", None, 0.6),
]


def test_geojson_validates_against_the_contract() -> None:
    collection = json.loads(export.geojson_bytes(INCIDENTS))
    jsonschema.validate(collection, SCHEMA)
    assert len(collection["features"]) == 3
    assert collection["features"][0]["geometry"]["coordinates"] == [TYRE.lon, TYRE.lat]


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "spreadsheets need the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_acled_columns_and_one_row_per_feature() -> None:
    rows = read_csv(export.csv_bytes(INCIDENTS))
    assert list(rows[0]) == list(export.CSV_COLUMNS)
    assert list(export.CSV_COLUMNS[: len(export.ACLED_COLUMNS)]) == list(export.ACLED_COLUMNS)
    assert [r["location"] for r in rows] == ["Tyre", "Northern border area", "Tyre"]
    first = rows[0]
    assert (first["event_date"], first["event_type"]) == ("2024-10-05", "strike")
    assert first["sub_event_type"] == "airstrike"
    assert (first["latitude"], first["longitude"]) == ("33.27", "35.2")
    assert (first["fatalities"], first["injured"], first["geo_precision"]) == ("3", "7", "1")
    assert first["country"] == "Lebanon"
    assert first["notes"] == INCIDENTS[0].evidence


def test_csv_leaves_unknowns_empty_not_zero() -> None:
    second = read_csv(export.csv_bytes(INCIDENTS))[1]
    unknown = (second["fatalities"], second["injured"], second["event_date"], second["source"])
    assert unknown == ("", "", "", "")
    assert second["geo_precision"] == "3"
    assert second["precision"] == "region"


def test_empty_csv_has_the_header() -> None:
    assert export.csv_text([]).strip().split(",") == list(export.CSV_COLUMNS)


def test_geopackage_reads_back_with_the_same_rows(tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    path = export.write_geopackage(INCIDENTS, tmp_path / "out.gpkg")
    assert pyogrio.list_layers(path)[0][0] == export.GPKG_LAYER
    frame = pyogrio.read_dataframe(path, layer=export.GPKG_LAYER)
    expected = export.table_rows(INCIDENTS)
    assert len(frame) == len(expected)
    assert frame.crs.to_epsg() == 4326
    for got, want in zip(frame.to_dict("records"), expected, strict=True):
        assert got["geometry"].x == pytest.approx(want["longitude"])
        assert got["geometry"].y == pytest.approx(want["latitude"])
        for column in ("location", "event_type", "notes", "incident_id", "country"):
            assert got[column] == want[column]
        assert _none_if_missing(got["fatalities"]) == want["fatalities"]
        day = _none_if_missing(got["event_date"])
        assert (day.date().isoformat() if day is not None else None) == want["event_date"]


def test_geopackage_dates_are_a_date_column_and_csv_rows_have_a_stable_id(tmp_path: Path) -> None:
    import sqlite3

    path = export.write_geopackage(INCIDENTS, tmp_path / "out.gpkg")
    with sqlite3.connect(path) as db:
        [(sql,)] = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (export.GPKG_LAYER,)).fetchall()
    assert '"event_date" DATE' in sql and '"year" INTEGER' in sql.replace("MEDIUMINT", "INTEGER")
    rows = export.table_rows(INCIDENTS)
    assert [r["event_id_cnty"] for r in rows] == [r["event_id_cnty"] for r in export.table_rows(INCIDENTS)]
    assert len({r["event_id_cnty"] for r in rows}) == len(rows), "one id per row"
    for row in rows:
        assert row["year"] == (int(row["event_date"][:4]) if row["event_date"] else None)
        assert row["time_precision"] == (1 if row["event_date"] else None)


def _none_if_missing(value: Any) -> Any:
    import pandas as pd

    return None if value is None or pd.isna(value) else value


def test_geopackage_bytes_is_a_geopackage() -> None:
    data = export.geopackage_bytes(INCIDENTS)
    assert data[:16] == b"SQLite format 3\x00"


def test_geopackage_error_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="missing"):
        export.write_geopackage(INCIDENTS, tmp_path / "missing" / "deeper" / "x.gpkg")


@pytest.mark.parametrize(("code", "name"), [("UA", "Ukraine"), ("ps", "Palestine, State of"), ("XX", "XX")])
def test_country_names(code: str, name: str) -> None:
    assert export.country_name(code) == name


FORMULAS = ["=HYPERLINK(\"http://127.0.0.1:9/x\",\"click\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\r=1"]


@pytest.mark.parametrize("payload", FORMULAS)
def test_csv_cells_never_start_a_formula(payload: str) -> None:
    hostile = Incident("i3", payload, IncidentType.STRIKE, None, (IncidentPlace(TYRE, "Tyrus", 0, 5),),
                       Casualties(None, None), None, "en", payload, payload, 0.5)
    [row] = read_csv(export.csv_bytes([hostile]))
    for column in ("notes", "source", "doc_id"):
        assert row[column] == "'" + payload
    assert float(row["longitude"]) == TYRE.lon  # numbers are left as they are


def test_csv_keeps_negative_coordinates_as_numbers() -> None:
    west = Place("t:w", "West", -12.5, -70.25, "PE", None, "PPL", 10, Precision.LOCALITY)
    item = Incident("i4", "d", IncidentType.STRIKE, None, (IncidentPlace(west, "West", 0, 4),),
                    Casualties(None, None), None, "en", "x", None, 0.5)
    [row] = read_csv(export.csv_bytes([item]))
    assert (row["latitude"], row["longitude"]) == ("-12.5", "-70.25")


def test_a_nul_in_the_evidence_does_not_cut_the_geopackage_notes(tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    evidence = "Before the NUL\0after the NUL."
    item = Incident("i5", "d", IncidentType.STRIKE, None, (IncidentPlace(TYRE, "Tyrus", 0, 5),),
                    Casualties(None, None), None, "en", evidence, None, 0.5)
    frame = pyogrio.read_dataframe(export.write_geopackage([item], tmp_path / "nul.gpkg"))
    assert frame["notes"][0] == "Before the NUL\ufffdafter the NUL."


@pytest.mark.parametrize("place_id", ["iso3166-2:UA-63", "geonames:706483", "osm:node/42", "t:kyiv"])
def test_the_schema_accepts_every_place_id_the_project_makes(place_id: str) -> None:
    place = Place(place_id, "Kharkiv Oblast", 49.5, 36.5, "UA", None, "ADM1", 0, Precision.REGION, 100.0)
    item = Incident("i6", "d", IncidentType.STRIKE, None, (IncidentPlace(place, "x", 0, 1),),
                    Casualties(None, None), None, "en", "x", None, 0.5)
    jsonschema.validate(json.loads(export.geojson_bytes([item])), SCHEMA)
