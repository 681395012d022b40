"""Incidents out: GeoJSON (``geojson``, the only module that knows [lon, lat]) and the table formats,
CSV with ACLED-like columns and GeoPackage (``tables``).
"""

from __future__ import annotations

from incidents.export.geojson import (
    event_collection_bytes,
    event_features,
    feature_properties,
    to_feature_collection,
    to_features,
)
from incidents.export.tables import csv_bytes, geojson_bytes, geopackage_bytes, table_rows

__all__ = [
    "csv_bytes",
    "event_collection_bytes",
    "event_features",
    "feature_properties",
    "geojson_bytes",
    "geopackage_bytes",
    "table_rows",
    "to_feature_collection",
    "to_features",
]
