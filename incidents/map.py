"""Build the folium map of incidents: local assets only, one compact layer for thousands of markers.

Every JavaScript and CSS file the map loads is rewritten to the app's own static folder
(``/app/static/vendor/...``), so the map draws with no network; online tiles are an option. All text
from documents is HTML-escaped here, before it reaches a popup or a tooltip.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import folium
from branca.element import CssLink, Element, JavascriptLink
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from folium.template import Template

from gazetteer.records import Precision
from incidents.errors import MapAssetError
from incidents.records import Incident, IncidentPlace, IncidentType

VENDOR_URL = "/app/static/vendor"
"""Where Streamlit serves ``static/vendor/`` (filled by ``scripts/assets.sh``)."""

_LOCAL_JS = {
    "leaflet": "leaflet/leaflet.js",
    "jquery": "jquery/jquery.min.js",
    "bootstrap": "bootstrap/bootstrap.bundle.min.js",
    "awesome_markers": "awesome-markers/leaflet.awesome-markers.min.js",
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
    "topojson": "topojson/topojson-client.min.js",
}
_LOCAL_CSS = {
    "leaflet_css": "leaflet/leaflet.css",
    "bootstrap_css": "bootstrap/bootstrap.min.css",
    "awesome_markers_font_css": "fontawesome/css/all.min.css",
    "awesome_markers_css": "awesome-markers/leaflet.awesome-markers.css",
    "awesome_rotate_css": "incidents/leaflet.awesome.rotate.css",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
    "incidents_css": "incidents/incidents-map.css",
}
_DROPPED = frozenset({"glyphicons_css"})  # Bootstrap 3 glyphs: no folium element we use needs them
_BASEMAP = "world-atlas/countries-50m.json"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'

AREA_PRECISIONS = frozenset({Precision.REGION, Precision.COUNTRY})
"""Places this coarse are drawn as a ring of their radius, not as a pin."""
DEFAULT_RADIUS_KM = {Precision.REGION: 25.0, Precision.COUNTRY: 150.0}
MAX_ZOOM = 18
EVIDENCE_CHARS = 240
"""Popups show at most this much of the evidence; the table and exports keep all of it."""


@dataclass(frozen=True, slots=True)
class MarkerStyle:
    """How one kind of incident looks: a colour and a Font Awesome icon name."""

    color: str
    icon: str


TYPE_COLORS = {IncidentType.STRIKE: "#c0392b", IncidentType.ALERT: "#d68910"}
_TYPE_ICONS = {IncidentType.STRIKE: "explosion", IncidentType.ALERT: "bell"}
_SUBTYPE_ICONS = {
    "airstrike": "jet-fighter",
    "drone": "plane",
    "missile": "rocket",
    "rocket": "rocket",
    "shelling": "burst",
    "bombing": "bomb",
    "siren": "bell",
}


def style_for(kind: IncidentType, subtype: str | None) -> MarkerStyle:
    """Return the colour (by type) and icon (by subtype, else by type) of an incident."""
    icon = _SUBTYPE_ICONS.get(subtype or "", _TYPE_ICONS[kind])
    return MarkerStyle(color=TYPE_COLORS[kind], icon=icon)


def marker_size(killed: int | None, injured: int | None) -> int:
    """Return a pin's diameter in pixels: 22 with no casualties, growing with the log of the toll."""
    toll = (killed or 0) + (injured or 0)
    return 22 + min(26, round(6 * math.log2(1 + toll)))


def localize_assets(element: Any, *, base: str = VENDOR_URL) -> None:
    """Point an element's JS/CSS links at the local copies under ``base``; refuse unknown links."""
    js: list[tuple[str, str]] = []
    css: list[tuple[str, str]] = []
    for links, local, out in ((element.default_js, _LOCAL_JS, js), (element.default_css, _LOCAL_CSS, css)):
        for name, url in links:
            if name in _DROPPED:
                continue
            if name not in local:
                msg = f"no local copy of map asset {name!r} ({url}): add it to scripts/assets.sh"
                raise MapAssetError(msg)
            out.append((name, f"{base}/{local[name]}"))
    # Instance attributes shadow folium's class-level CDN lists without changing them for others.
    element.default_js = js
    element.default_css = css


