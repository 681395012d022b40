/* Draw the incidents of the map app (our own): clustered pins, rings for coarse places, a selection.
 *
 * incidentLayer(map, group, data, options) builds everything inside `group` (a Leaflet layer group the
 * app replaces on every filter change) from compact rows, which refer by index to tables of places,
 * sources and events written once each. Every text in `data` was HTML-escaped in Python
 * (incidents/explore/map.py: ROW_FIELDS and PLACE_FIELDS give the columns), so it is inserted as markup here; only
 * http(s) sources become links. Popups and tooltips are made on first use, not for every row.
 * The selected row comes from streamlit-folium's last map centre: the app passes [lat, lon, row].
 * Rows of one event at one place (the same `event` key: reports of several documents) share one pin,
 * which shows how many reports it holds; its popup lists every report with its source and counts.
 */
(function (global) {
  "use strict";
  var F = {place: 0, style: 1, size: 2, mention: 3, killed: 4, injured: 5, date: 6, source: 7,
           confidence: 8, evidence: 9, reviewed: 10, event: 11};
  var P = {lat: 0, lon: 1, area: 2, name: 3, region: 4, precision: 5, cc: 6};

  function count(n) { return n === null ? "not reported" : n; }

  function sourceHtml(s) {
    if (!s) return "unknown";
    return /^https?:\/\//i.test(s) ?
      '<a href="' + s + '" target="_blank" rel="noopener noreferrer">' + s + "</a>" : s;
  }

  function eventPopupHtml(o) {
    var p = o.place, lines = "";
    for (var k = 0; k < o.reports.length; k++) {
      var q = o.reports[k].r;
      lines += '<tr><td class="src">' + sourceHtml(o.sources[q[F.source]]) + "</td><td>" + count(q[F.killed]) +
        "</td><td>" + count(q[F.injured]) + "</td><td>" + (q[F.date] || "") + "</td><td>#" +
        o.reports[k].row + "</td></tr>";
    }
    return '<div class="incident-popup event-popup"><h4>' + o.style[3] + " · " + o.reports.length +
      " reports</h4><p>" + p[P.name] + "<br>" + p[P.region] + "</p><p>" + o.event[1] + "</p>" +
      '<table class="event-reports"><tr><th>Source</th><th>Killed</th><th>Injured</th><th>Date</th>' +
      "<th>Row</th></tr>" + lines + "</table></div>";
  }

  function popupHtml(o) {
    var r = o.r, p = o.place, row = o.row;
    var written = r[F.mention] ? " (written \u201c" + r[F.mention] + "\u201d)" : "";
    return '<div class="incident-popup"><h4>' + o.style[3] + "</h4><table>" +
      "<tr><th>Place</th><td>" + p[P.name] + written + "<br>" + p[P.region] + " \u00b7 " +
      p[P.precision] + "</td></tr><tr><th>Killed</th><td>" + count(r[F.killed]) + "</td></tr>" +
      "<tr><th>Injured</th><td>" + count(r[F.injured]) + "</td></tr>" +
      "<tr><th>Date</th><td>" + (r[F.date] || "unknown") + "</td></tr>" +
      '<tr><th>Source</th><td class="src">' + sourceHtml(o.sources[r[F.source]]) + "</td></tr>" +
      "<tr><th>Row</th><td>#" + row + " \u00b7 confidence " + r[F.confidence].toFixed(2) +
      (r[F.reviewed] ? " \u00b7 reviewed" : "") + "</td></tr></table>" +
      "<blockquote>" + r[F.evidence] + "</blockquote></div>";
  }

  // The same text as incidents.map.tooltip_text: the app reads the row back from "(#row)".
  function tooltipHtml(o) {
    var r = o.r, parts = [o.place[P.name], o.style[0]];
    if (r[F.killed]) parts.push(r[F.killed] + " killed");
    if (r[F.injured]) parts.push(r[F.injured] + " injured");
    if (r[F.date]) parts.push(r[F.date]);
    return parts.join(" \u00b7 ") + " (#" + o.row + ")";
  }

  // Bind the popup and tooltip on the first event that needs them, before any listener runs
  // (streamlit-folium reads the tooltip of a clicked marker in its own click listener).
  function lazy(Base) {
    return Base.extend({
      incidentBind: function () {
        if (this._incidentBound) return this;
        var o = this.options.incident;
        this._incidentBound = true;
        var many = o.reports.length > 1;
        this.bindPopup(many ? eventPopupHtml(o) : popupHtml(o), {maxWidth: many ? 460 : 340});
        var tip = tooltipHtml(o);
        return this.bindTooltip(many ? o.reports.length + " reports · " + tip : tip);
      },
      fire: function (type, data, propagate) {
        if (type === "click" || type === "mouseover") this.incidentBind();
        // streamlit-folium sends a click only when its value changes: clicking again the marker it
        // sent last, after a table row selected another one, must still select it.
        var g = global.__GLOBAL_DATA__;
        if (type === "click" && g && selectedRow() !== this.options.incident.row) g.previous_data = null;
        return Base.prototype.fire.call(this, type, data, propagate);
      }
    });
  }
  var Pin = lazy(L.Marker), Area = lazy(L.Circle);

  function clusterIcon(colors) {
    return function (c) {
      var kids = c.getAllChildMarkers(), strikes = 0;
      for (var k = 0; k < kids.length; k++) { if (kids[k].options.kind === "strike") strikes++; }
      var n = c.getChildCount(), d = Math.min(56, 26 + Math.round(5 * Math.log2(n)));
      return L.divIcon({className: "incident-icon", iconSize: [d, d], html:
        '<div class="incident-cluster" style="width:' + d + "px;height:" + d + "px;background:" +
        (strikes ? colors.strike : colors.alert) + '">' + n + "</div>"});
    };
  }

  function pinIcon(icons, style, r, reports) {
    var key = r[F.style] + "/" + r[F.size] + "/" + r[F.reviewed] + "/" + reports, d = r[F.size];
    if (!icons[key]) {  // one icon object per look, shared by every marker that looks alike
      icons[key] = L.divIcon({className: "incident-icon", iconSize: [d, d], html:
        '<div class="incident-pin' + (r[F.reviewed] ? " reviewed" : "") + '" style="background:' +
        style[1] + ";font-size:" + Math.round(d * 0.45) + 'px"><i class="fa fa-' + style[2] +
        '"></i>' + (reports > 1 ? '<span class="report-count">' + reports + "</span>" : "") +
        "</div>"});
    }
    return icons[key];
  }

  function selectedRow() {
    var g = global.__GLOBAL_DATA__, c = g && g.last_center;
    return c && c.length > 2 ? c[2] : null;
  }

  // Pins at one spot (three reports from one town) stay a cluster with their count at every zoom,
  // and spread out when clicked; from `tightFromZoom` only pins a few pixels apart are grouped.
  function clusterOptions(options) {
    var o = {}, wide = options.cluster.maxClusterRadius, from = options.tightFromZoom;
    for (var k in options.cluster) o[k] = options.cluster[k];
    if (from) o.maxClusterRadius = function (z) { return z >= from ? options.tightRadius : wide; };
    return o;
  }

  function text(escaped) {
    return new DOMParser().parseFromString(escaped, "text/html").documentElement.textContent;
  }

  // A region the reference layers know (assets/reference.js) is drawn as itself: its ring stays, unseen,
  // for the selection and the framing, and a click on the shape is a click on the ring.
  function shapeRegion(group, ring, meta, onShape, onTint) {
    var p = meta.place, color = meta.style[1];
    if (p[P.precision] !== "region" || !global.incidentRegionShape) return;
    global.incidentRegionShape(p[P.cc], text(p[P.name]), p[P.lat], p[P.lon], meta.r[F.size]).then(function (found) {
      if (!found || !group.hasLayer(ring)) return;
      var shape = L.polygon(found.rings.map(function (r) { return r.map(function (q) { return [q[1], q[0]]; }); }),
        {color: color, weight: 2, dashArray: "6 5", fillColor: color, fillOpacity: 0.14, className: "region-shape"});
      shape.on("click", function (e) { ring.fire("click", e); });
      group.addLayer(shape);
      ring.setStyle({opacity: 0, fillOpacity: 0});
      ring.incidentShape = shape;
      onShape();
      onTint();
    });
  }

  // A region or country is tinted while it is a shape on the map; once the view is inside it, or the
  // map is zoomed in to a city, a tint would cover everything: then only its dashed edge is drawn
  // (and only the edge takes clicks, so a click on the map is not a click on the region).
  function tintAreas(map, areas, fromZoom) {
    var view = map.getBounds(), close = map.getZoom() >= fromZoom;
    areas.forEach(function (ring) {
      var shape = ring.incidentShape || ring, fill = !close && !shape.getBounds().contains(view);
      if (shape.options.fill !== fill) shape.setStyle({fill: fill});
      if (ring !== shape && ring.options.fill !== fill) ring.setStyle({fill: fill});
    });
  }

  function fit(map, pins, areas, how) {
    if (!how || (!pins.length && !areas.length)) return;
    var bounds = L.latLngBounds([]);
    pins.forEach(function (p) { bounds.extend(p.getLatLng()); });
    areas.forEach(function (a) { bounds.extend((a.incidentShape || a).getBounds()); });
    map.fitBounds(bounds, {padding: [how.padding, how.padding], maxZoom: how.maxZoom, animate: false});
  }

  // The first layer of a page with more rows than `above` came alone: the app sends the sidebar and
  // the table of a large first page in its next run, so the browser draws the map first
  // (view.map_goes_first). Once the markers are drawn, ask for that run: streamlit-folium sends its
  // value when it differs from the last one it sent, on the map's next "moveend", and a value it
  // sends reruns the page.
  function askForTheRest(map, rows, above) {
    var g = global.__GLOBAL_DATA__;
    if (above === null || above === undefined || rows <= above || global.incidentRestAsked || !g) return;
    global.incidentRestAsked = true;
    var ask = function () { g.previous_data = null; map.fire("moveend"); };
    // When the browser is idle again: it has painted the markers before the rest comes.
    if (global.requestIdleCallback) global.requestIdleCallback(ask, {timeout: 500}); else setTimeout(ask, 0);
  }

  // The first layer of a page frames its incidents in a moment: the basemap waits for that view
  // (assets/basemap.js) rather than being projected twice.
  function announceFramed(map) {
    if (!global.incidentFramePending) return;
    global.incidentFramePending = false;
    map.fire("incidentsframed");
  }

  global.incidentLayer = function (map, group, data, options) {
    var t0 = performance.now(), styles = data.styles.map(function (s) { return s.split("|"); });
    var cluster = L.markerClusterGroup(clusterOptions(options)), pins = [], areas = [], byRow = {}, icons = {};
    cluster.options.iconCreateFunction = clusterIcon(options.colors);
    var stats = global.incidentLayerStats = {rows: data.rows.length, called_ms: t0, build_ms: null, drawn_ms: null};
    function drawn() {
      stats.drawn_ms = performance.now() - t0;
      askForTheRest(map, data.rows.length, options.mapFirstAbove);
    }
    cluster.options.chunkProgress = function (done, total) { if (done === total) drawn(); };
    var metas = [], byEvent = {}, i, meta, sources = data.sources;
    for (i = 0; i < data.rows.length; i++) {  // one marker per event place: later reports join the first
      var q = data.rows[i], e = q[F.event] >= 0 ? q[F.event] + "|" + q[F.place] : "", first = e && byEvent[e];
      if (first) { first.reports.push({r: q, row: i + 1}); metas.push(first); continue; }
      meta = {r: q, row: i + 1, style: styles[q[F.style]], place: data.places[q[F.place]], sources: sources,
              event: e ? data.events[q[F.event]] : null, reports: []};
      meta.reports.push({r: q, row: i + 1});
      if (e) byEvent[e] = meta;
      metas.push(meta);
    }
    for (i = 0; i < data.rows.length; i++) {
      meta = metas[i];
      if (meta.row !== i + 1) { byRow[i + 1] = byRow[meta.row]; continue; }
      var r = meta.r, style = meta.style, p = meta.place, layer;
      if (p[P.area]) {
        layer = new Area([p[P.lat], p[P.lon]], {radius: r[F.size], color: style[1], weight: 2,
          dashArray: "6 5", fillColor: style[1], fillOpacity: 0.12, kind: style[0], incident: meta,
          className: "incident-area"});
        group.addLayer(layer);
        areas.push(layer);
        shapeRegion(group, layer, meta, refit, function () { tint(); });
      } else {
        layer = new Pin([p[P.lat], p[P.lon]], {icon: pinIcon(icons, style, r, meta.reports.length), kind: style[0],
          incident: meta});
        pins.push(layer);
      }
      byRow[i + 1] = layer;
    }
    // Pins join the cluster once it is on the map: before that, markercluster checks each new pin
    // against every pin already waiting (20,000 pins: 200 million comparisons).
    cluster.once("add", function () { cluster.addLayers(pins); });
    stats.build_ms = performance.now() - t0;

    var ring = null, shown = null;
    function select() {
      var row = selectedRow(), layer = row && byRow[row];
      if (row === shown) return;
      shown = row;
      if (ring) { group.removeLayer(ring); ring = null; }
      if (!layer) return;
      ring = L.circleMarker(layer.getLatLng(), {radius: 22, color: "#1f6feb", weight: 4, fill: false,
        interactive: false, className: "incident-selected"});
      group.addLayer(ring);
      if (layer instanceof Pin) {
        cluster.zoomToShowLayer(layer, function () { layer.incidentBind().openPopup(); });
      } else {  // frame the whole ring: its centre alone at the user's zoom may be inside it
        map.fitBounds((layer.incidentShape || layer).getBounds(), {padding: [24, 24], animate: false});
        layer.incidentBind().openPopup();
      }
    }
    function tint() { tintAreas(map, areas, options.outlineFromZoom); }
    // A new layer is a new filter state (or new data): frame what it shows, after streamlit-folium
    // has applied this run's centre, then show the selection.
    // A region's shape arrives after the framing: frame again while the view is still the layer's own.
    // The pins are clustered once, at the framed view: clustered before it, every pin and cluster
    // would be laid out again for the new zoom (20,000 pins: a third of the drawing time).
    var framed = null;
    function refit() {
      if (framed === null || !map.getCenter().equals(framed[0]) || map.getZoom() !== framed[1] || shown) return;
      fit(map, pins, areas, options.fit);
      framed = [map.getCenter(), map.getZoom()];
    }
    if (!global.incidentLayerSeen) global.incidentLayerSeen = global.incidentFramePending = true;
    setTimeout(function () {
      if (!map.hasLayer(group)) { announceFramed(map); return; }  // replaced already by a newer layer
      fit(map, pins, areas, options.fit);
      announceFramed(map);
      framed = [map.getCenter(), map.getZoom()];
      group.addLayer(cluster);
      if (!pins.length) drawn();
      map.on("moveend", select);
      map.on("moveend", tint);
      cluster.on("remove", function () { map.off("moveend", select); map.off("moveend", tint); });
      select();
      tint();
    }, 0);
    return cluster;
  };
})(window);
