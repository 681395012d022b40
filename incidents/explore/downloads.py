"""The export files of one filter state, made once and kept as bytes for the download buttons.

A download button given bytes is served under an id made from its content, the same id on every
rerun; a button given a function gets a new id on every rerun, and a click that still holds the id of
the previous run finds nothing ("Deferred file ... not found").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from incidents.export import tables as export
from incidents.records import Incident


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One download: its button label and widget key, its file name, media type and content."""

    label: str
    key: str
    name: str
    mime: str
    data: bytes


def export_files(incidents: Sequence[Incident], *, day: dt.date) -> tuple[ExportFile, ...]:
    """Return the GeoJSON, CSV and GeoPackage files of the incidents, named with ``day``."""
    stamp = day.isoformat()
    return (
        ExportFile("GeoJSON", "dl_geojson", f"incidents-{stamp}.geojson", "application/geo+json",
                   export.geojson_bytes(incidents)),
        ExportFile("CSV (ACLED-like columns)", "dl_csv", f"incidents-{stamp}.csv", "text/csv",
                   export.csv_bytes(incidents)),
        ExportFile("GeoPackage (QGIS)", "dl_gpkg", f"incidents-{stamp}.gpkg",
                   "application/geopackage+sqlite3", export.geopackage_bytes(incidents)),
    )