def walk_elements(element: Any) -> Iterator[Any]:
    """Yield an element and all its descendants, depth first."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from walk_elements(child)


def asset_links(m: folium.Map) -> list[str]:
    """Return every JS and CSS URL the map's elements ask the browser to load."""
    urls: list[str] = []
    for element in walk_elements(m):
        if isinstance(element, JSCSSMixin):
            urls.extend(url for _, url in element.default_js)
            urls.extend(url for _, url in element.default_css)
    return list(dict.fromkeys(urls))


@lru_cache(maxsize=1 << 18)
def _esc(value: str) -> str:
    """Escape for HTML, and braces too: branca compiles rendered scripts as Jinja templates."""
    return html.escape(value, quote=True).replace("{", "&#123;").replace("}", "&#125;")


@lru_cache(maxsize=1 << 16)
def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def kind_label(incident: Incident) -> str:
    """Return the heading of a popup: the type, and the subtype when known."""
    return f"{incident.type}" + (f" · {incident.subtype}" if incident.subtype else "")


def tooltip_text(incident: Incident, where: IncidentPlace, *, row: int) -> str:
    """Return the hover text of a marker, ending with its table row number ``(#row)`` (not escaped)."""
    toll = [f"{n} {word}" for n, word in ((incident.casualties.killed, "killed"),
                                          (incident.casualties.injured, "injured")) if n]
    parts = [where.place.name, str(incident.type), *toll]
    if incident.date:
        parts.append(incident.date.isoformat())
    return " · ".join(parts) + f" (#{row})"


_ROW_REF = re.compile(r"\(#(\d+)\)\s*$")


def row_from_tooltip(text: str | None) -> int | None:
    """Return the table row number a clicked marker's tooltip names, or None."""
    match = _ROW_REF.search(html.unescape(text or ""))
    return int(match.group(1)) if match else None


def is_area(where: IncidentPlace) -> bool:
    """Tell whether a place is too coarse for a pin and is drawn as a ring."""
    return where.place.precision in AREA_PRECISIONS


def area_radius_m(where: IncidentPlace) -> float:
    """Return the radius in metres of the ring drawn for a coarse place."""
    km = where.place.radius_km or DEFAULT_RADIUS_KM.get(where.place.precision, 25.0)
    return km * 1000.0


def feature_pairs(incidents: Iterable[Incident]) -> Iterator[tuple[Incident, IncidentPlace]]:
    """Yield (incident, place) in GeoJSON feature order: the order of map rows, table and exports."""
    for incident in incidents:
        for where in incident.places:
            yield incident, where


_SCRIPT_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                  ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(value: Any) -> str:
    """Return compact JSON that is safe inside an HTML ``<script>`` element (no ``</script>``, no ``&``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for unsafe, escaped in _SCRIPT_UNSAFE:  # str.replace is far faster than str.translate on megabytes
        text = text.replace(unsafe, escaped)
    return text


class _Strings:
    """A table of HTML-escaped strings; rows refer to them by index (names and sources repeat a lot)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.escaped: list[str] = []

    def ref(self, value: str) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.escaped)
            self.escaped.append(_esc(value))
        return found


ROW_FIELDS = ("lat", "lon", "style", "size", "row", "name", "mention", "region", "precision", "killed",
              "injured", "date", "source", "confidence", "evidence", "tooltip", "reviewed")
"""The columns of a marker or area row the map's script reads (``size`` is a radius in m for areas)."""


@dataclass(frozen=True, slots=True)
class LayerData:
    """What the map's script draws: escaped strings, styles, and compact marker and area rows."""

    strings: list[str]
    styles: list[str]
    points: list[list[Any]]
    areas: list[list[Any]]


