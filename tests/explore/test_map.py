"""The folium map: local assets only, escaped popups, rings for coarse places, row numbers in tooltips."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from typing import Any

import folium
import pytest

from gazetteer.records import Place, Precision
from incidents.errors import MapAssetError
from incidents.explore import map as incident_map
from incidents.export.geojson import to_features
from incidents.records import Casualties, Incident, IncidentPlace, IncidentType
from tests.paths import ROOT

XSS = "<img src=x onerror=alert(1)>"


def place(name: str, lat: float, lon: float, precision: Precision = Precision.LOCALITY,
          radius_km: float | None = None) -> Place:
    return Place(id=f"test:{name}", name=name, lat=lat, lon=lon, country_code="UA", admin1=None,
                 feature="PPL", population=1000, precision=precision, radius_km=radius_km)


def incident(ident: str, *places: Place, kind: IncidentType = IncidentType.STRIKE, subtype: str | None = None,
             killed: int | None = None, injured: int | None = None, evidence: str = "Something happened.",
             source: str | None = "Test outlet") -> Incident:
    return Incident(
        incident_id=ident, doc_id="doc", type=kind, subtype=subtype,
        places=tuple(IncidentPlace(p, p.name, 0, len(p.name)) for p in places),
        casualties=Casualties(killed, injured), date=dt.date(2024, 3, 1), lang="en",
        evidence=evidence, source=source, confidence=0.8,
    )


KHARKIV = place("Kharkiv", 49.99, 36.23)
ODESA = place("Odesa", 46.48, 30.72)
REGION = place("Kharkiv Oblast", 49.5, 36.5, Precision.REGION, radius_km=60.0)


def rendered(m: folium.Map) -> str:
    return str(m.get_root().render())


def test_every_asset_is_local_and_exists() -> None:
    m = incident_map.build_map([incident("a", KHARKIV), incident("b", REGION, kind=IncidentType.ALERT)])
    links = incident_map.asset_links(m)
    assert links, "the map must load Leaflet"
    for url in links:
        assert url.startswith(incident_map.VENDOR_URL + "/"), url
        local = ROOT / "static" / "vendor" / url.removeprefix(incident_map.VENDOR_URL + "/")
        assert local.is_file(), f"{url} is not in static/vendor (run scripts/assets.sh)"


def test_rendered_html_loads_nothing_from_the_network() -> None:
    html = rendered(incident_map.build_map([incident("a", KHARKIV)]))
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "cdn" not in html.lower()
    assert not re.search(r"https?://[^\"']*\{z\}", html), "no tiles unless asked for"


def test_map_has_a_max_zoom_without_tiles() -> None:
    html = rendered(incident_map.build_map([incident("a", KHARKIV)]))
    assert re.search(r'"maxZoom":\s*18', html), "marker clustering needs the map's maxZoom"


def test_online_tiles_are_the_only_remote_url() -> None:
    html = rendered(incident_map.build_map([incident("a", KHARKIV)], online_tiles=True))
    assert incident_map.OSM_TILES in html
    remote = set(re.findall(r"""https?://[^"'\\\s]+""", html))
    assert remote <= {incident_map.OSM_TILES, "https://www.openstreetmap.org/copyright"}


def test_unknown_asset_is_refused() -> None:
    element = folium.Map(tiles=None)
    element.default_js = [*element.default_js, ("mystery", "https://cdn.example.org/x.js")]
    with pytest.raises(MapAssetError, match="mystery"):
        incident_map.localize_assets(element)


def test_localizing_does_not_change_folium_for_others() -> None:
    incident_map.build_map([])
    assert any("://" in url for _, url in folium.Map.default_js)


def field(row: dict[str, Any], name: str) -> object:
    return row[name]


def flat(data: dict[str, Any]) -> dict[str, Any]:
    """Return the decoded layer with each row as a dict that resolves its place, source and event."""
    rows = []
    for raw in data["rows"]:
        row = dict(zip(incident_map.ROW_FIELDS, raw, strict=True))
        row.update(zip(incident_map.PLACE_FIELDS, data["places"][str(row["place"])], strict=True))
        row["source"] = data["sources"][str(row["source"])] if row["source"] >= 0 else ""
        event = data["events"][str(row["event"])] if row["event"] >= 0 else ["", ""]
        row["event"], row["event_counts"] = event
        rows.append(row)
    return {**data, "rows": rows}


