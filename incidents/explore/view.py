"""What the app shows for one filter state: the incidents, the map layer, the table, the selection.

One row per incident per place, numbered from 1 in the same order on the map (its tooltips end with
the row number) and in the table, so a click on either selects the same feature.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from incidents.explore import map as incident_map
from incidents.explore.filters import Filters, apply_filters
from incidents.export import tables as export
from incidents.records import Incident, IncidentPlace

RowKey = tuple[str, str]
"""A table row's key: the incident id and the place id."""

TABLE_COLUMNS = ("event_date", "event_type", "sub_event_type", "location", "admin1", "country", "fatalities",
                 "injured", "notes", "source", "link", "precision", "mention", "confidence", "doc_id")
"""The app table's columns: the export's (``export.CSV_COLUMNS``) an analyst reads, and ``link``.

Coordinates and ids stay in the exports: the table goes to the browser whole (20,000 rows are
megabytes), so it carries what a reader scans. ``link`` is the source when it is a web address.
"""
TABLE_CATEGORIES = tuple(name for name in TABLE_COLUMNS
                         if name not in ("notes", "fatalities", "injured", "confidence"))
"""Columns whose values repeat (types, places, sources, documents): sent as categories, each value
once, which halves the table the browser receives."""
TABLE_NOTES_CHARS = 200
"""The table shows this much of the evidence; the Review and Documents tabs show all of it."""
MAP_FIRST_ROWS = 5_000
"""A session's first page with more rows than this sends the map first: the sidebar's widgets and the
table come in the next run, which the map's layer asks for once its markers are drawn
(``assets/incident-layer.js``). Measured at 20,000 rows: the browser loaded and drew the sidebar's
widgets and the table (a second of its time) before it drew the map, which waited."""
_WEB = ("http://", "https://")
TABLE_ROW_PX = 35
"""The height of a row (and of the header) of Streamlit's table, in pixels."""


@dataclass(frozen=True, slots=True)
class View:
    """What one filter state shows: the incidents, their features in order, the map layer, the table."""

    incidents: list[Incident]
    pairs: list[tuple[Incident, IncidentPlace]]
    keys: list[str]
    layer: str
    fit: incident_map.MapView
    rows: list[dict[str, Any]]  # the table rows (``TABLE_COLUMNS``), in the map's order


def web_link(source: str | None) -> str | None:
    """Return a source that is an http(s) address (the only kind the table makes a link), else None."""
    text = (source or "").strip()
    return text if text.lower().startswith(_WEB) and " " not in text else None


def table_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Return the app table's row (``TABLE_COLUMNS``) of an export row."""
    notes = " ".join(str(row["notes"] or "").split())
    if len(notes) > TABLE_NOTES_CHARS:
        notes = notes[: TABLE_NOTES_CHARS - 1].rstrip() + "…"
    return {**{name: row[name] for name in TABLE_COLUMNS if name in row}, "notes": notes,
            "link": web_link(row["source"])}


def rows_by_feature(incidents: Iterable[Incident]) -> dict[RowKey, dict[str, Any]]:
    """Return the table row of every incident at every place, by (incident id, place id)."""
    return {(row["incident_id"], row["place_id"]): table_row(row) for row in export.table_rows(incidents)}


def table_of(pairs: Iterable[tuple[Incident, IncidentPlace]],
             rows: Mapping[RowKey, dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the table rows of these features, in their order (``rows`` from ``rows_by_feature``)."""
    return [rows[(i.incident_id, w.place.id)] for i, w in pairs]


def build_view(everything: Iterable[Incident], filters: Filters, *,
               rows: Mapping[RowKey, dict[str, Any]] | None = None, map_rows: incident_map.MapRows) -> View:
    """Filter the incidents and pick their map rows and table rows (both built once per store state).

    Without ``rows`` the view has no table rows (``table_of`` picks them later): the app draws the map
    before it builds the table.
    """
    incidents = apply_filters(everything, filters)
    pairs = list(incident_map.feature_pairs(incidents))
    keys = [incident_map.feature_key(i, w) for i, w in pairs]
    layer = incident_map.layer_json(map_rows, keys)
    table = table_of(pairs, rows) if rows is not None else []
    return View(incidents, pairs, keys, layer, incident_map.fit_view(incidents), table)


def map_goes_first(rows: int, *, first_run: bool, limit: int = MAP_FIRST_ROWS) -> bool:
    """Tell whether this run sends only the map of a page (its sidebar and table in the next run).

    That is a session's first run with more than ``limit`` rows. The map's layer makes the same
    decision from its row count (``IncidentLayer``'s ``map_first_above``) and asks for the next run
    once it has drawn its markers.
    """
    return first_run and rows > limit


def row_of_key(keys: Sequence[str], key: str | None) -> int | None:
    """Return the row number (from 1) of a feature key, or None when it is not shown."""
    return keys.index(key) + 1 if key is not None and key in keys else None


def key_of_row(keys: Sequence[str], row: int | None) -> str | None:
    """Return the feature key of a row number (from 1), or None when there is no such row."""
    return keys[row - 1] if row is not None and 0 < row <= len(keys) else None


_SCROLL_SCRIPT = """<script>
(function (key, row, px) {
  var tries = 0;
  function go() {
    var grid = document.querySelector(".st-key-" + key + " .dvn-scroller");
    if (!grid || grid.scrollHeight < (row + 1) * px || !grid.clientHeight) {
      if (tries++ < 100) setTimeout(go, 50);
      return;
    }
    grid.scrollTop = Math.max(0, row * px - (grid.clientHeight + px) / 2);
  }
  go();
})(%s, %d, %d);
</script>"""


def scroll_to_row_html(table_key: str, row: int) -> str:
    """Return a script that scrolls the app's table (by its Streamlit key) to a row (from 1), centred.

    Streamlit's table has no way to scroll to its selection: a marker clicked on the map selects a
    row that may be thousands of rows down. The script waits (at most five seconds) for the table
    of that key to hold the row, then scrolls its grid so the row sits in the middle.
    """
    return _SCROLL_SCRIPT % (json.dumps(table_key).replace("<", "\\u003c"), row, TABLE_ROW_PX)
