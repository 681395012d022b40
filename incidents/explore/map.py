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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import folium
from branca.element import CssLink, Element, JavascriptLink
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from folium.template import Template

from gazetteer.records import Place, Precision
from incidents.errors import MapAssetError
from incidents.events import EventSummary
from incidents.explore.labels import CITIES_FILE, TOWNS_FILE, TOWNS_FROM_ZOOM
from incidents.records import Incident, IncidentPlace, IncidentType

VENDOR_URL = "/app/static/vendor"
"""Where Streamlit serves ``static/vendor/`` (filled by ``scripts/assets.sh``)."""

MAP_BUNDLE = "incidents/map-bundle.js"
"""Leaflet, marker clustering, TopoJSON and our drawing code (``assets/*.js``) in one file, in that
order (``scripts/assets.sh`` joins them): streamlit-folium loads a map's scripts one after another,
each waiting for the last, so six files cost six round trips before the map starts."""
_LOCAL_JS = dict.fromkeys(
    ("leaflet", "markerclusterjs", "topojson", "incident_layer", "basemap", "reference"), MAP_BUNDLE)
_LOCAL_CSS = {
    "leaflet_css": "leaflet/leaflet.css",
    "awesome_markers_font_css": "fontawesome/css/all.min.css",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
    "incidents_css": "incidents/incidents-map.css",
}
# folium's defaults for its own markers and popups (jQuery, Bootstrap, awesome-markers): our layer draws
# its pins and popups itself and needs none of them, so the page loads less.
_DROPPED = frozenset({"glyphicons_css", "jquery", "bootstrap", "bootstrap_css", "awesome_markers",
                      "awesome_markers_css", "awesome_rotate_css"})
_BASEMAP = "world-atlas/countries-50m.json"
LABELS_FOLDER = "labels"
"""Under ``static/vendor/``: the city labels the app writes from the gazetteer (``explore.labels``)."""
ADMIN1_FOLDER = "admin1"
"""Under ``static/vendor/``: first-level region borders per country (``scripts/admin1.py``)."""
BORDERS_FROM_ZOOM = 5
"""Region borders are drawn from this zoom on (a country fills the map)."""
MAX_LABELS = 160
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'

AREA_PRECISIONS = frozenset({Precision.REGION, Precision.COUNTRY})
"""Places this coarse are drawn as a ring of their radius, not as a pin."""
DEFAULT_RADIUS_KM = {Precision.REGION: 25.0, Precision.COUNTRY: 150.0}
MAX_ZOOM = 18
FIT_MAX_ZOOM = 10
"""Framing the incidents never zooms in closer than this (one pin alone shows its surroundings)."""
TIGHT_CLUSTER_ZOOM = 11
"""From this zoom only pins a few pixels apart are clustered (a count badge, spread on a click)."""
AREA_OUTLINE_ZOOM = 9
"""From this zoom (a city fills the map) a region or country is drawn as its dashed edge only, as it is
whenever the view lies inside it: a tint would cover the whole map."""
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


@lru_cache(maxsize=1024)
def style_for(kind: IncidentType, subtype: str | None) -> MarkerStyle:
    """Return the colour (by type) and icon (by subtype, else by type) of an incident."""
    icon = _SUBTYPE_ICONS.get(subtype or "", _TYPE_ICONS[kind])
    return MarkerStyle(color=TYPE_COLORS[kind], icon=icon)


@lru_cache(maxsize=4096)
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
    return _kind_text(incident.type, incident.subtype)


def _kind_text(kind: IncidentType, subtype: str | None) -> str:
    return f"{kind}" + (f" · {subtype}" if subtype else "")


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


# Also "_": streamlit-folium rewrites every "_[a-z0-9]+" of the layer's script with a regular expression;
# and "`" and "$": the layer's data travels in a raw template string (``IncidentLayer``).
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027", "\u2028": "\\u2028",
                  "\u2029": "\\u2029", "_": "\\u005f", "`": "\\u0060", "$": "\\u0024"}