def layer(incidents: list[Incident], *, reviewed: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Return the layer JSON of these incidents, decoded, each row resolved (``flat``)."""
    return flat(json.loads(incident_map.incidents_json(incidents, reviewed=reviewed)))


def test_every_text_reaches_the_map_escaped() -> None:
    bad = incident("x", place(XSS, 50.0, 30.0), evidence=f"Text {XSS} here", source=XSS)
    [row] = layer([bad])["rows"]
    texts = [v for v in row.values() if isinstance(v, str)]
    assert texts and not any("<" in text or ">" in text for text in texts)
    assert field(row, "evidence") == "Text &lt;img src=x onerror=alert(1)&gt; here"
    assert field(row, "source") == field(row, "name") == "&lt;img src=x onerror=alert(1)&gt;"


def test_rows_carry_the_popup_fields() -> None:
    one = incident("a", KHARKIV, kind=IncidentType.ALERT, subtype="siren", killed=None, injured=0)
    data = layer([one], reviewed=frozenset({"a"}))
    [row] = data["rows"]
    assert field(row, "name") == "Kharkiv" and field(row, "mention") == ""
    assert (field(row, "killed"), field(row, "injured")) == (None, 0)
    assert field(row, "date") == "2024-03-01"
    assert field(row, "reviewed") == 1 and field(row, "area") == 0
    style = data["styles"][int(str(field(row, "style")))].split("|")
    assert style[0] == "alert" and style[3] == "alert · siren"


def test_mention_is_kept_when_it_differs_from_the_name() -> None:
    one = incident("a", KHARKIV)
    written = dataclasses.replace(one, places=(IncidentPlace(KHARKIV, "Charkiw", 0, 7),))
    [row] = layer([written])["rows"]
    assert field(row, "mention") == "Charkiw"


def test_evidence_is_shortened_on_the_map() -> None:
    [row] = layer([incident("a", KHARKIV, evidence="word " * 200)])["rows"]
    evidence = str(field(row, "evidence"))
    assert len(evidence) <= incident_map.EVIDENCE_CHARS and evidence.endswith("…")


def test_a_filtered_layer_joins_prepared_rows_in_the_order_asked() -> None:
    incidents = [incident(str(n), KHARKIV if n % 2 else ODESA, killed=n) for n in range(6)]
    rows = incident_map.map_rows(incidents)
    keys = [incident_map.feature_key(i, i.places[0]) for i in incidents]
    assert set(rows.rows) == set(keys)
    chosen = flat(json.loads(incident_map.layer_json(rows, [keys[4], keys[1]])))
    assert [field(r, "killed") for r in chosen["rows"]] == [4, 1]
    assert [field(r, "name") for r in chosen["rows"]] == ["Odesa", "Kharkiv"]
    assert chosen["styles"] == list(rows.styles)
    assert json.loads(incident_map.layer_json(rows, []))["rows"] == []


def test_layer_json_is_safe_in_a_script_and_in_streamlit_folium() -> None:
    text = incident_map.incidents_json([incident("x", KHARKIV, evidence=f"</script>{XSS} a_b it's")])
    assert not re.search(r"[<>&'_\u2028]", text), "no markup, no quote, no '_' for st_folium's renaming"
    assert field(flat(json.loads(text))["rows"][0], "evidence") == (
        "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; a_b it&#x27;s")

def test_drawing_code_links_only_web_sources() -> None:
    code = (ROOT / "assets" / "incident-layer.js").read_text(encoding="utf-8")
    assert r"/^https?:\/\//i.test(s)" in code


def test_tooltip_row_number_round_trips() -> None:
    one = incident("a", KHARKIV, killed=3)
    text = incident_map.tooltip_text(one, one.places[0], row=17)
    assert "3 killed" in text
    assert incident_map.row_from_tooltip(text) == 17
    assert incident_map.row_from_tooltip("Kharkiv") is None
    assert incident_map.row_from_tooltip(None) is None


def test_region_is_a_ring_and_locality_a_pin() -> None:
    data = layer([incident("a", KHARKIV), incident("b", REGION)])
    point, area = data["rows"]
    assert (field(point, "area"), field(area, "area")) == (0, 1)
    assert field(area, "size") == 60_000
    assert data["styles"][int(str(field(point, "style")))].startswith("strike|")


def test_default_radius_when_the_gazetteer_gives_none() -> None:
    country = place("Ukraine", 49.0, 32.0, Precision.COUNTRY)
    where = IncidentPlace(country, "Ukraine", 0, 7)
    assert incident_map.area_radius_m(where) == incident_map.DEFAULT_RADIUS_KM[Precision.COUNTRY] * 1000


def test_rows_follow_feature_order() -> None:
    incidents = [incident("a", KHARKIV, ODESA), incident("b", ODESA)]
    coords = [f["geometry"]["coordinates"][::-1] for f in to_features(incidents)]
    assert [[r["lat"], r["lon"]] for r in layer(incidents)["rows"]] == coords


def test_selection_centre_is_the_place_with_the_row_third() -> None:
    assert incident_map.selection_centre(IncidentPlace(ODESA, "Odesa", 0, 5), row=7) == (46.48, 30.72, 7)


@pytest.mark.parametrize(("killed", "injured"), [(None, None), (0, 1), (2, 5), (40, 100), (5000, 0)])
def test_marker_size_grows_with_casualties_and_is_bounded(killed: int | None, injured: int | None) -> None:
    size = incident_map.marker_size(killed, injured)
    assert incident_map.marker_size(None, None) <= size <= 48
    assert incident_map.marker_size((killed or 0) + 10, injured) >= size


def test_style_by_type_and_subtype() -> None:
    strike = incident_map.style_for(IncidentType.STRIKE, "drone")
    alert = incident_map.style_for(IncidentType.ALERT, None)
    assert strike.color != alert.color
    assert incident_map.style_for(IncidentType.STRIKE, "unheard-of").icon == "explosion"
    assert strike.icon != incident_map.style_for(IncidentType.STRIKE, "shelling").icon


def test_map_fits_the_incidents() -> None:
    bounds, centre = incident_map.map_view([incident("a", KHARKIV, ODESA)])
    assert bounds == [[ODESA.lat, ODESA.lon], [KHARKIV.lat, KHARKIV.lon]]
    assert centre == pytest.approx(((ODESA.lat + KHARKIV.lat) / 2, (ODESA.lon + KHARKIV.lon) / 2))
    assert incident_map.map_view([])[0] is None


def test_script_carries_no_raw_markup_from_documents() -> None:
    html = rendered(incident_map.build_map([incident("x", KHARKIV, evidence=f"</script>{XSS}")]))
    assert "</script><img" not in html and "\\u0026lt;/script" in html
    assert XSS not in html


def test_template_syntax_in_documents_is_inert() -> None:
    # folium/branca compile the rendered script as a Jinja template: braces must not survive.
    sneaky = incident("j", KHARKIV, evidence="Total {{ 6 * 7 }} and {% if true %}yes{% endif %} {# c #}")
    html = rendered(incident_map.build_map([sneaky]))
    assert "\\u0026#123;\\u0026#123; 6 * 7 \\u0026#125;\\u0026#125;" in html
    assert "Total 42" not in html


def pixel_extent(a: Place, b: Place, zoom: int) -> tuple[float, float]:
    """Return the width and height in pixels between two places at a Web Mercator zoom level."""
    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)

    world = 256 * 2**zoom
    return abs(a.lon - b.lon) / 360 * world, abs(y(a.lat) - y(b.lat)) * world


@pytest.mark.parametrize("spread", [0.0, 0.05, 0.5, 3.0, 12.0])
def test_fit_view_is_the_closest_zoom_that_shows_every_incident(spread: float) -> None:
    corner = place("Corner", KHARKIV.lat + spread, KHARKIV.lon + 2 * spread)
    view = incident_map.fit_view([incident("a", KHARKIV), incident("b", corner)], width_px=900, height_px=560)
    assert 2 <= view.zoom <= 10
    width, height = pixel_extent(KHARKIV, corner, view.zoom)
    assert width <= 900 and height <= 560
    if view.zoom < 10:
        width, height = pixel_extent(KHARKIV, corner, view.zoom + 1)
        assert width > 0.85 * 900 or height > 0.85 * 560


def test_fit_view_of_nothing_is_the_world() -> None:
    assert incident_map.fit_view([]) == incident_map.WORLD_VIEW


def test_base_map_does_not_change_with_the_incidents() -> None:
    def script(m: folium.Map) -> str:
        return re.sub(r"_[0-9a-f]{32}", "", rendered(m))

    assert script(incident_map.base_map()) == script(incident_map.base_map())
    group = incident_map.incident_group(incident_map.incidents_json([incident("a", KHARKIV)]))
    m = incident_map.base_map()
    group.add_to(m)
    assert "Kharkiv" in rendered(m)


def test_layer_script_calls_the_local_drawing_code() -> None:
    m = incident_map.build_map([incident("a", KHARKIV)])
    html = rendered(m)
    assert "incidentLayer(" in html
    assert incident_map.VENDOR_URL + "/" + incident_map.MAP_BUNDLE in incident_map.asset_links(m)
    assert not any(name in html for name in ("jquery", "bootstrap", "awesome-markers"))


def test_fit_view_frames_a_ring_whole() -> None:
    bounds, _ = incident_map.map_view([incident("r", REGION)])
    assert bounds is not None
    (south, west), (north, east) = bounds
    assert north - south == pytest.approx(2 * 60 / 111.32, rel=1e-3)
    assert west < REGION.lon < east
    ring = incident_map.fit_view([incident("r", REGION)])
    pin = incident_map.fit_view([incident("k", KHARKIV)])
    assert ring.zoom < pin.zoom


def test_legend_names_every_symbol_and_is_part_of_the_base_map() -> None:
    text = incident_map.legend_html()
    for word in ("strike", "alert", "icon", "size", "ring", "reviewed", "cluster"):
        assert word in text
    assert "incident-pin" not in text, "legend symbols must not count as markers"
    html = rendered(incident_map.base_map())
    assert "incident-legend" in html and "incidentBasemap(" in html


def test_the_country_fill_gives_way_to_online_tiles() -> None:
    assert '"filled": true' in rendered(incident_map.base_map())
    assert '"filled": false' in rendered(incident_map.base_map(online_tiles=True))


def test_stacked_pins_keep_a_cluster_at_every_zoom() -> None:
    html = rendered(incident_map.build_map([incident("a", KHARKIV), incident("b", KHARKIV)]))
    assert "disableClusteringAtZoom" not in html and "tightFromZoom" in html


def test_reports_of_one_event_carry_its_key_and_counts() -> None:
    import dataclasses

    from incidents.events import Grouper

    reports = [dataclasses.replace(incident(n, KHARKIV, killed=k), doc_id=f"doc-{n}")
               for n, k in (("a", 2), ("b", 5))]
    grouper = Grouper()
    for one in reports:
        grouper.add_document([one], published=None)
    [event] = grouper.summaries()
    rows = incident_map.map_rows(reports, events={r.incident_id: event for r in reports})
    decoded = flat(json.loads(incident_map.layer_json(rows, rows.rows)))["rows"]
    assert field(decoded[0], "event") == field(decoded[1], "event") == event.event_id
    assert decoded[0]["place"] == decoded[1]["place"]
    counts = str(field(decoded[0], "event_counts"))
    assert counts.startswith("killed 2 to 5 (latest 5)") and counts.endswith("2 reports in all")
    alone = incident_map.map_rows(reports[:1])
    assert field(flat(json.loads(incident_map.layer_json(alone, alone.rows)))["rows"][0], "event") == ""


def test_a_place_and_a_source_are_written_once_however_many_rows_share_them() -> None:
    many = [incident(str(n), KHARKIV, evidence=f"Report {n}.", source="https://news.example/kharkiv")
            for n in range(50)]
    text = incident_map.incidents_json(many)
    assert text.count("Kharkiv") == 1 and text.count("news.example") == 1
    assert len(text) < 50 * 70, "a row carries its own fields only"


def test_region_borders_are_local_files_per_country() -> None:
    folder = ROOT / "static" / "vendor" / incident_map.ADMIN1_FOLDER
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert {"UA", "IL", "SY", "RU"} <= set(index), "run scripts/assets.sh"
    regions = json.loads((folder / "UA.json").read_text(encoding="utf-8"))["regions"]
    assert len(regions) >= 25 and all(r["rings"] and len(r["bbox"]) == 4 for r in regions)
    assert (folder / "UA.json").stat().st_size < 150_000, "simplified"


def test_the_base_map_draws_labels_and_borders_from_local_files() -> None:
    html = rendered(incident_map.base_map(labels_version="abc"))
    assert "incidentReference(" in html
    assert f"{incident_map.VENDOR_URL}/labels/cities.json?v=abc" in html
    assert f"{incident_map.VENDOR_URL}/admin1" in html


def test_the_layer_knows_above_how_many_rows_the_first_page_came_alone() -> None:
    def options(group: folium.FeatureGroup) -> dict[str, object]:
        layer = next(iter(group._children.values()))
        return dict(json.loads(layer.layer_options))

    data = incident_map.incidents_json([incident("a", KHARKIV)])
    assert options(incident_map.incident_group(data))["mapFirstAbove"] is None  # never asks
    assert options(incident_map.incident_group(data, map_first_above=5000))["mapFirstAbove"] == 5000
