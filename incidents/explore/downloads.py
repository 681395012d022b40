"""The export files of one filter state, made once and kept as bytes for the download buttons.

A download button given bytes is served under an id made from its content, the same id on every
rerun; a button given a function gets a new id on every rerun, and a click that still holds the id of
the previous run finds nothing ("Deferred file ... not found").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from incidents.events import EventSummary
from incidents.export import geojson as export_geojson
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
    help: str | None = None


def export_files(incidents: Sequence[Incident], *, events: Sequence[EventSummary] = (),
                 day: dt.date) -> tuple[ExportFile, ...]:
    """Return the incidents as GeoJSON, CSV and GeoPackage, and the events file, named with ``day``."""
    stamp = day.isoformat()
    return (
        ExportFile("GeoJSON", "dl_geojson", f"incidents-{stamp}.geojson", "application/geo+json",
                   export.geojson_bytes(incidents)),
        ExportFile("CSV (ACLED-like columns)", "dl_csv", f"incidents-{stamp}.csv", "text/csv",
                   export.csv_bytes(incidents)),
        ExportFile("GeoPackage (QGIS)", "dl_gpkg", f"incidents-{stamp}.gpkg",
                   "application/geopackage+sqlite3", export.geopackage_bytes(incidents)),
        ExportFile("Events export", "dl_events", f"events-{stamp}.geojson", "application/geo+json",
                   export_geojson.event_collection_bytes(events),
                   help="GeoJSON: one Feature per event per place, with counts across its reports"),
    )
