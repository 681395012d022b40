"""Tests of what one filter state shows: the incidents, the map layer, the table rows, the selection."""

from __future__ import annotations

import datetime as dt
import json

from gazetteer.records import Place, Precision
from incidents.explore import map as incident_map
from incidents.explore.filters import Filters
from incidents.explore.view import (
    MAP_FIRST_ROWS,
    TABLE_COLUMNS,
    TABLE_NOTES_CHARS,
    build_view,
    key_of_row,
    map_goes_first,
    row_of_key,
    rows_by_feature,
    scroll_to_row_html,
    table_row,
    web_link,
)
from incidents.records import Casualties, Incident, IncidentPlace, IncidentType

KHARKIV = Place("t:kharkiv", "Kharkiv", 49.99, 36.23, "UA", None, "PPLA", 1_400_000, Precision.LOCALITY)
ODESA = Place("t:odesa", "Odesa", 46.48, 30.72, "UA", None, "PPLA", 1_000_000, Precision.LOCALITY)


def make(ident: str, kind: IncidentType, *places: Place) -> Incident:
    return Incident(
        incident_id=ident, doc_id="doc", type=kind, subtype=None,
        places=tuple(IncidentPlace(p, p.name, 0, len(p.name)) for p in places),
        casualties=Casualties(2, None), date=dt.date(2024, 3, 1), lang="en", evidence="e", source="s",
        confidence=0.7,
    )


ALL = [make("s1", IncidentType.STRIKE, KHARKIV, ODESA), make("a1", IncidentType.ALERT, ODESA)]


def view_of(filters: Filters) -> tuple[list[str], list[tuple[str, str]], int]:
    view = build_view(ALL, filters, rows=rows_by_feature(ALL), map_rows=incident_map.map_rows(ALL))
    table = [(row["doc_id"], row["location"], row["event_type"]) for row in view.rows]
    return view.keys, table, len(json.loads(view.layer)["rows"])


def test_rows_by_feature_has_one_row_per_incident_per_place() -> None:
    rows = rows_by_feature(ALL)
    assert set(rows) == {("s1", "t:kharkiv"), ("s1", "t:odesa"), ("a1", "t:odesa")}
    assert all(set(row) == set(TABLE_COLUMNS) for row in rows.values())


def test_the_map_layer_and_the_table_follow_the_filters_in_the_same_order() -> None:
    keys, table, layer_rows = view_of(Filters())
    assert keys == ["s1:t:kharkiv", "s1:t:odesa", "a1:t:odesa"]
    assert table == [("doc", "Kharkiv", "strike"), ("doc", "Odesa", "strike"), ("doc", "Odesa", "alert")]
    assert layer_rows == 3
    keys, table, layer_rows = view_of(Filters(types=frozenset({IncidentType.ALERT})))
    assert keys == ["a1:t:odesa"] and table == [("doc", "Odesa", "alert")] and layer_rows == 1


def test_the_view_fits_the_shown_incidents() -> None:
    view = build_view(ALL, Filters(types=frozenset({IncidentType.ALERT})), rows=rows_by_feature(ALL),
                      map_rows=incident_map.map_rows(ALL))
    assert view.fit.centre == (ODESA.lat, ODESA.lon)
    assert [i.incident_id for i in view.incidents] == ["a1"] and len(view.pairs) == 1


def test_rows_and_keys_convert_both_ways_and_out_of_range_is_none() -> None:
    keys = ["a", "b", "c"]
    assert [row_of_key(keys, k) for k in keys] == [1, 2, 3]
    assert [key_of_row(keys, r) for r in (1, 2, 3)] == keys
    assert row_of_key(keys, "z") is None and row_of_key(keys, None) is None
    assert key_of_row(keys, 0) is None and key_of_row(keys, 4) is None and key_of_row(keys, None) is None


def test_only_web_addresses_become_links() -> None:
    assert web_link("https://news.example/a?b=1") == "https://news.example/a?b=1"
    assert web_link("HTTP://news.example/") == "HTTP://news.example/"
    for source in (None, "", "Outlet Alpha", "javascript:alert(1)", "file:///etc/passwd", "data:text/html,x",
                   "ftp://x.example/", "https://a.example/ onmouseover=x"):
        assert web_link(source) is None, source


def test_the_table_shortens_long_evidence() -> None:
    [row] = [r for r in rows_by_feature([make("s2", IncidentType.STRIKE, KHARKIV)]).values()]
    long = table_row({**dict.fromkeys(TABLE_COLUMNS), "notes": "word " * 100, "source": None})
    assert len(long["notes"]) == TABLE_NOTES_CHARS and long["notes"].endswith("…")
    assert row["notes"] == "e" and row["link"] is None


def test_the_scroll_script_names_its_table_and_row_as_data() -> None:
    script = scroll_to_row_html("table-3", 900)
    assert script.startswith("<script>") and script.endswith("</script>")
    assert '})("table-3", 900, 35);' in script
    assert "</script>" not in scroll_to_row_html("</script>", 1).removesuffix("</script>")


def test_only_a_large_first_page_sends_its_map_alone() -> None:
    assert map_goes_first(MAP_FIRST_ROWS + 1, first_run=True)
    assert not map_goes_first(MAP_FIRST_ROWS, first_run=True)  # small pages come whole
    assert not map_goes_first(MAP_FIRST_ROWS + 1, first_run=False)  # the runs after it are whole
    assert map_goes_first(11, first_run=True, limit=10)
