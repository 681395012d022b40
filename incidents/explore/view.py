"""What the app shows for one filter state: the incidents, the map layer, the table, the selection.

One row per incident per place, numbered from 1 in the same order on the map (its tooltips end with
the row number) and in the table, so a click on either selects the same feature.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from incidents.explore import map as incident_map
from incidents.explore.filters import Filters, apply_filters
from incidents.export import tables as export
from incidents.records import Incident, IncidentPlace

RowKey = tuple[str, str]
"""A table row's key: the incident id and the place id."""


@dataclass(frozen=True, slots=True)
class View:
    """What one filter state shows: the incidents, their features in order, the map layer, the table."""

    incidents: list[Incident]
    pairs: list[tuple[Incident, IncidentPlace]]
    keys: list[str]
    layer: str
    fit: incident_map.MapView
    rows: list[dict[str, Any]]  # the table rows (``export.CSV_COLUMNS``), in the map's order


def rows_by_feature(incidents: Iterable[Incident]) -> dict[RowKey, dict[str, Any]]:
    """Return the table row of every incident at every place, by (incident id, place id)."""
    return {(row["incident_id"], row["place_id"]): row for row in export.table_rows(incidents)}


def build_view(everything: Iterable[Incident], filters: Filters, *, rows: Mapping[RowKey, dict[str, Any]],
               map_rows: incident_map.MapRows) -> View:
    """Filter the incidents and pick their map rows and table rows (both built once per store state)."""
    incidents = apply_filters(everything, filters)
    pairs = list(incident_map.feature_pairs(incidents))
    keys = [incident_map.feature_key(i, w) for i, w in pairs]
    table = [rows[(i.incident_id, w.place.id)] for i, w in pairs]
    layer = incident_map.layer_json(map_rows, keys)
    return View(incidents, pairs, keys, layer, incident_map.fit_view(incidents), table)


def row_of_key(keys: Sequence[str], key: str | None) -> int | None:
    """Return the row number (from 1) of a feature key, or None when it is not shown."""
    return keys.index(key) + 1 if key is not None and key in keys else None


def key_of_row(keys: Sequence[str], row: int | None) -> str | None:
    """Return the feature key of a row number (from 1), or None when there is no such row."""
    return keys[row - 1] if row is not None and 0 < row <= len(keys) else None