_UNSAFE = re.compile("[" + re.escape("".join(_SCRIPT_UNSAFE)) + "]")
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def script_json(value: Any) -> str:
    """Return compact JSON that is safe inside an HTML ``<script>`` element (no ``</script>``, no ``&``).

    It is also safe inside a JavaScript template string (no backtick, no ``${``).
    """
    text = _ENCODE(value)
    if _UNSAFE.search(text) is None:  # most rows: one scan, no copy
        return text
    for unsafe, escaped in _SCRIPT_UNSAFE.items():  # str.replace beats a substitution on megabytes
        text = text.replace(unsafe, escaped)
    return text


def feature_key(incident: Incident, where: IncidentPlace) -> str:
    """Return the key of one incident at one place: the app's selection and the map rows use it."""
    return f"{incident.incident_id}:{where.place.id}"


PLACE_FIELDS = ("lat", "lon", "area", "name", "region", "precision", "cc")
"""The columns of a place of the layer (``assets/incident-layer.js`` reads them by position).

``area`` is 1 for a place drawn as a ring (a region or a country): a region whose borders the map
knows (``ADMIN1_FOLDER``) is drawn as itself. ``cc`` is the country code. Each place is written once per
layer, however many rows it has: thousands of reports of one city share its name and coordinates.
"""

ROW_FIELDS = ("place", "style", "size", "mention", "killed", "injured", "date", "source", "confidence",
              "evidence", "reviewed", "event")
"""The columns of a map row (``assets/incident-layer.js`` reads them by position).

``place``, ``style``, ``source`` and ``event`` index the layer's tables of places (``PLACE_FIELDS``),
styles, sources and event counts (-1: no source, no event of several reports). ``size`` is a pin's
diameter in pixels, or a ring's radius in metres for an area; ``mention`` is empty when the text wrote
the canonical name; ``date`` is empty when unknown. The row number shown in tooltips and popups is the
row's position in the layer, from 1: the table's ``#``.

Rows with the same ``event`` at the same ``place`` are reports of one event told by several documents:
the layer draws one pin for them, with the number of reports, and its popup lists them; the event's
entry in the table of events is its counts across all its reports.
"""


def style_label(incident: Incident) -> str:
    """Return the style of an incident, ``"kind|color|icon|escaped label"``."""
    return _style_label(incident.type, incident.subtype)


@lru_cache(maxsize=1024)
def _style_label(kind: IncidentType, subtype: str | None) -> str:
    look = style_for(kind, subtype)
    return f"{kind}|{look.color}|{look.icon}|{_esc(_kind_text(kind, subtype))}"


def count_range_text(event: EventSummary) -> str:
    """Return an event's counts across reports: ``killed 4 to 12 (latest 12) · injured 20 (latest 20)``."""
    parts = []
    for word, found in (("killed", event.killed), ("injured", event.injured)):
        if found.best is None:
            parts.append(f"{word} not reported")
            continue
        spread = f"{found.low}" if found.low == found.high else f"{found.low} to {found.high}"
        parts.append(f"{word} {spread} (latest {found.best})")
    return " · ".join(parts) + f" · {event.report_count} reports in all"


def place_entry(where: IncidentPlace) -> list[Any]:
    """Return the layer's entry for a place, every text HTML-escaped (see ``PLACE_FIELDS``)."""
    place = where.place
    return [round(place.lat, 5), round(place.lon, 5), int(is_area(where)), _esc(place.name),
            _esc(", ".join(part for part in (place.admin1, place.country_code) if part)),
            _esc(str(place.precision)), _esc(place.country_code)]


def map_row(incident: Incident, where: IncidentPlace, *, place: int, style: int, source: int,
            event: int, reviewed: bool) -> list[Any]:
    """Return the map row of one incident at one place, every text HTML-escaped (see ``ROW_FIELDS``)."""
    size = (round(area_radius_m(where)) if is_area(where)
            else marker_size(incident.casualties.killed, incident.casualties.injured))
    return [
        place, style, size, "" if where.mention == where.place.name else _esc(where.mention),
        incident.casualties.killed, incident.casualties.injured,
        incident.date.isoformat() if incident.date else "", source, round(incident.confidence, 2),
        _esc(_shorten(incident.evidence, EVIDENCE_CHARS)), int(reviewed), event,
    ]


