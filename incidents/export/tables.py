"""Export incidents as GeoJSON (the contract's schema), CSV with ACLED-like columns, GeoPackage and
GeoParquet (the Features' own columns, for datasets written in partitions).

Every format has one row or Feature per incident per place, in the same order as the map and the
table. The GeoJSON schema itself lives in ``incidents.export.geojson``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from gazetteer.records import Precision
from incidents.errors import ExportError
from incidents.export.geojson import PROPERTIES, to_feature_collection, to_features
from incidents.records import Incident

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "injured",
    "notes",
    "source",
)
"""Columns named as in ACLED exports, so analysts' habits and scripts carry over.

``event_id_cnty`` is the row's stable id (incident id and place id: the same in every export of the
same store); ``time_precision`` is ACLED's 1 (the day is known; extracted dates are days), empty when
the incident is undated.
"""

EXTRA_COLUMNS = (
    "precision",
    "country_code",
    "mention",
    "place_id",
    "incident_id",
    "doc_id",
    "lang",
    "confidence",
)
"""Our own columns after ACLED's: what ACLED has no column for."""

CSV_COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS
GPKG_LAYER = "incidents"

_ACLED_PRECISION = {
    Precision.POINT: 1,
    Precision.LOCALITY: 1,
    Precision.DISTRICT: 2,
    Precision.REGION: 3,
    Precision.COUNTRY: 3,
}
"""ACLED's geo_precision: 1 the town itself, 2 near it or a part of a region, 3 a larger region."""


@cache
def country_name(code: str) -> str:
    """Return a country's common English name for an ISO 3166-1 alpha-2 code (the code if unknown)."""
    import pycountry

    found = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)


def table_rows(incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    """Return one flat row per incident per place with ``CSV_COLUMNS`` as keys (None where unknown)."""
    rows = []
    for feature in to_features(incidents):
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        subtype = props["subtype"]
        rows.append({
            "event_id_cnty": feature["id"],
            "event_date": props["date"],
            "year": int(props["date"][:4]) if props["date"] else None,
            "time_precision": 1 if props["date"] else None,
            "event_type": props["type"],
            "sub_event_type": subtype,
            "country": country_name(props["country_code"]),
            "admin1": props["admin1"],
            "location": props["place_name"],
            "latitude": lat,
            "longitude": lon,
            "geo_precision": _ACLED_PRECISION[Precision(props["precision"])],
            "fatalities": props["killed"],
            "injured": props["injured"],
            "notes": props["evidence"],
            "source": props["source"],
            "precision": props["precision"],
            "country_code": props["country_code"],
            "mention": props["mention"],
            "place_id": props["place_id"],
            "incident_id": props["incident_id"],
            "doc_id": props["doc_id"],
            "lang": props["lang"],
            "confidence": props["confidence"],
        })
    return rows


def geojson_bytes(incidents: Iterable[Incident]) -> bytes:
    """Return the incidents as an RFC 7946 FeatureCollection in UTF-8."""
    return json.dumps(to_feature_collection(incidents), ensure_ascii=False, indent=1).encode("utf-8")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Return a text cell a spreadsheet will not run: one starting like a formula gets a leading ``'``.

    Spreadsheet programs read a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return as a formula (``=HYPERLINK(...)``); numbers are left alone (a negative longitude stays one).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(incidents: Iterable[Incident]) -> str:
    """Return the incidents as CSV with a header row; unknown values are empty cells.

    Text cells that would start a formula are escaped (``spreadsheet_safe``).
    """
    out = io.StringIO()
    # RFC 4180 line ends: with "\r\n" as the terminator, a cell holding a bare CR is quoted too.
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in table_rows(incidents))
    return out.getvalue()


def csv_bytes(incidents: Iterable[Incident]) -> bytes:
    """Return the CSV in UTF-8 with a byte-order mark, so spreadsheet programs read accents right."""
    return csv_text(incidents).encode("utf-8-sig")


