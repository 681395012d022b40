"""Incidents out: GeoJSON (``geojson``, the only module that knows [lon, lat]) and the table formats,
CSV with ACLED-like columns, GeoPackage and GeoParquet (``tables``).
"""

from __future__ import annotations

from incidents.export.geojson import (
    event_collection_bytes,
    event_features,
    feature_properties,
    feature_text,
    to_feature_collection,
    to_features,
    write_collection,
)
from incidents.export.tables import (
    csv_bytes,
    feature_frame,
    geojson_bytes,
    geopackage_bytes,
    table_rows,
    write_geoparquet,
)

__all__ = [
    "csv_bytes",
    "event_collection_bytes",
    "event_features",
    "feature_frame",
    "feature_properties",
    "feature_text",
    "geojson_bytes",
    "geopackage_bytes",
    "table_rows",
    "to_feature_collection",
    "to_features",
    "write_collection",
    "write_geoparquet",
]