@dataclass(frozen=True, slots=True)
class MapRows:
    """The map rows of many features, each serialised once as script-safe JSON, by feature key.

    Build it once per state of the store (``map_rows``); a filtered layer only joins the rows it
    shows and the places, sources and events they refer to (``layer_json``), so a filter change
    costs no escaping and no JSON encoding.
    """

    styles: tuple[str, ...]
    rows: Mapping[str, str]
    refs: Mapping[str, tuple[int, int, int]]
    """The place, source and event (-1: none) each row refers to, by feature key."""
    places: tuple[str, ...]
    sources: tuple[str, ...]
    events: tuple[str, ...]
    """Each event of several reports as ``[event id, its counts across reports]``."""


def _index(table: dict[str, int], value: str) -> int:
    return table.setdefault(value, len(table))


def map_rows(incidents: Iterable[Incident], *, reviewed: frozenset[str] = frozenset(),
             events: Mapping[str, EventSummary] | None = None) -> MapRows:
    """Return the serialised map row of every incident at every place.

    ``events`` maps incident ids to their events: reports of one event at one place share a pin.
    """
    styles: dict[str, int] = {}
    places: dict[str, int] = {}
    sources: dict[str, int] = {}
    counts: dict[str, int] = {}
    rows: dict[str, str] = {}
    refs: dict[str, tuple[int, int, int]] = {}
    events = events or {}
    place_of: dict[Place, int] = {}  # records are frozen: equal places share an entry without re-encoding
    source_of: dict[str, int] = {}
    for incident, where in feature_pairs(incidents):
        event = events.get(incident.incident_id)
        place = place_of.get(where.place)
        if place is None:
            place = place_of[where.place] = _index(places, script_json(place_entry(where)))
        source = source_of.get(incident.source or "")
        if source is None:
            source = source_of[incident.source or ""] = (
                _index(sources, script_json(_esc(incident.source))) if incident.source else -1)
        ref = (place, source,
               _index(counts, script_json([_esc(event.event_id), _esc(count_range_text(event))]))
               if event is not None and event.report_count > 1 else -1)
        key = feature_key(incident, where)
        refs[key] = ref
        style = _index(styles, style_label(incident))
        rows[key] = script_json(map_row(incident, where, place=ref[0], style=style, source=ref[1],
                                        event=ref[2], reviewed=incident.incident_id in reviewed))
    return MapRows(tuple(styles), rows, refs, tuple(places), tuple(sources), tuple(counts))


def _table(entries: Sequence[str], used: Iterable[int]) -> str:
    return "{" + ",".join(f'"{n}":{entries[n]}' for n in sorted(set(used)) if n >= 0) + "}"


def layer_json(rows: MapRows, keys: Iterable[str]) -> str:
    """Return the script-safe JSON the map's layer draws: the rows of ``keys``, in order.

    With them go the styles, and the places, sources and events (by index) those rows refer to.
    """
    keys = list(keys)
    body = ",".join(rows.rows[key] for key in keys)
    refs = [rows.refs[key] for key in keys]
    return (f'{{"styles":{script_json(list(rows.styles))},'
            f'"places":{_table(rows.places, (r[0] for r in refs))},'
            f'"sources":{_table(rows.sources, (r[1] for r in refs))},'
            f'"events":{_table(rows.events, (r[2] for r in refs))},"rows":[{body}]}}')


def incidents_json(incidents: Sequence[Incident], *, reviewed: frozenset[str] = frozenset()) -> str:
    """Return the layer JSON of these incidents, in feature order."""
    rows = map_rows(incidents, reviewed=reviewed)
    return layer_json(rows, (feature_key(i, w) for i, w in feature_pairs(incidents)))