def layer_data(incidents: Iterable[Incident], *, reviewed: frozenset[str] = frozenset()) -> LayerData:
    """Return the compact rows the map draws, one per incident per place, in feature order.

    Every text from a document is HTML-escaped here and stored once in ``strings``; a row holds
    indexes into it (see ``ROW_FIELDS``). A style is ``"kind|color|icon|label-index"``.
    """
    strings = _Strings()
    styles: dict[str, int] = {}
    points: list[list[Any]] = []
    areas: list[list[Any]] = []
    for row, (incident, where) in enumerate(feature_pairs(incidents), start=1):
        look = style_for(incident.type, incident.subtype)
        key = f"{incident.type}|{look.color}|{look.icon}|{strings.ref(kind_label(incident))}"
        place = where.place
        region = ", ".join(part for part in (place.admin1, place.country_code) if part)
        area = is_area(where)
        size = (round(area_radius_m(where)) if area
                else marker_size(incident.casualties.killed, incident.casualties.injured))
        record = [
            round(place.lat, 5), round(place.lon, 5), styles.setdefault(key, len(styles)), size, row,
            strings.ref(place.name), strings.ref(where.mention), strings.ref(region),
            strings.ref(str(place.precision)), incident.casualties.killed, incident.casualties.injured,
            strings.ref(incident.date.isoformat() if incident.date else "unknown"),
            strings.ref(incident.source or ""), round(incident.confidence, 2),
            strings.ref(_shorten(incident.evidence, EVIDENCE_CHARS)),
            strings.ref(tooltip_text(incident, where, row=row)), int(incident.incident_id in reviewed),
        ]
        (areas if area else points).append(record)
    return LayerData(strings.escaped, list(styles), points, areas)