def _no_nul(value: Any) -> Any:
    """Replace NUL characters, which end a GeoPackage (SQLite C) string early, with U+FFFD."""
    return value.replace("\0", "\ufffd") if isinstance(value, str) else value


def _frame(rows: Sequence[dict[str, Any]]) -> Any:
    import geopandas as gpd
    import pandas as pd
    import pyarrow as pa
    from shapely.geometry import Point

    frame = pd.DataFrame([{k: _no_nul(v) for k, v in row.items()} for row in rows], columns=list(CSV_COLUMNS))
    for column in ("fatalities", "injured", "geo_precision", "year", "time_precision"):
        frame[column] = frame[column].astype("Int64")  # nullable: "not reported" stays empty, not 0
    # A DATE column (written through Arrow), so GIS time controls (QGIS) read the incidents' days.
    frame["event_date"] = pd.array([dt.date.fromisoformat(v) if isinstance(v, str) else None
                                    for v in frame["event_date"]],
                                   dtype=pd.ArrowDtype(pa.date32()))
    geometry = [Point(r["longitude"], r["latitude"]) for r in rows]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def write_geopackage(incidents: Iterable[Incident], path: str | Path) -> Path:
    """Write the incidents as a point layer ``incidents`` (EPSG:4326) of a GeoPackage file."""
    target = Path(path)
    try:
        _frame(table_rows(incidents)).to_file(target, layer=GPKG_LAYER, driver="GPKG", engine="pyogrio",
                                              use_arrow=True)
    except (OSError, ValueError, RuntimeError) as err:
        msg = f"cannot write GeoPackage {str(target)!r}: {err}"
        raise ExportError(msg) from err
    return target


def geopackage_bytes(incidents: Iterable[Incident]) -> bytes:
    """Return a GeoPackage file of the incidents as bytes (for a download button)."""
    with tempfile.TemporaryDirectory(prefix="incidents-gpkg-") as folder:
        return write_geopackage(incidents, Path(folder) / "incidents.gpkg").read_bytes()


FEATURE_COLUMNS = ("feature_id", *PROPERTIES)
"""GeoParquet columns: the Feature's id and its properties, by the same names, then the geometry."""
_INTEGER_COLUMNS = ("killed", "injured")
_FLOAT_COLUMNS = ("confidence",)


def feature_frame(features: Sequence[dict[str, Any]]) -> Any:
    """Return GeoJSON Features as a GeoDataFrame (EPSG:4326) with typed columns, empty or not.

    The types do not depend on the values (an empty frame has them too), so the files of a
    partitioned dataset share one schema.
    """
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import shape

    rows = [{"feature_id": f["id"], **f["properties"]} for f in features]
    data: dict[str, Any] = {}
    for column in FEATURE_COLUMNS:
        values = [_no_nul(row.get(column)) for row in rows]
        if column in _INTEGER_COLUMNS:
            data[column] = pd.array(values, dtype="Int64")  # nullable: "not reported" stays empty, not 0
        elif column in _FLOAT_COLUMNS:
            data[column] = pd.array(values, dtype="Float64")
        else:
            data[column] = pd.array(values, dtype="string")
    geometry = gpd.GeoSeries([shape(f["geometry"]) for f in features], crs="EPSG:4326")
    return gpd.GeoDataFrame(pd.DataFrame(data), geometry=geometry, crs="EPSG:4326")


def write_geoparquet(features: Sequence[dict[str, Any]], path: str | Path) -> Path:
    """Write GeoJSON Features as one GeoParquet file (the geometry as WKB, GeoParquet metadata)."""
    target = Path(path)
    try:
        feature_frame(features).to_parquet(target, index=False)
    except (OSError, ValueError) as err:
        msg = f"cannot write GeoParquet {str(target)!r}: {err}"
        raise ExportError(msg) from err
    return target