class IncidentLayer(JSCSSMixin, folium.MacroElement):
    """Clustered incident pins plus rings for coarse places, drawn in the browser from compact rows.

    The drawing code is a static file (``assets/incident-layer.js``), loaded once with the map; the
    script of the layer is one call with the data, which arrives already escaped (``layer_json``).
    The data is a raw template string given to ``JSON.parse``: a browser reads megabytes of JSON
    text far faster than the same data written as a JavaScript literal.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = incidentLayer({{ this._parent._parent.get_name() }},
            {{ this._parent.get_name() }}, JSON.parse(String.raw`{{ this.data_json }}`),
            {{ this.layer_options }});
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str, *, base: str = VENDOR_URL, map_first_above: int | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "IncidentLayer"
        self.data_json = data_json
        self.layer_options = script_json({
            "mapFirstAbove": map_first_above,
            "cluster": {"maxClusterRadius": 40, "spiderfyOnMaxZoom": True,
                        "chunkedLoading": True, "chunkInterval": 150, "chunkDelay": 10},
            "tightFromZoom": TIGHT_CLUSTER_ZOOM, "tightRadius": 8, "outlineFromZoom": AREA_OUTLINE_ZOOM,
            "fit": {"padding": 24, "maxZoom": FIT_MAX_ZOOM},
            "colors": {"strike": TYPE_COLORS[IncidentType.STRIKE], "alert": TYPE_COLORS[IncidentType.ALERT]},
        })
        self.default_js = [*MarkerCluster.default_js, ("incident_layer", "")]
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
    """Country outlines (Natural Earth via world-atlas) drawn from a local file under the markers.

    Filled when the map has no tiles; outlines only over online tiles, which a fill would hide.
    The drawing code (``assets/basemap.js``) also mends the countries cut at the date line.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        incidentBasemap({{ this._parent.get_name() }}, {{ this.url|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, *, filled: bool = True, base: str = VENDOR_URL) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Basemap"
        self.url = f"{base}/{_BASEMAP}"
        self.options = {"filled": filled, "attribution": "Borders: Natural Earth"}
        self.default_js = [("topojson", ""), ("basemap", "")]
        localize_assets(self, base=base)


class ReferenceLayers(JSCSSMixin, folium.MacroElement):
    """City labels (from the gazetteer, more as the map zooms in) and first-level region borders.

    Both come from local files (``LABELS_FOLDER``, ``ADMIN1_FOLDER``), fetched as the map needs them;
    ``version`` (the gazetteer index's stamp) makes a browser fetch labels written for a new index.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        incidentReference({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, *, version: str = "", base: str = VENDOR_URL) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "ReferenceLayers"
        query = f"?v={version}" if version else ""
        self.options = {
            "cities": f"{base}/{LABELS_FOLDER}/{CITIES_FILE}{query}",
            "towns": f"{base}/{LABELS_FOLDER}/{TOWNS_FILE}{query}",
            "townsFromZoom": TOWNS_FROM_ZOOM, "maxLabels": MAX_LABELS,
            "admin1": f"{base}/{ADMIN1_FOLDER}", "bordersFromZoom": BORDERS_FROM_ZOOM,
        }
        self.default_js = [("reference", "")]
        localize_assets(self, base=base)


_LEGEND_ICONS = (("explosion", "strike"), ("jet-fighter", "airstrike"), ("plane", "drone"),
                 ("rocket", "missile, rocket"), ("burst", "shelling"), ("bomb", "bombing"),
                 ("bell", "alert, siren"))


def _legend_pin(color: str, *, size: int, reviewed: bool = False, badge: str = "") -> str:
    count = f'<span class="report-count">{badge}</span>' if badge else ""
    return (f'<span class="legend-pin{" reviewed" if reviewed else ""}" style="background:{color};'
            f'width:{size}px;height:{size}px">{count}</span>')


def legend_html() -> str:
    """Return the map's legend: colours, icons, pin sizes, rings, the reviewed border, clusters."""
    strike, alert = TYPE_COLORS[IncidentType.STRIKE], TYPE_COLORS[IncidentType.ALERT]
    rows = [
        (_legend_pin(strike, size=14) + _legend_pin(alert, size=14), "colour: strike, alert"),
        ("".join(f'<i class="fa fa-{icon}" title="{_esc(label)}"></i>' for icon, label in _LEGEND_ICONS),
         "icon: " + ", ".join(label for _, label in _LEGEND_ICONS[1:])),
        (_legend_pin(strike, size=12) + _legend_pin(strike, size=20), "size: killed + injured"),
        (f'<span class="legend-ring" style="border-color:{alert};background:{alert}1f"></span>',
         "dashed ring: a region or country, at its size; a region the map knows is drawn as itself; "
         "only its edge when zoomed in or inside it"),
        ('<span class="legend-border"></span>', "purple dashes: region borders (oblasts, governorates)"),
        (_legend_pin("#777", size=14, reviewed=True), "green border: reviewed"),
        (_legend_pin(strike, size=16, badge="3"), "number on a pin: reports of one event"),
        (f'<span class="legend-cluster" style="background:{strike}">3</span>'
         f'<span class="legend-cluster" style="background:{alert}">2</span>',
         "cluster: count; red holds a strike, amber alerts only"),
    ]
    body = "".join(f"<tr><td>{symbol}</td><td>{text}</td></tr>" for symbol, text in rows)
    return f"<details open><summary>Legend</summary><table>{body}</table></details>"


class Legend(folium.MacroElement):
    """The legend, a Leaflet control in the map's upper right corner (it folds away)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map){
            var legend = L.control({position: "topright"});
            legend.onAdd = function(){
                var box = L.DomUtil.create("div", "incident-legend leaflet-bar");
                box.innerHTML = {{ this.html }};
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                return box;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Legend"
        self.html = script_json(legend_html())


@dataclass(frozen=True, slots=True)
class MapView:
    """Where the map looks: its centre (lat, lon) and zoom level."""

    centre: tuple[float, float]
    zoom: int


def map_view(incidents: Sequence[Incident]) -> tuple[list[list[float]] | None, tuple[float, float]]:
    """Return the bounds ``[[south, west], [north, east]]`` of the incidents (None if none) and a centre.

    The bounds hold every pin and every ring whole.
    """
    lats: list[float] = []
    lons: list[float] = []
    for _, where in feature_pairs(incidents):
        lat, lon = where.place.lat, where.place.lon
        # A ring is framed whole: zooming to its centre alone would land inside it.
        dlat = area_radius_m(where) / 111_320.0 if is_area(where) else 0.0
        dlon = dlat / max(math.cos(math.radians(lat)), 0.05)
        lats += (max(-85.0, lat - dlat), min(85.0, lat + dlat))
        lons += (lon - dlon, lon + dlon)
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
    return MapView(centre=centre, zoom=max(2, min(FIT_MAX_ZOOM, math.floor(fit))))


def base_map(*, online_tiles: bool = False, basemap: bool = True, base: str = VENDOR_URL,
             labels_version: str = "") -> folium.Map:
    """Return the map without incidents; it stays the same when filters change (no reload in the app).

    With ``basemap``: country outlines, region borders and city labels, all from local files.
    """
    # Without a tile layer Leaflet has no maxZoom, and marker clustering refuses to start.
    m = folium.Map(location=list(WORLD_VIEW.centre), zoom_start=WORLD_VIEW.zoom, tiles=None,
                   control_scale=True, maxZoom=MAX_ZOOM, minZoom=1)
    localize_assets(m, base=base)
    if online_tiles:
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(m)
    if basemap:
        Basemap(filled=not online_tiles, base=base).add_to(m)
        ReferenceLayers(version=labels_version, base=base).add_to(m)
    Legend().add_to(m)
    return m


def incident_group(data_json: str, *, base: str = VENDOR_URL,
                   map_first_above: int | None = None) -> folium.FeatureGroup:
    """Return the layer JSON (``layer_json``) as one layer group, for st_folium's ``feature_group_to_add``.

    ``map_first_above``: a session's first page with more rows than this is sent as its map alone
    (``view.map_goes_first``); the first layer of a page with more rows asks for the page's next run
    once its markers are drawn, so the rest comes right after the map. None: it never asks.
    """
    group = folium.FeatureGroup(name="Incidents")
    IncidentLayer(data_json, base=base, map_first_above=map_first_above).add_to(group)
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
    incident_group(incidents_json(incidents, reviewed=reviewed), base=base).add_to(m)
    view = fit_view(incidents)
    m.location = list(view.centre)
    m.options["zoom"] = view.zoom
    return m


def selection_centre(where: IncidentPlace, *, row: int) -> tuple[float, float, int]:
    """Return the map centre that selects a row: its place, and the row number third.

    Leaflet takes the third value as an altitude and ignores it; the layer's script reads it to ring
    the row and open its popup. Selecting so leaves the layer's data unchanged: the map is not redrawn,
    and a popup the user opened stays open.
    """
    return round(where.place.lat, 5), round(where.place.lon, 5), row