class IncidentLayer(MarkerCluster):
    """Clustered incident pins plus rings for coarse places, drawn in the browser from compact rows.

    Popups are assembled in the browser from strings escaped in Python (``layer_data``); only web
    sources (http, https) become links.
    """

    _template = Template(
        r"""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(){
            var D = {{ this.data_json }}, S = D.strings;
            var styles = D.styles.map(function(s){ return s.split("|"); });
            function count(n) { return n === null ? "not reported" : n; }
            function source(i) {
                var s = S[i];
                if (!s) return "unknown";
                return /^https?:\/\//i.test(s) ?
                    '<a href="' + s + '" target="_blank" rel="noopener noreferrer">' + s + '</a>' : s;
            }
            function popup(r) {
                var written = S[r[6]] === S[r[5]] ? "" : " (written “" + S[r[6]] + "”)";
                return '<div class="incident-popup"><h4>' + S[styles[r[2]][3]] + '</h4><table>' +
                    '<tr><th>Place</th><td>' + S[r[5]] + written + '<br>' + S[r[7]] + ' · ' + S[r[8]] +
                    '</td></tr><tr><th>Killed</th><td>' + count(r[9]) + '</td></tr>' +
                    '<tr><th>Injured</th><td>' + count(r[10]) + '</td></tr>' +
                    '<tr><th>Date</th><td>' + S[r[11]] + '</td></tr>' +
                    '<tr><th>Source</th><td class="src">' + source(r[12]) + '</td></tr>' +
                    '<tr><th>Row</th><td>#' + r[4] + ' · confidence ' + r[13].toFixed(2) +
                    (r[16] ? ' · reviewed' : '') + '</td></tr></table>' +
                    '<blockquote>' + S[r[14]] + '</blockquote></div>';
            }
            var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
            cluster.options.iconCreateFunction = function(c) {
                var kids = c.getAllChildMarkers(), strikes = 0;
                for (var k = 0; k < kids.length; k++) { if (kids[k].options.kind === "strike") strikes++; }
                var n = c.getChildCount(), d = Math.min(56, 26 + Math.round(5 * Math.log2(n)));
                var color = strikes ? {{ this.strike_color|tojson }} : {{ this.alert_color|tojson }};
                return L.divIcon({className: "incident-icon", iconSize: [d, d], html:
                    '<div class="incident-cluster" style="width:' + d + 'px;height:' + d +
                    'px;background:' + color + '">' + n + '</div>'});
            };
            var markers = [], icons = {};
            function iconFor(p) {  // one icon object per look, shared by all markers that look alike
                var key = p[2] + "/" + p[3] + "/" + p[16];
                if (!icons[key]) {
                    var s = styles[p[2]], d = p[3];
                    icons[key] = L.divIcon({className: "incident-icon", iconSize: [d, d], html:
                        '<div class="incident-pin' + (p[16] ? ' reviewed' : '') + '" style="background:' +
                        s[1] + ';font-size:' + Math.round(d * 0.45) + 'px"><i class="fa fa-' + s[2] +
                        '"></i></div>'});
                }
                return icons[key];
            }
            for (var i = 0; i < D.points.length; i++) {
                var p = D.points[i], s = styles[p[2]], icon = iconFor(p);
                markers.push(L.marker([p[0], p[1]], {icon: icon, kind: s[0]})
                    .bindPopup(popup.bind(null, p), {maxWidth: 340}).bindTooltip(S[p[15]]));
            }
            cluster.addLayers(markers);
            cluster.addTo({{ this._parent.get_name() }});
            for (var j = 0; j < D.areas.length; j++) {
                var a = D.areas[j], t = styles[a[2]];
                L.circle([a[0], a[1]], {radius: a[3], color: t[1], weight: 2, dashArray: "6 5",
                    fillColor: t[1], fillOpacity: 0.12, kind: t[0]})
                    .bindPopup(popup.bind(null, a), {maxWidth: 340}).bindTooltip(S[a[15]])
                    .addTo({{ this._parent.get_name() }});
            }
            return cluster;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        incidents: Iterable[Incident],
        *,
        reviewed: frozenset[str] = frozenset(),
        base: str = VENDOR_URL,
    ) -> None:
        super().__init__(  # type: ignore[no-untyped-call]
            name="Incidents",
            maxClusterRadius=40,
            disableClusteringAtZoom=11,
            spiderfyOnMaxZoom=True,
            chunkedLoading=True,
        )
        self._name = "IncidentLayer"
        found = layer_data(incidents, reviewed=reviewed)
        # Serialised once here: folium and st_folium render the script several times.
        self.data_json = script_json({"strings": found.strings, "styles": found.styles,
                                      "points": found.points, "areas": found.areas})
        self.strike_color = TYPE_COLORS[IncidentType.STRIKE]
        self.alert_color = TYPE_COLORS[IncidentType.ALERT]
        self.default_css = [*MarkerCluster.default_css, ("incidents_css", "")]
        localize_assets(self, base=base)

    def render(self, **kwargs: Any) -> str:
        """Add the asset links and the script to the figure, the script as plain text.

        branca would wrap the rendered script in an ``Element``, which compiles it as a Jinja
        template: slow for megabytes of data, and it would evaluate any ``{{ }}`` in it.
        """
        figure: Any = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        script = self._template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(_PlainText(str(script)), name=self.get_name())
        return ""


class _PlainText(Element):
    """A piece of a page rendered verbatim (never compiled as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class Basemap(JSCSSMixin, folium.MacroElement):
    """Country outlines (Natural Earth via world-atlas) drawn from a local file under the markers."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map){
            var pane = map.createPane("basemap");
            pane.style.zIndex = 250;
            pane.style.pointerEvents = "none";
            fetch({{ this.url|tojson }}).then(function(r){ return r.json(); }).then(function(t){
                L.geoJSON(topojson.feature(t, t.objects.countries), {pane: "basemap", interactive: false,
                    attribution: "Borders: Natural Earth",
                    style: {color: "#8a99a8", weight: 0.7, fillColor: "#f8f6f0", fillOpacity: 1}}).addTo(map);
            }).catch(function(e){ console.warn("basemap not loaded", e); });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, base: str = VENDOR_URL) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Basemap"
        self.url = f"{base}/{_BASEMAP}"
        self.default_js = [("topojson", "")]
        localize_assets(self, base=base)


@dataclass(frozen=True, slots=True)
class MapView:
    """Where the map looks: its centre (lat, lon) and zoom level."""

    centre: tuple[float, float]
    zoom: int


def map_view(incidents: Sequence[Incident]) -> tuple[list[list[float]] | None, tuple[float, float]]:
    """Return the bounds ``[[south, west], [north, east]]`` of the incidents (None if none) and a centre."""
    lats = [w.place.lat for i in incidents for w in i.places]
    lons = [w.place.lon for i in incidents for w in i.places]
    if not lats:
        return None, (30.0, 20.0)
    bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
    return bounds, ((bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2)


WORLD_VIEW = MapView(centre=(30.0, 20.0), zoom=2)


def fit_view(incidents: Sequence[Incident], *, width_px: int = 900, height_px: int = 560) -> MapView:
    """Return the centre and the largest zoom (2..10) at which all the incidents fit the map."""
    bounds, centre = map_view(incidents)
    if bounds is None:
        return WORLD_VIEW
    (south, west), (north, east) = bounds

    def mercator(lat: float) -> float:
        lat = max(-85.0, min(85.0, lat))
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = max(east - west, 1e-3) / 360.0
    span_y = max(abs(mercator(north) - mercator(south)), 1e-5) / (2 * math.pi)
    # 0.85: keep a margin so markers at the edges are not cut off.
    fit = min(math.log2(0.85 * width_px / (256 * span_x)), math.log2(0.85 * height_px / (256 * span_y)))
    return MapView(centre=centre, zoom=max(2, min(10, math.floor(fit))))


def base_map(*, online_tiles: bool = False, basemap: bool = True, base: str = VENDOR_URL) -> folium.Map:
    """Return the map without incidents; it stays the same when filters change (no reload in the app)."""
    # Without a tile layer Leaflet has no maxZoom, and marker clustering refuses to start.
    m = folium.Map(location=list(WORLD_VIEW.centre), zoom_start=WORLD_VIEW.zoom, tiles=None,
                   control_scale=True, maxZoom=MAX_ZOOM, minZoom=1)
    localize_assets(m, base=base)
    if online_tiles:
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(m)
    if basemap:
        Basemap(base=base).add_to(m)
    return m


def incident_group(
    incidents: Iterable[Incident], *, reviewed: frozenset[str] = frozenset(), base: str = VENDOR_URL
) -> folium.FeatureGroup:
    """Return the incidents as one layer group (for st_folium's ``feature_group_to_add``)."""
    group = folium.FeatureGroup(name="Incidents")
    IncidentLayer(incidents, reviewed=reviewed, base=base).add_to(group)
    return group


def build_map(
    incidents: Sequence[Incident],
    *,
    reviewed: frozenset[str] = frozenset(),
    online_tiles: bool = False,
    basemap: bool = True,
    base: str = VENDOR_URL,
) -> folium.Map:
    """Return a complete map of the incidents, fitted to them; all assets load from ``base``."""
    m = base_map(online_tiles=online_tiles, basemap=basemap, base=base)
    incident_group(incidents, reviewed=reviewed, base=base).add_to(m)
    view = fit_view(incidents)
    m.location = list(view.centre)
    m.options["zoom"] = view.zoom
    return m


def highlight_layer(where: IncidentPlace) -> folium.FeatureGroup:
    """Return a layer that rings one place, to show the table's selected row on the map."""
    group = folium.FeatureGroup(name="Selected")
    folium.CircleMarker(
        location=[where.place.lat, where.place.lon], radius=20, color="#1f6feb", weight=4, fill=False
    ).add_to(group)
    return group
